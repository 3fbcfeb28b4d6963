"""The events of core groups people are told of (foundation/notifications.py): the JCG decided a business case
or a specification of a commission on a core group's work plan."""

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.urls import reverse

from foundation import notifications

from . import email_templates
from .models import Commission

BUSINESS_CASE_DECIDED = notifications.register(
    "core_groups.business_case_decided",
    "The JCG decided a business case of your core group",
    template="core_groups/email/business_case_decided",
    order=40,
    fields=("commission", "decision", "group"),
)
SPECIFICATION_DECIDED = notifications.register(
    "core_groups.specification_decided",
    "The JCG decided a specification of your core group",
    template="core_groups/email/specification_decided",
    order=41,
    fields=("commission", "group", "by"),
)


def commission_people(commission, *, besides=None):
    """The commission's lead officer, its core group's members and lead support officer: those of them who work
    in the core group's partnership (a role there, or an organisation that is a member), never ``besides``."""
    group = commission.core_group
    ids = set(group.memberships.values_list("user_id", flat=True))
    ids |= {pk for pk in (commission.lead_officer_id, group.lead_support_officer_id) if pk}
    if besides is not None and getattr(besides, "pk", None):
        ids.discard(besides.pk)
    in_partnership = Q(partnership_roles__partnership_id=group.partnership_id) | Q(
        organisation__partnerships=group.partnership_id
    )
    return get_user_model().objects.filter(pk__in=ids, is_active=True).filter(in_partnership).distinct()


def _commission(commission):
    return Commission.objects.select_related("core_group__programme", "lead_officer").get(pk=commission.pk)


def tell_business_case_decided(commission, decision, *, by=None):
    commission = _commission(commission)
    return notifications.notify(
        BUSINESS_CASE_DECIDED,
        commission,
        commission_people(commission, besides=by),
        {"commission": commission, "decision": decision, "group": commission.core_group},
        reverse("core_groups:commission", args=[commission.pk]),
        reason=f"you lead this commission or are in the core group {commission.core_group}",
        partnership=commission.core_group.partnership_id,
        key=f"core_groups.commission:{commission.pk}:business-case:{decision.pk}",
    )


def tell_specification_decided(commission, *, by=None):
    commission = _commission(commission)
    return notifications.notify(
        SPECIFICATION_DECIDED,
        commission,
        commission_people(commission, besides=by),
        {"commission": commission, "group": commission.core_group, "by": by},
        reverse("core_groups:commission", args=[commission.pk]),
        reason=f"you lead this commission or are in the core group {commission.core_group}",
        partnership=commission.core_group.partnership_id,
        key=f"core_groups.commission:{commission.pk}:specification:{commission.version}",
    )


# A partnership's own wording of any event's email (core_groups.email_templates), edited in admin.
notifications.template_source(email_templates.render_override)
