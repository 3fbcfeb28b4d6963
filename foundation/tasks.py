"""The outbox dispatcher task: nudged after each commit that queues a message, and run by beat every minute."""

from celery import shared_task

from . import outbox


@shared_task(name="foundation.dispatch_outbox", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def dispatch_outbox(only: list[str] | None = None, exclude: list[str] | None = None) -> dict[str, int]:
    """Send what is due (of the kinds in ``only``, not in ``exclude``: see outbox.nudge; beat's run sends every
    kind). Late acknowledgement: a worker killed mid-run leaves the task to be delivered again (after the broker's
    visibility timeout), and the rows it had claimed fall due when their lease lapses."""
    result = outbox.dispatch(only=only, exclude=exclude)
    if result.more:
        outbox.nudge()
    return {"sent": result.sent, "retrying": result.retrying, "failed": result.failed, "skipped": result.skipped}


@shared_task(name="foundation.send_notification_digest", ignore_result=True)
def send_notification_digest() -> dict[str, int]:
    """Beat runs this at 08:00 Europe/London: one email per person who chose a daily digest and has
    notifications waiting for it (foundation.notifications.send_digest). The emails go through the outbox."""
    from . import notifications

    result = notifications.send_digest()
    return {"people": result.people, "notifications": result.notifications}
