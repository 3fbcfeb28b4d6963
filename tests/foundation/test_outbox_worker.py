"""The outbox with a real Celery worker, Redis and a real SMTP server: a worker killed (SIGKILL) mid-send and
restarted, and a broker that is unreachable and then back. Every recipient gets exactly one email.

The worker runs with short time limits (so the lease of a claim its death abandoned lapses in seconds);
"beat" is played by sending the dispatcher's task every second, as beat does every minute.
"""

import copy
import datetime as dt
import os
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import timezone

from commissioning.models import Rendering
from foundation import notifications
from foundation.models import Delivery, Notification, OutboxMessage
from foundation.tasks import dispatch_outbox, send_notification_digest
from growth_bids import services as bid_services
from procurement.models import Reminder, Task
from procurement.tasks import sweep_reminders
from tests.celery_worker import running_worker, wait_for
from tests.commissioning.report_factories import highlight_report
from tests.factories import UserFactory
from tests.growth_bids.helpers import base_data  # noqa: F401 - a fixture
from tests.procurement.conftest import make_project
from tests.services import require_redis

from .redis_server import RedisServer
from .rounds import DECISION_KEYS, round_ready_to_publish
from .smtp import SmtpSink, free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis]

TIME_LIMIT = 8  # seconds; the outbox's lease is the time limit, so a dead worker's claim lapses after this


def worker_env(sink, settings):
    return {
        "EMAIL_URL": sink.url,
        "CELERY_TASK_TIME_LIMIT": str(TIME_LIMIT),
        "CELERY_TASK_SOFT_TIME_LIMIT": str(TIME_LIMIT - 2),
        "OUTBOX_RETRY_BASE_SECONDS": "1",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }


def beat_until(done, timeout=90):
    """Send the dispatcher's task every second (beat does it every minute) until ``done()``."""

    def tick():
        if done():
            return True
        dispatch_outbox.apply_async()
        return False

    return wait_for(tick, timeout=timeout, interval=1)


def _counts(sink):
    """How many times the mail server accepted each outbox message (by its stable Message-ID)."""
    return Counter(m["message_id"] for m in sink.messages)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("base_data")
def test_a_worker_killed_mid_send_of_the_decision_emails_is_restarted_and_each_goes_once(personas, settings):
    funding_round, expected = round_ready_to_publish(personas)
    decisions = OutboxMessage.objects.filter(key__startswith=DECISION_KEYS)
    with SmtpSink(hold_at=3) as sink, running_worker(env=worker_env(sink, settings)) as worker:
        bid_services.round_publish_decisions(funding_round=funding_round, by=personas.body)
        assert sink.holding.wait(60), "the worker never reached the third email"
        worker.kill()  # kill -9 while the mail server has the third email half-way
        sink.release.set()
        assert len(sink.messages) == 2
        assert decisions.filter(status="sending").count() == 1  # the dead worker's claim, until its lease lapses
        worker.start()
        assert beat_until(lambda: decisions.filter(status="sent").count() == 8)
    assert set(_counts(sink).values()) == {1} and len(sink.messages) == 8
    assert sorted(sink.per_recipient().elements()) == sorted(email for _bid, email in expected)
    assert sorted(decisions.values_list("attempts", flat=True)) == [1] * 7 + [2]


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_reminder_sweep_is_restarted_and_each_reminder_goes_once(settings):
    from core_groups.models import Organisation
    from procurement.services import templates_install

    templates_install()  # shipped by a data migration, which a transactional test's flush removes
    leeds_org = Organisation.objects.create(name="Leeds City Council", kind="unitary", is_commissioning_partner=True)
    today = timezone.localdate()
    manager = UserFactory(username="pm")
    project = make_project(leeds_org, project_manager=manager, start=today + dt.timedelta(days=30))
    tasks = project.timetables.get().tasks
    tasks.exclude(number__in=[33, 34, 35, 36]).update(status=Task.Status.DONE, done_on=today)
    people = {}
    for offset, number in enumerate([33, 34, 35, 36], start=2):
        people[number] = UserFactory(username=f"responsible{number}")
        due = today + dt.timedelta(days=offset)
        tasks.filter(number=number).update(starts_on=None, due=due, responsible_user=people[number])
    reminders = OutboxMessage.objects.filter(kind="procurement.reminder")
    with SmtpSink(hold_at=2) as sink, running_worker(env=worker_env(sink, settings)) as worker:
        sweep_reminders.apply_async()  # beat's daily sweep
        assert sink.holding.wait(60), "the worker never reached the second reminder"
        worker.kill()
        sink.release.set()
        assert Reminder.objects.count() == 4 and reminders.count() == 4  # claimed and queued together
        assert len(sink.messages) == 1
        worker.start()
        sweep_reminders.apply_async()  # the sweep again (beat, or someone running it by hand): nothing twice
        assert beat_until(lambda: reminders.filter(status="sent").count() == 4)
    assert Reminder.objects.count() == 4
    assert set(_counts(sink).values()) == {1} and len(sink.messages) == 4
    assert sorted(sink.per_recipient().elements()) == sorted(p.email for p in people.values())


