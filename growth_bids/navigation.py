from core_groups.permissions import is_body_member, is_provider_user
from foundation.extensions import NavItem
from foundation.links import remembered_reverse as reverse

from .permissions import is_partner_officer, is_team


def items(user):
    if is_provider_user(user):
        return []
    if is_partner_officer(user) or is_team(user) or is_body_member(user):
        return [NavItem("Growth bids", reverse("growth_bids:round_list"), "/bids/", order=10)]
    return []
