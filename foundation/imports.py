"""Spreadsheet imports too big to run while a person waits: a job a Celery worker runs, with its progress
on a page htmx polls (``imports:job``). Small files are still imported in the request, as before.

An app registers how one kind of import runs (in its ``import_runners.py``, which foundation imports at
start-up, so a web process and a worker know the same kinds)::

    from foundation import imports

    @imports.runner("partnerships.register")
    def register(job, progress):         # an ImportJob (job.data holds the file) and a progress callback
        created, updated = services.register_import(..., progress=progress)   # all or nothing, as before
        return f"{created} added, {updated} updated."                        # shown on the job's page
        # raise imports.Refused(problems) with (line, column, message[, value]) items: nothing saved

and the view sends a big file to a job::

    if imports.in_background(data):
        job = imports.start(kind="partnerships.register", name=upload.name, data=data, user=request.user,
                            partnership_id=..., return_url=reverse("partnerships:register"))
        return redirect(job)                                           # the page that shows its progress

The job is handed on through the outbox (foundation/outbox.py, ADR 1): ``start`` queues an outbox message of
kind ``foundation.import`` in the job's own transaction, and the outbox's nudge after the commit has a Celery
worker dispatch it (the dispatcher task is acknowledged late, and a worker killed mid-import leaves the message
to fall due again when its lease lapses; the import's own transaction left nothing half-saved). With no broker
(tasks in-process), or a broker that cannot be reached, the outbox dispatches it in a thread of this process
after the commit (``outbox.delivery(background=True)``), so the person still sees the progress page at once.
The job's claim (``claim``) keeps it to one run however many times its message is dispatched.

Progress is written on a connection of its own (PostgreSQL), outside the import's transaction, so the page
sees it while the import is under way; on SQLite it jumps from nothing to the end.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from . import outbox
from .models import ImportJob, OutboxMessage

logger = logging.getLogger(__name__)

Status = ImportJob.Status
KIND = "foundation.import"  # the outbox kind that runs a job
Runner = Callable[[ImportJob, "Progress"], str]

_runners: dict[str, Runner] = {}


class Refused(Exception):
    """The file has problems; nothing was saved. ``problems``: items with line, column, message (and value)."""

    def __init__(self, problems: Iterable[Any]):
        self.problems = [_problem(p) for p in problems]
        super().__init__(f"{len(self.problems)} problem(s); nothing was imported.")


def _problem(p: Any) -> dict[str, Any]:
    if isinstance(p, dict):
        item = p
    else:
        item = {k: getattr(p, k, "") for k in ("line", "column", "message", "value")}
    return {
        "line": int(item.get("line") or 0),
        "column": str(item.get("column") or ""),
        "message": str(item.get("message") or ""),
        "value": str(item.get("value") or "")[:80],
    }


def runner(kind: str) -> Callable[[Runner], Runner]:
    """Register the function that runs imports of ``kind`` (a decorator)."""

    def register(function: Runner) -> Runner:
        _runners[kind] = function
        return function

    return register


def runner_for(kind: str) -> Runner:
    try:
        return _runners[kind]
    except KeyError:
        raise ImproperlyConfigured(f"No import runner for {kind!r}; known: {sorted(_runners)}") from None


# --------------------------------------------------------------------------------------------------
# Settings (README "Configuration")


def background_bytes() -> int:
    """Files larger than this are imported by a job; smaller ones in the request."""
    return int(getattr(settings, "IMPORT_BACKGROUND_BYTES", 100_000))


def in_background(data: bytes) -> bool:
    return len(data) > background_bytes()


def stale_seconds() -> int:
    """A running job whose progress has not moved for this long belongs to a worker that died: it may run again."""
    stale = getattr(settings, "IMPORT_STALE_SECONDS", None)
    return int(stale or getattr(settings, "CELERY_TASK_TIME_LIMIT", None) or 360)


# --------------------------------------------------------------------------------------------------
# Starting


def start(
    *,
    kind: str,
    name: str,
    data: bytes,
    user: Any,
    partnership_id: int | None = None,
    return_url: str = "",
    params: dict[str, Any] | None = None,
) -> ImportJob:
    """Record the job and, in the same transaction, its outbox message: a worker (or this process) runs it."""
    runner_for(kind)  # a typo would never run
    with _handing_on(), transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            name=(name or "upload")[:255],
            data=data,
            created_by=user,
            partnership_id=partnership_id,
            params={**(params or {}), "return_url": return_url},
        )
        outbox.enqueue(kind=KIND, key=_key(job.pk), payload={"job_id": job.pk})
    return job


def _key(job_id: int) -> str:
    return f"{KIND}:{job_id}"


def _handing_on() -> AbstractContextManager[outbox.Delivery]:
    """The outbox delivery a job goes by: with no broker, a thread after the commit (not the request); with a broker
    that cannot be reached, this process all the same. The person watches the job's page either way."""
    return outbox.delivery(background=True, here_if_unreachable=[KIND])


@outbox.handler(KIND, max_attempts=3)
def _run_message(message: OutboxMessage) -> None:
    """The outbox handler: run the job, unless it has ended or another run has it (the message is then skipped)."""
    if run(int(message.payload["job_id"])) is None:
        raise outbox.Skip("The job has ended, or another run has it.")


