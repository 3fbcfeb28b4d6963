"""Backward scheduling, date precision and UK working days (pure: no database)."""

import datetime as dt

import pytest

from procurement.dates import Precision, label, snap
from procurement.scheduling import (
    PlannedTask,
    SchedulingError,
    Stage,
    StatutoryPeriodError,
    Step,
    Unit,
    draw_timetable,
    replan,
    validate_timetable,
)
from procurement.template_library import LEEDS_STEPS, OPEN_PA2023_STEPS, TEMPLATES
from procurement.working_days import (
    add_working_days,
    bank_holidays,
    easter_sunday,
    is_working_day,
    working_days_inclusive,
)

D = dt.date
LEEDS_START = D(2010, 4, 1)

# Appendix 1 of seed 003, "PROCUREMENT TIMETABLE – v10", as Leeds wrote the dates.
LEEDS_V10 = {
    1: "March 2008",
    2: "March 2008",
    3: "April 2008",
    4: "March 2008",
    5: "April/May 2008",
    6: "End of September 2008",
    7: "End of September 2008",
    8: "End of September 2008",
    9: "Early October 2008",
    10: "Early October 2008",
    11: "24 October 2008",
    12: "14 November 2008",
    13: "March 2009",
    14: "End of November 2008",
    15: "March 2009",
    16: "February 2009",
    17: "To be decided",
    18: "February 2009",
    19: "February 2009",
    20: "March 2009",
    21: "March 2009",
    22: "End of January 2009",
    23: "March 2009",
    24: "April 2009",
    25: "March/April 2009",
    26: "March/April 2009",
    27: "May 2009",
    28: "Early May 2009",
    29: "May/June 2009",
    30: "Early July 2009",
    31: "July/August 2009",
    32: "Early September 2009",
    33: "September 2009",
    34: "October to December 2009",
    35: "January to March 2010",
    36: "1 April 2010",
}


def test_leeds_timetable_v10_is_reproduced_from_the_contract_start_with_tupe():
    plan = draw_timetable(LEEDS_STEPS, LEEDS_START, tupe=True)
    numbered = {t.number: t for t in plan if t.stage != Stage.REVIEW}
    assert len(numbered) == 36
    assert {n: t.date_label for n, t in numbered.items()} == LEEDS_V10
    assert numbered[1].activity == "Project Scoping"
    assert numbered[36].due == LEEDS_START
    review = [t for t in plan if t.stage == Stage.REVIEW]
    assert [(t.activity, t.date_label) for t in review] == [("Review of Procurement Process", "May 2010")]
    assert validate_timetable(plan, LEEDS_START) == []


def test_without_tupe_the_lead_in_drops_out_and_earlier_steps_move_later():
    with_tupe = {t.activity: t for t in draw_timetable(LEEDS_STEPS, LEEDS_START, tupe=True)}
    without = {t.activity: t for t in draw_timetable(LEEDS_STEPS, LEEDS_START, tupe=False)}
    assert "TUPE lead in period if TUPE was to apply" not in without
    assert without["Award Contracts"].date_label == "December 2009"
    assert without["Project Scoping"].date_label == "June 2008"
    assert without["Start date for Contract"].due == with_tupe["Start date for Contract"].due == LEEDS_START


def test_moving_the_contract_start_moves_the_plan_by_whole_months():
    plan = {t.number: t for t in draw_timetable(LEEDS_STEPS, D(2010, 6, 1), tupe=True)}
    assert plan[11].date_label == "24 December 2008"
    assert plan[34].date_label == "December 2009 to February 2010"


def test_pa2023_open_procedure_has_statutory_periods_and_bank_holiday_aware_standstill():
    plan = {t.activity: t for t in draw_timetable(OPEN_PA2023_STEPS, LEEDS_START, tupe=False)}
    standstill = plan["Standstill period"]
    assert working_days_inclusive(standstill.starts_on, standstill.due) == 8
    assert plan["Publish the contract award notice"].due == standstill.starts_on
    tendering = plan["Tendering period"]
    assert (tendering.due - tendering.starts_on).days + 1 >= 25
    assert "Publish the contract details notice (within 30 days of entering into the contract)" in plan


