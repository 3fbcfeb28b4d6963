"""Emails and notifications of the growth-bid process, queued in the outbox (foundation/outbox.py).

The events people are told of (bid submitted, support requested and answered, decisions published, reserve
promoted, round opened) go through foundation.notifications.notify: an in-app notification per person and one
email per event and person, as each chose. The reminders below are queued straight in the outbox.

Each message is keyed by what it is about and its recipient (``growth_bids.decision:bid:12`` to
``a@example.gov.uk``): the outbox queues a key once per recipient, so a sweep that runs twice, a
publish retried or a worker killed mid-send never sends it again, and a failed send is retried.
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core_groups import roles, tenancy
from core_groups.models import Organisation
from foundation import notifications, outbox

from . import filed_copy
from .models import Bid, FundingRound, NoticeOfIntent, SupportRequest

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


# ---------------------------------------------------------------- events (foundation.notifications)

BID_SUBMITTED = notifications.register(
    "growth_bids.bid_submitted",
    "A bid of your organisation was submitted",
    template="growth_bids/email/bid_submitted",
    order=20,
    fields=("bid", "round"),
)
SUPPORT_REQUESTED = notifications.register(
    "growth_bids.support_requested",
    "Your organisation is asked to support a bid",
    template="growth_bids/email/support_requested",
    order=21,
    fields=("request", "bid", "round"),
)
SUPPORT_ANSWERED = notifications.register(
    "growth_bids.support_answered",
    "A partner answered a request to support your bid",
    template="growth_bids/email/support_answered",
    order=22,
    fields=("request", "bid", "round"),
)
DECISION_PUBLISHED = notifications.register(
    "growth_bids.decision",
    "The Commissioning Body's decision on a bid you made or support",
    template="growth_bids/email/decision",
    mandatory=True,
    order=10,
    fields=("bid", "decision", "round"),
)
RESERVE_PROMOTED = notifications.register(
    "growth_bids.reserve_promoted",
    "A reserve bid you made or support is now funded",
    template="growth_bids/email/reserve_promoted",
    mandatory=True,
    order=11,
    fields=("bid", "decision", "round"),
)
ROUND_OPENED = notifications.register(
    "growth_bids.round_opened",
    "A funding round opened for bids",
    template="growth_bids/email/round_opened",
    order=30,
    fields=("round", "criteria"),
)
NOTICE_RECEIVED = notifications.register(
    "growth_bids.notice_received",
    "A partner gave notice of a bid it intends to make",
    template="growth_bids/email/notice_received",
    order=31,
    fields=("notice", "round"),
)
FELL_THROUGH = notifications.register(
    "growth_bids.fell_through",
    "A funded bid you made or support fell through",
    template="growth_bids/email/fell_through",
    mandatory=True,
    order=12,
    fields=("bid", "decision", "round", "promoted"),
)


CLOSE_MOVED = notifications.register(
    "growth_bids.close_moved",
    "The close of a round you are bidding in moved",
    template="growth_bids/email/close_moved",
    order=32,
    fields=("round", "move"),
)
EVALUATION_COMPLETE = notifications.register(
    "growth_bids.evaluation_complete",
    "A round's evaluation is complete and awaits the Body's decisions",
    template="growth_bids/email/evaluation_complete",
    order=33,
    fields=("round", "bids"),
)


def team_users(partnership_id):
    """The programme team of the partnership (every programme team member, for an object of no partnership)."""
    return tenancy.role_holders(partnership_id, roles.PROGRAMME_TEAM)


def officer_users(organisation_ids, partnership_id=None):
    """The active officers of these organisations (with or without an email address: the app tells them all)
    who hold the officer role in the partnership (any officer, for an object of no partnership)."""
    return tenancy.role_holders(partnership_id, roles.OFFICER).filter(organisation_id__in=list(organisation_ids))


def partnership_of(funding_round):
    return funding_round.programme.partnership_id


def applicants(bid):
    """Who made the bid: its author and the applicant's officers."""
    return [bid.created_by, *officer_users([bid.applicant_id], partnership_of(bid.funding_round))]


def supporters(bid):
    """The officers of each partner that supports the bid (or was asked and has not declined)."""
    return officer_users(supporter_ids(bid), partnership_of(bid.funding_round))


def supporter_ids(bid):
    return [r.organisation_id for r in bid.support_requests.all() if r.status != SupportRequest.Status.DECLINED]


def bid_link(bid):
    return reverse("growth_bids:bid_detail", args=[bid.pk])


