"""Returns from a file as a background job, for a file too big to import while the person waits
(foundation/imports.py). All or nothing as ever: services.returns_import runs in one transaction."""

from foundation import imports

from . import services
from .returns_io import ImportRefused

RETURNS = "review.returns"


@imports.runner(RETURNS)
def returns(job, progress):
    try:
        saved = services.returns_import(user=job.created_by, name=job.name, data=bytes(job.data), progress=progress)
    except ImportRefused as refused:
        raise imports.Refused(refused.problems) from refused
    return f"Imported {saved} return{'s' if saved != 1 else ''} from {job.name}."
