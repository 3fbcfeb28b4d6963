"""Every write to core groups: keyword-only functions, atomic, validated with full_clean() before save.

Edits of commissions and risks carry the version the editor started from; when someone else saved in
between, EditConflict is raised and nothing is written (the second editor is told, never overwritten).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from . import permissions
from .exceptions import EditConflict, NotAllowed
from .models import Allocation, Commission, DeclaredInterest, Risk, SpendEntry
from .money import to_money

COMMISSION_FIELDS = {
    "title",
    "service_area",
    "phase",
    "route",
    "status",
    "lead_officer",
    "provider",
    "indicative_start",
    "indicative_end",
    "annual_value",
    "business_case",
    "notes",
}
RISK_FIELDS = {
    "title",
    "description",
    "impact",
    "likelihood",
    "mitigation",
    "owner",
    "owner_role",
    "status",
    "review_on",
}


def _check_version(locked, expected_version, noun):
    if expected_version is not None and int(expected_version) != locked.version:
        last = locked.history.select_related("history_user").order_by("-history_date").first()
        who = last.history_user.display_name if last and last.history_user else "someone else"
        when = timezone.localtime(last.history_date).strftime("%d %B %Y %H:%M") if last else ""
        raise EditConflict(
            f"{who} changed this {noun} at {when} while you were editing it. Your changes have not been saved: "
            "reload the page to see theirs, then make yours again."
        )


def _apply(obj, fields, allowed):
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(obj, name, value)


# --- Commissions -------------------------------------------------------------------------------------


@transaction.atomic
def commission_create(*, user, core_group, **fields):
    if not permissions.can_edit_group(user, core_group):
        raise NotAllowed("Only members of this core group or the programme team may add to its work plan.")
    if "annual_value" in fields and not permissions.can_see_money(user):
        fields.pop("annual_value")
    commission = Commission(core_group=core_group)
    _apply(commission, fields, COMMISSION_FIELDS)
    commission.full_clean()
    commission.save()
    return commission


@transaction.atomic
def commission_update(*, user, commission, expected_version=None, **fields):
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    if not permissions.can_edit_commission(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may change its work plan.")
    _check_version(locked, expected_version, "commission")
    if "annual_value" in fields and not permissions.can_see_money(user):
        fields.pop("annual_value")
    _apply(locked, fields, COMMISSION_FIELDS)
    if locked.route != Commission.Route.SINGLE_TENDER:
        locked.business_case_decision = ""
        locked.business_case_decided_on = None
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def specification_decide(*, user, commission, state, expected_version=None):
    """Move a specification between draft, with the JCG and approved.

    The core group drafts and sends it to the JCG; only the JCG or the programme team, without a
    conflict of interest, approves it or sends an approved one back.
    """
    S = Commission.SpecificationState
    if state not in S.values:
        raise ValidationError({"specification_state": "Choose draft, with the JCG or approved."})
    locked = Commission.objects.select_for_update().select_related("core_group").get(pk=commission.pk)
    _check_version(locked, expected_version, "commission")
    deciding = state == S.APPROVED or locked.specification_state == S.APPROVED
    if deciding:
        refusal = permissions.decision_refusal(user, locked)
        if refusal:
            raise ValidationError({"specification_state": refusal})
    elif not permissions.can_submit_specification(user, locked):
        raise NotAllowed("Only the core group or the JCG may move this specification.")
    locked.specification_state = state
    if deciding:
        locked.specification_decided_by = user
        locked.specification_decided_at = timezone.now()
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def business_case_decide(*, user, commission, decision, decided_on, expected_version=None):
    """The JCG's decision on a single-tender business case, with its date."""
    locked = Commission.objects.select_for_update().select_related("core_group").get(pk=commission.pk)
    _check_version(locked, expected_version, "commission")
    refusal = permissions.decision_refusal(user, locked)
    if refusal:
        raise ValidationError({"business_case_decision": refusal})
    if locked.route != Commission.Route.SINGLE_TENDER:
        raise ValidationError({"business_case_decision": "Only a single tender has a business case to decide."})
    if not locked.business_case.strip():
        raise ValidationError({"business_case_decision": "There is no business case to decide yet."})
    locked.business_case_decision = decision
    locked.business_case_decided_on = decided_on if decision else None
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def commission_delete(*, user, commission):
    """Take a commission off the work plan. Its change history is kept (simple_history records the deletion
    and who made it). Refused while spend, declared interests or risks still point at it: they would lose the
    record they belong to, so the commission should be marked Ended instead."""
    from .selectors import commission_delete_blockers

    locked = Commission.objects.select_for_update().select_related("core_group").get(pk=commission.pk)
    if not permissions.can_delete_commission(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may delete its commissions.")
    blockers = commission_delete_blockers(locked)
    if blockers:
        raise ValidationError(
            "This commission cannot be deleted: "
            + "; ".join(blockers)
            + ". Set its status to Ended instead, so that the record stays."
        )
    locked._history_user = user
    try:
        # Django collects protected references before it deletes anything, so nothing is half-deleted.
        locked.delete()
    except ProtectedError as exc:
        raise ValidationError(
            "This commission cannot be deleted because other records (for example a procurement project) "
            "refer to it. Set its status to Ended instead."
        ) from exc
    return locked


# --- Money -------------------------------------------------------------------------------------------


def _amount(value, field):
    try:
        amount = to_money(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError({field: "Enter an amount in pounds and pence, e.g. 1250.00."}) from exc
    return amount


@transaction.atomic
def allocation_set(*, user, core_group, financial_year, amount, forecast_outturn=None, decided_on=None, notes=""):
    """Create the one allocation for a group and year. A second allocation for the same year is refused."""
    if not permissions.can_set_allocation(user, core_group):
        raise NotAllowed("Allocations are set by the JCG.")
    allocation = Allocation(
        core_group=core_group,
        financial_year=financial_year,
        amount=_amount(amount, "amount"),
        forecast_outturn=None if forecast_outturn in (None, "") else _amount(forecast_outturn, "forecast_outturn"),
        decided_on=decided_on,
        notes=notes,
    )
    allocation.full_clean()
    allocation.save()
    return allocation


@transaction.atomic
def allocation_update(*, user, allocation, expected_version=None, **fields):
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    _check_version(locked, expected_version, "allocation")
    if "forecast_outturn" in fields and set(fields) <= {"forecast_outturn"}:
        allowed = permissions.can_record_spend(user, locked.core_group) or permissions.can_set_allocation(
            user, locked.core_group
        )
    else:
        allowed = permissions.can_set_allocation(user, locked.core_group)
    if not allowed:
        raise NotAllowed("You may not change this allocation.")
    for name, value in fields.items():
        if name in ("amount", "forecast_outturn") and value not in (None, ""):
            value = _amount(value, name)
        setattr(locked, name, value)
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def spend_record(*, user, core_group, spent_on, amount, description, commission=None):
    if not permissions.can_record_spend(user, core_group):
        raise NotAllowed("Only members of this core group or the programme team may record its spend.")
    entry = SpendEntry(
        core_group=core_group,
        spent_on=spent_on,
        amount=_amount(amount, "amount"),
        description=description,
        commission=commission,
        recorded_by=user,
    )
    if entry.amount <= 0:
        raise ValidationError({"amount": "Spend must be more than £0."})
    entry.full_clean()
    entry.save()
    return entry


SPEND_FIELDS = {"spent_on", "amount", "description", "commission"}


@transaction.atomic
def spend_update(*, user, entry, expected_version=None, **fields):
    """Correct a spend entry. Carries the version the editor started from, like commissions and risks."""
    locked = SpendEntry.objects.select_for_update().select_related("core_group").get(pk=entry.pk)
    if not permissions.can_edit_spend(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may change its spend.")
    _check_version(locked, expected_version, "spend entry")
    if "amount" in fields:
        fields["amount"] = _amount(fields["amount"], "amount")
        if fields["amount"] <= 0:
            raise ValidationError({"amount": "Spend must be more than £0."})
    _apply(locked, fields, SPEND_FIELDS)
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


# --- Risks -------------------------------------------------------------------------------------------


@transaction.atomic
def risk_create(*, user, core_group=None, programme=None, scope_object=None, **fields):
    risk = Risk(core_group=core_group, programme=programme or (core_group.programme if core_group else None))
    if scope_object is not None:
        risk.content_type = ContentType.objects.get_for_model(scope_object)
        risk.object_id = scope_object.pk
    if core_group is not None:
        allowed = permissions.can_edit_group(user, core_group)
    else:
        allowed = permissions.is_programme_team(user)
    if not allowed:
        raise NotAllowed("Only members of this core group or the programme team may add risks here.")
    _apply(risk, fields, RISK_FIELDS)
    risk.created_by = user
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, user, risk, expected_version=None, **fields):
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    if not permissions.can_edit_risk(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may change this risk.")
    _check_version(locked, expected_version, "risk")
    _apply(locked, fields, RISK_FIELDS)
    locked.version += 1
    locked.full_clean()
    locked.save()
    return locked


@transaction.atomic
def risk_delete(*, user, risk):
    """Remove a risk from its register; its change history, and who deleted it, are kept."""
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    if not permissions.can_delete_risk(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may delete this risk.")
    locked._history_user = user
    locked.delete()
    return locked


# --- Declared interests ------------------------------------------------------------------------------


@transaction.atomic
def interest_declare(*, user, description, organisation=None, subject=None, declared_on=None):
    if organisation is None and subject is None:
        raise ValidationError({"organisation": "Name the organisation or the commission your interest is in."})
    interest = DeclaredInterest(user=user, organisation=organisation, description=description)
    if subject is not None:
        interest.content_type = ContentType.objects.get_for_model(subject)
        interest.object_id = subject.pk
    if declared_on:
        interest.declared_on = declared_on
    interest.full_clean()
    interest.save()
    return interest


@transaction.atomic
def interest_withdraw(*, user, interest, on=None):
    locked = DeclaredInterest.objects.select_for_update().get(pk=interest.pk)
    if not permissions.can_withdraw_interest(user, locked):
        raise NotAllowed("Only the person who declared an interest, or the programme team, may withdraw it.")
    if locked.withdrawn_on:
        return locked
    locked.withdrawn_on = max(on or timezone.localdate(), locked.declared_on)
    locked.full_clean()
    locked.save()
    return locked
