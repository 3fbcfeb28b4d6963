"""Big spreadsheet imports run as a background job with a progress page (foundation/imports.py): the register
import (and returns, review) over IMPORT_BACKGROUND_BYTES. All or nothing is kept; problems are listed by line
and column on the job's page; small files are still imported while the person waits. The job goes through the
outbox (kind foundation.import): with no broker, or an unreachable one, it runs in a thread of the web process
after the commit; with a real worker it runs there, its progress on the page."""

import csv
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core_groups.demo import seed_organisations
from foundation.models import ImportJob, OutboxMessage
from partnerships import demo
from partnerships.models import FundingArrangement
from tests.celery_worker import running_worker, wait_for
from tests.factories import UserFactory, join_home_partnership

pytestmark = pytest.mark.django_db


def join_dispatch_threads():
    """Wait for the outbox's in-process dispatch threads (no broker, or an unreachable one) to end."""
    for thread in threading.enumerate():
        if thread.name == "outbox-dispatch":
            thread.join(120)


def register_csv(copies=1, bad=None):
    """The demo register (100 rows) ``copies`` times over, each copy's references made unique.
    ``bad``: (line, column, value) to spoil one cell."""
    rows = list(csv.reader(io.StringIO(demo.DEMO_CSV.read_bytes().decode("utf-8-sig"))))
    header, body = rows[0], rows[1:]
    out = [header]
    for n in range(copies):
        for row in body:
            row = list(row)
            row[0] = f"{row[0]}-{n}" if copies > 1 else row[0]
            out.append(row)
    if bad:
        line, column, value = bad
        out[line - 1][header.index(column)] = value
    buffer = io.StringIO()
    csv.writer(buffer).writerows(out)
    return buffer.getvalue().encode()


def upload(data, name="register.csv"):
    return SimpleUploadedFile(name, data, content_type="text/csv")


@pytest.fixture
def register_people(personas):
    # The file names service areas: the reference data must be there, whatever a test before this one left.
    demo.ensure_reference_data()
    seed_organisations()
    join_home_partnership()
    return personas


def test_a_small_file_is_still_imported_while_the_person_waits(client, register_people, settings):
    settings.IMPORT_BACKGROUND_BYTES = 10**6
    client.force_login(register_people.evaluator)
    response = client.post(reverse("partnerships:import"), {"file": upload(register_csv())})
    assert response.status_code == 302 and response["Location"] == reverse("partnerships:register")
    assert FundingArrangement.objects.count() == 100
    assert not ImportJob.objects.exists()


