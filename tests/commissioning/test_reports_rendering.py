"""The rendering machinery: joining a render already asked for, failures that leave nothing half-written,
a worker that dies mid-render, and a real worker rendering through Redis."""

import datetime as dt
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from commissioning.models import Rendering
from commissioning.reports import services, snapshot
from commissioning.reports.exceptions import NotAllowed
from tests.celery_worker import celery_worker, wait_for
from tests.commissioning.report_factories import ensure_roles, highlight_report


@pytest.fixture
def live_personas(transactional_db):
    """The personas for a transactional test: the flush between such tests removes the role groups."""
    from tests.factories import make_personas

    ensure_roles()
    return make_personas()


def media_files():
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.mark.django_db
def test_a_render_asked_twice_joins_the_first(personas):
    report = highlight_report(user=personas.evaluator)
    first, joined_first = services.rendering_request(report=report, user=personas.evaluator)
    second, joined_second = services.rendering_request(report=report, user=personas.evaluator)
    assert (joined_first, joined_second) == (False, True)
    assert first.pk == second.pk
    # Another edition is another render.
    public, joined = services.rendering_request(report=report, user=personas.evaluator, edition="public")
    assert not joined and public.pk != first.pk
    assert Rendering.objects.filter(report=report).count() == 2


@pytest.mark.django_db
def test_the_database_refuses_two_active_renders_of_one_edition(personas):
    report = highlight_report(user=personas.evaluator)
    Rendering.objects.create(report=report, edition="internal")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rendering.objects.create(report=report, edition="internal", status="rendering")


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
def test_two_requests_at_the_same_moment_make_one_render(live_personas):
    personas = live_personas
    report = highlight_report(user=personas.evaluator)
    barrier = threading.Barrier(2)
    results = []

    def ask():
        try:
            barrier.wait()
            with transaction.atomic():
                results.append(services.rendering_request(report=report, user=personas.evaluator))
        finally:
            connection.close()

    # No worker: the renders stay queued, so the only thing tested is the join.
    from commissioning.celery import app

    previous_broker = app.conf.broker_url
    app.conf.task_always_eager = False
    app.conf.broker_url = "memory://"
    try:
        threads = [threading.Thread(target=ask) for _ in range(2)]
        [t.start() for t in threads]
        [t.join(30) for t in threads]
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = previous_broker
    assert len(results) == 2
    assert results[0][0].pk == results[1][0].pk
    assert sorted(joined for _r, joined in results) == [False, True]
    assert Rendering.objects.filter(report=report).count() == 1


@pytest.mark.django_db
def test_a_failed_render_leaves_no_file_and_can_be_retried(personas, monkeypatch, django_capture_on_commit_callbacks):
    report = highlight_report(user=personas.evaluator)

    def broken(report, period, public):
        raise RuntimeError("the register could not be read")

    monkeypatch.setitem(snapshot.BUILDERS, "background", broken)
    with django_capture_on_commit_callbacks(execute=True):
        rendering, _ = services.rendering_request(report=report, user=personas.evaluator)
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.FAILED
    assert "the register could not be read" in rendering.reason
    assert not rendering.file and media_files() == []

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        retry, joined = services.rendering_retry(rendering=rendering, user=personas.evaluator)
    retry.refresh_from_db()
    assert not joined and retry.pk != rendering.pk
    assert retry.status == Rendering.Status.READY
    assert default_storage.exists(retry.file.name)
    assert len(media_files()) == 1
    # The failed attempt stays in the history.
    assert list(report.renderings.values_list("status", flat=True)) == ["ready", "failed"]


@pytest.mark.django_db
def test_a_render_whose_worker_died_is_marked_failed_and_can_be_retried(personas):
    report = highlight_report(user=personas.evaluator)
    stuck = Rendering.objects.create(
        report=report,
        edition="internal",
        status="rendering",
        started_at=timezone.now() - services.stale_after() - dt.timedelta(seconds=5),
    )
    # Still within the time limit: left alone.
    fresh = Rendering.objects.create(report=report, edition="public", status="rendering", started_at=timezone.now())
    assert services.rendering_sweep_stale() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == "failed" and "stopped before it finished" in stuck.reason
    assert fresh.status == "rendering"
    again, joined = services.rendering_request(report=report, user=personas.evaluator, edition="internal")
    assert not joined and again.pk != stuck.pk


