"""Reminders of returns coming due and overdue: through the outbox, once each, never for a submitted return."""

import datetime as dt

import pytest

from foundation.models import OutboxMessage
from review import services

pytestmark = pytest.mark.django_db


def test_reminders_go_to_the_providers_users_once(personas, carers):
    # Q1 2011-12 ends 30 June; its return is due 30 July. A week before, the provider's users are reminded.
    queued = services.return_reminders_sweep(today=dt.date(2011, 7, 25))
    messages = list(OutboxMessage.objects.all())
    assert queued == len(messages) == 1
    assert messages[0].recipient == personas.provider.email
    assert "Due 30 July 2011" in messages[0].payload["subject"]
    # The other provider's service is not their business: nobody at Asist hears of it.
    assert "Respite" not in messages[0].payload["subject"]
    assert services.return_reminders_sweep(today=dt.date(2011, 7, 26)) == 0


def test_overdue_return_is_reminded_and_a_submitted_one_is_not(personas, carers):
    services.return_reminders_sweep(today=dt.date(2011, 7, 25))
    assert services.return_reminders_sweep(today=dt.date(2011, 8, 2)) == 1
    assert OutboxMessage.objects.filter(key__startswith="review.return_overdue").count() == 1
    services.return_submit(
        user=personas.provider,
        commission=carers.own,
        period_start=dt.date(2011, 7, 1),
        period_end=dt.date(2011, 9, 30),
        values={carers.satisfied.pk: "70", carers.supported.pk: "10"},
    )
    # Q2's return is due 30 October; it was submitted early, so no reminder comes.
    before = OutboxMessage.objects.count()
    services.return_reminders_sweep(today=dt.date(2011, 10, 25))
    assert not OutboxMessage.objects.filter(key__contains="2011-07-01").exists()
    assert OutboxMessage.objects.count() == before


def test_the_sweep_is_scheduled_daily():
    from django_celery_beat.models import PeriodicTask

    from review.tasks import sweep_return_reminders

    task = PeriodicTask.objects.get(name="Review: return reminders")
    assert task.task == sweep_return_reminders.name and task.enabled