def revive_seconds() -> int:
    return int(getattr(settings, "IMPORT_REVIVE_SECONDS", 60))


def revive(job: ImportJob, *, now: dt.datetime | None = None) -> bool:
    """Hand a job on again when its hand-over was lost (a broker restarted empty, a web process that died before
    it ran the job) or its worker died: queued, or running with no progress, for longer than it should be.
    Called by the job's page as it polls; at most once a ``revive_seconds()``. The claim keeps it to one run."""
    now = now or timezone.now()
    quiet = now - dt.timedelta(seconds=revive_seconds())
    stale = now - dt.timedelta(seconds=stale_seconds())
    waiting = job.status == Status.QUEUED and job.created_at < quiet
    abandoned = job.status == Status.RUNNING and job.heartbeat_at is not None and job.heartbeat_at < stale
    if not (waiting or abandoned):
        return False
    last = job.params.get("revived_at")
    if last and dt.datetime.fromisoformat(last) > quiet:
        return False
    params = {**job.params, "revived_at": now.isoformat()}
    if not ImportJob.objects.filter(pk=job.pk, params=job.params).update(params=params):
        return False  # another poll revived it just now
    job.params = params
    logger.warning("Imports: job %s was %s too long; handing it on again", job.pk, job.status)
    with _handing_on():
        if not outbox.again(OutboxMessage.objects.filter(kind=KIND, key=_key(job.pk))):
            outbox.enqueue(kind=KIND, key=_key(job.pk), payload={"job_id": job.pk})  # a job with no message yet
    return True


# --------------------------------------------------------------------------------------------------
# Running


class Progress:
    """Called by a runner as ``progress(done, total)``; writes at most every ``interval`` seconds, on a
    connection of its own so that the page sees it while the import's transaction is still open."""

    def __init__(self, job: ImportJob, interval: float = 0.5):
        self.job, self.interval = job, interval
        self._last = 0.0
        self._side: Any = None

    def __call__(self, done: int, total: int | None = None, *, force: bool = False) -> None:
        self.job.rows_done = max(0, int(done))
        if total is not None:
            self.job.rows_total = max(0, int(total))
        now = time.monotonic()
        if not force and now - self._last < self.interval:
            return
        self._last = now
        self._write(self.job.rows_done, self.job.rows_total)

    def _write(self, done: int, total: int) -> None:
        fields = {"rows_done": done, "rows_total": total, "heartbeat_at": timezone.now()}
        if not connection.in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(**fields)
            return
        if connection.vendor != "postgresql":
            return  # a second writer would wait on SQLite's lock: the page sees the end only
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
            table = connection.ops.quote_name(ImportJob._meta.db_table)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_done = %s, rows_total = %s, heartbeat_at = %s WHERE id = %s",  # noqa: S608 - the table name is the model's
                    [done, total, fields["heartbeat_at"], self.job.pk],
                )
        except Exception:  # noqa: BLE001 - progress is a courtesy; the import goes on without it
            logger.warning("Imports: could not write the progress of job %s", self.job.pk, exc_info=True)

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None


def claim(job_id: int, *, now: dt.datetime | None = None) -> ImportJob | None:
    """Mark the job running, if it waits (or its last runner died); None when someone else has it or it ended."""
    now = now or timezone.now()
    stale = now - dt.timedelta(seconds=stale_seconds())
    claimed = (
        ImportJob.objects.filter(pk=job_id)
        .filter(Q(status=Status.QUEUED) | Q(status=Status.RUNNING, heartbeat_at__lt=stale))
        .update(status=Status.RUNNING, started_at=now, heartbeat_at=now, rows_done=0, attempts=F("attempts") + 1)
    )
    return ImportJob.objects.get(pk=job_id) if claimed else None


def run(job_id: int) -> ImportJob | None:
    """Run one job to its end: done, refused (with every problem) or failed. The file is dropped after."""
    job = claim(job_id)
    if job is None:
        return None
    progress = Progress(job)
    fields: dict[str, Any] = {"finished_at": None, "data": b""}
    try:
        message = runner_for(job.kind)(job, progress)
    except Refused as refused:
        fields.update(status=Status.REFUSED, problems=refused.problems, message="Nothing was imported.")
    except Exception as exc:  # noqa: BLE001 - the page says so; the import's transaction saved nothing
        logger.exception("Imports: job %s (%s) failed", job.pk, job.kind)
        fields.update(
            status=Status.FAILED,
            message=f"The import failed ({type(exc).__name__}); nothing was imported. Try again, or ask for help.",
        )
    else:
        fields.update(status=Status.DONE, message=str(message or "Imported."), rows_done=progress.job.rows_total)
    finally:
        progress.close()
    fields["finished_at"] = timezone.now()
    if "rows_done" not in fields:
        fields["rows_done"] = progress.job.rows_done
    fields["rows_total"] = progress.job.rows_total
    ImportJob.objects.filter(pk=job.pk).update(**fields)
    job.refresh_from_db()
    if job.status in (Status.REFUSED, Status.FAILED):
        from . import notifications

        notifications.tell_import_unfinished(job)
    return job
