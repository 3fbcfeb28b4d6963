"""Deadline reminders: a sweep over the database, each reminder exactly once, finished tasks never.

The sweep claims reminders and queues their emails in the outbox in one transaction; the outbox sends them."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from foundation import outbox
from foundation.models import OutboxMessage
from procurement import services
from procurement.models import Reminder, ReminderSettings, Task
from procurement.tasks import sweep_reminders
from tests.celery_worker import celery_worker, wait_for

from .conftest import make_project

TODAY = dt.date(2010, 3, 25)  # a week before the Leeds contract start


@pytest.fixture
def project(leeds_org, personas):
    project = make_project(leeds_org, project_manager=personas.evaluator)
    timetable = project.timetables.get()
    # Everything before March 2010 is done except task 33 (overdue since September 2009).
    timetable.tasks.filter(due__lt=dt.date(2010, 3, 1)).exclude(number=33).update(
        status=Task.Status.DONE, done_on=dt.date(2009, 12, 1)
    )
    timetable.tasks.filter(number=36).update(responsible_user=personas.officer)
    return project


@pytest.mark.django_db
def test_sweep_twice_the_same_day_sends_each_reminder_once(project, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.reminders_sweep(today=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.reminders_sweep(today=TODAY)
    assert len(first) == 3 and second == []
    kinds = {(r.task.number, r.kind, r.email) for r in Reminder.objects.select_related("task")}
    assert kinds == {
        (33, "overdue", personas.evaluator.email),  # overdue: the project manager
        (35, "first", personas.evaluator.email),  # mobilisation ends 31 March: no user, so the manager
        (36, "first", personas.officer.email),  # contract start 1 April: the person responsible
    }
    assert len(mail.outbox) == 3
    messages = OutboxMessage.objects.filter(key__in=[Reminder.outbox_key(pk) for pk in first])
    assert sorted(messages.values_list("status", flat=True)) == ["sent"] * 3
    subjects = sorted(m.subject for m in mail.outbox)
    assert subjects[-1].startswith("Overdue: 4092 task 33")
    assert mail.outbox[0].alternatives and "See the timetable" in mail.outbox[0].alternatives[0][0]


@pytest.mark.django_db
def test_final_notice_then_weekly_overdue(project, personas, django_capture_on_commit_callbacks):
    for day in [TODAY, dt.date(2010, 3, 31), dt.date(2010, 3, 31), dt.date(2010, 4, 2), dt.date(2010, 4, 9)]:
        with django_capture_on_commit_callbacks(execute=True):
            services.reminders_sweep(today=day)
    task36 = {(r.kind, r.sequence) for r in Reminder.objects.filter(task__number=36)}
    assert task36 == {("first", 0), ("final", 0), ("overdue", 0), ("overdue", 1)}
    overdue_33 = Reminder.objects.filter(task__number=33, kind="overdue").count()
    assert overdue_33 == 3  # one a week: 25 March, 2 April, 9 April (31 March is in the same week as 25 March)


@pytest.mark.django_db
def test_finished_tasks_never_remind(project, django_capture_on_commit_callbacks):
    project.timetables.get().tasks.update(status=Task.Status.DONE, done_on=TODAY)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_sweep(today=TODAY) == []
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_task_finished_after_the_claim_is_not_sent(project):
    ids = services.reminders_sweep(today=TODAY)  # queued; this test's transaction never commits, so nothing went
    Task.objects.filter(reminders__id__in=ids).update(status=Task.Status.DONE, done_on=TODAY)
    result = outbox.dispatch()
    assert (result.skipped, result.sent) == (3, 0)
    assert mail.outbox == []
    skipped = OutboxMessage.objects.filter(kind=services.REMINDER_KIND)
    assert {(m.status, m.last_error) for m in skipped} == {("skipped", "Task finished before sending; not sent.")}


@pytest.mark.django_db
def test_thresholds_are_settings_an_administrator_changes(project, django_capture_on_commit_callbacks):
    config = ReminderSettings.current()
    config.first_notice_days = 3
    config.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep(today=TODAY)
    assert not Reminder.objects.filter(kind="first").exists()  # nothing is due within 3 days of 24 March
    config.enabled = False
    config.save()
    assert services.reminders_sweep(today=dt.date(2010, 3, 30)) == []


@pytest.mark.django_db
def test_a_send_failure_is_recorded_and_retried(project, settings):
    ids = services.reminders_sweep(today=TODAY)
    settings.EMAIL_BACKEND = "tests.procurement.failing_backend.FailingBackend"
    assert outbox.dispatch(limit=1).retrying == 1
    message = OutboxMessage.objects.get(key=Reminder.outbox_key(ids[0]))
    assert message.status == "queued" and message.attempts == 1 and "refused" in message.last_error
    assert message.next_attempt_at > timezone.now()  # backing off
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.dispatch().sent == 2  # the other two; the failed one waits for its backoff
    later = message.next_attempt_at + dt.timedelta(seconds=1)
    assert outbox.dispatch(now=later).sent == 1
    assert outbox.dispatch(now=later + dt.timedelta(days=1)).handled == 0  # never twice
    assert len(mail.outbox) == 3


@pytest.mark.django_db
def test_the_daily_schedule_is_in_beat_and_editable(admin_client):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Procurement deadline reminders")
    assert task.task == "procurement.sweep_reminders"
    assert (task.crontab.hour, task.crontab.minute, str(task.crontab.timezone)) == ("7", "0", "Europe/London")
    assert admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.redis
def test_sweep_through_a_real_worker_and_redis_sends_each_reminder_once(leeds_org, settings):
    from tests.factories import UserFactory

    manager = UserFactory(username="pm")
    project = make_project(leeds_org, project_manager=manager, start=timezone.localdate() + dt.timedelta(days=5))
    project.timetables.get().tasks.exclude(number__in=[35, 36]).update(
        status=Task.Status.DONE, done_on=timezone.localdate()
    )
    from kombu import pools

    from commissioning.celery import app

    # An earlier real-worker test closes the app's producer pool on its way out (tests/celery_worker.py):
    # start from fresh pools so this test does not depend on the order tests run in.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    with celery_worker() as queue:
        app.conf.task_default_queue = queue
        try:
            sweep_reminders.apply_async(queue=queue)
            sweep_reminders.apply_async(queue=queue)
            sent = OutboxMessage.objects.filter(kind=services.REMINDER_KIND, status="sent")
            assert wait_for(lambda: sent.count() == 2, timeout=60)
        finally:
            app.conf.task_default_queue = settings.CELERY_TASK_DEFAULT_QUEUE
    assert Reminder.objects.count() == 2


@pytest.mark.django_db
def test_reminder_subjects_are_plain_text(project, django_capture_on_commit_callbacks):
    """Issue 19: reminder subjects showed HTML escapes ("Terms &amp; Conditions")."""
    project.timetables.get().tasks.filter(number=36).update(activity="Agree Terms & Conditions <final>")
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep(today=TODAY)
    (message,) = [m for m in mail.outbox if "task 36" in m.subject]
    assert message.subject.endswith("task 36 Agree Terms & Conditions <final>")
    assert "Agree Terms & Conditions <final>" in message.body
    assert "Agree Terms &amp; Conditions &lt;final&gt;" in message.alternatives[0][0]