@contextmanager
def broker_at(url, *, eager=False):
    """Point this process's Celery at ``url`` (the shared Redis stays up).

    Celery reads CELERY_BROKER_URL from the environment before its own configuration: both change."""
    from kombu import pools

    from commissioning.celery import app

    previous = (os.environ.get("CELERY_BROKER_URL"), app.conf.broker_url, app.conf.task_always_eager)
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    os.environ["CELERY_BROKER_URL"] = app.conf.broker_url = url
    app.conf.task_always_eager = eager
    try:
        yield
    finally:
        environ, app.conf.broker_url, app.conf.task_always_eager = previous
        if environ is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = environ
        app.pool.force_close_all()
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None


def broker_unreachable():
    """A local port where nothing listens."""
    return broker_at(f"redis://127.0.0.1:{free_port()}/0")


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("base_data")
def test_with_the_broker_down_publishing_and_rendering_answer_with_a_message_and_go_once_it_is_back(
    personas, settings, client
):
    funding_round, expected = round_ready_to_publish(personas)
    report = highlight_report(user=personas.evaluator)
    with broker_unreachable():
        client.force_login(personas.body)
        page = client.post(f"/bids/rounds/{funding_round.pk}/do/publish/", follow=True)
        assert page.status_code == 200
        text = page.content.decode()
        assert "Decisions are published" in text and "the emails are queued and will go as soon as it is back" in text
        client.force_login(personas.evaluator)
        page = client.post(f"/reports/{report.pk}/render/", {"edition": "internal"}, follow=True)
        assert page.status_code == 200
        assert "is waiting: the rendering service is not available just now" in page.content.decode()
    funding_round.refresh_from_db()
    assert funding_round.status == "decided"
    rendering = Rendering.objects.get(report=report)
    assert rendering.status == "queued"
    # Minutes later it still waits, and the page says why; the stale sweep leaves it alone.
    Rendering.objects.filter(pk=rendering.pk).update(requested_at=timezone.now() - dt.timedelta(minutes=45))
    from commissioning.reports.services import rendering_sweep_stale

    assert rendering_sweep_stale(now=timezone.now() + dt.timedelta(hours=2)) == 0
    status = client.get(f"/reports/{report.pk}/status/").content.decode()
    assert "the rendering service is not available just now" in status
    queued = OutboxMessage.objects.filter(status="queued")
    assert queued.count() == 9  # eight emails and the render

    with SmtpSink() as sink, running_worker(env=worker_env(sink, settings)):
        dispatch_outbox.apply_async()  # beat's next tick, now that the broker answers
        assert wait_for(lambda: not OutboxMessage.objects.exclude(status="sent").exists(), timeout=120)
        assert wait_for(lambda: Rendering.objects.get(pk=rendering.pk).status == "ready", timeout=30)
    # The eight decision emails, and the report's "ready" email to the evaluator who asked for it.
    assert set(_counts(sink).values()) == {1} and len(sink.messages) == 9
    assert sorted(sink.per_recipient().elements()) == sorted(
        [*(email for _bid, email in expected), personas.evaluator.email]
    )


# --------------------------------------------------------------------------------------------------
# The notification service (foundation/notifications.py) sends through the same outbox: its emails, and
# the daily digest, survive a worker killed mid-send too.

NOTIFIED = notifications.register("tests.worker_event", "Something happened", template="notify/event")


