"""UK working days: England and Wales bank holidays, computed offline (no network, no data file).

The regular rules (the Banking and Financial Dealings Act 1971 as applied each year by proclamation):
New Year's Day, Good Friday, Easter Monday, the early May bank holiday (first Monday of May), the spring
bank holiday (last Monday of May), the summer bank holiday (last Monday of August), Christmas Day and
Boxing Day, with substitute weekdays when a fixed date falls at a weekend. The one-off changes
proclaimed since 1995 are listed by year.
"""

import datetime as dt
from functools import cache

ONE_DAY = dt.timedelta(days=1)

# Years when the early May holiday moved (VE day anniversaries) or the spring holiday moved (jubilees).
EARLY_MAY_MOVED = {1995: dt.date(1995, 5, 8), 2020: dt.date(2020, 5, 8)}
SPRING_MOVED = {2002: dt.date(2002, 6, 4), 2012: dt.date(2012, 6, 4), 2022: dt.date(2022, 6, 2)}
EXTRA = {
    1999: [dt.date(1999, 12, 31)],  # Millennium
    2002: [dt.date(2002, 6, 3)],  # Golden Jubilee
    2011: [dt.date(2011, 4, 29)],  # Royal wedding
    2012: [dt.date(2012, 6, 5)],  # Diamond Jubilee
    2022: [dt.date(2022, 6, 3), dt.date(2022, 9, 19)],  # Platinum Jubilee; State Funeral
    2023: [dt.date(2023, 5, 8)],  # Coronation
}


def easter_sunday(year):
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


def _first_monday(year, month):
    day = dt.date(year, month, 1)
    return day + dt.timedelta(days=(0 - day.weekday()) % 7)


def _last_monday(year, month):
    day = dt.date(year + (month == 12), month % 12 + 1, 1) - ONE_DAY
    return day - dt.timedelta(days=day.weekday())


def _next_weekday(day, taken=()):
    while day.weekday() >= 5 or day in taken:
        day += ONE_DAY
    return day


@cache
def bank_holidays(year):
    """The England and Wales bank holidays of one calendar year, as a frozenset of dates."""
    days = set()
    days.add(_next_weekday(dt.date(year, 1, 1)))
    easter = easter_sunday(year)
    days.add(easter - 2 * ONE_DAY)
    days.add(easter + ONE_DAY)
    days.add(EARLY_MAY_MOVED.get(year, _first_monday(year, 5)))
    days.add(SPRING_MOVED.get(year, _last_monday(year, 5)))
    days.add(_last_monday(year, 8))
    # Christmas and Boxing Day: a weekend date moves to the next weekday not already a holiday.
    christmas = _next_weekday(dt.date(year, 12, 25))
    days.add(christmas)
    boxing = dt.date(year, 12, 26)
    if boxing.weekday() >= 5 or boxing == christmas:
        boxing = _next_weekday(boxing, taken={christmas})
    days.add(boxing)
    days.update(EXTRA.get(year, []))
    return frozenset(days)


def is_bank_holiday(day):
    return day in bank_holidays(day.year)


def is_working_day(day):
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day):
    while not is_working_day(day):
        day += ONE_DAY
    return day


def previous_working_day(day):
    while not is_working_day(day):
        day -= ONE_DAY
    return day


def add_working_days(day, n):
    """The working day n working days after ``day`` (n may be negative: before)."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    while remaining:
        day += step
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_inclusive(start, end):
    """How many working days there are from ``start`` to ``end``, both included (0 if end < start)."""
    count = 0
    day = start
    while day <= end:
        if is_working_day(day):
            count += 1
        day += ONE_DAY
    return count


def nth_working_day_back(end, n):
    """The start of a period of n working days ending on ``end`` (inclusive of both ends)."""
    day = previous_working_day(end)
    return add_working_days(day, -(n - 1)) if n > 1 else day
