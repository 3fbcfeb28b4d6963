"""Working days as the Procurement Act 2023 counts them (s.123).

    "working day" means a day other than a Saturday or Sunday, Christmas Day, Good Friday, or a day which is
    a bank holiday under the Banking and Financial Dealings Act 1971 in any part of the United Kingdom.

So a working day excludes the bank holidays of England and Wales, Scotland *and* Northern Ireland (St Patrick's
Day, the Battle of the Boyne, St Andrew's Day, 2 January, the first Monday of August...), whichever part of the
UK the contracting authority is in.

The bank holidays come from the maintained `holidays` package (a pyproject dependency), not from a table kept
here. How a new year's holidays arrive: the package computes the regular holidays of any year from their rules
(Easter, the first and last Mondays of May, substitute days...), so next year already works; one-off holidays
proclaimed later (a coronation, a jubilee, a state funeral, Scotland's 2026 World Cup holiday) arrive with a
release of the package: upgrade it (``pip install -U holidays``, within the pinned major range) and redeploy.
``tests/procurement/test_working_days.py`` pins known one-offs, so an outdated package shows up as a failure.
"""

import datetime as dt
from functools import cache

import holidays

ONE_DAY = dt.timedelta(days=1)

# The parts of the United Kingdom with their own bank holidays, as the holidays package names them.
ENGLAND = "ENG"
WALES = "WLS"
SCOTLAND = "SCT"
NORTHERN_IRELAND = "NIR"
UK_PARTS = (ENGLAND, WALES, SCOTLAND, NORTHERN_IRELAND)


def easter_sunday(year: int) -> dt.date:
    """Gregorian Easter Sunday (the anonymous Gregorian algorithm, Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


@cache
def bank_holidays(year: int, part: str | None = None) -> frozenset[dt.date]:
    """The bank holidays of one calendar year: of one part of the UK (``part``: ENG, WLS, SCT or NIR), or of
    any part of it (``part`` None, the Act's count). Weekend dates the package lists are kept; they do not
    matter, as a weekend is never a working day."""
    parts = UK_PARTS if part is None else (part,)
    days: set[dt.date] = set()
    for subdivision in parts:
        days.update(holidays.country_holidays("GB", subdiv=subdivision, years=year).keys())
    return frozenset(days)


def holiday_names(day: dt.date) -> list[str]:
    """What a day is a holiday for, and where: ['Saint Patrick's Day (NIR)'] ([] for an ordinary day)."""
    names = []
    for subdivision in UK_PARTS:
        name = holidays.country_holidays("GB", subdiv=subdivision, years=day.year).get(day)
        if name:
            names.append(f"{name} ({subdivision})")
    return names


@cache
def non_working_days(year: int) -> frozenset[dt.date]:
    """The weekdays of ``year`` that are not working days under s.123: the UK bank holidays of every part,
    plus Christmas Day and Good Friday (which are not bank holidays in England and Wales, but are excluded)."""
    days = set(bank_holidays(year))
    days.add(dt.date(year, 12, 25))
    days.add(easter_sunday(year) - 2 * ONE_DAY)
    return frozenset(d for d in days if d.weekday() < 5)


def is_bank_holiday(day: dt.date, part: str | None = None) -> bool:
    return day in bank_holidays(day.year, part)


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in non_working_days(day.year)


def next_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day += ONE_DAY
    return day


def previous_working_day(day: dt.date) -> dt.date:
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def add_working_days(day: dt.date, n: int) -> dt.date:
    """The working day n working days after ``day`` (n may be negative: before)."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_inclusive(start: dt.date, end: dt.date) -> int:
    """How many working days there are from ``start`` to ``end``, both included (0 if end < start)."""
    count = 0
    day = start
    while day <= end:
        if is_working_day(day):
            count += 1
        day += ONE_DAY
    return count


def working_days_after(start: dt.date, end: dt.date) -> int:
    """How many working days come after ``start`` up to and including ``end`` (0 if end <= start)."""
    return working_days_inclusive(start + ONE_DAY, end)


def nth_working_day_back(end: dt.date, n: int) -> dt.date:
    """The start of a period of n working days ending on ``end`` (inclusive of both ends)."""
    day = previous_working_day(end)
    return add_working_days(day, -(n - 1)) if n > 1 else day


def describe_day(day: dt.date) -> str:
    """Why a day is not a working day, in words ('a Sunday', 'Good Friday', 'Saint Andrew's Day (SCT)')."""
    if day.weekday() >= 5:
        return f"a {day:%A}"
    if day == dt.date(day.year, 12, 25):
        return "Christmas Day"
    if day == easter_sunday(day.year) - 2 * ONE_DAY:
        return "Good Friday"
    names = holiday_names(day)
    return ", ".join(names) if names else "a working day"
