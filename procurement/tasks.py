"""Celery tasks: the daily reminder sweep (beat, 07:00 Europe/London). Each reminder's email goes through
the outbox (foundation/outbox.py), which sends it once and retries a failed send."""

from celery import shared_task

from . import services


@shared_task(name="procurement.sweep_reminders")
def sweep_reminders():
    """A sweep over the database, never far-future ETA tasks: safe to run any number of times a day."""
    return len(services.reminders_sweep())
