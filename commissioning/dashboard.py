from core_groups import roles
from core_groups.permissions import role_names
from foundation.extensions import Panel


def panels(request):
    user = request.user
    result = []
    from .reports.permissions import can_list_reports

    if can_list_reports(user):
        from .reports.selectors import reports_for

        result.append(
            Panel(
                title="Board reports",
                template="commissioning/panels/reports.html",
                context={"reports": list(reports_for(user).order_by("-updated_at")[:5])},
                order=60,
            )
        )
    return result + [
        Panel(
            title="Your roles",
            template="commissioning/panels/roles.html",
            context={"descriptions": [(r, roles.DESCRIPTIONS[r]) for r in role_names(user)]},
            order=90,
        )
    ]
