from django.utils import timezone

from foundation.extensions import Panel

from . import permissions, selectors


def panels(request):
    """Returns past due (a provider's own services', or every service's for the programme team), and the
    partnership's overdue actions for those who read the action plan."""
    user = request.user
    result = []
    if permissions.can_view_returns(user):
        # Read once: the count is the list's length, not a second query.
        services = list(selectors.services_for(user))
        result.append(
            Panel(
                title="Returns",
                template="review/panels/returns.html",
                context={"overdue": selectors.overdue_returns(services)[:5], "services": len(services)},
                order=45,
            )
        )
    if permissions.can_view_actions(user):
        overdue = selectors.overdue_actions(getattr(request, "partnership", None), today=timezone.localdate())
        count = overdue.count()
        if count:
            result.append(
                Panel(
                    title="Overdue actions",
                    template="review/panels/actions.html",
                    context={"overdue": list(overdue[:5]), "count": count},
                    order=46,
                )
            )
    return result
