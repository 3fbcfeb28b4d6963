"""The events of the shared register people are told of (foundation/notifications.py): an import finished."""

from django.urls import reverse
from django.utils import timezone

from core_groups import roles, tenancy
from foundation import notifications

REGISTER_IMPORTED = notifications.register(
    "partnerships.register_imported",
    "An import into the shared funding register finished",
    template="partnerships/email/register_imported",
    order=70,
    fields=("by", "name", "created", "updated", "at"),
)


def tell_register_imported(*, partnership, user, name, created, updated):
    """Whoever imported and the programme team that keeps the partnership's register hear what it changed."""
    people = [user] if user is not None and user.is_authenticated else []
    if partnership is not None:
        people += list(tenancy.role_holders(partnership.pk, roles.PROGRAMME_TEAM))
    now = timezone.now()
    return notifications.notify(
        REGISTER_IMPORTED,
        partnership if partnership is not None else "partnerships.register",
        people,
        {"partnership": partnership, "by": user, "name": name, "created": created, "updated": updated, "at": now},
        reverse("partnerships:register"),
        reason="you imported the file or keep the partnership's funding register",
        partnership=partnership,
        key=f"partnerships.register:{getattr(partnership, 'pk', 0)}:import:{now:%Y%m%d%H%M%S%f}",
    )
