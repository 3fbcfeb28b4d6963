"""A real SMTP server that fails, then recovers: every recipient is told once (issue 19, "Celery and mail
faults": after the mail server failed once and came back, 7 of 8 decision emails arrived)."""

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from foundation import outbox
from foundation.models import OutboxMessage
from growth_bids import services

from .rounds import DECISION_KEYS, round_ready_to_publish
from .smtp import SmtpSink, free_port

pytestmark = pytest.mark.django_db


def later(seconds):
    return timezone.now() + dt.timedelta(seconds=seconds)


def publish(funding_round, personas, capture):
    with capture(execute=True):  # the commit, then the nudge: with no broker it dispatches in-process
        services.round_publish_decisions(funding_round=funding_round, by=personas.body)


def delivered(sink):
    """Each outbox message delivered how many times (by its stable Message-ID)."""
    return Counter(m["message_id"] for m in sink.messages)


def test_a_mail_server_that_refuses_three_sends_then_recovers_tells_all_eight_once(
    personas, settings, django_capture_on_commit_callbacks
):
    funding_round, expected = round_ready_to_publish(personas)
    with SmtpSink(refuse_first=3) as sink:
        sink.use_in(settings)
        publish(funding_round, personas, django_capture_on_commit_callbacks)
        assert sink.refused == 3 and len(sink.messages) == 5
        waiting = OutboxMessage.objects.filter(status="queued")
        assert waiting.count() == 3 and all("451" in m.last_error for m in waiting)
        # Beat's dispatcher a minute later, once each backoff has passed.
        assert outbox.dispatch(now=later(61)).sent == 3
        assert outbox.dispatch(now=later(10**5)).handled == 0
    assert sorted(sink.per_recipient().items()) == sorted(Counter(email for _bid, email in expected).items())
    assert set(delivered(sink).values()) == {1} and len(delivered(sink)) == 8
    rows = OutboxMessage.objects.filter(key__startswith=DECISION_KEYS)
    assert rows.count() == 8 and set(rows.values_list("status", flat=True)) == {"sent"}
    assert sorted(rows.values_list("attempts", flat=True)) == [1, 1, 1, 1, 1, 2, 2, 2]


def test_with_the_mail_server_stopped_the_emails_wait_and_go_once_it_is_started(
    personas, settings, django_capture_on_commit_callbacks
):
    funding_round, expected = round_ready_to_publish(personas)
    sink = SmtpSink(port=free_port())  # nothing listens on its port yet: connections are refused
    sink.use_in(settings)
    publish(funding_round, personas, django_capture_on_commit_callbacks)
    funding_round.refresh_from_db()
    assert funding_round.status == "decided"
    rows = OutboxMessage.objects.filter(key__startswith=DECISION_KEYS)
    assert rows.count() == 8 and set(rows.values_list("status", flat=True)) == {"queued"}
    assert all("Connection refused" in m.last_error or "ConnectionRefused" in m.last_error for m in rows)
    with sink:
        assert outbox.dispatch(now=later(61)).sent == 8
        assert outbox.dispatch(now=later(10**5)).handled == 0
    assert set(delivered(sink).values()) == {1} and len(delivered(sink)) == 8
    assert set(sink.per_recipient()) == {email for _bid, email in expected}


def test_after_the_last_try_the_message_is_failed_in_admin_and_retry_now_sends_it(
    personas, settings, admin_client, django_capture_on_commit_callbacks
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    sink = SmtpSink()
    sink.use_in(settings)
    with django_capture_on_commit_callbacks(execute=True):
        queued = outbox.enqueue_email(key="tests.admin:1", to="applicant@example.gov.uk", subject="Hi", body="Text")
    assert outbox.dispatch(now=later(61)).failed == 1
    queued.refresh_from_db()
    assert queued.status == "failed" and queued.attempts == 2

    page = admin_client.get("/admin/foundation/outboxmessage/", {"status__exact": "failed"})
    assert page.status_code == 200 and b"applicant@example.gov.uk" in page.content
    assert admin_client.get(f"/admin/foundation/outboxmessage/{queued.pk}/change/").status_code == 200

    with sink, django_capture_on_commit_callbacks(execute=True):
        done = admin_client.post(
            "/admin/foundation/outboxmessage/", {"action": "retry_now", "_selected_action": [queued.pk]}
        )
        assert done.status_code == 302
    queued.refresh_from_db()
    assert queued.status == "sent"
    assert [m["to"] for m in sink.messages] == [("applicant@example.gov.uk",)]
