from core_groups import roles
from core_groups.permissions import role_names
from foundation.extensions import Panel


def panels(request):
    user = request.user
    result = []
    from .decision_queue import can_view_queue, queues_for
    from .reports.permissions import can_list_reports

    partnership = getattr(request, "partnership", None)
    if can_view_queue(user, partnership):
        queues = queues_for(user, partnership, summary=True)
        result.append(
            Panel(
                title="Awaiting decision",
                template="commissioning/panels/decision_queue.html",
                context={
                    "queues": queues,
                    "total": sum(q.count for q in queues),
                    "capped": any(q.capped for q in queues),
                },
                order=5,
            )
        )
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
