"""The outbox's rules: dedup, claim, lease, backoff, giving up, retry. Runs on PostgreSQL and on SQLite
(test_outbox_on_both_databases.py runs this module again on the database the suite is not using)."""

import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from foundation import outbox
from foundation.models import OutboxMessage

from . import handlers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh(settings):
    handlers.handled.clear()
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 3600
    settings.OUTBOX_LEASE_SECONDS = 300


def later(seconds):
    return timezone.now() + dt.timedelta(seconds=seconds)


# ---------------------------------------------------------------- dedup


def test_the_same_key_and_recipient_is_queued_once():
    first = outbox.enqueue_email(key="tests.notice:1", to="a@example.gov.uk", subject="Hello", body="Text")
    again = outbox.enqueue_email(key="tests.notice:1", to="a@example.gov.uk", subject="Changed", body="Text")
    other = outbox.enqueue_email(key="tests.notice:1", to="b@example.gov.uk", subject="Hello", body="Text")
    assert first is not None and again is None and other is not None
    assert OutboxMessage.objects.count() == 2
    assert OutboxMessage.objects.get(recipient="a@example.gov.uk").payload["subject"] == "Hello"


def test_a_sent_message_is_never_queued_again(mailoutbox):
    outbox.enqueue_email(key="tests.notice:2", to="a@example.gov.uk", subject="Hello", body="Text")
    assert outbox.dispatch().sent == 1
    assert outbox.enqueue_email(key="tests.notice:2", to="a@example.gov.uk", subject="Hello", body="Text") is None
    assert outbox.dispatch().handled == 0
    assert len(mailoutbox) == 1


def test_enqueue_many_leaves_out_what_exists_and_repeats_within_the_batch():
    handlers.queue("tests.batch:1")
    batch = [outbox.message(kind=handlers.KIND, key=f"tests.batch:{n}") for n in (1, 2, 2, 3)]
    fresh = outbox.enqueue_many(batch)
    assert sorted(m.key for m in fresh) == ["tests.batch:2", "tests.batch:3"]
    assert sorted(OutboxMessage.objects.values_list("key", flat=True)) == [f"tests.batch:{n}" for n in (1, 2, 3)]


def test_a_kind_nobody_handles_is_refused_when_queued():
    with pytest.raises(ImproperlyConfigured, match="No outbox handler"):
        outbox.enqueue(kind="tests.nobody", key="tests.nobody:1")


# ---------------------------------------------------------------- claim and lease


def test_a_claim_is_committed_with_a_lease_and_not_claimed_twice():
    queued = handlers.queue("tests.claim:1")
    claimed = outbox.claim_next()
    assert claimed.pk == queued.pk
    assert claimed.status == "sending" and claimed.attempts == 1 and claimed.claim_token
    assert claimed.next_attempt_at > later(290)  # the lease: 300 s
    assert outbox.claim_next() is None  # another worker finds nothing due
    assert outbox.claim_next(now=later(299)) is None


def test_a_claim_whose_worker_died_is_due_again_after_the_lease():
    queued = handlers.queue("tests.claim:2")
    first = outbox.claim_next()
    # The worker holding the claim is killed; nothing marks the row. After the lease it is due again.
    second = outbox.claim_next(now=later(301))
    assert second.pk == queued.pk and second.attempts == 2 and second.claim_token != first.claim_token
    # The dead worker's claim no longer counts: its late "sent" would change nothing.
    outbox.run(first)
    assert OutboxMessage.objects.get(pk=queued.pk).status == "sending"
    outbox.run(second)
    assert OutboxMessage.objects.get(pk=queued.pk).status == "sent"
    assert handlers.handled == [queued.pk, queued.pk]  # the handler ran for both: only one claim was recorded


