"""Who may do what: plain functions shared by views, templates and tests.

Role names are in roles.py. A role is held in a partnership (PartnershipRole): a check about an object asks
about the object's partnership; a check without one asks about the partnership the person is working in now
(``user.current_partnership``, set by core_groups.middleware). Superusers count as every role so that an
administrator is never locked out of a screen they must support.
"""

from . import roles, tenancy
from .models import partnership_id_of

_NO_CONTEXT = object()


def _global_groups(user):
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names = cache
    return cache


def has_role(user, role, within=None):
    """Whether ``user`` holds ``role`` in the partnership of ``within`` (an owned object or a Partnership).

    Without ``within``, the partnership the person works in now. Outside a request (a service called by a
    task or a test) there is no such partnership: then any partnership role counts, and the old global role
    groups still do, so that callers from before partnerships keep working.
    """
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if within is not None:
        partnership_id = partnership_id_of(within)
        if partnership_id is not None:
            return tenancy.holds_role(user, role, partnership_id)
    current = getattr(user, "current_partnership", _NO_CONTEXT)
    if current is not _NO_CONTEXT:
        return current is not None and tenancy.holds_role(user, role, current.pk)
    return tenancy.holds_role(user, role, None) or role in _global_groups(user)


def is_officer(user, within=None):
    return has_role(user, roles.OFFICER, within)


def is_programme_team(user, within=None):
    return has_role(user, roles.PROGRAMME_TEAM, within)


def is_body_member(user, within=None):
    return has_role(user, roles.COMMISSIONING_BODY, within)


def is_core_group_member(user, within=None):
    return has_role(user, roles.CORE_GROUP_MEMBER, within)


def is_administrator(user, within=None):
    return has_role(user, roles.ADMINISTRATOR, within) or bool(user and user.is_authenticated and user.is_superuser)


def is_provider_user(user):
    """Users from provider organisations see process and criteria, never money."""
    org = getattr(user, "organisation", None) if user and user.is_authenticated else None
    return bool(org and org.is_provider)


def works_for_partner(user):
    org = getattr(user, "organisation", None) if user and user.is_authenticated else None
    return bool(org and org.is_commissioning_partner)


def can_see_money(user):
    return bool(user and user.is_authenticated) and not is_provider_user(user)


def role_names(user):
    if user is None or not user.is_authenticated:
        return []
    if user.is_superuser:
        return list(roles.ALL_ROLES)
    return [r for r in roles.ALL_ROLES if has_role(user, r)]


# --- Core groups: who may read and change what (issue 3) ---------------------------------------------


def _signed_in(user):
    return bool(user and user.is_authenticated and user.is_active)


def is_group_member(user, group):
    """A member of this particular core group (or its Lead Support Officer)."""
    if not _signed_in(user) or group is None:
        return False
    if group.lead_support_officer_id == user.pk:
        return True
    ids = getattr(user, "_core_group_ids", None)
    if ids is None:
        ids = set(user.core_group_memberships.values_list("core_group_id", flat=True))
        user._core_group_ids = ids
    return group.pk in ids


def in_partnership(user, obj):
    """Whether ``obj`` belongs to one of the partnerships ``user`` works in (superusers: all)."""
    if not _signed_in(user):
        return False
    return user.is_superuser or partnership_id_of(obj) in tenancy.partnership_ids_of(user)


def can_view_programme(user, programme):
    """Process and criteria are public to everyone in the partnership; money is hidden separately (can_see_money)."""
    return in_partnership(user, programme)


def can_view_group(user, group):
    return in_partnership(user, group)


def can_edit_group(user, group):
    """Members edit their own group's work plan and risks; the partnership's programme team edits all of its."""
    return is_programme_team(user, group) or is_group_member(user, group)


def can_edit_commission(user, commission):
    """The group's members and the programme team, except anyone whose organisation is or may be the provider
    (they read it only); which fields each editor may change is commission_locked_fields."""
    return can_edit_group(user, commission.core_group) and not has_provider_stake(user, commission)


def can_record_spend(user, group):
    """Spend is money: a provider's user never records or sees it, even as a member of the group."""
    return can_edit_group(user, group) and can_see_money(user)


def can_set_allocation(user, group):
    """Allocations are set by the JCG; the programme team enters them on its behalf."""
    return (is_body_member(user, group) or is_programme_team(user, group)) and can_see_money(user)


def is_decider(user, within=None):
    """The JCG (Commissioning Body role) or the programme team: the only people who approve."""
    return is_body_member(user, within) or is_programme_team(user, within)


def decision_refusal(user, commission, on=None):
    """Why ``user`` may not approve a specification or decide a business case; None when they may.

    A core group drafts a specification but never approves it: that lies with the JCG, which keeps
    its distance. A person with a declared interest may comment and draft but never decides.
    """
    from .conflicts import conflict_reason

    if not is_decider(user, commission):
        return "Only the JCG or the programme team may decide this; the core group drafts and advises."
    reason = conflict_reason(user, commission, on=on)
    if reason:
        return f"{reason} You may comment on and draft the specification, but not decide on it."
    return None


def can_decide_commission(user, commission):
    return decision_refusal(user, commission) is None


def can_submit_specification(user, commission):
    """Drafters (the group) send a specification to the JCG, or take it back to draft."""
    return can_edit_commission(user, commission) or is_decider(user, commission)


def can_delete_commission(user, commission):
    """Members and the programme team may take a commission off the work plan, but not a provider's user:
    someone whose organisation may bid for the work must not be able to remove it from the plan."""
    return can_edit_commission(user, commission) and not is_provider_user(user)


def can_edit_spend(user, entry):
    return can_record_spend(user, entry.core_group)


def can_edit_risk(user, risk):
    if risk.core_group_id:
        return can_edit_group(user, risk.core_group)
    return is_programme_team(user, risk.programme if risk.programme_id else None)


def can_delete_risk(user, risk):
    """As for commissions: a provider's user may add and edit risks but not remove them from the register."""
    return can_edit_risk(user, risk) and not is_provider_user(user)


def can_add_programme_risk(user, programme):
    return is_programme_team(user, programme)


def can_view_declarations_register(user):
    return is_programme_team(user) or is_body_member(user)


def can_withdraw_interest(user, interest):
    return _signed_in(user) and (interest.user_id == user.pk or is_programme_team(user, interest))


# --- Who may change which fields of a commission (issue 13 item 2) ---------------------------------


def has_provider_stake(user, commission):
    """The user's organisation is, or may be, this commission's provider: it is named as the provider, or
    someone of the organisation has an interest in force declared in the commission or its provider."""
    if not _signed_in(user) or commission is None or commission.pk is None:
        return False
    org_id = user.organisation_id
    if org_id and commission.provider_id == org_id:
        return True
    if not is_provider_user(user):
        return False
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from .models import DeclaredInterest

    ct = ContentType.objects.get_for_model(commission)
    named = Q(content_type=ct, object_id=commission.pk)
    if commission.provider_id:
        named |= Q(organisation_id=commission.provider_id)
    people = Q(user__organisation_id=org_id) if org_id else Q(user=user)
    return DeclaredInterest.objects.active().filter(people).filter(named).exists()


def commission_locked_fields(user, commission=None):
    """{field: reason} for each field of ``commission`` (or of a new one) that ``user`` may not change."""
    from .editing import commission_field_locks

    return commission_field_locks(
        is_provider_user=is_provider_user(user),
        has_provider_stake=has_provider_stake(user, commission),
        is_decider=is_decider(user, commission),
    )
