from django.urls import reverse

from commissioning.extensions import NavItem

from .permissions import can_view_underspend


def items(user):
    if not (user and user.is_authenticated):
        return []
    result = [NavItem("Procurement", reverse("procurement:project_list"), "/procurement/")]
    if can_view_underspend(user):
        result.append(NavItem("Underspend", reverse("procurement:underspend"), "/procurement/underspend/"))
    return result
