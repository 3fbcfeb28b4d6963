"""The register import as a background job, for a file too big to import while the person waits
(foundation/imports.py). All or nothing as ever: services.register_import runs in one transaction."""

from core_groups.models import Partnership
from foundation import imports

from . import services
from .exceptions import ImportRefused

REGISTER = "partnerships.register"


@imports.runner(REGISTER)
def register(job, progress):
    partnership = Partnership.objects.filter(pk=job.partnership_id).first() if job.partnership_id else None
    try:
        created, updated = services.register_import(
            name=job.name, data=bytes(job.data), user=job.created_by, partnership=partnership, progress=progress
        )
    except ImportRefused as refused:
        raise imports.Refused(refused.problems) from refused
    return f"Imported {job.name}: {created} added, {updated} updated."
