"""Partnerships as the boundary of everything: who is in which partnership, and the one scoping helper.

Every app's selectors scope their querysets with ``for_partnership`` (directly or through a path to the owning
partnership), so that an object of another partnership is simply not found: a view answers 404, never 403 with
the object's name in it.
"""

from django.db.models import CharField, Q, QuerySet, Value

from foundation import caching

from . import roles
from .models import Partnership, PartnershipRole

# The global role groups of before, and the partnership role each is now.
ROLE_FOR_GROUP = {
    roles.OFFICER: PartnershipRole.Role.OFFICER,
    roles.PROGRAMME_TEAM: PartnershipRole.Role.PROGRAMME_TEAM,
    roles.COMMISSIONING_BODY: PartnershipRole.Role.COMMISSIONING_BODY,
    roles.CORE_GROUP_MEMBER: PartnershipRole.Role.CORE_GROUP_MEMBER,
    roles.ADMINISTRATOR: PartnershipRole.Role.ADMINISTRATOR,
}


def partnership_role(role_name: str) -> str:
    """The PartnershipRole value for a role name of roles.py (they are the same but for the administrator)."""
    return ROLE_FOR_GROUP.get(role_name, role_name)


def grant_roles(*, user, partnership, role_names) -> None:
    """Give ``user`` the roles named (names of roles.py) in ``partnership``; roles already held are kept."""
    for name in role_names:
        PartnershipRole.objects.get_or_create(user=user, partnership=partnership, role=partnership_role(name))
    _forget(user)


def _forget(user) -> None:
    for attr in ("_partnership_roles", "_partnership_ids"):
        if hasattr(user, attr):
            delattr(user, attr)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def partnerships_of(user) -> QuerySet[Partnership]:
    """The partnerships ``user`` works in: those they hold a role in, and those their organisation is a member of.

    A person of a member organisation with no role may read what any signed-in person of the partnership
    reads (as everyone signed in could before partnerships); roles decide everything else. A site administrator
    (superuser) is in every partnership.
    """
    if not _signed_in(user):
        return Partnership.objects.none()
    if user.is_superuser:
        return Partnership.objects.all()
    rule = Q(roles__user=user)
    if user.organisation_id:
        rule |= Q(organisations=user.organisation_id)
    return Partnership.objects.filter(rule).distinct()


def partnership_ids_of(user) -> set[int]:
    """The ids of partnerships_of(user), remembered on the user object for the request."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_partnership_ids", None)
    if cached is None:
        if user.is_superuser:
            # Every partnership: the same for every site administrator, so read once per change, not per request.
            cached = set(caching.cached(PARTNERSHIPS_NAMESPACE, ["all-ids"], _all_partnership_ids))
        else:
            cached = _memberships(user)
        user._partnership_ids = cached
    return cached


def _memberships(user) -> set[int]:
    """The ids of partnerships_of(user) and, on the way, role_pairs(user): one query (the person's roles UNION
    their organisation's memberships) where every page of a person not a site administrator ran two."""
    rows = PartnershipRole.objects.filter(user=user).order_by().values_list("partnership_id", "role")
    if user.organisation_id:
        members = (
            Partnership.organisations.through.objects.filter(organisation_id=user.organisation_id)
            .order_by()
            .annotate(no_role=Value(None, output_field=CharField()))
            .values_list("partnership_id", "no_role")
        )
        rows = rows.union(members, all=True)
    ids: set[int] = set()
    pairs: set[tuple[int, str]] = set()
    for partnership_id, role in rows:
        ids.add(partnership_id)
        if role is not None:
            pairs.add((partnership_id, role))
    if getattr(user, "_partnership_roles", None) is None:
        user._partnership_roles = pairs
    return ids


# Partnerships themselves change rarely (an administrator renames one, adds one); every page reads the one the
# person works in and the names in the switch. Cached, and forgotten on any save or delete of a partnership
# (core_groups/apps.py). Who may see which partnership is never cached here but for a site administrator (all).
PARTNERSHIPS_NAMESPACE = caching.namespace("core_groups:partnerships")


def _all_partnership_ids() -> list[int]:
    return list(Partnership.objects.order_by("pk").values_list("pk", flat=True))


def partnership_by_pk(pk: int) -> Partnership | None:
    """The partnership ``pk`` (None when there is none), read from the cache when it is there."""
    return caching.cached(PARTNERSHIPS_NAMESPACE, ["row", pk], lambda: Partnership.objects.filter(pk=pk).first())


def partnership_choices(ids) -> list[Partnership]:
    """The partnerships ``ids`` by name, with their pk and name only (the navigation's switch)."""
    key = ",".join(str(pk) for pk in sorted(ids))
    return caching.cached(
        PARTNERSHIPS_NAMESPACE,
        ["choices", key],
        lambda: list(Partnership.objects.filter(pk__in=ids).only("pk", "name")),
    )


# Organisations likewise: every page of a person with one reads it (the navigation asks whether it is a provider,
# the header shows its name). Forgotten on any save or delete of an organisation (core_groups/apps.py).
ORGANISATIONS_NAMESPACE = caching.namespace("core_groups:organisations")


def prime_organisation(user) -> None:
    """Give ``user`` their organisation from the cache, so that ``user.organisation`` sends no query."""
    field = user._meta.get_field("organisation")
    if not user.organisation_id or field.is_cached(user):
        return
    pk = user.organisation_id
    organisation = caching.cached(
        ORGANISATIONS_NAMESPACE, ["row", pk], lambda: field.related_model._default_manager.filter(pk=pk).first()
    )
    if organisation is not None:
        field.set_cached_value(user, organisation)


def role_pairs(user) -> set[tuple[int, str]]:
    """(partnership id, role) for every role ``user`` holds, remembered on the user object for the request."""
    if not _signed_in(user):
        return set()
    cached = getattr(user, "_partnership_roles", None)
    if cached is None:
        cached = set(PartnershipRole.objects.filter(user=user).values_list("partnership_id", "role"))
        user._partnership_roles = cached
    return cached


def holds_role(user, role_name: str, partnership_id: int | None) -> bool:
    """Whether ``user`` holds the role in that partnership (any partnership when None)."""
    role = partnership_role(role_name)
    pairs = role_pairs(user)
    if partnership_id is None:
        return any(r == role for _, r in pairs)
    return (partnership_id, role) in pairs


def role_holders(partnership_id: int | None, role_name: str) -> QuerySet:
    """The active people holding ``role_name`` (a name of roles.py) in the partnership; for an object of no
    partnership, the holders of the old global group of that name."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.filter(is_active=True)
    if partnership_id is None:
        return users.filter(groups__name=role_name).distinct()
    return users.filter(
        partnership_roles__partnership_id=partnership_id, partnership_roles__role=partnership_role(role_name)
    ).distinct()


def for_partnership(qs: QuerySet, partnership, *, path: str = "partnership") -> QuerySet:
    """``qs`` limited to the rows owned by ``partnership`` (through ``path``); nothing when there is none."""
    if partnership is None:
        return qs.none()
    return qs.filter(**{path: partnership})
