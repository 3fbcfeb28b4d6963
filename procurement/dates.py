"""Dates of mixed precision, as procurement timetables write them (DOMAIN Rule 3).

"24th October 2008", "Early October 2008", "End of Sept 2008", "March 2009", "March/April 2009",
"October to December 2009", "To be decided". A task keeps a due date (the last day by which it
should be done, used for sorting, colours and reminders) with its precision, and a start date for
periods; the label is drawn from them.
"""

import calendar
import datetime as dt


class Precision:
    DAY = "day"
    EARLY = "early"
    MID = "mid"
    END = "end"
    MONTH = "month"
    SPAN = "span"
    TBD = "tbd"

    CHOICES = [
        (DAY, "A day"),
        (EARLY, "Early in a month"),
        (MID, "Mid-month"),
        (END, "End of a month"),
        (MONTH, "A month"),
        (SPAN, "A span of months"),
        (TBD, "To be decided"),
    ]
    MONTHLY = {EARLY, MID, END, MONTH, SPAN}


EARLY_DAY = 10
MID_DAY = 20


def month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day, months):
    """The same day ``months`` later (or earlier, if negative), clamped to the end of a short month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def snap(precision, day):
    """The due date a task of this precision has when it falls in ``day``'s month (or on ``day``)."""
    if day is None or precision == Precision.TBD:
        return None
    if precision == Precision.EARLY:
        return day.replace(day=EARLY_DAY)
    if precision == Precision.MID:
        return day.replace(day=MID_DAY)
    if precision in (Precision.END, Precision.MONTH, Precision.SPAN):
        return month_end(day)
    return day


def _month(day):
    return f"{calendar.month_name[day.month]} {day.year}"


def label(precision, due, start=None):
    """How a date of this precision is written: 'Early October 2008', 'March/April 2009'..."""
    if precision == Precision.TBD or due is None:
        return "To be decided"
    if precision == Precision.EARLY:
        return f"Early {_month(due)}"
    if precision == Precision.MID:
        return f"Mid {_month(due)}"
    if precision == Precision.END:
        return f"End of {_month(due)}"
    if precision == Precision.MONTH:
        return _month(due)
    if precision == Precision.SPAN:
        if start is None or (start.year, start.month) == (due.year, due.month):
            return _month(due)
        months_apart = (due.year - start.year) * 12 + due.month - start.month
        if start.year == due.year:
            if months_apart == 1:
                return f"{calendar.month_name[start.month]}/{calendar.month_name[due.month]} {due.year}"
            return f"{calendar.month_name[start.month]} to {calendar.month_name[due.month]} {due.year}"
        return f"{_month(start)} to {_month(due)}"
    return f"{due.day} {_month(due)}"