def test_a_standstill_over_christmas_counts_bank_holidays():
    # Contract start 18 January 2027: the standstill straddles Christmas and New Year.
    plan = {t.activity: t for t in draw_timetable(OPEN_PA2023_STEPS, D(2027, 3, 5), tupe=False)}
    standstill = plan["Standstill period"]
    days = [standstill.starts_on + dt.timedelta(n) for n in range((standstill.due - standstill.starts_on).days + 1)]
    assert sum(is_working_day(d) for d in days) == 8


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["name"])
@pytest.mark.parametrize("tupe", [True, False])
def test_every_shipped_template_draws_a_valid_timetable(template, tupe):
    plan = draw_timetable(template["steps"], D(2027, 4, 1), tupe=tupe)
    assert plan and validate_timetable(plan, D(2027, 4, 1)) == []


def test_a_statutory_period_cut_short_is_refused_with_the_rule_named():
    steps = [
        Step(1, Stage.TENDER, "Tendering period", duration=20, statutory_minimum=25, statutory_rule="PA 2023 s.54"),
        Step(2, Stage.AWARD, "Contract start"),
    ]
    with pytest.raises(StatutoryPeriodError) as caught:
        draw_timetable(steps, D(2027, 4, 1))
    assert caught.value.rule == "PA 2023 s.54"
    assert "20 days" in str(caught.value) and "25 days" in str(caught.value)


def test_a_standstill_of_seven_working_days_is_refused():
    task = PlannedTask(
        number=9,
        stage=Stage.AWARD,
        activity="Standstill period",
        starts_on=D(2026, 12, 21),
        due=D(2026, 12, 31),  # 21-24, 29-31 December: 7 working days (25, 28 December are bank holidays)
        statutory_minimum=8,
        statutory_unit=Unit.WORKING_DAYS,
        statutory_rule="Procurement Act 2023 s.51",
    )
    errors = validate_timetable([task], None)
    assert errors and "7 working days" in errors[0] and "Procurement Act 2023 s.51" in errors[0]


def test_a_task_due_after_the_contract_start_is_refused():
    tasks = [
        PlannedTask(1, Stage.TENDER, "Advertise", due=D(2010, 1, 10)),
        PlannedTask(2, Stage.AWARD, "Award contracts", due=D(2010, 5, 1)),
    ]
    errors = validate_timetable(tasks, D(2010, 4, 1))
    assert any("Task 2 'Award contracts' is due on 01 May 2010, after the contract start" in e for e in errors)


def test_a_contract_start_before_the_tender_stage_is_refused():
    tasks = [PlannedTask(1, Stage.TENDER, "Advertise", due=D(2010, 6, 10))]
    errors = validate_timetable(tasks, D(2010, 4, 1))
    assert any("before the end of the tender stage" in e for e in errors)


def test_unordered_and_overlapping_stages_are_refused():
    unordered = [
        PlannedTask(1, Stage.TENDER, "Advertise", due=D(2009, 4, 1)),
        PlannedTask(2, Stage.PRE, "Scoping", due=D(2009, 5, 1)),
    ]
    assert any("stages must be in order" in e for e in validate_timetable(unordered, D(2010, 4, 1)))
    overlapping = [
        PlannedTask(1, Stage.PRE, "Scoping", due=D(2009, 5, 1)),
        PlannedTask(2, Stage.TENDER, "Advertise", due=D(2009, 4, 1)),
    ]
    assert any("overlap" in e for e in validate_timetable(overlapping, D(2010, 4, 1)))