def test_rows_are_claimed_oldest_due_first():
    a = handlers.queue("tests.order:a")
    b = handlers.queue("tests.order:b")
    OutboxMessage.objects.filter(pk=a.pk).update(next_attempt_at=later(-10))
    OutboxMessage.objects.filter(pk=b.pk).update(next_attempt_at=later(-20))
    assert [outbox.claim_next().pk, outbox.claim_next().pk] == [b.pk, a.pk]


def test_a_message_not_yet_due_waits():
    outbox.enqueue(kind=handlers.KIND, key="tests.later:1", not_before=later(600))
    assert outbox.dispatch().handled == 0
    assert outbox.dispatch(now=later(601)).sent == 1


# ---------------------------------------------------------------- failure, backoff, giving up


def test_backoff_doubles_up_to_the_cap(settings):
    settings.OUTBOX_RETRY_BASE_SECONDS = 60
    settings.OUTBOX_RETRY_MAX_SECONDS = 600
    assert [outbox.backoff(n).total_seconds() for n in range(1, 7)] == [60, 120, 240, 480, 600, 600]


def test_a_failed_send_is_retried_after_its_backoff_then_marked_failed():
    queued = handlers.queue("tests.fail:1", do="fail")
    result = outbox.dispatch()
    assert result.retrying == 1
    row = OutboxMessage.objects.get(pk=queued.pk)
    assert row.status == "queued" and row.attempts == 1 and "asked to fail" in row.last_error
    assert later(55) < row.next_attempt_at < later(65)
    assert outbox.dispatch(now=later(50)).handled == 0  # still backing off
    assert outbox.dispatch(now=later(61)).retrying == 1
    row.refresh_from_db()
    assert row.attempts == 2 and later(170) < row.next_attempt_at < later(185)  # 120 s after the second
    assert outbox.dispatch(now=later(400)).failed == 1  # the handler allows 3 attempts
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 3 and "RuntimeError: asked to fail" in row.last_error
    assert outbox.dispatch(now=later(10**6)).handled == 0


def test_retry_now_puts_a_failed_message_back_with_fresh_attempts():
    queued = handlers.queue("tests.retry:1", do="fail")
    OutboxMessage.objects.filter(pk=queued.pk).update(status="failed", attempts=3, last_error="gone")
    OutboxMessage.objects.filter(pk=queued.pk).update(payload={})  # the fault is fixed
    assert outbox.retry_now(OutboxMessage.objects.filter(pk=queued.pk)) == 1
    assert outbox.dispatch().sent == 1
    row = OutboxMessage.objects.get(pk=queued.pk)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at and row.last_error == ""


def test_a_row_whose_every_attempt_died_with_its_worker_is_given_up():
    queued = handlers.queue("tests.crash:1")
    for n in range(1, 4):
        claimed = outbox.claim_next(now=later(301 * n))
        assert claimed.attempts == n  # each claim's worker "dies": nothing marks the row
    assert outbox.claim_next(now=later(301 * 5)) is None
    row = OutboxMessage.objects.get(pk=queued.pk)
    assert row.status == "failed" and "stopped during each of 3 attempts" in row.last_error
    assert handlers.handled == []


def test_a_handler_can_skip_a_message_no_longer_wanted():
    queued = handlers.queue("tests.skip:1", do="skip")
    assert outbox.dispatch().skipped == 1
    row = OutboxMessage.objects.get(pk=queued.pk)
    assert (row.status, row.last_error, row.attempts) == ("skipped", "asked to skip", 1)


def test_a_kind_this_worker_does_not_know_is_retried_not_lost():
    row = OutboxMessage.objects.create(kind="tests.from_a_newer_release", key="tests.newer:1")
    assert outbox.dispatch().retrying == 1
    row.refresh_from_db()
    assert row.status == "queued" and "No handler" in row.last_error


def test_the_dispatch_stops_at_its_time_budget():
    handlers.queue("tests.budget:1")
    result = outbox.dispatch(budget_seconds=0)
    assert result.more and result.handled == 0
    assert outbox.dispatch().sent == 1


