from foundation.extensions import Panel

from . import permissions, selectors


def panels(request):
    user = request.user
    if not permissions.can_view_map(user):
        return []
    result = selectors.register_map()
    return [
        Panel(
            title="Shared commissioning",
            template="partnerships/panels/summary.html",
            context={
                "count": result.total.count,
                "providers": len(result.by_provider),
                "value": result.total.annual_value,
                "cost": result.total.resource_cost,
                "show_money": permissions.can_view_money(user),
            },
            order=40,
        )
    ]
