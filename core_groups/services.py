"""Every write to core groups: keyword-only functions, atomic, validated with full_clean() before save.

Edits of commissions and risks carry the version the editor started from; when someone else saved in
between, foundation.editing.StaleEdit is raised and nothing is written (the second editor is told, never overwritten).
"""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from foundation import editing

from . import permissions
from .editing import refused_changes
from .exceptions import FieldsLocked, NotAllowed
from .models import Allocation, Commission, Decision, DeclaredInterest, Risk, SpendEntry
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


def _changed_fields(obj, fields):
    """The names in ``fields`` whose value differs from ``obj``'s (related objects compared by id)."""
    changed = set()
    for name, value in fields.items():
        current = getattr(obj, name, None)
        if isinstance(current, models.Model) or isinstance(value, models.Model):
            current = getattr(current, "pk", current)
            value = getattr(value, "pk", value)
        if current != value and not (current in (None, "") and value in (None, "")):
            changed.add(name)
    return changed


def _refuse_locked(user, commission, changed, *, new=False):
    """Refuse, field by field, any change the user may not make (core_groups.editing holds the rule)."""
    refused = refused_changes(permissions.commission_locked_fields(user, None if new else commission), changed)
    if refused:
        raise FieldsLocked(refused)


# --- Commissions -------------------------------------------------------------------------------------


@transaction.atomic
def commission_create(*, user, core_group, **fields):
    if not permissions.can_edit_group(user, core_group):
        raise NotAllowed("Only members of this core group or the programme team may add to its work plan.")
    if "annual_value" in fields and not permissions.can_see_money(user):
        fields.pop("annual_value")
    commission = Commission(core_group=core_group)
    _refuse_locked(user, commission, _changed_fields(commission, fields), new=True)
    editing.apply_fields(commission, fields, fields=COMMISSION_FIELDS)
    commission.full_clean()
    commission.save()
    return commission


