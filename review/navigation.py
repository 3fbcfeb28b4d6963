from foundation.extensions import NavItem
from foundation.links import remembered_reverse as reverse

from . import permissions


def items(user):
    if not (user and user.is_authenticated):
        return []
    children = []
    if permissions.can_view_programme_review(user):
        children.append(NavItem("Measures by programme", reverse("review:index"), "/review/programmes/"))
    if permissions.can_view_returns(user):
        children.append(NavItem("Returns", reverse("review:returns"), "/review/returns/"))
    children.append(NavItem("Meetings and attendance", reverse("review:meetings"), "/review/meetings/"))
    if permissions.can_view_actions(user):
        children.append(NavItem("Action plan", reverse("review:actions"), "/review/actions/"))
    if permissions.can_view_contracts(user):
        children.append(NavItem("Contracts register", reverse("review:contracts"), "/review/contracts/"))
    children.append(NavItem("Events", reverse("review:events"), "/review/events/"))
    return [NavItem("Review", children[0].url, "/review/", children=children, order=45)]