def test_anchor_loops_and_missing_anchors_are_refused():
    with pytest.raises(SchedulingError, match="anchored on itself"):
        draw_timetable([Step(1, Stage.PRE, "a", anchor=2), Step(2, Stage.PRE, "b", anchor=1)], D(2010, 4, 1))
    with pytest.raises(SchedulingError, match="does not exist"):
        draw_timetable([Step(1, Stage.PRE, "a", anchor=9)], D(2010, 4, 1))
    with pytest.raises(SchedulingError, match="contract start"):
        draw_timetable([Step(1, Stage.PRE, "a")], None)


def test_replan_moves_open_tasks_and_keeps_finished_ones():
    plan = draw_timetable(LEEDS_STEPS, LEEDS_START, tupe=True)
    for task in plan[:5]:
        task.done = True
    changes = replan(plan, LEEDS_STEPS, LEEDS_START, D(2010, 7, 1), tupe=True)
    moved = {task.number for task, _, _ in changes}
    assert not moved & {1, 2, 3, 4, 5}
    new = {task.number: due for task, due, _ in changes}
    assert new[36] == D(2010, 7, 1)
    assert new[33] == D(2009, 12, 31)


@pytest.mark.parametrize(
    "precision, due, start, expected",
    [
        (Precision.DAY, D(2008, 10, 24), None, "24 October 2008"),
        (Precision.EARLY, D(2008, 10, 10), None, "Early October 2008"),
        (Precision.MID, D(2008, 10, 20), None, "Mid October 2008"),
        (Precision.END, D(2008, 9, 30), None, "End of September 2008"),
        (Precision.MONTH, D(2008, 3, 31), None, "March 2008"),
        (Precision.SPAN, D(2009, 4, 30), D(2009, 3, 1), "March/April 2009"),
        (Precision.SPAN, D(2009, 12, 31), D(2009, 10, 1), "October to December 2009"),
        (Precision.SPAN, D(2010, 1, 31), D(2009, 12, 1), "December 2009 to January 2010"),
        (Precision.TBD, None, None, "To be decided"),
    ],
)
def test_date_labels(precision, due, start, expected):
    assert label(precision, due, start) == expected


def test_snapping_by_precision():
    assert snap(Precision.END, D(2009, 2, 3)) == D(2009, 2, 28)
    assert snap(Precision.EARLY, D(2009, 2, 3)) == D(2009, 2, 10)
    assert snap(Precision.TBD, D(2009, 2, 3)) is None


def test_easter():
    assert easter_sunday(2010) == D(2010, 4, 4)
    assert easter_sunday(2024) == D(2024, 3, 31)
    assert easter_sunday(2025) == D(2025, 4, 20)
    assert easter_sunday(2038) == D(2038, 4, 25)


def test_england_and_wales_bank_holidays_2026_and_2027():
    assert sorted(d for d in bank_holidays(2026, "ENG") if d.weekday() < 5) == [
        D(2026, 1, 1),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 4),
        D(2026, 5, 25),
        D(2026, 8, 31),
        D(2026, 12, 25),
        D(2026, 12, 28),  # Boxing Day falls on a Saturday
    ]
    assert D(2027, 12, 27) in bank_holidays(2027, "ENG") and D(2027, 12, 28) in bank_holidays(2027, "ENG")


def test_one_off_bank_holidays():
    assert D(2022, 9, 19) in bank_holidays(2022)
    assert D(2022, 6, 2) in bank_holidays(2022) and D(2022, 5, 30) not in bank_holidays(2022, "ENG")
    assert D(2023, 5, 8) in bank_holidays(2023)
    assert D(2020, 5, 8) in bank_holidays(2020) and D(2020, 5, 4) not in bank_holidays(2020, "ENG")
    assert D(2011, 1, 3) in bank_holidays(2011)  # New Year's Day on a Saturday


def test_working_day_arithmetic():
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)
    assert add_working_days(D(2026, 12, 29), -1) == D(2026, 12, 24)
    assert working_days_inclusive(D(2026, 4, 2), D(2026, 4, 7)) == 2  # Good Friday and Easter Monday
