"""History that cannot be bypassed (issue 13 item 7): no write path to a history-tracked record skips its history.

django-simple-history writes a historical row from the post_save / post_delete signals of one instance.
``QuerySet.update()``, ``bulk_update()`` and ``bulk_create()`` send no signal, so a decided record changed that
way would keep no trace of the change; raw SQL neither. This test reads the product code (the Python syntax
tree of every module of the product packages, migrations and tests left out) and fails, naming the file and
line, for each such call on a queryset of a history-tracked model (every model registered with
simple-history, which includes every decided one: core_groups Decision and Commission, growth_bids Decision,
Bid, FundingRound, procurement Timetable and Task...), unless the line carries ``# history: <reason>``.

``QuerySet.delete()`` is checked as well: Django sends post_delete per row while a receiver listens (and
simple-history's does), but an explicit delete of the instance says so plainly and survives a future
``_raw_delete``. A queryset is recognised by what the call is made on: ``Model.objects...``, a related manager
of a history-tracked model (``round.bids...``), or a local name assigned from either in the same function.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PACKAGES = ["foundation", "core_groups", "procurement", "growth_bids", "partnerships", "review", "commissioning"]
WRITES = {"update", "bulk_update", "bulk_create", "delete", "_raw_delete", "_update", "_insert"}
ALLOW = re.compile(r"#\s*history:\s*\S")
RAW_SQL = re.compile(r"\b(UPDATE|DELETE\s+FROM|INSERT\s+INTO|TRUNCATE)\s+\"?(\w+)", re.IGNORECASE)
# The records whose decisions must survive an audit; each must be history-tracked (so guarded here).
DECIDED = [
    ("core_groups", "Decision"),
    ("core_groups", "Commission"),
    ("growth_bids", "Decision"),
    ("growth_bids", "Bid"),
    ("growth_bids", "FundingRound"),
    ("procurement", "Timetable"),
    ("procurement", "Task"),
]


def _tracked():
    return [m for m in apps.get_models() if hasattr(m._meta, "simple_history_manager_attribute")]


def guarded_names() -> tuple[set[str], set[str], set[str]]:
    """(class names, related-manager accessor names, database tables) of the history-tracked models."""
    tracked = _tracked()
    names = {m.__name__ for m in tracked}
    accessors = {"history"}  # a model's own historical rows: rewriting them is the worst bypass
    for model in apps.get_models():
        for field in model._meta.get_fields():
            related = getattr(field, "related_model", None)
            many = field.one_to_many or field.many_to_many
            if related in tracked and many and (field.auto_created and not field.concrete or field.many_to_many):
                accessor = field.get_accessor_name() if hasattr(field, "get_accessor_name") else field.name
                if accessor:
                    accessors.add(accessor)
    tables = {m._meta.db_table.lower() for m in tracked}
    return names, accessors, tables


def _chain_names(node: ast.AST) -> tuple[str | None, list[str]]:
    """The root name and the attribute names along a call chain such as ``a.b(...).c.d(...)``."""
    attrs = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            attrs.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Subscript):
            node = node.value
        else:
            break
    return (node.id if isinstance(node, ast.Name) else None), attrs


# Methods that return one instance, not a queryset: ``obj = Model.objects.get(...); obj.delete()`` is the
# instance's delete, which sends post_delete and so is recorded.
ONE = {"get", "first", "last", "latest", "earliest", "create", "get_or_create", "update_or_create", "in_bulk"}


def _one(node: ast.AST) -> bool:
    if isinstance(node, ast.Subscript):
        return True  # qs[0]
    _root, attrs = _chain_names(node)
    return bool(attrs) and attrs[0] in ONE


class _Scanner(ast.NodeVisitor):
    def __init__(self, source: str, models: set[str], accessors: set[str], tables: set[str]):
        self.lines = source.splitlines()
        self.models, self.accessors, self.tables = models, accessors, tables
        self.tainted: list[set[str]] = [set()]
        self.hits: list[tuple[int, str]] = []

    def _is_queryset(self, node: ast.AST) -> bool:
        root, attrs = _chain_names(node)
        if (root in self.models and attrs) or any(root in scope for scope in self.tainted):  # not Model(...)
            return True
        if root in ("models",) and any(a in self.models for a in attrs):
            return True
        return any(a in self.accessors or a in self.models for a in attrs)

    def _allowed(self, node: ast.AST) -> bool:
        first, last = node.lineno, getattr(node, "end_lineno", node.lineno) or node.lineno
        return any(ALLOW.search(line) for line in self.lines[first - 1 : last])

    def visit_FunctionDef(self, node):
        self.tainted.append(set())
        # Names assigned from a queryset anywhere in the function (order does not matter for a check).
        for inner in ast.walk(node):
            if isinstance(inner, ast.Assign) and self._is_queryset(inner.value) and not _one(inner.value):
                for target in inner.targets:
                    if isinstance(target, ast.Name):
                        self.tainted[-1].add(target.id)
        self.generic_visit(node)
        self.tainted.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in WRITES and self._is_queryset(func.value):
            if not (func.attr == "delete" and node.args) and not self._allowed(node):
                self.hits.append((node.lineno, f".{func.attr}() on {ast.unparse(func.value)[:80]}"))
        self.generic_visit(node)

    def visit_Constant(self, node):
        if isinstance(node.value, str):
            for match in RAW_SQL.finditer(node.value):
                if match.group(2).lower() in self.tables and not self._allowed(node):
                    self.hits.append((node.lineno, f"raw SQL writing {match.group(2)}"))


def scan(source: str, models: set[str], accessors: set[str], tables: set[str]) -> list[tuple[int, str]]:
    scanner = _Scanner(source, models, accessors, tables)
    scanner.visit(ast.parse(source))
    return scanner.hits


def product_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"migrations", "tests"}:
                continue
            yield path


def test_every_decided_model_is_history_tracked():
    tracked = _tracked()
    for app_label, name in DECIDED:
        assert apps.get_model(app_label, name) in tracked, f"{app_label}.{name} keeps no history"


def test_no_write_path_skips_history():
    models, accessors, tables = guarded_names()
    found = []
    for path in product_modules():
        for line, what in scan(path.read_text(), models, accessors, tables):
            found.append(f"{path.relative_to(ROOT)}:{line}: {what}")
    assert not found, (
        "These writes to history-tracked records skip simple-history (no post_save / post_delete per row). "
        "Save each instance instead, or, where skipping is right, say why on the line with "
        "'# history: <reason>':\n" + "\n".join(found)
    )


SAMPLE = """
from growth_bids.models import FundingRound

def close(pk, when):
    FundingRound.objects.filter(pk=pk).update(closes_at=when)

def move(funding_round):
    bids = funding_round.bids.filter(status="draft")
    bids.update(status="withdrawn")

def seed(rows):
    FundingRound.objects.bulk_create(rows)  # history: seeding an empty table, nothing decided yet

def fine(data, other):
    data.update({"a": 1})
    other.save()

SQL = 'UPDATE "growth_bids_fundinground" SET closes_at = now()'
"""


@pytest.mark.parametrize("allow", [False, True])
def test_the_scanner_finds_each_bypass_and_honours_the_allow_comment(allow):
    source = SAMPLE
    if allow:
        source = source.replace(".update(closes_at=when)", ".update(closes_at=when)  # history: test")
    hits = scan(source, {"FundingRound"}, {"bids"}, {"growth_bids_fundinground"})
    lines = [line for line, _ in hits]
    expected = [9, 18] if allow else [5, 9, 18]
    assert lines == expected, hits
