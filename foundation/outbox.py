"""The outbox: one way for every app to get work to a Celery worker (emails, renders) without losing it
or doing it twice. Why this and not Celery retries alone: docs/adr/0001-outbox.md.

Writing (in the same transaction as the change that needs the message)::

    from foundation import outbox

    outbox.enqueue_email(key=f"growth_bids.decision:bid:{bid.pk}", to=email,
                         template="growth_bids/email/decision", context={...})
    outbox.enqueue(kind="commissioning.render_report", key=f"commissioning.render:{r.pk}",
                   payload={"rendering_id": r.pk})
    outbox.enqueue_many([outbox.email_message(...), outbox.message(...), ...])   # bulk, one insert

The same (key, recipient) is queued once, ever: a second enqueue returns None (or leaves it out of the
list enqueue_many returns). After the commit a nudge asks a worker to dispatch at once; beat runs the
dispatcher every minute as well, so a nudge lost to a broker outage only delays the message.

Handling (registered by kind, in ``<app>/outbox_handlers.py``, which foundation imports at start-up)::

    @outbox.handler("commissioning.render_report", max_attempts=3)
    def render(message):          # an OutboxMessage; return normally once the work is done
        ...                       # raise outbox.Skip("why") when it is no longer wanted;
                                  # any other exception is retried with backoff, then marked failed.

Dispatching claims one due row at a time (``SELECT ... FOR UPDATE SKIP LOCKED`` on PostgreSQL, and a
compare-and-set update everywhere) and commits the claim before the handler runs, so other workers see
it; the row is marked sent straight after the handler returns. A worker that dies mid-send leaves the
row "sending" until its lease (the task time limit) lapses; then it is due again.

Work a person watches the page of (a report's render, an import job: foundation/imports.py) is queued under
``with outbox.delivery(background=True)``: with no broker (``make run``) it is dispatched in a thread after the
commit, not in the request; ``here_if_unreachable=[kind]`` also dispatches that kind in this process when the
broker cannot be reached. This is the one way to run work off the request: no app has its own task for it.
"""

import contextvars
import datetime as dt
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status
EMAIL = "email"
ERROR_LENGTH = 2000


class Skip(Exception):
    """Raised by a handler when its message is no longer wanted; the row is kept, marked skipped, with why."""


# --------------------------------------------------------------------------------------------------
# Settings (README "Configuration")


def lease_seconds() -> int:
    """How long a claim holds a row. It must outlast the task time limit: a worker still running a
    handler is never overlapped by another, and one that was killed gives the row back after this."""
    lease = getattr(settings, "OUTBOX_LEASE_SECONDS", None)
    return int(lease or getattr(settings, "CELERY_TASK_TIME_LIMIT", None) or 360)


def default_max_attempts() -> int:
    return int(getattr(settings, "OUTBOX_MAX_ATTEMPTS", 12))


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next try after ``attempts`` failed ones: base, 2 x base, 4 x base ..., capped."""
    base = float(getattr(settings, "OUTBOX_RETRY_BASE_SECONDS", 60))
    cap = float(getattr(settings, "OUTBOX_RETRY_MAX_SECONDS", 3600))
    return dt.timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), cap))


def dispatch_budget_seconds() -> float:
    """How long one dispatch run keeps claiming new rows; well inside the task's soft time limit."""
    budget = getattr(settings, "OUTBOX_DISPATCH_BUDGET_SECONDS", None)
    if budget is None:
        budget = int(getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None) or 300) // 2
    return float(budget)


# --------------------------------------------------------------------------------------------------
# Handlers


@dataclass(frozen=True)
class Handler:
    kind: str
    function: Callable[[OutboxMessage], object]
    max_attempts: int | None = None
    queue: str | None = None  # dispatched apart by the workers of this queue (RENDER), or with everything else


# A handler's queue: renders (long, memory-hungry) go to the workers of settings.CELERY_RENDER_QUEUE, so that an email
# never waits behind a board pack and a render's memory is given back by its own worker (max memory per child).
RENDER = "render"


_handlers: dict[str, Handler] = {}


HandlerFunction = Callable[[OutboxMessage], object]