def test_a_big_file_with_no_broker_runs_after_the_response_and_its_page_says_what_was_imported(
    client, register_people, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 1000
    client.force_login(register_people.evaluator)
    with django_capture_on_commit_callbacks(execute=True):  # the job's commit: it is handed on after it
        response = client.post(reverse("partnerships:import"), {"file": upload(register_csv(copies=2))})
        job = ImportJob.objects.get()
        assert job.status == "queued"  # the response went first
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "done" and (job.rows_done, job.rows_total) == (200, 200)
    assert job.created_by == register_people.evaluator and bytes(job.data) == b""  # the file is not kept
    assert FundingArrangement.objects.count() == 200
    page = client.get(response["Location"]).content.decode()
    assert "Imported register.csv: 200 added, 0 updated." in page
    assert "200 of 200 rows saved" in page and "hx-trigger" not in page  # finished: no more polling


def test_a_big_file_with_a_problem_saves_nothing_and_its_page_lists_the_problem_by_line_and_column(
    client, register_people, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 1000
    client.force_login(register_people.evaluator)
    data = register_csv(copies=2, bad=(150, "Start date", "1st April"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("partnerships:import"), {"file": upload(data)})
    response = client.get(response["Location"])
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was imported from register.csv" in page
    assert "<td>150</td><td>Start date</td><td>1st April</td>" in page
    assert ImportJob.objects.get().status == "refused"
    assert not FundingArrangement.objects.exists()


def test_the_page_polls_while_the_job_waits_and_nobody_else_learns_that_it_exists(client, register_people):
    job = ImportJob.objects.create(
        kind="partnerships.register", name="register.csv", created_by=register_people.evaluator, rows_total=400
    )
    ImportJob.objects.filter(pk=job.pk).update(status="running", rows_done=100)
    url = reverse("imports:job", args=[job.pk])
    client.force_login(register_people.evaluator)
    page = client.get(url).content.decode()
    assert 'hx-trigger="every 1s"' in page and "100 of 400 rows saved" in page and 'value="25"' in page
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith('<div id="import-status"') and "<html" not in fragment
    for other in (register_people.admin, register_people.officer, UserFactory()):
        client.force_login(other)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302


@pytest.mark.django_db(transaction=True)
def test_with_no_broker_a_big_import_runs_in_a_thread_after_the_commit_and_the_request_returns_first(
    client, register_people, settings, monkeypatch
):
    """``make run``: the request answers at once and the page polls, as with a worker (the outbox's background
    dispatch). The runner is held until the response is in hand: the import cannot have been done in the request."""
    from foundation import imports
    from partnerships.import_runners import REGISTER as REGISTER_IMPORT

    settings.IMPORT_BACKGROUND_BYTES = 1000
    release = threading.Event()
    runner = imports.runner_for(REGISTER_IMPORT)

    def held(job, progress):
        release.wait(60)
        return runner(job, progress)

    monkeypatch.setitem(imports._runners, REGISTER_IMPORT, held)
    client.force_login(register_people.evaluator)
    try:
        response = client.post(reverse("partnerships:import"), {"file": upload(register_csv(copies=2))})
        assert response.status_code == 302
        assert ImportJob.objects.get().status in ("queued", "running")
        assert 'hx-trigger="every 1s"' in client.get(response["Location"]).content.decode()
    finally:
        release.set()
        join_dispatch_threads()
    assert ImportJob.objects.get().status == "done" and FundingArrangement.objects.count() == 200


@pytest.mark.django_db(transaction=True)
def test_with_the_broker_unreachable_a_big_import_runs_in_the_web_process_after_the_commit(
    client, register_people, settings
):
    from tests.foundation.test_outbox_worker import broker_unreachable

    settings.IMPORT_BACKGROUND_BYTES = 1000
    client.force_login(register_people.evaluator)
    with broker_unreachable():
        response = client.post(reverse("partnerships:import"), {"file": upload(register_csv(copies=2))})
        join_dispatch_threads()
    assert response.status_code == 302
    assert ImportJob.objects.get().status == "done" and FundingArrangement.objects.count() == 200


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_imports_a_big_file_and_the_page_follows_its_progress(client, register_people, settings):
    personas = register_people
    settings.IMPORT_BACKGROUND_BYTES = 1000
    client.force_login(personas.evaluator)
    seen = []
    with running_worker(env={"IMPORT_BACKGROUND_BYTES": "1000"}):
        response = client.post(reverse("partnerships:import"), {"file": upload(register_csv(copies=10))})
        assert response.status_code == 302
        job = ImportJob.objects.get()

        def finished():
            page = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
            job.refresh_from_db()
            seen.append((job.status, job.rows_done))
            return job.finished and "hx-trigger" not in page

        assert wait_for(finished, timeout=60, interval=0.1)
    assert job.status == "done", (job.message, job.problems)
    assert (job.rows_done, job.rows_total) == (1000, 1000) and job.attempts == 1
    assert FundingArrangement.objects.count() == 1000
    # The page saw the import under way: some rows saved, not yet all (the worker writes progress as it goes).
    assert any(status == "running" and 0 < done < 1000 for status, done in seen), seen


@pytest.mark.parametrize("with_message", [True, False], ids=["its-message-waits", "no-message"])
def test_a_job_whose_hand_over_was_lost_is_handed_on_again_when_its_page_is_polled(
    client, register_people, django_capture_on_commit_callbacks, with_message
):
    import datetime as dt

    from django.utils import timezone

    from foundation import imports, outbox

    # Recorded, but never handed on: its outbox message waits and no nudge came (the web process died after the
    # commit, the broker restarted empty), or it has no message at all (queued before imports went by the outbox).
    job = ImportJob.objects.create(
        kind="partnerships.register", name="register.csv", data=register_csv(), created_by=register_people.evaluator
    )
    if with_message:
        outbox.message(kind=imports.KIND, key=f"{imports.KIND}:{job.pk}", payload={"job_id": job.pk}).save()
    url = reverse("imports:job", args=[job.pk])
    client.force_login(register_people.evaluator)
    with django_capture_on_commit_callbacks(execute=True) as nudges:
        client.get(url)
    assert not nudges
    job.refresh_from_db()
    assert job.status == "queued"  # a minute's grace: the worker may just be busy
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(minutes=2))
    with django_capture_on_commit_callbacks(execute=True):
        client.get(url)  # the poll hands it on again; with no broker the outbox then runs it in this process
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1, job.message
    assert FundingArrangement.objects.count() == 100
    assert OutboxMessage.objects.get(kind=imports.KIND).status == "sent"
    assert "Imported register.csv: 100 added, 0 updated." in client.get(url).content.decode()


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_import_is_restarted_and_the_import_is_done_once(client, register_people, settings):
    """kill -9 half-way: the import's transaction dies with the worker (nothing half-saved); the restarted worker
    (the task, acknowledged late, delivered again; or the page handing the job on) runs it again, once."""
    settings.IMPORT_BACKGROUND_BYTES = 1000
    settings.IMPORT_STALE_SECONDS = 6  # a running job with no progress for this long was abandoned
    settings.IMPORT_REVIVE_SECONDS = 2
    env = {"CELERY_TASK_TIME_LIMIT": "6", "CELERY_TASK_SOFT_TIME_LIMIT": "5", "BROKER_VISIBILITY_TIMEOUT": "8"}
    client.force_login(register_people.evaluator)
    with running_worker(env=env) as worker:
        response = client.post(reverse("partnerships:import"), {"file": upload(register_csv(copies=10))})
        job = ImportJob.objects.get()
        assert wait_for(lambda: ImportJob.objects.get(pk=job.pk).rows_done >= 1, timeout=60, interval=0.05)
        worker.kill()  # kill -9 while rows are being saved
        job.refresh_from_db()
        assert job.status == "running" and job.attempts == 1
        assert FundingArrangement.objects.count() == 0  # all or nothing: the dead worker's rows went with it
        worker.start()

        def finished():
            client.get(response["Location"], headers={"HX-Request": "true"})  # the page polls
            return ImportJob.objects.get(pk=job.pk).finished

        assert wait_for(finished, timeout=60, interval=0.5)
    job.refresh_from_db()
    assert job.status == "done", (job.message, job.problems)
    assert job.attempts == 2 and (job.rows_done, job.rows_total) == (1000, 1000)
    assert FundingArrangement.objects.count() == 1000
