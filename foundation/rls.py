"""A second wall in PostgreSQL: row-level security keyed on the partnerships of whoever is asking.

Every query of the app is scoped to the partnership in the ORM (``core_groups.tenancy``). On PostgreSQL, the
tables of partnership-owned objects also carry a row-level security policy: a row is visible only when the
connection's ``app.partnerships`` setting (a comma-separated list of partnership ids, set per request by
``core_groups.middleware.PartnershipDatabaseMiddleware``) names its partnership. A query that forgot its filter
still returns nothing of another partnership.

The setting unset or empty is the system context: migrations, beat, the workers and management commands act for
the system and see every row. A signed-in person in no partnership is given ``-1`` and sees nothing.

PostgreSQL superusers and roles with BYPASSRLS are never bound by row-level security: the wall holds only when
the app connects as an ordinary role (see the README). SQLite has no such thing; the ORM scoping is the only
wall there, and every function here does nothing on it.

The policy of a child table (a bid, a spend entry) asks that its parent row be visible: the parent's own policy
applies inside the subquery, so the wall follows the chain of parents up to the partnership.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

SETTING = "app.partnerships"
POLICY = "partnership_wall"

# Tables where a row with no partnership is national (shipped with the product) and visible to every partnership.
NATIONAL_WHEN_NULL = frozenset({"procurement_timetabletemplate", "procurement_historicaltimetabletemplate"})

# Child tables walled through their parent: (table, foreign-key column, parent table). The parent is walled itself
# (by its partnership_id or by its own parent), so the chain is checked all the way up.
CHILD_TABLES: tuple[tuple[str, str, str], ...] = (
    ("core_groups_coregroupmembership", "core_group_id", "core_groups_coregroup"),
    ("core_groups_commission", "core_group_id", "core_groups_coregroup"),
    ("core_groups_allocation", "core_group_id", "core_groups_coregroup"),
    ("core_groups_spendentry", "core_group_id", "core_groups_coregroup"),
    ("growth_bids_fundinground", "programme_id", "core_groups_programme"),
    ("review_measure", "programme_id", "core_groups_programme"),
    ("review_meeting", "programme_id", "core_groups_programme"),
    ("review_event", "programme_id", "core_groups_programme"),
    ("procurement_templatestep", "template_id", "procurement_timetabletemplate"),
    ("procurement_projectpartner", "project_id", "procurement_procurementproject"),
    ("procurement_timetable", "project_id", "procurement_procurementproject"),
    ("procurement_conflictassessment", "project_id", "procurement_procurementproject"),
    ("commissioning_rendering", "report_id", "commissioning_boardreport"),
    ("commissioning_boardreport_projects", "boardreport_id", "commissioning_boardreport"),
    # Second level: through the funding round, the commission.
    ("growth_bids_bid", "funding_round_id", "growth_bids_fundinground"),
    ("growth_bids_noticeofintent", "funding_round_id", "growth_bids_fundinground"),
    ("growth_bids_decision", "funding_round_id", "growth_bids_fundinground"),
    ("growth_bids_criterion", "funding_round_id", "growth_bids_fundinground"),
    ("review_return", "commission_id", "core_groups_commission"),
    ("review_minuteitem", "meeting_id", "review_meeting"),
    # Third level: through the bid.
    ("growth_bids_attachment", "bid_id", "growth_bids_bid"),
    ("growth_bids_evaluation", "bid_id", "growth_bids_bid"),
    ("growth_bids_supportrequest", "bid_id", "growth_bids_bid"),
    ("growth_bids_bidrevision", "bid_id", "growth_bids_bid"),
    ("growth_bids_bidstatement", "bid_id", "growth_bids_bid"),
    ("growth_bids_evaluationdraft", "bid_id", "growth_bids_bid"),
    ("growth_bids_evaluatorassignment", "bid_id", "growth_bids_bid"),
)

_SYSTEM = f"coalesce(current_setting('{SETTING}', true), '') = ''"
_LISTED = f"string_to_array(current_setting('{SETTING}', true), ',')::bigint[]"


def owned_condition(table: str) -> str:
    """The policy's condition for a table with a ``partnership_id`` column."""
    rule = f"{_SYSTEM} OR partnership_id = ANY ({_LISTED})"
    if table in NATIONAL_WHEN_NULL:
        rule = f"{_SYSTEM} OR partnership_id IS NULL OR partnership_id = ANY ({_LISTED})"
    return rule


def child_condition(child: str, column: str, parent: str) -> str:
    """The policy's condition for a child table: its parent row is visible (under the parent's own policy)."""
    return f'{_SYSTEM} OR EXISTS (SELECT 1 FROM "{parent}" p WHERE p.id = "{child}"."{column}")'  # noqa: S608 (table names of CHILD_TABLES, not input)


def policy_statements(table: str, condition: str) -> list[str]:
    """Enable and force row-level security on ``table`` with one policy (for reads and writes alike)."""
    return [
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY',
        # FORCE: the table's owner (the role that ran the migrations) is bound too.
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY',
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"',
        f'CREATE POLICY {POLICY} ON "{table}" USING ({condition}) WITH CHECK ({condition})',
    ]


def owned_tables(cursor: Any) -> list[str]:
    """Every table of the current schema with a ``partnership_id`` column (history tables included)."""
    cursor.execute(
        "SELECT table_name FROM information_schema.columns "
        "WHERE column_name = 'partnership_id' AND table_schema = current_schema() ORDER BY table_name"
    )
    return [row[0] for row in cursor.fetchall()]


def _existing(cursor: Any, tables: Iterable[str]) -> set[str]:
    cursor.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
        "AND table_name = ANY(%s)",
        [list(tables)],
    )
    return {row[0] for row in cursor.fetchall()}


def walled_tables(cursor: Any) -> list[str]:
    """The tables the wall covers in this database: owned tables, then child tables that exist."""
    present = _existing(cursor, [child for child, _, _ in CHILD_TABLES])
    return owned_tables(cursor) + [child for child, _, _ in CHILD_TABLES if child in present]


def enable(connection: BaseDatabaseWrapper) -> None:
    """Put the wall up on every partnership-owned table and every listed child table (idempotent)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in owned_tables(cursor):
            for sql in policy_statements(table, owned_condition(table)):
                cursor.execute(sql)
        present = _existing(cursor, [child for child, _, _ in CHILD_TABLES])
        for child, column, parent in CHILD_TABLES:
            if child in present:
                for sql in policy_statements(child, child_condition(child, column, parent)):
                    cursor.execute(sql)


def disable(connection: BaseDatabaseWrapper) -> None:
    """Take the wall down (the migration's reverse)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in walled_tables(cursor):
            cursor.execute(f'DROP POLICY IF EXISTS {POLICY} ON "{table}"')
            cursor.execute(f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY')
            cursor.execute(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')


def set_partnerships(connection: BaseDatabaseWrapper, value: str) -> None:
    """Set ``app.partnerships`` for the rest of the connection's session ('' is the system context)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [SETTING, value])