def handler(
    kind: str, *, max_attempts: int | None = None, queue: str | None = None
) -> Callable[[HandlerFunction], HandlerFunction]:
    """Register the function that sends messages of ``kind`` (a decorator); ``queue=outbox.RENDER`` has them
    dispatched by the render queue's workers when one is configured."""

    def register(function: HandlerFunction) -> HandlerFunction:
        name = f"{function.__module__}.{function.__qualname__}"
        existing = _handlers.get(kind)
        if existing and f"{existing.function.__module__}.{existing.function.__qualname__}" != name:
            raise ImproperlyConfigured(f"Two outbox handlers for {kind!r}: {name} and {existing.function!r}.")
        _handlers[kind] = Handler(kind=kind, function=function, max_attempts=max_attempts, queue=queue)
        return function

    return register


def handler_for(kind: str) -> Handler | None:
    return _handlers.get(kind)


def kinds() -> list[str]:
    return sorted(_handlers)


def celery_queue(queue: str | None) -> str:
    """The Celery queue a handler's ``queue`` names (settings.CELERY_RENDER_QUEUE ...); empty: the default one."""
    if not queue:
        return ""
    name = str(getattr(settings, f"CELERY_{queue.upper()}_QUEUE", "") or "")
    return "" if name == getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", None) else name


def routed_apart() -> dict[str, list[str]]:
    """{Celery queue: the kinds its workers dispatch} for the handlers dispatched apart from the rest."""
    routed: dict[str, list[str]] = {}
    for registered in _handlers.values():
        name = celery_queue(registered.queue)
        if name:
            routed.setdefault(name, []).append(registered.kind)
    return {name: sorted(kinds) for name, kinds in routed.items()}


# --------------------------------------------------------------------------------------------------
# Writing


def message(
    *,
    kind: str,
    key: str,
    payload: dict[str, Any] | None = None,
    recipient: str = "",
    not_before: dt.datetime | None = None,
) -> OutboxMessage:
    """An unsaved message, for enqueue_many. Refuses a kind nobody handles (a typo would never be sent)."""
    registered = handler_for(kind)
    if registered is None:
        raise ImproperlyConfigured(f"No outbox handler is registered for {kind!r}; known kinds: {kinds()}.")
    if not key or len(key) > (OutboxMessage._meta.get_field("key").max_length or 0):
        raise ValueError(f"An outbox key is required and at most 200 characters: {key!r}")
    return OutboxMessage(
        kind=kind,
        key=key,
        recipient=recipient or "",
        payload=payload or {},
        max_attempts=registered.max_attempts or default_max_attempts(),
        next_attempt_at=not_before or timezone.now(),
    )


def email_message(
    *,
    key: str,
    to: str,
    subject: str | None = None,
    body: str | None = None,
    html: str = "",
    template: str | None = None,
    context: dict[str, Any] | None = None,
    **extra: Any,
) -> OutboxMessage:
    """An unsaved email message: either rendered here from ``template`` (foundation.mail.render_email:
    ``<template>_subject.txt``, ``.txt`` and optional ``.html``) or given as subject, body and html."""
    from . import mail

    if template is not None:
        content = mail.render_email(template, context or {})
        subject, body, html = content.subject, content.body, content.html
    if subject is None or body is None:
        raise ValueError("An email needs a template, or a subject and a body.")
    payload = mail.payload(to=to, subject=subject, body=body, html=html, **extra)
    return message(kind=EMAIL, key=key, recipient=to, payload=payload)


def enqueue(
    *,
    kind: str,
    key: str,
    payload: dict[str, Any] | None = None,
    recipient: str = "",
    not_before: dt.datetime | None = None,
) -> OutboxMessage | None:
    """Queue one message in the caller's transaction. Returns it, or None when (key, recipient) was queued before."""
    return _save(message(kind=kind, key=key, payload=payload, recipient=recipient, not_before=not_before))


def enqueue_email(
    *, key: str, to: str, template: str | None = None, context: dict[str, Any] | None = None, **fields: Any
) -> OutboxMessage | None:
    """Queue one email to one address; None when this key already went (or is going) to this address.

    With a template, nothing is rendered for a message that already exists."""
    if not to:
        return None
    if OutboxMessage.objects.filter(key=key, recipient=to).exists():
        return None
    return _save(email_message(key=key, to=to, template=template, context=context, **fields))


def _save(msg: OutboxMessage) -> OutboxMessage | None:
    try:
        with transaction.atomic():
            msg.save(force_insert=True)
    except IntegrityError:
        return None
    _nudge_on_commit([msg.kind])
    return msg


