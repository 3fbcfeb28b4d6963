"""The one conflict-of-interest check that every decision in the product uses.

An object that can be decided on (a bid, a commission, a specification) may describe who is
interested in it by defining:

- ``conflict_organisation_ids()``: ids of organisations with a stake (the applicant and supporters
  of a bid, the provider of a commission);
- ``conflict_targets()``: the records an interest may name directly (the object itself and, say, the
  commission a specification belongs to).

A user has a conflict when they belong to one of those organisations, or have an active declared
interest in one of them or in one of the targets.

A decision is checked on the date it is made (the decision date the decider gives) and on the day it
is recorded: an interest in force on either blocks it, whatever order the declaration and the decision
were entered in.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from .models import DeclaredInterest


def _targets(obj):
    targets = getattr(obj, "conflict_targets", None)
    return list(targets()) if callable(targets) else [obj]


def _organisation_ids(obj):
    ids = getattr(obj, "conflict_organisation_ids", None)
    return {i for i in ids() if i} if callable(ids) else set()


def conflict_reason(user, obj, *, on=None):
    """Why ``user`` may not score, approve or decide ``obj`` (on the date ``on``, and today); None when they may."""
    if user is None or not user.is_authenticated:
        return None
    org_ids = _organisation_ids(obj)
    if user.organisation_id and user.organisation_id in org_ids:
        return f"You work for {user.organisation}, which has a stake in this {obj._meta.verbose_name}."
    target_q = Q(pk__in=[])
    for target in _targets(obj):
        if target is None or target.pk is None:
            continue
        ct = ContentType.objects.get_for_model(target)
        target_q |= Q(content_type=ct, object_id=target.pk)
    interest = (
        DeclaredInterest.objects.in_force(*{timezone.localdate(), on or timezone.localdate()})
        .filter(user=user)
        .filter(Q(organisation_id__in=org_ids) | target_q)
        .select_related("organisation")
        .first()
    )
    if interest:
        what = interest.organisation or "this record"
        since = f"from {interest.declared_on:%d %B %Y}"
        if interest.withdrawn_on:
            since += f" to {interest.withdrawn_on:%d %B %Y}"
        return f"You have declared an interest in {what} ({since})."
    return None


def has_conflict(user, obj, *, on=None):
    return conflict_reason(user, obj, on=on) is not None


# --- Confirming, item by item, before scoring or deciding (the VendorPanel/Cotiss practice) ---------------

NO_INTEREST = "no_interest"
DECLARE = "declare"
ANSWER_CHOICES = [
    (NO_INTEREST, "I have no interest in this"),
    (DECLARE, "I have an interest in this: declare it"),
]


def confirm_interest(*, user, obj, step, answer, description=""):
    """Record ``user``'s answer on ``obj`` before ``step`` (InterestConfirmation.Step); say whether they may go on.

    ``answer`` is NO_INTEREST or DECLARE. Declaring records a DeclaredInterest in ``obj`` from today (through
    services.interest_declare, so a decision they took earlier is reopened) and the confirmation naming it; the
    refusal is returned and the declaration blocks this and every later step (conflict_reason). Confirming no
    interest is recorded only when no conflict stands; otherwise the conflict is returned and nothing is written.

    Returns the refusal message, or None when the step may go ahead. Call it inside the step's transaction, so
    a confirmation is kept only with what it confirmed (a declaration is kept whatever happens next)."""
    from .models import InterestConfirmation
    from .services import interest_declare

    ct = ContentType.objects.get_for_model(obj)
    if answer == DECLARE:
        text = (description or "").strip() or f"Declared before the {InterestConfirmation.Step(step).label.lower()}."
        interest = interest_declare(user=user, description=text, subject=obj)
        InterestConfirmation.objects.create(
            user=user,
            content_type=ct,
            object_id=obj.pk,
            step=step,
            answer=InterestConfirmation.Answer.DECLARED,
            interest=interest,
        )
        return (
            f"You declared an interest in {obj}: you may not take part in the "
            f"{InterestConfirmation.Step(step).label.lower()}. Your declaration is recorded."
        )
    if answer != NO_INTEREST:
        return "Confirm that you have no interest in this, or declare the interest you have."
    refusal = conflict_reason(user, obj)
    if refusal:
        return refusal
    InterestConfirmation.objects.create(
        user=user, content_type=ct, object_id=obj.pk, step=step, answer=InterestConfirmation.Answer.NO_INTEREST
    )
    return None


def confirmations_for(obj):
    """The interest confirmations recorded on ``obj``, newest first, with who gave them."""
    from .models import InterestConfirmation

    ct = ContentType.objects.get_for_model(obj)
    return (
        InterestConfirmation.objects.filter(content_type=ct, object_id=obj.pk)
        .select_related("user", "interest")
        .order_by("-confirmed_at", "-pk")
    )
