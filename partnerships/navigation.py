from foundation.extensions import NavItem
from foundation.links import remembered_reverse as reverse

from .permissions import can_view_register


def items(user):
    if not can_view_register(user):
        return []
    return [NavItem("Shared commissioning", reverse("partnerships:register"), "/shared/", order=40)]