def enqueue_many(messages: Iterable[OutboxMessage], *, batch_size: int = 1000) -> list[OutboxMessage]:
    """Queue many messages in one go (a few queries however many). Returns those that were new.

    Messages already queued or sent under the same (key, recipient) are left out, as are repeats within
    the batch; under a race with another writer the insert still ignores the duplicate (the returned
    list may then count it, but it is stored and sent once)."""
    unique: dict[tuple[str, str], OutboxMessage] = {}
    for msg in messages:
        unique.setdefault((msg.key, msg.recipient), msg)
    if not unique:
        return []
    keys = sorted({key for key, _ in unique})
    existing: set[tuple[str, str]] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        existing |= set(OutboxMessage.objects.filter(key__in=chunk).values_list("key", "recipient"))
    fresh = [msg for pair, msg in unique.items() if pair not in existing]
    if fresh:
        OutboxMessage.objects.bulk_create(fresh, batch_size=batch_size, ignore_conflicts=True)
        _nudge_on_commit({msg.kind for msg in fresh})
    return fresh


def again(queryset: QuerySet[OutboxMessage]) -> int:
    """Make these messages due now, whatever became of them, with a fresh set of attempts: for a caller whose own
    record says the work was lost (an import job whose hand-over or worker died). Its handler must be safe to run
    twice (the import job's claim is what keeps it to one run)."""
    kinds = set(queryset.values_list("kind", flat=True).distinct()) if _delivery.get() is not None else set()
    count = queryset.update(status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now())
    if count:
        _nudge_on_commit(kinds)
    return count


def retry_now(queryset: QuerySet[OutboxMessage]) -> int:
    """Put failed (or waiting) messages back in the queue, due now, with a fresh set of attempts."""
    count = queryset.filter(status__in=[Status.FAILED, Status.QUEUED]).update(
        status=Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
    )
    if count:
        _nudge_on_commit()
    return count


# --------------------------------------------------------------------------------------------------
# Nudging a worker after commit


@dataclass
class Delivery:
    """What the nudges made while it was current: ``delayed`` is True when the broker could not be reached,
    so the messages wait in the outbox until it is back (the beat dispatcher then sends them)."""

    nudges: int = 0
    delayed: bool = False
    error: str = ""
    # With no broker (tasks in-process), dispatch in a thread of its own instead of in the request: for slow
    # work (a PDF) that the page then polls for, exactly as it does when a worker renders it.
    background: bool = False
    # The kinds dispatched in this process (in the thread, with ``background``) when the broker cannot be reached,
    # instead of waiting for it: work a person watches the page of (an import), cheap enough for a web process.
    here_if_unreachable: frozenset[str] = frozenset()
    kinds: set[str] = field(default_factory=set)  # what was queued while it was current (when known)
    threads: list[threading.Thread] = field(default_factory=list)


_delivery: contextvars.ContextVar[Delivery | None] = contextvars.ContextVar("outbox_delivery", default=None)
_dispatching: contextvars.ContextVar[bool] = contextvars.ContextVar("outbox_dispatching", default=False)


@contextmanager
def delivery(*, background: bool = False, here_if_unreachable: Iterable[str] = ()) -> Iterator[Delivery]:
    """For a view: ``with outbox.delivery() as d: service(...)``, then ``if d.delayed: tell the user``.

    ``background=True``: with no broker, what the nudge dispatches runs in a thread after the commit, so the
    request returns at once (``d.threads`` holds it, for a test to join).
    ``here_if_unreachable=[kind, ...]``: with a broker that cannot be reached, messages of these kinds are
    dispatched in this process (as with no broker) rather than left for the broker's return (``d.delayed``)."""
    current = Delivery(background=background, here_if_unreachable=frozenset(here_if_unreachable))
    token = _delivery.set(current)
    try:
        yield current
    finally:
        _delivery.reset(token)


class _NudgeAfterCommit:
    """One nudge per transaction, however many messages it queues: a later enqueue in the same transaction
    finds this one waiting (not yet fired) and adds no other."""

    fired = False

    def __call__(self) -> None:
        self.fired = True
        nudge()


def _nudge_on_commit(kinds: Iterable[str] = ()) -> None:
    current = _delivery.get()
    if current is not None:
        current.kinds.update(kinds)
    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        isinstance(entry[1], _NudgeAfterCommit) and not entry[1].fired for entry in connection.run_on_commit
    ):
        return
    transaction.on_commit(_NudgeAfterCommit(), robust=True)


