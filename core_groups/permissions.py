"""Who may do what: plain functions shared by views, templates and tests.

Role names are in roles.py. Superusers count as every role so that an administrator is never
locked out of a screen they must support.
"""

from . import roles


def has_role(user, role):
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cache = getattr(user, "_role_names", None)
    if cache is None:
        cache = set(user.groups.values_list("name", flat=True))
        user._role_names = cache
    return role in cache


def is_officer(user):
    return has_role(user, roles.OFFICER)


def is_programme_team(user):
    return has_role(user, roles.PROGRAMME_TEAM)


def is_body_member(user):
    return has_role(user, roles.COMMISSIONING_BODY)


def is_core_group_member(user):
    return has_role(user, roles.CORE_GROUP_MEMBER)


def is_administrator(user):
    return has_role(user, roles.ADMINISTRATOR) or bool(user and user.is_authenticated and user.is_superuser)


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
