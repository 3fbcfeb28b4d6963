"""Celery tasks take ids and call the notification services. Emails go through the outbox (foundation)."""

from celery import shared_task

from . import notifications


@shared_task(name="growth_bids.sweep_reminders")
def sweep_reminders():
    return notifications.sweep()