def nudge() -> bool:
    """Ask a worker to dispatch now. Never raises: what a failed nudge leaves, the beat dispatcher sends.

    With no broker (tasks in-process) the dispatch runs here, after the commit."""
    from .tasks import dispatch_outbox

    current = _delivery.get()
    if current is not None:
        current.nudges += 1
    app = dispatch_outbox.app
    if app.conf.task_always_eager:
        if _dispatching.get():
            return True  # the dispatch under way in this thread picks the new rows up before it ends
        _dispatch_here(current)
        return True
    timeout = float(getattr(settings, "OUTBOX_NUDGE_TIMEOUT_SECONDS", 2))
    routed = routed_apart()
    apart = sorted(kind for kinds in routed.values() for kind in kinds)
    try:
        with app.connection_for_write(connect_timeout=timeout) as connection:
            # One try, no retry loop: a request must not wait on a broker that is down.
            connection.ensure_connection(max_retries=0, timeout=timeout)
            # The default queue's workers dispatch every kind but those routed apart, and each queue apart its own
            # (beat's dispatcher, with no arguments, sends any kind: renders still go if no render worker runs).
            dispatch_outbox.apply_async(kwargs={"exclude": apart} if apart else {}, connection=connection, retry=False)
            for queue, kinds in routed.items():
                dispatch_outbox.apply_async(kwargs={"only": kinds}, queue=queue, connection=connection, retry=False)
    except Exception as exc:  # noqa: BLE001 - any broker failure means "later", never an error page
        if current is not None and current.here_if_unreachable:
            kinds = sorted(current.here_if_unreachable)
            logger.warning("Outbox: the broker is unreachable (%s); %s dispatched in this process", exc, kinds)
            _dispatch_here(current, only=kinds)
            if not current.kinds or current.kinds - current.here_if_unreachable:
                current.delayed = True  # something else it queued waits for the broker (or may: kinds unknown)
                current.error = f"{type(exc).__name__}: {exc}"
            return True
        logger.warning("Outbox: the broker is unreachable (%s); messages wait for the dispatcher", exc)
        if current is not None:
            current.delayed = True
            current.error = f"{type(exc).__name__}: {exc}"
        return False
    return True


def _dispatch_here(current: Delivery | None, only: list[str] | None = None) -> None:
    """Dispatch in this process: in a thread of its own when the delivery asks for the background, else now."""
    if current is not None and current.background:
        thread = threading.Thread(target=_dispatch_in_thread, args=(only,), name="outbox-dispatch", daemon=True)
        current.threads.append(thread)
        thread.start()
        return
    try:
        dispatch(only=only)
    except Exception:  # noqa: BLE001 - a failed in-process dispatch must not fail the request that queued
        logger.exception("The in-process outbox dispatch failed; beat or the next nudge tries again")


def _dispatch_in_thread(only: list[str] | None = None) -> None:
    """The in-process dispatch, off the request's thread: its own database connection, closed at the end."""
    from django.db import connections

    try:
        result = dispatch(only=only)
        while result.more:
            result = dispatch(only=only)
    except Exception:  # noqa: BLE001 - nothing to answer: beat or the next nudge tries again
        logger.exception("The background outbox dispatch failed; beat or the next nudge tries again")
    finally:
        connections.close_all()


# --------------------------------------------------------------------------------------------------
# Dispatching


@dataclass
class DispatchResult:
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    skipped: int = 0
    more: bool = False  # stopped at the time budget with rows still due

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.skipped


def claim_next(
    *, now: dt.datetime | None = None, only: Iterable[str] | None = None, exclude: Iterable[str] | None = None
) -> OutboxMessage | None:
    """Claim the next due message for this worker and commit the claim; None when nothing is due.

    Two workers never claim one row: PostgreSQL skips rows another transaction has locked, and the
    update only succeeds if the row is still as it was read (the guard SQLite relies on)."""
    for _ in range(20):
        moment = now or timezone.now()
        with transaction.atomic():
            candidate = _next_due(moment, only=only, exclude=exclude)
            if candidate is None:
                return None
            claimed = _try_claim(candidate, moment)
        if claimed is not None:
            return claimed
    return None


def _next_due(
    moment: dt.datetime, *, only: Iterable[str] | None = None, exclude: Iterable[str] | None = None
) -> Mapping[str, Any] | None:
    due = OutboxMessage.objects.select_for_update(skip_locked=True).filter(
        status__in=[Status.QUEUED, Status.SENDING], next_attempt_at__lte=moment
    )
    if only is not None:
        due = due.filter(kind__in=list(only))
    if exclude:
        due = due.exclude(kind__in=list(exclude))
    return (
        due.order_by("next_attempt_at", "id").values("pk", "status", "claim_token", "attempts", "max_attempts").first()
    )


