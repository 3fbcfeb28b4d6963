"""Several workers dispatching at once on PostgreSQL: every message is handled once, none twice."""

import threading
from collections import Counter

import pytest
from django.db import connection

from foundation import outbox
from foundation.models import OutboxMessage
from tests.services import require_postgres

from . import handlers


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_four_workers_at_once_handle_every_message_exactly_once():
    require_postgres()
    handlers.handled.clear()
    # Stored directly, without enqueue's nudge: with no broker that would dispatch them all in this thread.
    OutboxMessage.objects.bulk_create(
        outbox.message(kind=handlers.KIND, key=f"tests.concurrent:{n}", payload={"sleep": 0.005, "thread": True})
        for n in range(200)
    )
    errors = []
    start = threading.Barrier(4)

    def worker():
        try:
            start.wait()
            outbox.dispatch()
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    per_message = Counter(pk for pk, _thread in handlers.handled)
    assert len(per_message) == 200 and set(per_message.values()) == {1}
    assert len({thread for _pk, thread in handlers.handled}) > 1  # they really did work side by side
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
