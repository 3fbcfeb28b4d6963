"""Emails of the growth-bid process. Each message is claimed (a unique ReminderSent row) before it is
sent, so a sweep that runs twice, or a task that is retried, never sends it again."""

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core_groups import roles
from core_groups.models import User

from .models import Bid, FundingRound, ReminderSent, SupportRequest

REMINDER_DAYS = getattr(settings, "GROWTH_BIDS_REMINDER_DAYS", 7)


def claim(kind, key, recipient):
    """True when this call is the one that must send the message; False when it was claimed before."""
    try:
        with transaction.atomic():
            ReminderSent.objects.create(kind=kind, key=key, recipient=recipient)
    except IntegrityError:
        return False
    return True


def send_once(kind, key, recipient, template, context):
    if not recipient or not claim(kind, key, recipient):
        return False
    context = {**context, "site_url": settings.SITE_URL}
    subject = render_to_string(f"growth_bids/email/{template}_subject.txt", context).strip()
    text = render_to_string(f"growth_bids/email/{template}.txt", context)
    html = render_to_string(f"growth_bids/email/{template}.html", context)
    send_mail(subject, text, settings.DEFAULT_FROM_EMAIL, [recipient], html_message=html)
    return True


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


def send_decision_notices(round_id):
    funding_round = FundingRound.objects.get(pk=round_id)
    sent = 0
    bids = (
        funding_round.bids.submitted()
        .select_related("decision", "created_by", "applicant")
        .prefetch_related("support_requests")
    )
    for bid in bids:
        decision = getattr(bid, "decision", None)
        if decision is None:
            continue
        for email in decision_recipients(bid):
            context = {"bid": bid, "decision": decision, "round": funding_round}
            sent += send_once(ReminderSent.Kind.DECISION, f"bid:{bid.pk}", email, "decision", context)
    return sent


def sweep(now=None, days=REMINDER_DAYS):
    """Send every reminder that is due and not yet sent; safe to run as often as you like."""
    now = now or timezone.now()
    horizon = now + dt.timedelta(days=days)
    sent = 0
    closing = FundingRound.objects.filter(status=FundingRound.Status.OPEN, closes_at__gt=now, closes_at__lte=horizon)
    for bid in Bid.objects.filter(funding_round__in=closing, status=Bid.Status.DRAFT).select_related(
        "funding_round", "created_by"
    ):
        context = {"bid": bid, "round": bid.funding_round}
        sent += send_once(
            ReminderSent.Kind.DRAFT_BEFORE_CLOSE, f"bid:{bid.pk}", bid.created_by.email, "draft_reminder", context
        )
    requests = SupportRequest.objects.filter(
        status=SupportRequest.Status.ASKED, bid__funding_round__in=closing
    ).select_related("bid__funding_round", "organisation")
    for request in requests:
        for email in officers_of(request.organisation_id).values_list("email", flat=True):
            context = {"request": request, "bid": request.bid, "round": request.bid.funding_round}
            sent += send_once(
                ReminderSent.Kind.SUPPORT_UNANSWERED, f"support:{request.pk}", email, "support_reminder", context
            )
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
            sent += send_once(
                ReminderSent.Kind.EVALUATION_DUE,
                f"round:{funding_round.pk}",
                user.email,
                "evaluation_reminder",
                context,
            )
    return sent
