"""Rendering with no broker (`make run`, tasks in-process): the request returns at once and the render runs in
a thread after it, so the page shows "queued", then "rendering", then the PDF, exactly as with a worker
(issue 18 item 9). Before, the in-process dispatch rendered inside the request (about 10 s) and the page then
said "queued" beside a report that was ready."""

import threading
import time

import pytest
from django.urls import reverse

from commissioning.celery import app
from commissioning.models import Rendering
from commissioning.reports import snapshot
from tests.commissioning.report_factories import ensure_roles, highlight_report

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def live_personas(transactional_db):
    from tests.factories import make_personas

    ensure_roles()
    return make_personas()


@pytest.fixture
def no_broker(monkeypatch):
    monkeypatch.setattr(app.conf, "task_always_eager", True)


def _dispatch_threads():
    return [t for t in threading.enumerate() if t.name == "outbox-dispatch"]


def test_the_render_runs_after_the_response_and_the_page_polls_it(client, live_personas, no_broker, monkeypatch):
    report = highlight_report(user=live_personas.evaluator)
    started, release = threading.Event(), threading.Event()
    background = snapshot.BUILDERS["background"]

    def slow_background(report, period, public):
        # Held here until the test has seen the page: the render cannot be over before the response is.
        started.set()
        release.wait(60)
        return background(report, period, public)

    monkeypatch.setitem(snapshot.BUILDERS, "background", slow_background)
    client.force_login(live_personas.evaluator)
    began = time.monotonic()
    response = client.post(reverse("reports:render", args=[report.pk]), {"edition": "internal"})
    answered_in = time.monotonic() - began
    try:
        assert response.status_code == 302
        assert started.wait(30), "the render never started"
        rendering = Rendering.objects.get(report=report)
        assert rendering.status in ("queued", "rendering")
        page = client.get(response["Location"]).content.decode()
        assert "is queued" in page and "This page updates itself" in page
        assert 'hx-trigger="every 2s"' in page and "Rendering since" in page
    finally:
        release.set()
        for thread in _dispatch_threads():
            thread.join(120)
    assert answered_in < 10
    rendering.refresh_from_db()
    assert rendering.status == "ready", rendering.reason
    partial = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "Download PDF" in partial and "hx-trigger" not in partial


def test_other_in_process_work_still_runs_in_the_request(live_personas, no_broker):
    """Only a caller that asks for the background gets it: a plain enqueue with no broker is dispatched at once."""
    from django.db import transaction

    from commissioning.reports import services

    report = highlight_report(user=live_personas.evaluator)
    with transaction.atomic():
        rendering, _joined = services.rendering_request(report=report, user=live_personas.evaluator)
    rendering.refresh_from_db()
    assert rendering.status == "ready" and not _dispatch_threads()