def tell_bid_submitted(bid, revision=None):
    """A receipt to the applicant: its officers and the bid's author, with a PDF of the bid as filed (the
    revision kept at submission; rendered by the worker when the email is sent)."""
    bid = Bid.objects.select_related("funding_round__programme", "applicant", "created_by").get(pk=bid.pk)
    revision = revision or filed_copy.latest_revision(bid)
    return notifications.notify(
        BID_SUBMITTED,
        bid,
        applicants(bid),
        {"bid": bid, "round": bid.funding_round},
        bid_link(bid),
        reason=f"you made this bid or are an officer of {bid.applicant}",
        partnership=partnership_of(bid.funding_round),
        key=f"growth_bids.bid:{bid.pk}:submitted:{bid.submitted_at:%Y%m%d%H%M%S}",
        attachments=[filed_copy.attachment(revision)] if revision is not None else [],
    )


def tell_support_requested(request):
    request = SupportRequest.objects.select_related(
        "bid__funding_round__programme", "bid__applicant", "organisation"
    ).get(pk=request.pk)
    bid = request.bid
    return notifications.notify(
        SUPPORT_REQUESTED,
        request,
        officer_users([request.organisation_id], partnership_of(bid.funding_round)),
        {"request": request, "bid": bid, "round": bid.funding_round},
        # The bid's page, at the request's answer form (the answer itself is a POST).
        f"{bid_link(bid)}#support-h",
        reason=f"you are an officer of {request.organisation}, which {bid.applicant} asked for support",
        partnership=partnership_of(bid.funding_round),
    )


def tell_support_answered(request):
    request = SupportRequest.objects.select_related(
        "bid__funding_round__programme", "bid__applicant", "bid__created_by", "organisation"
    ).get(pk=request.pk)
    bid = request.bid
    return notifications.notify(
        SUPPORT_ANSWERED,
        request,
        applicants(bid),
        {"request": request, "bid": bid, "round": bid.funding_round},
        bid_link(bid),
        reason=f"you made this bid or are an officer of {bid.applicant}",
        partnership=partnership_of(bid.funding_round),
        key=f"growth_bids.supportrequest:{request.pk}:answered",
    )


def decision_recipients(bid):
    """Each applicant (the bid's author, its contact, the applicant's officers) and each supporter's officers."""
    return [*applicants(bid), bid.contact_email, *supporters(bid)]


def queue_decision_notices(funding_round):
    """Tell everyone of the decisions of a round, in the caller's transaction (the one that publishes them).
    Returns how many emails were new (none when they were queued before)."""
    bids = (
        funding_round.bids.submitted()
        .select_related("decision", "created_by", "applicant", "funding_round__programme")
        .prefetch_related("support_requests")
    )
    queued = 0
    for bid in bids:
        decision = getattr(bid, "decision", None)
        if decision is None:
            continue
        context = {"bid": bid, "decision": decision, "round": funding_round}
        queued += notifications.notify(
            DECISION_PUBLISHED,
            bid,
            decision_recipients(bid),
            context,
            bid_link(bid),
            reason="you made this bid, are named as its contact, or your organisation applied for or supports it",
            partnership=partnership_of(funding_round),
            key=f"growth_bids.bid:{bid.pk}:decision",
        ).emailed
    return queued


def tell_reserve_promoted(decision):
    bid = Bid.objects.select_related("funding_round__programme", "created_by", "applicant").get(pk=decision.bid_id)
    return notifications.notify(
        RESERVE_PROMOTED,
        bid,
        decision_recipients(bid),
        {"bid": bid, "decision": decision, "round": bid.funding_round},
        bid_link(bid),
        reason="you made this bid, are named as its contact, or your organisation applied for or supports it",
        partnership=partnership_of(bid.funding_round),
        key=f"growth_bids.bid:{bid.pk}:promoted",
    )


def tell_notice_received(notice):
    """The programme team hears of each notice of intent: it plans the evaluation from them."""
    notice = NoticeOfIntent.objects.select_related("funding_round__programme", "organisation").get(pk=notice.pk)
    funding_round = notice.funding_round
    return notifications.notify(
        NOTICE_RECEIVED,
        notice,
        team_users(partnership_of(funding_round)),
        {"notice": notice, "round": funding_round},
        reverse("growth_bids:round_detail", args=[funding_round.pk]),
        reason=f"you are in the programme team of {funding_round}",
        partnership=partnership_of(funding_round),
    )


def tell_fell_through(decision, promoted=None):
    """A funded bid did not come off: its applicant and supporters are told (and whether the reserve moved up)."""
    bid = Bid.objects.select_related("funding_round__programme", "created_by", "applicant").get(pk=decision.bid_id)
    return notifications.notify(
        FELL_THROUGH,
        bid,
        decision_recipients(bid),
        {"bid": bid, "decision": decision, "round": bid.funding_round, "promoted": promoted},
        bid_link(bid),
        reason="you made this bid, are named as its contact, or your organisation applied for or supports it",
        partnership=partnership_of(bid.funding_round),
        key=f"growth_bids.bid:{bid.pk}:fell-through",
    )


