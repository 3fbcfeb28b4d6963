"""Celery tasks: the daily sweep of returns coming due or overdue (beat, 07:15 Europe/London)."""

from celery import shared_task

from . import services


@shared_task(name="review.sweep_return_reminders")
def sweep_return_reminders():
    """A sweep over the database; the outbox sends each reminder once, so it is safe to run any number of times."""
    return services.return_reminders_sweep()