# ---------------------------------------------------------------- the nudge after commit


def test_one_nudge_per_transaction_however_many_messages(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        for n in range(5):
            handlers.queue(f"tests.nudge:{n}")
        outbox.enqueue_many([outbox.message(kind=handlers.KIND, key="tests.nudge:many")])
    assert len(callbacks) == 1


def test_with_no_broker_the_nudge_dispatches_in_process_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        queued = handlers.queue("tests.inprocess:1")
        assert handlers.handled == []  # nothing before the commit
    assert handlers.handled == [queued.pk]
    assert OutboxMessage.objects.get(pk=queued.pk).status == "sent"


def test_with_the_broker_unreachable_only_the_kinds_asked_for_are_dispatched_here(django_capture_on_commit_callbacks):
    """An import job (foundation/imports.py) is run by the web process when the broker cannot be reached; the
    email queued beside it waits for the broker, as ever, and the delivery says so."""
    from tests.foundation.test_outbox_worker import broker_unreachable

    with broker_unreachable(), outbox.delivery(here_if_unreachable=[handlers.KIND]) as delivery:
        with django_capture_on_commit_callbacks(execute=True):
            queued = handlers.queue("tests.unreachable:1")
            email = outbox.enqueue_email(key="tests.unreachable:1", to="a@example.gov.uk", subject="Hi", body="Text")
    assert handlers.handled == [queued.pk] and delivery.delayed  # the email waits
    assert OutboxMessage.objects.get(pk=queued.pk).status == "sent"
    assert OutboxMessage.objects.get(pk=email.pk).status == "queued"
    with broker_unreachable(), outbox.delivery(here_if_unreachable=[handlers.KIND]) as delivery:
        with django_capture_on_commit_callbacks(execute=True):
            handlers.queue("tests.unreachable:2")
    assert len(handlers.handled) == 2 and not delivery.delayed  # nothing waits


def test_again_makes_a_message_due_now_whatever_became_of_it(django_capture_on_commit_callbacks):
    queued = outbox.message(kind=handlers.KIND, key="tests.again:1")
    queued.save()  # no nudge of its own: the one below is again's
    OutboxMessage.objects.filter(pk=queued.pk).update(status="skipped", attempts=3, next_attempt_at=later(3600))
    with django_capture_on_commit_callbacks(execute=True):
        assert outbox.again(OutboxMessage.objects.filter(pk=queued.pk)) == 1
    assert handlers.handled == [queued.pk]
    assert OutboxMessage.objects.get(pk=queued.pk).status == "sent"


def test_a_rolled_back_change_sends_nothing():
    from django.db import transaction

    with pytest.raises(RuntimeError):
        with transaction.atomic():
            handlers.queue("tests.rollback:1")
            raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()


# ---------------------------------------------------------------- emails


def test_an_email_keeps_a_stable_message_id_and_goes_to_its_one_recipient(mailoutbox):
    queued = outbox.enqueue_email(key="tests.mail:1", to="a@example.gov.uk", subject="S", body="B", html="<p>B</p>")
    outbox.dispatch()
    (sent,) = mailoutbox
    assert sent.to == ["a@example.gov.uk"] and sent.alternatives[0][0] == "<p>B</p>"
    assert sent.extra_headers["Message-ID"].startswith(f"<outbox.{queued.pk}.")


def test_a_worker_that_read_a_row_another_then_claimed_does_not_claim_it():
    """Without row locks (SQLite) two workers may read the same due row; only the first update wins."""
    queued = handlers.queue("tests.race:1")
    moment = timezone.now()
    seen_by_a = outbox._next_due(moment)
    claimed_by_b = outbox.claim_next(now=moment)
    assert claimed_by_b.pk == queued.pk == seen_by_a["pk"]
    assert outbox._try_claim(seen_by_a, moment) is None
    assert OutboxMessage.objects.get(pk=queued.pk).claim_token == claimed_by_b.claim_token
