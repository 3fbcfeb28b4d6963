"""Renders are dispatched apart, by the render queue's workers (settings.CELERY_RENDER_QUEUE): a nudge to the default
queue leaves them alone, so no email waits behind a board pack; beat's dispatcher (no arguments) still sends every
kind, so renders go even where no render worker runs."""

import re
from pathlib import Path

import pytest
import yaml

from commissioning.reports.services import RENDER_KIND
from foundation import outbox
from foundation.models import OutboxMessage
from tests.foundation import handlers

ROOT = Path(__file__).resolve().parents[2]


def test_the_report_render_is_routed_to_the_render_queue(settings):
    settings.CELERY_RENDER_QUEUE = "render"
    assert outbox.routed_apart() == {"render": [RENDER_KIND]}
    settings.CELERY_RENDER_QUEUE = ""  # none configured: renders go with everything else
    assert outbox.routed_apart() == {}
    settings.CELERY_RENDER_QUEUE = settings.CELERY_TASK_DEFAULT_QUEUE
    assert outbox.routed_apart() == {}


@pytest.mark.django_db
def test_a_dispatch_apart_claims_only_its_own_kinds():
    handlers.handled.clear()
    email_like = handlers.queue("queues-1")
    render = outbox.enqueue(kind=RENDER_KIND, key="queues-render", payload={"rendering_id": -1})

    result = outbox.dispatch(exclude=[RENDER_KIND], budget_seconds=30)  # the default queue's dispatcher
    assert (result.sent, handlers.handled) == (1, [email_like.pk])
    assert OutboxMessage.objects.get(pk=render.pk).status == OutboxMessage.Status.QUEUED

    assert outbox.dispatch(only=[handlers.KIND], budget_seconds=30).handled == 0  # nothing else of its kind
    result = outbox.dispatch(only=[RENDER_KIND], budget_seconds=30)  # the render queue's dispatcher
    assert result.handled == 1
    assert OutboxMessage.objects.get(pk=render.pk).attempts == 1


def test_workers_replace_a_child_that_grew_and_listen_to_both_queues(settings):
    from commissioning.celery import app

    assert 0 < app.conf.worker_max_memory_per_child <= 1_000_000  # KiB
    assert app.conf.worker_max_memory_per_child == settings.CELERY_WORKER_MAX_MEMORY_PER_CHILD
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^WORKER_QUEUES \?= commissioning,render$", makefile, re.M)
    assert "worker -l INFO -Q $(WORKER_QUEUES)" in makefile
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    queues = [
        set(re.search(r"-Q (\S+)", s["command"]).group(1).split(","))
        for s in services.values()
        if " worker" in s.get("command", "")
    ]
    assert {"commissioning"} in queues and {"render"} in queues
