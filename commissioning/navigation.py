from django.urls import reverse

from core_groups.permissions import is_administrator
from foundation.extensions import NavItem


def items(user):
    from .reports.permissions import can_list_reports

    result = []
    if can_list_reports(user):
        result.append(NavItem("Reports", reverse("reports:list"), "/reports/", order=80))
    if is_administrator(user) or user.is_staff:
        result.append(NavItem("Admin", reverse("admin:index"), "/admin/", order=90))
    return result
