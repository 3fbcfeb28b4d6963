"""Celery tasks: the daily reminder sweep (beat, 07:00 Europe/London) and one send per claimed reminder."""

from celery import shared_task

from . import services


@shared_task(name="procurement.sweep_reminders")
def sweep_reminders():
    """A sweep over the database, never far-future ETA tasks: safe to run any number of times a day."""
    return len(services.reminders_sweep())


@shared_task(
    name="procurement.send_reminder",
    bind=True,
    max_retries=6,
    acks_late=True,
)
def send_reminder(self, reminder_id):
    try:
        return services.reminder_send(reminder_id=reminder_id)
    except Exception as exc:  # noqa: BLE001 - any send failure is retried with backoff, then recorded
        services.reminder_failed(reminder_id=reminder_id, error=exc)
        raise self.retry(exc=exc, countdown=min(60 * 2**self.request.retries, 3600)) from exc
