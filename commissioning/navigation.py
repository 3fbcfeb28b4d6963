from core_groups.permissions import is_administrator
from foundation.extensions import NavItem
from foundation.links import remembered_reverse as reverse


def items(user):
    from .decision_queue import can_view_queue
    from .decision_register import can_view_register
    from .reports.permissions import can_list_reports

    result = []
    # One "Decisions" menu: what awaits a decision, and the register of what was decided.
    decisions = []
    if can_view_queue(user):
        decisions.append(NavItem("Awaiting decision", reverse("decision_queue"), "/decisions/queue/"))
    if can_view_register(user):
        decisions.append(NavItem("Decision register", reverse("decision_register"), "/decisions/register/"))
    if decisions:
        result.append(NavItem("Decisions", decisions[0].url, "/decisions/", children=decisions, order=75))
    if can_list_reports(user):
        result.append(NavItem("Reports", reverse("reports:list"), "/reports/", order=80))
    if is_administrator(user) or user.is_staff:
        result.append(NavItem("Admin", reverse("admin:index"), "/admin/", order=90))
    return result
