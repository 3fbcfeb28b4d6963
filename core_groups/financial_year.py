"""Financial years run 1 April to 31 March and are written 2010-11; stored as the starting year (2010)."""

import datetime as dt

from django.utils import timezone


def fy_label(start_year: int | str | None) -> str:
    if start_year is None or start_year == "":
        return ""
    start_year = int(start_year)
    return f"{start_year}-{(start_year + 1) % 100:02d}"


def fy_for_date(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    """First and last day of the financial year that starts in April of ``start_year``."""
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def current_fy() -> int:
    return fy_for_date(timezone.localdate())


def fy_choices(first: int = 2005, last: int | None = None) -> list[tuple[int, str]]:
    last = last or current_fy() + 5
    return [(y, fy_label(y)) for y in range(first, last + 1)]
