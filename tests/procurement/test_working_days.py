"""Working days as the Procurement Act 2023 s.123 counts them, from the `holidays` package (pure: no database)."""

import datetime as dt

import pytest

from procurement.scheduling import draw_timetable
from procurement.template_library import TEMPLATES
from procurement.working_days import (
    add_working_days,
    bank_holidays,
    describe_day,
    is_working_day,
    non_working_days,
    working_days_inclusive,
)

D = dt.date


@pytest.mark.parametrize(
    "day, why",
    [
        (D(2026, 3, 17), "Saint Patrick's Day (NIR)"),
        (D(2026, 7, 13), "Battle of the Boyne (observed) (NIR)"),
        (D(2026, 1, 2), "New Year Holiday (SCT)"),
        (D(2026, 8, 3), "Summer Bank Holiday (SCT)"),
        (D(2026, 11, 30), "Saint Andrew's Day (SCT)"),
        (D(2026, 8, 31), "Late Summer Bank Holiday (ENG)"),
    ],
)
def test_a_bank_holiday_in_any_part_of_the_uk_is_not_a_working_day(day, why):
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert why in describe_day(day)


def test_england_alone_would_count_those_days_as_working_days():
    # The old table (England and Wales only) counted St Patrick's Day and St Andrew's Day as working days.
    assert D(2026, 3, 17) not in bank_holidays(2026, "ENG")
    assert D(2026, 11, 30) not in bank_holidays(2026, "ENG")
    assert D(2026, 3, 17) in bank_holidays(2026)


def test_christmas_day_and_good_friday_are_never_working_days():
    for year in range(2024, 2040):
        christmas = D(year, 12, 25)
        if christmas.weekday() < 5:
            assert christmas in non_working_days(year)
    assert describe_day(D(2027, 3, 26)) == "Good Friday"
    assert not is_working_day(D(2027, 3, 26))
    assert describe_day(D(2026, 12, 25)) == "Christmas Day"
    assert describe_day(D(2026, 12, 27)) == "a Sunday"


def test_one_off_holidays_come_from_the_package():
    # These are proclaimed one at a time; an outdated package would miss them.
    assert D(2023, 5, 8) in bank_holidays(2023)  # the Coronation
    assert D(2022, 9, 19) in bank_holidays(2022)  # the State Funeral
    assert D(2026, 6, 15) in bank_holidays(2026, "SCT")  # Scotland at the World Cup


def test_regular_holidays_of_years_ahead_are_known():
    assert D(2035, 12, 25) in bank_holidays(2035)
    assert len([d for d in non_working_days(2040) if d.weekday() < 5]) >= 10


def test_a_standstill_counted_across_the_uk():
    # 16-26 March 2026 would be 9 working days in England; St Patrick's Day (NI) makes it 8.
    assert working_days_inclusive(D(2026, 3, 16), D(2026, 3, 26)) == 8
    assert add_working_days(D(2026, 3, 16), 7) == D(2026, 3, 26)


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["name"])
@pytest.mark.parametrize("tupe", [True, False])
def test_statutory_milestones_land_on_working_days(template, tupe):
    start = D(2026, 3, 1)
    for offset in range(0, 400, 7):
        plan = draw_timetable(template["steps"], start + dt.timedelta(days=offset), tupe=tupe)
        steps = {s.position: s for s in template["steps"]}
        for task in plan:
            if steps[task.step_position].lands_on_working_day:
                assert is_working_day(task.due), (task.activity, task.due, describe_day(task.due))


def test_the_tender_notice_is_never_on_a_sunday():
    steps = next(t for t in TEMPLATES if t["name"] == "Open procedure (Procurement Act 2023)")["steps"]
    sundays = 0
    for offset in range(50):
        plan = draw_timetable(steps, D(2027, 1, 1) + dt.timedelta(days=offset * 5))
        notice = next(t for t in plan if t.activity.startswith("Publish the tender notice"))
        sundays += notice.due.weekday() == 6
    assert sundays == 0
