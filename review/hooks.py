"""What review adds to the pages of the apps below it (see foundation.extensions)."""

from core_groups.models import Commission
from foundation.extensions import Person, Snippet

from . import permissions, selectors


def commission_page_sections(user: Person, commission: Commission) -> list[Snippet]:
    """The service's measures with their trends, for those who may read its figures: the programme's
    people, and the service's own provider (never another provider)."""
    if not (permissions.can_view_programme_review(user) or permissions.can_submit_return(user, commission)):
        return []
    trends = selectors.service_trends(commission)
    if not trends:
        return []
    from .views import chart_rows

    return [
        Snippet(
            "review/_commission_measures.html",
            {
                "rows": chart_rows(trends),
                "commission": commission,
                "can_return": permissions.can_submit_return(user, commission),
            },
            order=30,
        )
    ]
