"""What shared commissioning adds to the pages of the apps below it (see foundation.extensions)."""

from foundation.extensions import Person, Snippet
from procurement.models import ProcurementProject

from .models import ServiceArea
from .permissions import can_view_preferences


def project_page_links(user: Person, project: ProcurementProject) -> list[Snippet]:
    """The way back from a procurement project to the shared service whose partners chose aligned budgets.

    Only people who may see the options and decisions page are shown the link.
    """
    if not can_view_preferences(user):
        return []
    areas = list(ServiceArea.objects.filter(procurement_project=project).order_by("name"))
    if not areas:
        return []
    return [Snippet("partnerships/_project_shared_services.html", {"shared_services": areas}, order=20)]
