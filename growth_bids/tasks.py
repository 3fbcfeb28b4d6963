"""Celery tasks take ids and call the notification services; enqueue with transaction.on_commit."""

from celery import shared_task

from . import notifications


@shared_task(name="growth_bids.send_decision_notices", bind=True, max_retries=3, default_retry_delay=60)
def send_decision_notices(self, round_id):
    return notifications.send_decision_notices(round_id)


@shared_task(name="growth_bids.sweep_reminders")
def sweep_reminders():
    return notifications.sweep()
