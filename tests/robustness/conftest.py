# The procurement fixtures (shipped timetable templates, a lead council) serve the hostile-input tests too.
from tests.procurement.conftest import _templates, leeds_org  # noqa: F401
