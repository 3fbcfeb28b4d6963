"""Pages kept between requests until the data changes: a person who opens a page again, with nothing written to the
database since, is answered from the cache (issue 17: the key pages at 1/20 of a trivial view's throughput).

What is kept: the whole HTML of one GET by one signed-in person, in one partnership, for one address (with its
query string), on one day (Europe/London: "overdue" and "due this week" are worked out against today), as a full
page or as an htmx fragment. Nothing is shared between two people, so nothing can be shown to someone it was not
rendered for.

When it is forgotten: every INSERT, UPDATE or DELETE any process sends through Django's database connection
(``save``, ``update``, ``bulk_create``, raw SQL, the admin, a Celery task) replaces the pages' version token, at once
and again when its transaction commits (foundation/caching.py), so a page read between the write and its commit is
not kept under the token that follows. Ignored: the bookkeeping tables no page shows (sessions, axes' sign-in
records, beat's schedule and heartbeat, the email outbox), an UPDATE of columns written as people merely read (a
sign-in's last_login, the home page's visit) and a statement that changed no row. Any other write forgets every page:
coarse, but nothing stale survives a write, and reads are most of what a partnership does. Nor is a page kept past
a moment when it changes by the clock alone (``changes_at``: a round's window closing).

What is never kept: a page that shows a flash message (or would take one off the queue), an answer other than a
200 with HTML, one that sets a cookie of its own, an anonymous visitor's. The CSRF token in a kept page is swapped
for a placeholder, and each answer from the cache gets a fresh token for the person's own secret.

Switched off with ``PAGE_CACHE = False`` (settings; env ``PAGE_CACHE``), which also stops the watching: every
process that writes (web and workers) must have it alike, as they have the same ``REDIS_URL`` it follows. With the
local-memory cache each process keeps its own pages and tokens: a write in one gunicorn worker would not reach
another's, so the product keeps pages only when the cache is shared (Redis) unless told to (``PAGE_CACHE=1``, for
one process): see settings.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import os
import re
import threading
import zlib
from collections.abc import Callable
from typing import Any

import django
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.db import connections, transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.middleware import csrf
from django.utils import timezone

from . import caching

NAMESPACE = caching.namespace("pages")
TIMEOUT = 600
# Bookkeeping no page shows: writing it forgets nothing (a session is written as a person's idle clock moves).
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "axes_accesslog",
        "commissioning_workerheartbeat",  # beat's heartbeat, every five minutes: /healthz shows it, no kept page
        "foundation_outboxmessage",  # emails queued and sent: the admin shows them, no kept page
    }
)
IGNORED_PREFIXES = ("django_celery_beat_",)
# Columns no kept page shows, by table: an UPDATE that sets only these forgets nothing. Each is written as people
# merely read: a sign-in's last_login, the home page's visit (at most once in five minutes a session; the home page
# is kept for the visit it shows, ``vary``).
IGNORED_COLUMNS = {
    "core_groups_user": frozenset({"last_login"}),
    "foundation_notificationsettings": frozenset({"visit_at", "previous_visit_at"}),
}
_SET = re.compile(r'^\s*UPDATE\s+"?[A-Za-z0-9_]+"?\s+SET\s+(.*?)\s+WHERE\s', re.IGNORECASE | re.DOTALL)
_ASSIGNED = re.compile(r'(?:^|,)\s*"?([A-Za-z0-9_]+)"?\s*=')
_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Za-z0-9_]+)"?', re.IGNORECASE)
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
PLACEHOLDER = b"@@page-cache-csrf-token@@"
HIT_HEADER = "X-Page-Cache"


def enabled() -> bool:
    return bool(getattr(settings, "PAGE_CACHE", False))


# Writes ---------------------------------------------------------------------------------------------------------------


def is_write(sql: str) -> bool:
    """Whether ``sql`` changes a table some page may show."""
    head = sql[:6].upper()
    if head not in ("INSERT", "UPDATE", "DELETE") and not sql[:1].isspace():
        return False
    match = _WRITE.match(sql)
    if match is None:
        return False
    table = match.group(1).lower()
    if table in IGNORED_TABLES or table.startswith(IGNORED_PREFIXES):
        return False
    ignored = IGNORED_COLUMNS.get(table)
    return ignored is None or not _sets_only(sql, ignored)


def _sets_only(sql: str, columns: frozenset[str]) -> bool:
    """Whether ``sql`` is an UPDATE whose every assignment is to one of ``columns`` (an INSERT or DELETE is not)."""
    found = _SET.match(sql)
    if found is None:
        return False
    clause = found.group(1)
    if "(" in clause:  # an expression or subquery (its own WHERE may have cut the clause short): not plain values
        return False
    assigned = _ASSIGNED.findall(clause)
    # Every assignment follows SET or a comma; one that did not parse leaves a comma unaccounted for.
    return bool(assigned) and clause.count(",") + 1 == len(assigned) and set(assigned) <= columns


# Whether this thread has kept a page since the token was last renewed: only this thread's transaction sees its
# own uncommitted writes, so only then must a write inside a transaction renew the token again before the commit.
_state = threading.local()


def _renew() -> None:
    caching.renew(NAMESPACE)
    _state.kept = False


def _written(connection: Any) -> None:
    """A write went through ``connection``: forget the pages now, and again when its transaction commits.

    Inside a transaction the token is renewed at the first write and again only if this thread has kept a page
    since (a thousand writes in one commit renew it twice, not two thousand times); the commit renews it once more,
    so a page another request read and kept before the commit is never read after it."""
    if not connection.in_atomic_block:
        _renew()
        return
    scheduled = any(func is _renew for _sids, func, _robust in connection.run_on_commit)
    if not scheduled or getattr(_state, "kept", False):
        _renew()
    if not scheduled:
        transaction.on_commit(_renew, using=connection.alias)


def _watch(connection: Any) -> Callable[..., Any]:
    def watcher(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        # A write that changed no row (a sweep finding nothing to do) forgets nothing.
        if enabled() and is_write(sql) and getattr(context.get("cursor"), "rowcount", -1) != 0:
            _written(connection)
        return result

    watcher.page_cache = True  # type: ignore[attr-defined]
    return watcher


def watch(connection: Any) -> None:
    """Every write through ``connection`` forgets the pages (once per connection object)."""
    if not any(getattr(w, "page_cache", False) for w in connection.execute_wrappers):
        connection.execute_wrappers.append(_watch(connection))


def _on_connection_created(sender: Any, connection: Any, **kwargs: Any) -> None:
    watch(connection)


def install() -> None:
    """Called once, from foundation's ``ready``: connections made from now on are watched, and those open now."""
    connection_created.connect(_on_connection_created, dispatch_uid="foundation.page_cache.watch")
    for connection in connections.all(initialized_only=True):
        watch(connection)