def _try_claim(candidate: Mapping[str, Any], moment: dt.datetime) -> OutboxMessage | None:
    """Claim the row read as ``candidate`` if it is still as it was read and due; else None."""
    same = OutboxMessage.objects.filter(
        pk=candidate["pk"],
        status=candidate["status"],
        claim_token=candidate["claim_token"],
        next_attempt_at__lte=moment,
    )
    if candidate["status"] == Status.SENDING and candidate["attempts"] >= candidate["max_attempts"]:
        # Every attempt so far died with its worker: stop trying, and say so.
        same.update(
            status=Status.FAILED,
            last_error=f"Gave up: the worker stopped during each of {candidate['attempts']} attempts.",
        )
        return None
    claimed = same.update(
        status=Status.SENDING,
        attempts=F("attempts") + 1,
        claim_token=uuid.uuid4(),
        next_attempt_at=moment + dt.timedelta(seconds=lease_seconds()),
    )
    return OutboxMessage.objects.get(pk=candidate["pk"]) if claimed else None


def _mark(msg: OutboxMessage, **fields: Any) -> int:
    updated = OutboxMessage.objects.filter(pk=msg.pk, claim_token=msg.claim_token).update(**fields)
    if not updated:
        logger.warning("Outbox message %s was claimed again before this worker finished it", msg.pk)
    return updated


def _error_text(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_LENGTH]


def run(msg: OutboxMessage, result: DispatchResult | None = None, *, now: dt.datetime | None = None) -> DispatchResult:
    """Hand one claimed message to its handler, then record the outcome against this claim."""
    result = result if result is not None else DispatchResult()
    registered = handler_for(msg.kind)
    try:
        if registered is None:
            # Retried rather than failed: a worker older than the web code may meet a kind it has not learnt.
            raise LookupError(f"No handler is registered for {msg.kind!r} in this worker.")
        registered.function(msg)
    except Skip as exc:
        _mark(msg, status=Status.SKIPPED, last_error=str(exc)[:ERROR_LENGTH])
        result.skipped += 1
    except Exception as exc:  # noqa: BLE001 - every failure (a soft time limit too) is kept and retried
        if msg.attempts >= msg.max_attempts:
            logger.error("Outbox message %s (%s %s) failed for good: %s", msg.pk, msg.kind, msg.key, exc)
            _mark(msg, status=Status.FAILED, last_error=_error_text(exc))
            result.failed += 1
        else:
            logger.warning("Outbox message %s (%s %s) failed, will retry: %s", msg.pk, msg.kind, msg.key, exc)
            _mark(
                msg,
                status=Status.QUEUED,
                next_attempt_at=(now or timezone.now()) + backoff(msg.attempts),
                last_error=_error_text(exc),
            )
            result.retrying += 1
        if isinstance(exc, SoftTimeLimitExceeded):
            raise
    else:
        # Straight after the hand-over: the only gap in which a crash could repeat a send is this one update.
        _mark(msg, status=Status.SENT, sent_at=now or timezone.now(), last_error="")
        result.sent += 1
    return result


def dispatch(
    *,
    now: dt.datetime | None = None,
    limit: int | None = None,
    budget_seconds: float | None = None,
    only: Iterable[str] | None = None,
    exclude: Iterable[str] | None = None,
) -> DispatchResult:
    """Send what is due (of the kinds in ``only``, if given, and not in ``exclude``), one claimed row at a time,
    until nothing is due, ``limit`` rows were handled or the time budget is spent (then ``more`` is set and the
    caller nudges again)."""
    budget = dispatch_budget_seconds() if budget_seconds is None else budget_seconds
    deadline = time.monotonic() + budget
    result = DispatchResult()
    token = _dispatching.set(True)
    try:
        while limit is None or result.handled < limit:
            if time.monotonic() >= deadline:
                result.more = True
                break
            msg = claim_next(now=now, only=only, exclude=exclude)
            if msg is None:
                break
            run(msg, result, now=now)
    finally:
        _dispatching.reset(token)
    return result


def pending_count() -> int:
    return OutboxMessage.objects.filter(status__in=[Status.QUEUED, Status.SENDING]).count()