@pytest.fixture
def notify_templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("notify_templates")
def test_a_worker_killed_mid_send_of_notification_emails_and_of_the_digest_is_restarted_and_each_goes_once(
    settings,
):
    at_once = [UserFactory(email=f"now{n}@example.gov.uk") for n in range(5)]
    digest = [UserFactory(email=f"daily{n}@example.gov.uk") for n in range(3)]
    for person in digest:
        notifications.set_preferences(person, {NOTIFIED.name: Delivery.DIGEST})
    emails = OutboxMessage.objects.filter(key__startswith=f"notifications.{NOTIFIED.name}:")
    digests = OutboxMessage.objects.filter(key__startswith="notifications.digest")
    with SmtpSink(hold_at=3) as sink, running_worker(env=worker_env(sink, settings)) as worker:
        told = notifications.notify(NOTIFIED, "tests.thing:1", [*at_once, *digest], {"thing": "The thing"}, "/t/1/")
        assert (told.in_app, told.emailed, told.digest) == (8, 5, 3)
        assert sink.holding.wait(60), "the worker never reached the third email"
        worker.kill()  # kill -9 while the mail server has the third notification email half-way
        sink.release.set()
        assert len(sink.messages) == 2
        # Telling again (a retried request, a second event handler) adds nothing.
        again = notifications.notify(NOTIFIED, "tests.thing:1", [*at_once, *digest], {"thing": "The thing"}, "/t/1/")
        assert (again.in_app, again.emailed) == (0, 0)
        worker.start()
        assert beat_until(lambda: emails.filter(status="sent").count() == 5)

        # The digest: the worker is killed while the mail server has the second one half-way.
        sink.hold_at, sink._recipients_seen = 2, 0
        sink.holding.clear()
        sink.release.clear()
        send_notification_digest.apply_async()  # beat, at 08:00
        assert sink.holding.wait(60), "the worker never reached the second digest"
        worker.kill()
        sink.release.set()
        assert digests.count() == 3
        worker.start()
        send_notification_digest.apply_async()  # run again (beat the next day, or by hand): nothing twice
        assert beat_until(lambda: digests.filter(status="sent").count() == 3)
    assert set(_counts(sink).values()) == {1} and len(sink.messages) == 8
    assert sorted(sink.per_recipient().elements()) == sorted(p.email for p in [*at_once, *digest])
    assert Notification.objects.filter(kind=NOTIFIED.name).count() == 8
    assert not Notification.objects.filter(email=Notification.Email.DIGEST).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("base_data")
def test_a_broker_that_goes_down_under_a_running_worker_and_comes_back_loses_nothing(personas, settings, client):
    """A test-only Redis is the broker of this process and of a running worker; it is stopped (the outage),
    publishing and a render are asked for, it is started again on the same port (empty, as after a restart):
    the worker reconnects, beat's dispatcher sends everything queued, each recipient once."""
    funding_round, expected = round_ready_to_publish(personas)
    report = highlight_report(user=personas.evaluator)
    env = {"REDIS_URL": require_redis()}  # the worker's cache stays on the shared Redis; only the broker fails
    with (
        RedisServer() as broker,
        broker_at(broker.url),
        SmtpSink() as sink,
        running_worker(env={**worker_env(sink, settings), **env}, broker=broker.url),
    ):
        broker.stop()  # the outage
        client.force_login(personas.body)
        page = client.post(f"/bids/rounds/{funding_round.pk}/do/publish/")
        assert page.status_code == 302
        text = client.get(page["Location"]).content.decode()
        assert "Decisions are published" in text and "the emails are queued and will go as soon as it is back" in text
        client.force_login(personas.evaluator)
        page = client.post(f"/reports/{report.pk}/render/", {"edition": "internal"})
        assert page.status_code == 302
        assert "the rendering service is not available just now" in client.get(page["Location"]).content.decode()
        assert OutboxMessage.objects.filter(status="queued").count() == 9  # eight emails and the render
        assert not sink.messages

        broker.start()  # back, on the same port, with nothing in it: the nudges sent before were lost
        assert beat_until(lambda: not OutboxMessage.objects.exclude(status="sent").exists(), timeout=120)
        assert wait_for(lambda: Rendering.objects.get(report=report).status == "ready", timeout=30)
    funding_round.refresh_from_db()
    assert funding_round.status == "decided"
    assert set(_counts(sink).values()) == {1} and len(sink.messages) == 9
    assert sorted(sink.per_recipient().elements()) == sorted(
        [*(email for _bid, email in expected), personas.evaluator.email]
    )
