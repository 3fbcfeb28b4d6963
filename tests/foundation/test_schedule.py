import pytest

from foundation.tasks import dispatch_outbox


@pytest.mark.django_db
def test_beat_runs_the_outbox_dispatcher_every_minute(admin_client):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(name="Outbox dispatcher")
    assert task.task == dispatch_outbox.name and task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")
    assert admin_client.get(f"/admin/django_celery_beat/periodictask/{task.pk}/change/").status_code == 200


def test_the_dispatcher_is_acknowledged_late_and_requeued_if_its_worker_is_lost(settings):
    assert dispatch_outbox.acks_late and dispatch_outbox.reject_on_worker_lost
    # The broker redelivers an unacknowledged task only after the visibility timeout, which must outlast the
    # time limit (else a task still running is delivered twice); a claim's lease is the time limit.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > settings.CELERY_TASK_TIME_LIMIT
    assert settings.OUTBOX_LEASE_SECONDS >= settings.CELERY_TASK_TIME_LIMIT


@pytest.mark.django_db
def test_beat_sends_the_notification_digest_at_eight_london_time():
    from django_celery_beat.models import PeriodicTask

    from foundation.tasks import send_notification_digest

    task = PeriodicTask.objects.get(name="Notifications daily digest")
    assert task.task == send_notification_digest.name and task.enabled
    crontab = task.crontab
    assert (crontab.minute, crontab.hour, crontab.day_of_week, str(crontab.timezone)) == (
        "0",
        "8",
        "*",
        "Europe/London",
    )
