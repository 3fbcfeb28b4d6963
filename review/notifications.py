"""The events of review people are told of (foundation/notifications.py): a contract coming to its end."""

from foundation import notifications

CONTRACT_EXPIRY = notifications.register(
    "review.contract_expiry",
    "A contract you manage or your programme holds is coming to its end",
    template="review/email/contract_expiry",
    mandatory=True,
    order=55,
    fields=("contract", "months"),
)
RETURNS_IMPORTED = notifications.register(
    "review.returns_imported",
    "An import of performance returns finished",
    template="review/email/returns_imported",
    order=71,
    fields=("by", "name", "count", "services", "at"),
)


def tell_returns_imported(*, user, name, count, services):
    """Whoever imported hears what was saved; so does the programme team of each partnership whose services
    received returns (nobody of a partnership the file did not touch)."""
    from django.urls import reverse
    from django.utils import timezone

    from core_groups import roles, tenancy

    people = [user] if user is not None and user.is_authenticated else []
    for partnership_id in sorted({s.core_group.partnership_id for s in services if s.core_group.partnership_id}):
        people += list(tenancy.role_holders(partnership_id, roles.PROGRAMME_TEAM))
    now = timezone.now()
    return notifications.notify(
        RETURNS_IMPORTED,
        f"review.returns-import:{getattr(user, 'pk', 0)}",
        people,
        {"by": user, "name": name, "count": count, "services": sorted({s.title for s in services}), "at": now},
        reverse("review:returns"),
        reason="you imported the file or are in the programme team of a service it gave returns for",
        key=f"review.returns-import:{getattr(user, 'pk', 0)}:{now:%Y%m%d%H%M%S%f}",
    )