@transaction.atomic
def commission_update(*, user, commission, expected_version, **fields):
    locked = Commission.objects.select_for_update().get(pk=commission.pk)
    if not permissions.can_edit_commission(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may change its work plan.")
    editing.check_version(locked, expected_version, noun="commission")
    if "annual_value" in fields and not permissions.can_see_money(user):
        fields.pop("annual_value")
    _refuse_locked(user, locked, _changed_fields(locked, fields))
    editing.apply_fields(locked, fields, fields=COMMISSION_FIELDS)
    # A change to what the JCG decided reopens its decision (kept on record as superseded).
    business_case_reopen_if_changed(user=user, commission=locked)
    specification_reopen_if_changed(user=user, commission=locked)
    if locked.route != Commission.Route.SINGLE_TENDER:
        locked.business_case_decision = ""
        locked.business_case_decided_on = None
    return editing.save_version(locked)


@transaction.atomic
def specification_decide(*, user, commission, state, expected_version):
    """Move a specification between draft, with the JCG and approved.

    The core group drafts and sends it to the JCG; only the JCG or the programme team, without a
    conflict of interest, approves it or sends an approved one back.
    """
    S = Commission.SpecificationState
    if state not in S.values:
        raise ValidationError({"specification_state": "Choose draft, with the JCG or approved."})
    locked = Commission.objects.select_for_update().select_related("core_group").get(pk=commission.pk)
    editing.check_version(locked, expected_version, noun="commission")
    deciding = state == S.APPROVED or locked.specification_state == S.APPROVED
    if deciding:
        refusal = permissions.decision_refusal(user, locked)
        if refusal:
            raise ValidationError({"specification_state": refusal})
    elif not permissions.can_submit_specification(user, locked):
        raise NotAllowed("Only the core group or the JCG may move this specification.")
    was_approved = locked.specification_state == S.APPROVED
    decided_version = locked.version
    locked.specification_state = state
    if deciding:
        locked.specification_decided_by = user
        locked.specification_decided_at = timezone.now()
    saved = editing.save_version(locked)
    if state == S.APPROVED and not was_approved:
        # The approval is bound to what it approved: a later change of those fields reopens it.
        record_decision(
            subject=locked,
            kind=Decision.Kind.SPECIFICATION,
            outcome=Decision.Outcome.APPROVED,
            decided_by=user,
            decided_on=timezone.localdate(),
            subject_version=decided_version,
            values=locked.specification_values(),
            deciding_body=locked.core_group.programme.decided_by or "Joint Commissioning Group",
        )
    elif was_approved and state != S.APPROVED:
        decision = locked.specification_decision()
        if decision is not None:
            today = timezone.localdate()
            supersede_decision(
                decision,
                by=user,
                reason=f"{user.display_name} sent the specification back to "
                f"“{S(state).label}” on {today.day} {today:%B %Y}.",
            )
    if deciding:
        from .notifications import tell_specification_decided

        tell_specification_decided(saved, by=user)
    return saved


def supersede_decision(decision, *, by, reason):
    """Keep ``decision`` on record, marked superseded by ``by`` with ``reason``; it no longer applies."""
    decision.superseded_at = timezone.now()
    decision.superseded_by = by if by is not None and by.is_authenticated else None
    decision.superseded_reason = reason
    decision.save()
    return decision


def decision_in_force(subject, kind):
    """The decision of ``kind`` in force on ``subject`` (superseded ones are history), or None."""
    return Decision.objects.for_subject(subject).current().filter(kind=kind).select_related("decided_by").first()


def decided_change_refusal(decision, changed, *, remedy=""):
    """Why a change to the decided fields ``changed`` is refused: what was decided, by whom and when."""
    from .decisions import describe_changes

    what = describe_changes(changed) or "decided fields"
    text = (
        f"The {what} cannot be changed: {decision.get_kind_display().lower()} "
        f"({decision.get_outcome_display().lower()}) decided by {decision.decider_label} on "
        f"{decision.decided_on.day} {decision.decided_on:%B %Y}, bound to version {decision.subject_version}."
    )
    return f"{text} {remedy}".strip()


def specification_reopen_if_changed(*, user, commission):
    """Reopen the specification's approval when a field it approved (unsaved changes included) no longer matches.

    The approval stays on record, superseded with the reason; the specification goes back to the JCG ("With the
    JCG", awaiting a new decision) and the deciders are told. Returns the superseded decision, or None. The caller
    saves ``commission`` in the same transaction."""
    from .decisions import changed_fields, describe_changes, digest

    decision = commission.specification_decision()
    if decision is None or decision.digest == digest(commission.specification_values()):
        return None
    changed = changed_fields(decision.decided_values, commission.specification_values())
    who = user.display_name if user is not None and user.is_authenticated else "Someone"
    today = timezone.localdate()
    supersede_decision(
        decision,
        by=user,
        reason=f"{who} changed the {describe_changes(changed) or 'approved fields'} on {today.day} {today:%B %Y}; "
        "the specification awaits a new decision.",
    )
    commission.specification_state = Commission.SpecificationState.WITH_JCG
    commission.specification_decided_by = None
    commission.specification_decided_at = None
    _tell_deciders_of_reopening(commission, decision, what="specification")
    return decision


@transaction.atomic
def business_case_decide(
    *, user, commission, decision, decided_on, expected_version, meeting="", minute="", conditions=""
):
    """The JCG's decision on a single-tender business case, with its date, bound to what it decided.

    A Decision is recorded with the version and digest of the business case's decided fields; a decision
    already in force is kept, marked superseded by this one."""
    locked = Commission.objects.select_for_update().select_related("core_group").get(pk=commission.pk)
    editing.check_version(locked, expected_version, noun="commission")
    # An interest in force on the decision date blocks it, as does one in force today (core_groups.conflicts).
    refusal = permissions.decision_refusal(user, locked, on=decided_on)
    if refusal:
        raise ValidationError({"business_case_decision": refusal})
    if locked.route != Commission.Route.SINGLE_TENDER:
        raise ValidationError({"business_case_decision": "Only a single tender has a business case to decide."})
    if not locked.business_case.strip():
        raise ValidationError({"business_case_decision": "There is no business case to decide yet."})
    if decision not in Decision.Outcome.values:
        raise ValidationError({"business_case_decision": "Choose approved or rejected."})
    if decided_on and decided_on > timezone.localdate():
        raise ValidationError({"business_case_decided_on": "A decision cannot be dated in the future."})
    decided_version = locked.version
    locked.business_case_decision = decision
    locked.business_case_decided_on = decided_on
    editing.save_version(locked)
    record = record_decision(
        subject=locked,
        kind=Decision.Kind.BUSINESS_CASE,
        outcome=decision,
        decided_by=user,
        decided_on=decided_on,
        subject_version=decided_version,
        values=locked.business_case_values(),
        deciding_body=locked.core_group.programme.decided_by or "Joint Commissioning Group",
        meeting=meeting,
        minute=minute,
        conditions=conditions,
    )
    from .notifications import tell_business_case_decided

    tell_business_case_decided(locked, record, by=user)
    return locked


def record_decision(*, subject, kind, outcome, decided_by, decided_on, subject_version, values, **details):
    """Write one Decision bound to ``values`` (the decided fields), superseding the one in force, if any.

    No permission check here: callers (the decision services, the demo, a data migration) have made it."""
    from .decisions import digest

    previous = Decision.objects.select_for_update().for_subject(subject).current().filter(kind=kind).first()
    if previous is not None:
        previous.superseded_at = timezone.now()
        previous.superseded_by = decided_by
        previous.superseded_reason = "Replaced by a new decision."
        previous.save()
    record = Decision(
        kind=kind,
        content_type=ContentType.objects.get_for_model(subject),
        object_id=subject.pk,
        outcome=outcome,
        decided_by=decided_by,
        decided_on=decided_on,
        subject_version=subject_version,
        decided_values=values,
        digest=digest(values),
        **details,
    )
    record.full_clean()
    record.save()
    return record


def business_case_reopen_if_changed(*, user, commission):
    """Reopen the business case's decision when a decided field of ``commission`` (unsaved changes included)
    no longer matches what was decided. The decision stays on record, superseded; the commission goes back
    to awaiting a decision; the decider and the Body are told. Returns the superseded decision, or None.

    The caller saves ``commission`` in the same transaction."""
    from .decisions import changed_fields, describe_changes

    decision, applies = commission.business_case_standing()
    if decision is None or applies:
        return None
    changed = changed_fields(decision.decided_values, commission.business_case_values())
    who = user.display_name if user is not None and user.is_authenticated else "Someone"
    today = timezone.localdate()
    decision.superseded_at = timezone.now()
    decision.superseded_by = user if user is not None and user.is_authenticated else None
    decision.superseded_reason = (
        f"{who} changed the {describe_changes(changed) or 'decided fields'} on {today.day} {today:%B %Y}; "
        "the business case awaits a new decision."
    )
    decision.save()
    commission.business_case_decision = ""
    commission.business_case_decided_on = None
    commission.reopened_decision = decision
    _tell_deciders_of_reopening(commission, decision)
    return decision


def _tell_deciders_of_reopening(commission, decision, what="business case"):
    from foundation import outbox

    from . import roles, tenancy

    # The Commissioning Body of the commission's own partnership, and whoever decided.
    body = tenancy.role_holders(commission.core_group.partnership_id, roles.COMMISSIONING_BODY)
    people = set(body.values_list("email", flat=True))
    if decision.decided_by_id and decision.decided_by.email:
        people.add(decision.decided_by.email)
    subject = f"Decision reopened: {what} for {commission}"
    body = (
        f"The {decision.get_outcome_display().lower()} decision on the {what} for {commission} "
        f"({decision.decider_label}, {decision.decided_on:%d %B %Y}) no longer applies.\n\n"
        f"{decision.superseded_reason}\n\nThe item is back in the queue awaiting a decision."
    )
    for email in sorted(e for e in people if e):
        outbox.enqueue_email(key=f"core_groups.decision_reopened:{decision.pk}", to=email, subject=subject, body=body)


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
def allocation_update(*, user, allocation, expected_version, **fields):
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    editing.check_version(locked, expected_version, noun="allocation")
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
            fields[name] = _amount(value, name)
    return editing.save_version(locked, fields, fields=ALLOCATION_FIELDS)


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
ALLOCATION_FIELDS = {"amount", "forecast_outturn", "decided_on", "notes"}


@transaction.atomic
def spend_update(*, user, entry, expected_version, **fields):
    """Correct a spend entry. Carries the version the editor started from, like commissions and risks."""
    locked = SpendEntry.objects.select_for_update().select_related("core_group").get(pk=entry.pk)
    if not permissions.can_edit_spend(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may change its spend.")
    editing.check_version(locked, expected_version, noun="spend entry")
    if "amount" in fields:
        fields["amount"] = _amount(fields["amount"], "amount")
        if fields["amount"] <= 0:
            raise ValidationError({"amount": "Spend must be more than £0."})
    return editing.save_version(locked, fields, fields=SPEND_FIELDS)


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
    editing.apply_fields(risk, fields, fields=RISK_FIELDS)
    risk.created_by = user
    risk.full_clean()
    risk.save()
    return risk


@transaction.atomic
def risk_update(*, user, risk, expected_version, **fields):
    locked = Risk.objects.select_for_update().get(pk=risk.pk)
    if not permissions.can_edit_risk(user, locked):
        raise NotAllowed("Only members of this core group or the programme team may change this risk.")
    editing.check_version(locked, expected_version, noun="risk")
    return editing.save_version(locked, fields, fields=RISK_FIELDS)


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
def interest_declare(
    *, user, description, organisation=None, subject=None, declared_on=None, ends_on=None, partnership=None
):
    """Declare an interest from the date it takes effect (today or earlier, never later) until ``ends_on``.

    A future start date is refused: an interest declared "from 2027" would let its holder decide today,
    and the declaration exists because the interest is known now.
    """
    if organisation is None and subject is None:
        raise ValidationError({"organisation": "Name the organisation or the commission your interest is in."})
    today = timezone.localdate()
    if declared_on and declared_on > today:
        raise ValidationError(
            {
                "declared_on": f"An interest cannot take effect in the future ({declared_on:%d %B %Y}): you know of "
                f"it now, so declare it from today ({today:%d %B %Y}) or from the date it began."
            }
        )
    interest = DeclaredInterest(user=user, organisation=organisation, description=description, partnership=partnership)
    if subject is not None:
        interest.content_type = ContentType.objects.get_for_model(subject)
        interest.object_id = subject.pk
    if declared_on:
        interest.declared_on = declared_on
    if ends_on:
        interest.withdrawn_on = ends_on
    interest.full_clean()
    interest.save()
    decisions_reopen_for_interest(interest=interest)
    return interest


def decisions_reopen_for_interest(*, interest):
    """Whatever order things were entered in: a decision this person took on a date the interest covers does
    not stand. Each such business-case decision in force is superseded (kept on record, with the reason), its
    commission goes back to awaiting a decision and the deciders are told. Returns the superseded decisions."""
    from .conflicts import conflict_reason

    candidates = Decision.objects.current().filter(
        kind=Decision.Kind.BUSINESS_CASE,
        decided_by=interest.user,
        content_type=ContentType.objects.get_for_model(Commission),
        decided_on__gte=interest.declared_on,
    )
    if interest.withdrawn_on:
        candidates = candidates.filter(decided_on__lt=interest.withdrawn_on)
    reopened = []
    for decision in candidates.select_for_update():
        commission = Commission.objects.select_for_update().filter(pk=decision.object_id).first()
        if commission is None or not conflict_reason(interest.user, commission, on=decision.decided_on):
            continue
        decision.superseded_at = timezone.now()
        decision.superseded_by = interest.user
        decision.superseded_reason = (
            f"{interest.user.display_name} declared an interest in force on the decision date "
            f"({decision.decided_on.day} {decision.decided_on:%B %Y}); the business case awaits a new decision."
        )
        decision.save()
        commission.business_case_decision = ""
        commission.business_case_decided_on = None
        editing.save_version(commission, clean=False)
        _tell_deciders_of_reopening(commission, decision)
        reopened.append(decision)
    return reopened


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
