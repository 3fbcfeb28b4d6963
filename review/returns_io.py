"""Returns from a CSV or Excel file: one row per figure (service, quarter, measure, value).

All or nothing, like the register import: every problem is listed by line and column, and nothing is saved
unless every row is right. A provider's user may import figures for their own services only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from foundation import spreadsheets

from . import rules

COLUMNS = [("service", "Service"), ("quarter", "Quarter"), ("measure", "Measure"), ("value", "Value")]
MAX_ROWS = 5000
QUARTER_LABEL = re.compile(r"^(\d{4})-(\d{2})\s*Q([1-4])$", re.IGNORECASE)


@dataclass
class Problem:
    line: int
    column: str
    message: str


class ImportRefused(Exception):
    """The whole file was refused; ``problems`` lists every (line, column, message)."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in the file; nothing was saved.")


def parse_quarter(raw: Any) -> date | None:
    """'2011-12 Q1', or any date in the quarter (a date cell, YYYY-MM-DD or DD/MM/YYYY): the quarter's first day."""
    if isinstance(raw, datetime):
        return rules.quarter_start(raw.date())
    if isinstance(raw, date):
        return rules.quarter_start(raw)
    text = str(raw or "").strip()
    found = QUARTER_LABEL.match(text)
    if found:
        fy, number = int(found.group(1)), int(found.group(3))
        month = {1: 4, 2: 7, 3: 10, 4: 1}[number]
        return date(fy + 1 if number == 4 else fy, month, 1)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return rules.quarter_start(datetime.strptime(text, fmt).date())  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    return None


def read(name: str, data: bytes) -> tuple[list[dict[str, Any]], list[Problem]]:
    """The file's rows as dicts keyed by column (with their line), or the problems reading its header."""
    try:
        rows = spreadsheets.read_rows(data, name=name, max_rows=MAX_ROWS)
    except spreadsheets.UnreadableSpreadsheet as exc:
        return [], [Problem(1, "", str(exc))]
    if not rows:
        return [], [Problem(1, "", "The file is empty: the first row names the columns.")]
    header = [str(cell or "").strip().lower() for cell in rows[0]]
    missing = [label for key, label in COLUMNS if key not in header]
    if missing:
        return [], [Problem(1, label, f"The column “{label}” is missing.") for label in missing]
    index = {key: header.index(key) for key, _ in COLUMNS}
    records = []
    for line, row in enumerate(rows[1:], start=2):
        if not any(str(cell or "").strip() for cell in row):
            continue
        cells = {key: (row[i] if i < len(row) else None) for key, i in index.items()}
        records.append({"line": line, **cells})
    if not records:
        return [], [Problem(2, "", "The file has no figures below its header.")]
    return records, []


def to_decimal(raw: Any) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, float):
        # Excel stores every number as a float: its text (repr) is the figure a person typed.
        raw = repr(raw)
    try:
        return Decimal(str(raw).strip().replace(",", "").rstrip("%"))
    except InvalidOperation:
        return Decimal("NaN")
