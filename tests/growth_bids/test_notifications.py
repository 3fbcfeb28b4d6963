"""Reminders and decision emails: each goes once, however often the sweep runs or a task is retried."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from growth_bids import notifications, services
from growth_bids.models import FundingRound, ReminderSent
from tests.celery_worker import celery_worker, wait_for
from tests.growth_bids.helpers import base_data, close_round, make_round, moderate, submitted_bid  # noqa: F401


@pytest.mark.django_db
def test_officers_with_drafts_are_reminded_once_before_the_close(personas, mailoutbox):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=3))
    services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "Unfinished"})
    assert notifications.sweep() == 1
    assert notifications.sweep() == 0
    assert notifications.sweep() == 0
    assert len(mailoutbox) == 1
    assert "still a draft" in mailoutbox[0].subject
    assert mailoutbox[0].to == [personas.officer.email]


@pytest.mark.django_db
def test_no_reminder_while_the_close_is_far_off(personas, mailoutbox):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=30))
    services.bid_create(funding_round=funding_round, by=personas.officer, data={})
    assert notifications.sweep() == 0 and not mailoutbox


@pytest.mark.django_db
def test_unanswered_supporter_requests_are_reminded_once(personas, mailoutbox):
    funding_round = make_round(closes_at=timezone.now() + dt.timedelta(days=2))
    bid = submitted_bid(funding_round, personas.officer)
    services.support_ask(bid=bid, organisation=personas.other, by=personas.officer)
    notifications.sweep()
    notifications.sweep()
    support = [m for m in mailoutbox if "asks for your support" in m.subject]
    assert len(support) == 1 and support[0].to == [personas.other_officer.email]


@pytest.mark.django_db
def test_evaluators_are_reminded_before_the_evaluation_date(personas, mailoutbox):
    funding_round = make_round()
    submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    FundingRound.objects.filter(pk=funding_round.pk).update(evaluation_by=timezone.localdate() + dt.timedelta(days=2))
    assert notifications.sweep() == 1
    assert notifications.sweep() == 0
    assert "await" in mailoutbox[0].subject and mailoutbox[0].to == [personas.evaluator.email]


@pytest.mark.django_db
def test_a_claimed_reminder_is_never_sent_again():
    assert notifications.claim("decision", "bid:1", "a@example.gov.uk") is True
    assert notifications.claim("decision", "bid:1", "a@example.gov.uk") is False
    assert ReminderSent.objects.count() == 1


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
        bid=bid, by=personas.body, outcome="funded", amount=Decimal("150000"), meeting_date=timezone.localdate()
    )
    # An earlier test's worker may have closed the app's connection pools: start from fresh ones.
    from kombu import pools

    from commissioning.celery import app
    from growth_bids.tasks import send_decision_notices

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None

    with celery_worker() as queue:
        # The task goes to this test's own queue, so a worker of another test run never takes it.
        send_decision_notices.queue = queue
        # Celery caches a task's options at its first call (an earlier, in-process test): forget them.
        send_decision_notices._exec_options = None
        try:
            services.round_publish_decisions(funding_round=funding_round, by=personas.body)
        finally:
            send_decision_notices.queue = None
            send_decision_notices._exec_options = None
        recipients = {personas.officer.email, personas.other_officer.email}
        assert wait_for(
            lambda: recipients <= set(ReminderSent.objects.filter(kind="decision").values_list("recipient", flat=True))
        )
