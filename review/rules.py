"""The pure rules of review: periods, units and attendance counts, over plain values (no ORM)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

PERCENTAGE = "percentage"
MONEY = "money"

# A return is due this many days after the end of its period.
DAYS_TO_RETURN = 30


def value_problem(unit: str, value: Decimal | None) -> str | None:
    """Why ``value`` cannot be a figure in ``unit``; None when it can (or when there is no value)."""
    if value is None:
        return None
    if value < 0:
        return "A figure cannot be negative."
    if unit == PERCENTAGE and value > 100:
        return f"A percentage cannot be more than 100 (you entered {value.normalize():f})."
    return None


def format_value(unit: str, value: Decimal | None, unit_label: str = "") -> str:
    if value is None:
        return "—"
    if unit == PERCENTAGE:
        text = f"{value.normalize():f}%"
    elif unit == MONEY:
        text = f"£{value:,.2f}"
    else:
        text = f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value:,}"
    return f"{text} {unit_label}".strip() if unit_label and unit != MONEY else text


def quarter_start(day: date) -> date:
    """The first day of the financial quarter (April-June, July-September ...) that ``day`` is in."""
    month = ((day.month - 1) // 3) * 3 + 1
    return date(day.year, month, 1)


def quarter_end(start: date) -> date:
    year, month = (start.year + 1, 1) if start.month == 10 else (start.year, start.month + 3)
    return date(year, month, 1) - timedelta(days=1)


def period_label(start: date, end: date) -> str:
    """'2011-12 Q1' for a financial quarter; otherwise the dates."""
    if start == quarter_start(start) and end == quarter_end(start):
        fy = start.year if start.month >= 4 else start.year - 1
        number = {4: 1, 7: 2, 10: 3, 1: 4}[start.month]
        return f"{fy}-{str(fy + 1)[-2:]} Q{number}"
    return f"{start:%d %b %Y} to {end:%d %b %Y}"


def quarters(start: date, end: date) -> list[tuple[date, date]]:
    """The financial quarters that overlap ``start``..``end``, each as (first day, last day)."""
    result = []
    first = quarter_start(start)
    while first <= end:
        last = quarter_end(first)
        result.append((first, last))
        first = last + timedelta(days=1)
    return result


def due_date(period_end: date) -> date:
    return period_end + timedelta(days=DAYS_TO_RETURN)


def period_problem(start: date, end: date, life_start: date | None, life_end: date | None) -> str | None:
    """Why a return for start..end cannot be made for a service that runs life_start..life_end (None: it can)."""
    if end < start:
        return "The period cannot end before it starts."
    if life_start is None:
        return "The service has no start date yet, so no return can be made for it."
    # A quarter may begin before a service that started mid-quarter: a period outside the life shares no day with it.
    if end < life_start:
        return f"The period ends before the service started ({life_start:%d %B %Y}): it is outside the service's life."
    if life_end is not None and start > life_end:
        return f"The period starts after the service ended ({life_end:%d %B %Y}): it is outside the service's life."
    return None


def ordinal_times(n: int) -> str:
    return {0: "never attended", 1: "attended once", 2: "attended twice"}.get(n, f"attended {n} times")


@dataclass
class AttendanceCount:
    """How often each of a group of people attended, and the pattern in words."""

    counts: dict[str, int]
    meetings: int

    def pattern(self) -> list[str]:
        """['1 member never attended', '2 members attended once', ...], fewest attendances first."""
        by_times = Counter(self.counts.values())
        return [
            f"{people} member{'s' if people != 1 else ''} {ordinal_times(times)}"
            for times, people in sorted(by_times.items())
        ]


def count_attendance(records: Iterable[tuple[str, bool]], meetings: int) -> AttendanceCount:
    """``records`` are (person, attended) for every invitation; a person invited and never present counts 0."""
    counts: dict[str, int] = {}
    for person, attended in records:
        counts[person] = counts.get(person, 0) + (1 if attended else 0)
    return AttendanceCount(counts=counts, meetings=meetings)
