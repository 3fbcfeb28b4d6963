"""Reminders and decision emails: each goes once, however often the sweep runs or a task is retried.

They go through the outbox (foundation/outbox.py): a sweep queues them, the nudge after commit sends them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from foundation import outbox
from foundation.models import OutboxMessage
from growth_bids import notifications, services
from growth_bids.models import FundingRound
from tests.celery_worker import celery_worker, wait_for
from tests.growth_bids.helpers import base_data, close_round, make_round, moderate, submitted_bid  # noqa: F401


@pytest.mark.django_db
def test_officers_with_drafts_are_reminded_once_before_the_close(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=3))
    services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "Unfinished"})
    for expected in (1, 0, 0):
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications.sweep() == expected
    # The round's invitations were queued outside the captured commits (this test's transaction never commits).
    outbox.dispatch()
    reminders = [m for m in mailoutbox if "still a draft" in m.subject]
    assert len(reminders) == 1
    assert reminders[0].to == [personas.officer.email]


@pytest.mark.django_db
def test_no_reminder_while_the_close_is_far_off(personas, mailoutbox):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=30))
    services.bid_create(funding_round=funding_round, by=personas.officer, data={})
    assert notifications.sweep() == 0 and not mailoutbox


@pytest.mark.django_db
def test_unanswered_supporter_requests_are_reminded_once(personas, mailoutbox, django_capture_on_commit_callbacks):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=2))
    bid = submitted_bid(funding_round, personas.officer)
    services.support_ask(bid=bid, organisation=personas.other, by=personas.officer)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            notifications.sweep()
    outbox.dispatch()
    support = [m for m in mailoutbox if "asks for your support" in m.subject]
    assert len(support) == 1 and support[0].to == [personas.other_officer.email]


@pytest.mark.django_db
def test_evaluators_are_reminded_before_the_evaluation_date(personas, mailoutbox, django_capture_on_commit_callbacks):
    funding_round = make_round()
    submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    FundingRound.objects.filter(pk=funding_round.pk).update(evaluation_by=timezone.localdate() + dt.timedelta(days=2))
    for expected in (1, 0):
        with django_capture_on_commit_callbacks(execute=True):
            assert notifications.sweep() == expected
    outbox.dispatch()
    waiting = [m for m in mailoutbox if "await" in m.subject]
    assert len(waiting) == 1 and waiting[0].to == [personas.evaluator.email]


@pytest.mark.django_db
def test_another_partnerships_programme_team_is_not_reminded(personas, mailoutbox, django_capture_on_commit_callbacks):
    from core_groups import roles
    from tests.factories import PartnershipFactory, UserFactory

    elsewhere = UserFactory(
        username="elsewhere_team", roles=[roles.PROGRAMME_TEAM], partnership=PartnershipFactory(short_name="elsewhere")
    )
    funding_round = make_round()
    submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    FundingRound.objects.filter(pk=funding_round.pk).update(evaluation_by=timezone.localdate() + dt.timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        notifications.sweep()
    outbox.dispatch()
    told = {address for m in mailoutbox if "await" in m.subject for address in m.to}
    assert personas.evaluator.email in told and elsewhere.email not in told


@pytest.mark.django_db
def test_a_queued_reminder_is_never_queued_again(personas):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=3))
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "Once"})
    context = {"bid": bid, "round": funding_round}
    args = ("draft_before_close", f"bid:{bid.pk}", "a@example.gov.uk", "draft_reminder", context)
    assert notifications.queue_once(*args) == 1
    assert notifications.queue_once(*args) == 0
    message = OutboxMessage.objects.get(key__startswith="growth_bids.")
    assert (message.key, message.recipient, message.status) == (
        f"growth_bids.draft_before_close:bid:{bid.pk}",
        "a@example.gov.uk",
        "queued",
    )


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("base_data")
def test_publishing_decisions_enqueues_emails_for_a_real_worker(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer, supporters=[(personas.other, personas.other_officer)])
    close_round(funding_round)
    moderate(bid, personas.evaluator)
    services.round_mark_evaluated(funding_round=funding_round)
    services.decision_record(
        reason="As minuted by the Body.",
        bid=bid,
        by=personas.body,
        outcome="funded",
        amount=Decimal("150000"),
        meeting_date=timezone.localdate(),
    )
    # An earlier test's worker may have closed the app's connection pools: start from fresh ones.
    from kombu import pools

    from commissioning.celery import app

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None

    # The nudge after commit goes to this test's own queue, so a worker of another test run never takes it.
    with celery_worker():
        services.round_publish_decisions(funding_round=funding_round, by=personas.body)
        recipients = {personas.officer.email, personas.other_officer.email}
        key = f"notifications.growth_bids.decision:growth_bids.bid:{bid.pk}:decision:"
        sent = OutboxMessage.objects.filter(key__startswith=key, status="sent")
        assert wait_for(lambda: recipients <= set(sent.values_list("recipient", flat=True)))
