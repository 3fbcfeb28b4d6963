"""Who may see and change the shared commissioning register, map, savings model and decisions.

The programme team (and administrators) keep the register and import it. Officers of commissioning
partners, Body and core group members read their own organisation's arrangements, the map and the savings
model. Providers' users see only their own arrangements and the counts on the map, never money.
"""

from core_groups.permissions import (
    can_see_money,
    is_administrator,
    is_body_member,
    is_core_group_member,
    is_officer,
    is_programme_team,
    is_provider_user,
    works_for_partner,
)


def is_register_keeper(user):
    return is_programme_team(user) or is_administrator(user)


def can_view_register(user):
    if not (user and user.is_authenticated):
        return False
    if is_register_keeper(user) or is_body_member(user) or is_provider_user(user):
        return True
    return (is_officer(user) or is_core_group_member(user)) and works_for_partner(user)


def can_view_all_arrangements(user):
    return is_register_keeper(user) or is_body_member(user)


def can_view_arrangement(user, arrangement):
    if not can_view_register(user):
        return False
    if can_view_all_arrangements(user):
        return True
    org_id = getattr(user, "organisation_id", None)
    return org_id is not None and org_id in (arrangement.funder_id, arrangement.provider_id)


def can_import_register(user):
    return is_register_keeper(user)


def can_edit_arrangement(user, arrangement=None):
    """Only the keepers of the register (the programme team) change an arrangement, as they import it."""
    return is_register_keeper(user)


def can_view_map(user):
    return can_view_register(user)


def can_view_money(user):
    return can_view_register(user) and can_see_money(user)


def can_use_savings_model(user):
    return can_view_money(user)


def can_view_preferences(user):
    return can_view_register(user)


def can_record_preference(user, partner=None):
    """The programme team for anyone; a partner's officer for their own organisation."""
    if is_register_keeper(user):
        return True
    if not (is_officer(user) and works_for_partner(user)):
        return False
    return partner is None or partner.pk == user.organisation_id