# Moments --------------------------------------------------------------------------------------------------------------

# Functions of now giving the next moment after it when a page may change with no write at all (a bid round's window
# closing at 17:00): a page is not kept past the nearest.
_moments: list[Callable[[datetime.datetime], datetime.datetime | None]] = []


def changes_at(moment: Callable[[datetime.datetime], datetime.datetime | None]) -> None:
    """Register ``moment(now)`` (in an app's ``ready``): the next time after ``now`` when what a page shows changes
    by the clock alone, or None. Days need none: the day is part of every key."""
    if moment not in _moments:
        _moments.append(moment)


def keep_for(now: datetime.datetime | None = None) -> int:
    """Seconds a page rendered now may be kept: ``TIMEOUT``, or less when a registered moment comes sooner."""
    now = now or timezone.now()
    seconds = float(TIMEOUT)
    for moment in _moments:
        at = moment(now)
        if at is not None:
            seconds = min(seconds, (at - now).total_seconds())
    return max(int(seconds), 0)


# Pages ----------------------------------------------------------------------------------------------------------------


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and len(messages.get_messages(request)) > 0


_SKIPPED_DIRECTORIES = {".git", ".venv", "node_modules", "staticfiles", "media", "artifacts", "tests", "bench"}


@functools.cache
def code_version() -> str:
    """A fingerprint of the product's code and templates as this process found them (name, size and time of each
    .py and .html file, and Django's version): a deploy that changes how a page looks does not serve the pages its
    predecessor kept."""
    digest = hashlib.sha256(django.get_version().encode())
    for root, directories, files in os.walk(settings.BASE_DIR):
        directories[:] = sorted(d for d in directories if d not in _SKIPPED_DIRECTORIES and not d.startswith("."))
        for name in sorted(files):
            if name.endswith((".py", ".html")):
                path = os.path.join(root, name)
                try:
                    stat = os.stat(path)
                except OSError:
                    continue
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def key(request: HttpRequest, token: str, varies: str = "") -> str:
    partnership = getattr(request, "partnership", None)
    address = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
    parts = [
        NAMESPACE,
        token,
        code_version(),
        str(request.user.pk),
        str(partnership.pk if partnership is not None else "-"),
        "hx" if request.headers.get("HX-Request") else "page",
        timezone.localdate().isoformat(),
        address,
        varies,
    ]
    return ":".join(parts)


