from django.urls import reverse

from core_groups.permissions import is_administrator
from foundation.extensions import NavItem


def items(user):
    from .decision_queue import can_view_queue
    from .reports.permissions import can_list_reports

    result = []
    if can_view_queue(user):
        result.append(NavItem("Awaiting decision", reverse("decision_queue"), "/decisions/", order=75))
    if can_list_reports(user):
        result.append(NavItem("Reports", reverse("reports:list"), "/reports/", order=80))
    if is_administrator(user) or user.is_staff:
        result.append(NavItem("Admin", reverse("admin:index"), "/admin/", order=90))
    return result
