from django.urls import reverse

from core_groups.permissions import is_administrator

from .extensions import NavItem


def items(user):
    result = []
    if is_administrator(user) or user.is_staff:
        result.append(NavItem("Admin", reverse("admin:index"), "/admin/"))
    return result
