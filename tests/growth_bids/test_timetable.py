"""Appendix B's timetable: the lengths of the first seven steps, and the last step in November as the source says."""

import datetime as dt

import pytest

from growth_bids.models import TIMETABLE_STEPS, propose_timetable


def test_the_last_step_falls_in_november_for_a_round_opened_in_june():
    dates = propose_timetable(dt.date(2010, 6, 1))
    assert dates["told_by"] == dt.date(2010, 9, 10)
    assert dates["plans_by"] == dt.date(2010, 11, 30)


@pytest.mark.parametrize("opens_on", [dt.date(2026, 4, 1), dt.date(2026, 6, 15), dt.date(2026, 7, 31)])
def test_the_last_step_is_in_november_and_after_the_step_before(opens_on):
    dates = propose_timetable(opens_on)
    assert dates["plans_by"].month == 11 and dates["plans_by"] > dates["told_by"]


def test_a_round_told_after_november_puts_outcomes_into_next_novembers_plans():
    dates = propose_timetable(dt.date(2026, 9, 1))
    assert dates["told_by"] == dt.date(2026, 12, 11)
    assert dates["plans_by"] == dt.date(2027, 11, 30)


def test_the_steps_keep_appendix_b_order_and_labels():
    assert [name for name, _days, _label in TIMETABLE_STEPS][-1] == "plans_by"
    assert "November" in TIMETABLE_STEPS[-1][2]
