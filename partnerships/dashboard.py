from foundation.extensions import Panel

from . import permissions, selectors


def panels(request):
    user = request.user
    if not permissions.can_view_map(user):
        return []
    summary = selectors.register_summary(getattr(request, "partnership", None))
    return [
        Panel(
            title="Shared commissioning",
            template="partnerships/panels/summary.html",
            context={
                **summary,
                "show_money": permissions.can_view_money(user),
            },
            order=40,
        )
    ]
