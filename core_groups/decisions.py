"""What a decision was about, as plain values: the decided fields of a record and their digest.

A decision records the version of the thing decided and a digest of its decided fields. When the digest
of the record today differs from the digest its decision recorded, the decision does not apply to what the
record now says: services reopen it (the old decision stays on record as superseded) and pages never show
an approval for content it did not approve. No ORM here: plain values in, plain values out.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

# The fields of a commission that the JCG's decision on a single-tender business case is about.
BUSINESS_CASE_FIELDS: tuple[str, ...] = (
    "route",
    "business_case",
    "annual_value",
    "provider",
    "indicative_start",
    "indicative_end",
)

# The fields of a commission an approved specification is about: the service to be bought, its route, value and dates.
SPECIFICATION_FIELDS: tuple[str, ...] = (
    "title",
    "service_area",
    "route",
    "annual_value",
    "indicative_start",
    "indicative_end",
)

FIELD_LABELS = {
    "title": "title",
    "service_area": "service area",
    "route": "route",
    "business_case": "business case",
    "annual_value": "annual value",
    "provider": "provider",
    "indicative_start": "indicative start",
    "indicative_end": "indicative end",
    "financial_year": "financial year",
    "growth_money": "growth money",
    "holdback_pct": "holdback",
    "opens_on": "opening date",
    "annual_amount": "annual amount",
    "commissioning_pct": "commissioning costs",
    "discretion_pct": "core group discretion",
    "discretion_floor": "discretion floor",
    "effective_from": "financial year it takes effect",
    "tasks": "tasks",
}


def _plain(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value.strip().replace("\r\n", "\n")
    return value


def decided_values(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The decided fields of ``obj`` as JSON-safe plain values (related records by id)."""
    values = {}
    for name in fields:
        attname = f"{name}_id" if hasattr(obj, f"{name}_id") else name
        values[name] = _plain(getattr(obj, attname, None))
    return values


def digest(values: Mapping[str, Any]) -> str:
    """A SHA-256 of the decided values, stable across key order and runs."""
    text = json.dumps({k: _plain(v) for k, v in values.items()}, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def changed_fields(decided: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """Which decided fields differ between what was decided and what the record says now."""
    return [name for name in now if _plain(decided.get(name)) != _plain(now.get(name))]


def describe_changes(names: Iterable[str]) -> str:
    labels = [FIELD_LABELS.get(n, n.replace("_", " ")) for n in names]
    if not labels:
        return ""
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]