def round_invitees(funding_round):
    """The officers of every commissioning partner of the round's partnership (its organisations that may bid)."""
    partnership_id = partnership_of(funding_round)
    partners = Organisation.objects.filter(is_commissioning_partner=True).exclude(kind=Organisation.Kind.PROVIDER)
    if partnership_id is not None:
        partners = partners.filter(partnerships=partnership_id)
    return officer_users(partners.values_list("pk", flat=True), partnership_id)


def tell_round_opened(funding_round, recipients=None):
    """Invite the partners to bid. ``recipients`` (users) default to every commissioning partner's officers."""
    funding_round = FundingRound.objects.select_related("programme").get(pk=funding_round.pk)
    return notifications.notify(
        ROUND_OPENED,
        funding_round,
        round_invitees(funding_round) if recipients is None else recipients,
        {"round": funding_round, "criteria": list(funding_round.criteria.all())},
        reverse("growth_bids:round_detail", args=[funding_round.pk]),
        reason="you are an officer of a commissioning partner, invited to bid",
        partnership=partnership_of(funding_round),
    )


def close_moved_recipients(funding_round):
    """Everyone writing in the round: the authors and contacts of its drafts and notices of intent, and the
    officers (in the round's partnership) of the organisations bidding, giving notice or asked for support."""
    bids = list(funding_round.bids.filter(status=Bid.Status.DRAFT).select_related("created_by"))
    notices = list(funding_round.notices.select_related("created_by"))
    people = [b.created_by for b in bids] + [n.created_by for n in notices if n.created_by_id]
    addresses = [b.contact_email for b in bids] + [n.contact_email for n in notices]
    org_ids = {b.applicant_id for b in bids} | {n.organisation_id for n in notices}
    org_ids |= set(
        SupportRequest.objects.filter(bid__funding_round=funding_round).values_list("organisation_id", flat=True)
    )
    people += list(officer_users(org_ids, partnership_of(funding_round)))
    return [*people, *addresses]


def tell_close_moved(move):
    """The programme team moved an open round's close later: everyone writing in it is told, with the reason."""
    funding_round = FundingRound.objects.select_related("programme").get(pk=move.funding_round_id)
    return notifications.notify(
        CLOSE_MOVED,
        funding_round,
        close_moved_recipients(funding_round),
        {"round": funding_round, "move": move},
        reverse("growth_bids:round_detail", args=[funding_round.pk]),
        reason="you are writing a bid or gave notice of one in this round, or your organisation was asked for support",
        partnership=partnership_of(funding_round),
        key=f"growth_bids.fundinground:{funding_round.pk}:close-moved:{move.pk}",
    )


def tell_evaluation_complete(funding_round):
    """Every submitted bid has a moderated evaluation: the Commissioning Body of the round's partnership decides."""
    funding_round = FundingRound.objects.select_related("programme").get(pk=funding_round.pk)
    partnership_id = partnership_of(funding_round)
    return notifications.notify(
        EVALUATION_COMPLETE,
        funding_round,
        tenancy.role_holders(partnership_id, roles.COMMISSIONING_BODY),
        {"round": funding_round, "bids": funding_round.bids.submitted().count()},
        reverse("growth_bids:body_list", args=[funding_round.pk]),
        reason=f"you sit on the Commissioning Body of {funding_round.programme}",
        partnership=partnership_id,
        key=f"growth_bids.fundinground:{funding_round.pk}:evaluated",
    )


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
    ).select_related("bid__funding_round__programme", "organisation")
    for request in requests:
        officers = officer_users([request.organisation_id], partnership_of(request.bid.funding_round))
        for email in officers.exclude(email="").values_list("email", flat=True):
            context = {"request": request, "bid": request.bid, "round": request.bid.funding_round}
            queued += queue_once(SUPPORT_UNANSWERED, f"support:{request.pk}", email, "support_reminder", context)
    today = timezone.localdate(now)
    evaluating = FundingRound.objects.filter(
        status=FundingRound.Status.CLOSED, evaluation_by__gte=today, evaluation_by__lte=today + dt.timedelta(days=days)
    )
    for funding_round in evaluating.select_related("programme"):
        waiting = funding_round.bids.submitted().exclude(evaluations__moderated=True).count()
        if not waiting:
            continue
        # The programme team of the round's own partnership, nobody else's.
        for user in team_users(partnership_of(funding_round)).exclude(email=""):
            context = {"round": funding_round, "waiting": waiting, "user": user}
            queued += queue_once(
                EVALUATION_DUE, f"round:{funding_round.pk}", user.email, "evaluation_reminder", context
            )
    return queued
