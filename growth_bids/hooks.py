"""What growth bids add to the pages of the apps below them (see foundation.extensions)."""

from foundation.extensions import Person, Snippet
from procurement.models import ProcurementProject

from .models import Bid


def project_page_links(user: Person, project: ProcurementProject) -> list[Snippet]:
    """The way back from a procurement project to the growth bid it came from.

    Only bids the person may read are named, so the link never leaks a bid's existence.
    """
    bids = list(
        Bid.objects.visible_to(user).filter(procurement_project=project).select_related("funding_round").order_by("pk")
    )
    if not bids:
        return []
    return [Snippet("growth_bids/_project_growth_bids.html", {"growth_bids": bids}, order=10)]
