from foundation.extensions import Panel

from . import permissions, selectors


def panels(request):
    """Returns past due: for a provider their own services', for the programme team every service's."""
    user = request.user
    if not permissions.can_view_returns(user):
        return []
    services = selectors.services_for(user)
    return [
        Panel(
            title="Returns",
            template="review/panels/returns.html",
            context={"overdue": selectors.overdue_returns(services)[:5], "services": services.count()},
            order=45,
        )
    ]
