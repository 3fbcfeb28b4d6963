"""Proof that a request wrote nothing: every SQL statement it sends is watched, and each write is named.

The permission matrix (and the CSRF checks) wrap a request in ``record_writes()``. A refused request
must send no INSERT, UPDATE, DELETE or other write to any table, and must leave no ``on_commit``
callback behind (a task or an email queued for after the commit is a write too, only later).

Reads are allowed by name (SELECT, SHOW, EXPLAIN, transaction and savepoint control, SET); anything
else counts as a write, so a statement kind nobody thought of fails instead of slipping through.
This replaces hashing every product table before and after each refused POST: it is far cheaper, it
covers every table (admin log, beat schedules, history tables, sequences) instead of six apps, and
it catches a write even when the request then rolls it back.
"""

import re
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connections


def _ignored_tables():
    """Tables written on every visit by design, whoever asks and whatever the answer.

    - the session (django.contrib.sessions): signing in, and any request that touches the session;
    - the sign-in throttling logs (django-axes): every sign-in attempt, refused or not, is recorded
      so that guessing passwords is throttled. Recording a refusal is the point of them.
    Nothing else: a refused request that writes to any other table is a bug.
    """
    tables = {apps.get_model("sessions", "Session")._meta.db_table}
    try:
        tables |= {model._meta.db_table for model in apps.get_app_config("axes").get_models()}
    except LookupError:
        pass
    return frozenset(tables)


# Statements that read or steer the transaction. Everything else is a write.
READS = frozenset({"SELECT", "SHOW", "EXPLAIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "VALUES"})
# A SELECT can still write through these functions (advancing or resetting a sequence).
WRITING_FUNCTIONS = re.compile(r"\b(nextval|setval)\s*\(", re.IGNORECASE)
# Data-modifying statements inside a WITH (a "writable CTE").
CTE_WRITE = re.compile(r"\b(INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO)\b", re.IGNORECASE)
TARGET = re.compile(
    r"^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|MERGE\s+INTO|TRUNCATE(?:\s+TABLE)?|ALTER\s+TABLE|DROP\s+TABLE|COPY)"
    r"\s+(?:ONLY\s+)?\"?([\w.]+)\"?",
    re.IGNORECASE,
)
COMMENTS = re.compile(r"/\*.*?\*/|--[^\n]*", re.DOTALL)


def classify(sql):
    """(is_write, table or None) for one SQL statement."""
    text = COMMENTS.sub(" ", str(sql)).strip().lstrip("(").strip()
    keyword = text.split(None, 1)[0].upper() if text else ""
    if keyword == "WITH":
        return bool(CTE_WRITE.search(text)), None
    if keyword in READS:
        return (keyword in ("SELECT", "VALUES") and bool(WRITING_FUNCTIONS.search(text))), None
    match = TARGET.match(text)
    return True, (match.group(1) if match else None)


@dataclass
class Writes:
    """What one request wrote: statements (table, SQL) and callbacks it left to run on commit."""

    ignored_tables: frozenset
    statements: list = field(default_factory=list)
    on_commit: list = field(default_factory=list)

    def __call__(self, execute, sql, params, many, context):
        # Recorded before it runs: an attempted write is a write even if the database refuses it.
        is_write, table = classify(sql)
        if is_write and table not in self.ignored_tables:
            self.statements.append((table or "?", " ".join(str(sql).split())[:300]))
        return execute(sql, params, many, context)

    def __bool__(self):
        return bool(self.statements or self.on_commit)

    @property
    def tables(self):
        return sorted({table for table, _ in self.statements})

    def describe(self):
        lines = [f"{table}: {sql}" for table, sql in self.statements]
        lines += [f"on_commit: {name}" for name in self.on_commit]
        return "\n  ".join(["", *lines])


def _callbacks(connection):
    # Entries are (savepoint ids, callback, robust); compare the callbacks themselves, since Django
    # rebuilds the tuples when a savepoint rolls back.
    return [entry[1] for entry in connection.run_on_commit]


@contextmanager
def record_writes(using=DEFAULT_DB_ALIAS):
    """Watch every statement sent on this thread's connection inside the block.

    Yields a Writes, true when anything outside the ignored tables was written (or queued on commit).
    """
    connection = connections[using]
    writes = Writes(ignored_tables=_ignored_tables())
    before = {id(callback) for callback in _callbacks(connection)}
    with connection.execute_wrapper(writes):
        yield writes
    writes.on_commit = [
        getattr(callback, "__qualname__", None) or repr(callback)
        for callback in _callbacks(connection)
        if id(callback) not in before
    ]
