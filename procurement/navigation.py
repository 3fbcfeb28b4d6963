from foundation.extensions import NavItem
from foundation.links import remembered_reverse as reverse

from .permissions import can_view_underspend


def items(user):
    if not (user and user.is_authenticated):
        return []
    projects = NavItem("Procurement projects", reverse("procurement:project_list"), "/procurement/projects/")
    if not can_view_underspend(user):
        return [NavItem("Procurement", projects.url, "/procurement/", order=30)]
    children = [projects, NavItem("Underspend", reverse("procurement:underspend"), "/procurement/underspend/")]
    return [NavItem("Procurement", projects.url, "/procurement/", children=children, order=30)]