@pytest.mark.django_db
def test_running_a_rendering_twice_renders_once(personas, django_capture_on_commit_callbacks):
    report = highlight_report(user=personas.evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        rendering, _ = services.rendering_request(report=report, user=personas.evaluator)
    assert services.rendering_run(rendering_id=rendering.pk) is None  # already ready: nothing to do
    assert len(media_files()) == 1


@pytest.mark.django_db
def test_only_the_programme_team_renders(personas):
    report = highlight_report(user=personas.evaluator)
    for who in ["body", "member", "provider", "outsider", "officer"]:
        with pytest.raises(NotAllowed):
            services.rendering_request(report=report, user=personas[who])
    assert not Rendering.objects.exists()


@pytest.mark.django_db
def test_editing_a_report_someone_else_saved_meanwhile_is_refused(personas):
    from foundation.editing import StaleEdit

    report = highlight_report(user=personas.evaluator)
    services.report_update(report=report, user=personas.evaluator, version=1, title="First edit")
    with pytest.raises(StaleEdit):
        services.report_update(report=report, user=personas.admin, version=1, title="Second edit")
    report.refresh_from_db()
    assert report.title == "First edit" and report.version == 2


@pytest.mark.django_db(transaction=True)
@pytest.mark.postgres
@pytest.mark.redis
def test_a_real_worker_renders_the_report_through_redis(live_personas, monkeypatch):
    personas = live_personas
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    report = highlight_report(user=personas.evaluator)
    from commissioning.celery import app

    with celery_worker() as queue:
        previous = app.conf.task_default_queue
        app.conf.task_default_queue = queue
        try:
            rendering, joined = services.rendering_request(report=report, user=personas.evaluator)
        finally:
            app.conf.task_default_queue = previous
        assert not joined
        assert wait_for(lambda: Rendering.objects.get(pk=rendering.pk).status in ("ready", "failed"), timeout=90), (
            "the worker never finished the render"
        )
    rendering.refresh_from_db()
    assert rendering.status == "ready", rendering.reason
    assert rendering.page_count >= 3
    with default_storage.open(rendering.file.name) as f:
        assert f.read(5) == b"%PDF-"


@pytest.mark.django_db
def test_a_queued_render_waits_for_the_outbox_and_fails_only_when_the_outbox_gives_up(personas):
    from foundation.models import OutboxMessage

    report = highlight_report(user=personas.evaluator)
    rendering, _ = services.rendering_request(report=report, user=personas.evaluator)
    message = OutboxMessage.objects.get(key=services.outbox_key(rendering.pk))
    assert (message.kind, message.payload, message.status) == (
        services.RENDER_KIND,
        {"rendering_id": rendering.pk},
        "queued",
    )
    # Hours of waiting (the broker is down) are not a failure.
    assert services.rendering_sweep_stale(now=timezone.now() + dt.timedelta(hours=6)) == 0
    assert services.mark_waiting([rendering], now=timezone.now() + dt.timedelta(minutes=2))[0].waiting
    OutboxMessage.objects.filter(pk=message.pk).update(status="failed", last_error="RuntimeError: boom")
    assert services.rendering_sweep_stale() == 1
    rendering.refresh_from_db()
    assert rendering.status == "failed" and "could not be started" in rendering.reason


@pytest.mark.django_db
def test_a_render_queued_before_the_outbox_is_given_its_message_by_the_sweep(personas):
    from foundation.models import OutboxMessage

    report = highlight_report(user=personas.evaluator)
    legacy = Rendering.objects.create(report=report, edition="internal", requested_by=personas.evaluator)
    assert services.rendering_sweep_stale() == 0
    assert OutboxMessage.objects.filter(key=services.outbox_key(legacy.pk), status="queued").exists()
    legacy.refresh_from_db()
    assert legacy.status == "queued"
