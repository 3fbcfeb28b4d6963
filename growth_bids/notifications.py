"""Emails of the growth-bid process, queued in the outbox (foundation/outbox.py).

Each message is keyed by what it is about and its recipient (``growth_bids.decision:bid:12`` to
``a@example.gov.uk``): the outbox queues a key once per recipient, so a sweep that runs twice, a
publish retried or a worker killed mid-send never sends it again, and a failed send is retried.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core_groups import roles
from core_groups.models import User
from foundation import outbox

from .models import Bid, FundingRound, SupportRequest

REMINDER_DAYS = getattr(settings, "GROWTH_BIDS_REMINDER_DAYS", 7)

# What each message is about: the first part of its outbox key.
DRAFT_BEFORE_CLOSE = "draft_before_close"
SUPPORT_UNANSWERED = "support_unanswered"
EVALUATION_DUE = "evaluation_due"
DECISION = "decision"


def outbox_key(kind, key):
    return f"growth_bids.{kind}:{key}"


def queue_once(kind, key, recipient, template, context):
    """Queue one email unless this (kind, key) was queued for this recipient before. Returns 1 if queued."""
    queued = outbox.enqueue_email(
        key=outbox_key(kind, key), to=recipient, template=f"growth_bids/email/{template}", context=context
    )
    return 1 if queued else 0


def officers_of(organisation_id):
    return User.objects.filter(organisation_id=organisation_id, is_active=True, groups__name=roles.OFFICER).exclude(
        email=""
    )


def decision_recipients(bid):
    """Each applicant (the bid's author, its contact, the applicant's officers) and each supporter's officers."""
    emails = {bid.created_by.email, bid.contact_email}
    emails |= set(officers_of(bid.applicant_id).values_list("email", flat=True))
    for request in bid.support_requests.all():
        if request.status != SupportRequest.Status.DECLINED:
            emails |= set(officers_of(request.organisation_id).values_list("email", flat=True))
    return sorted(e for e in emails if e)


def queue_decision_notices(funding_round):
    """Queue the decision emails of a round, in the caller's transaction (the one that publishes them), in
    one insert. Returns how many were new (none when they were queued before)."""
    messages = []
    bids = (
        funding_round.bids.submitted()
        .select_related("decision", "created_by", "applicant")
        .prefetch_related("support_requests")
    )
    for bid in bids:
        decision = getattr(bid, "decision", None)
        if decision is None:
            continue
        context = {"bid": bid, "decision": decision, "round": funding_round}
        for email in decision_recipients(bid):
            messages.append(
                outbox.email_message(
                    key=outbox_key(DECISION, f"bid:{bid.pk}"),
                    to=email,
                    template="growth_bids/email/decision",
                    context=context,
                )
            )
    return len(outbox.enqueue_many(messages))


@transaction.atomic
def sweep(now=None, days=REMINDER_DAYS):
    """Queue every reminder that is due and not yet queued; safe to run as often as you like.

    One transaction, so the worker is nudged once for the lot."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days)
    queued = 0
    closing = FundingRound.objects.filter(status=FundingRound.Status.OPEN, closes_at__gt=now, closes_at__lte=horizon)
    for bid in Bid.objects.filter(funding_round__in=closing, status=Bid.Status.DRAFT).select_related(
        "funding_round", "created_by"
    ):
        context = {"bid": bid, "round": bid.funding_round}
        queued += queue_once(DRAFT_BEFORE_CLOSE, f"bid:{bid.pk}", bid.created_by.email, "draft_reminder", context)
    requests = SupportRequest.objects.filter(
        status=SupportRequest.Status.ASKED, bid__funding_round__in=closing
    ).select_related("bid__funding_round", "organisation")
    for request in requests:
        for email in officers_of(request.organisation_id).values_list("email", flat=True):
            context = {"request": request, "bid": request.bid, "round": request.bid.funding_round}
            queued += queue_once(SUPPORT_UNANSWERED, f"support:{request.pk}", email, "support_reminder", context)
    today = timezone.localdate(now)
    evaluating = FundingRound.objects.filter(
        status=FundingRound.Status.CLOSED, evaluation_by__gte=today, evaluation_by__lte=today + dt.timedelta(days=days)
    )
    evaluators = User.objects.filter(is_active=True, groups__name=roles.PROGRAMME_TEAM).exclude(email="").distinct()
    for funding_round in evaluating:
        waiting = funding_round.bids.submitted().exclude(evaluations__moderated=True).count()
        if not waiting:
            continue
        for user in evaluators:
            context = {"round": funding_round, "waiting": waiting, "user": user}
            queued += queue_once(
                EVALUATION_DUE, f"round:{funding_round.pk}", user.email, "evaluation_reminder", context
            )
    return queued