# Django's own inverse of get_token's masking (private: should a release drop it, pages with a form are not kept).
_unmask = getattr(csrf, "_unmask_cipher_token", None)


def _without_tokens(request: HttpRequest, body: bytes) -> bytes | None:
    """``body`` with every CSRF token of the person's own secret replaced by the placeholder (None: not keepable)."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret:
        return body
    if _unmask is None:
        return None if b"csrfmiddlewaretoken" in body else body

    def swap(match: re.Match[bytes]) -> bytes:
        candidate = match.group(0)
        return PLACEHOLDER if _unmask(candidate.decode()) == secret else candidate

    return _TOKEN.sub(swap, body)


def _keepable(response: HttpResponse) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and response.get("Content-Type", "").startswith("text/html")
        and "no-store" not in response.get("Cache-Control", "")
    )


def cached_page(view: Callable[..., Any], vary: Callable[[HttpRequest], str] | None = None) -> Callable[..., Any]:
    """Wrap a view (``cached_page(SomeView.as_view())`` in a URLconf) whose GET may be kept until the data changes.

    The view must show only what the database holds for the person, their partnership, the address and today:
    nothing read from the session, a cookie, the clock finer than a day (unless a moment is registered with
    ``changes_at``) or another service, unless ``vary`` says it. ``vary(request)`` is called on every GET before
    anything is looked up (it may write, e.g. note a visit), and what it returns is part of the key.
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        user = getattr(request, "user", None)
        if (
            not enabled()
            or request.method != "GET"
            or user is None
            or not user.is_authenticated
            or _has_messages(request)
        ):
            return view(request, *args, **kwargs)
        varies = vary(request) if vary is not None else ""
        token = caching.version(NAMESPACE)  # read before the data: a write from now on makes a new one
        if not token:
            return view(request, *args, **kwargs)
        page_key = key(request, token, varies)
        kept = cache.get(page_key)
        if kept is not None:
            content_type, packed = kept
            body = zlib.decompress(packed)
            if PLACEHOLDER in body:
                body = body.replace(PLACEHOLDER, csrf.get_token(request).encode())
            response = HttpResponse(body, content_type=content_type)
            response[HIT_HEADER] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if _keepable(response) and not _has_messages(request):
            keepable = _without_tokens(request, response.content)
            seconds = keep_for()
            if keepable is not None and seconds > 0:
                # Compressed (a page of 100 KB keeps about 10): Redis holds every page kept in the last ten minutes.
                cache.set(page_key, (response["Content-Type"], zlib.compress(keepable, 1)), seconds)
                _state.kept = True
                response[HIT_HEADER] = "miss"
        return response

    return wrapper
