"""Property tests (hypothesis) over random contract starts, templates, regimes and TUPE (issue 14, "Done when").

Every template (the national ones and the Leeds partnership's own) under every regime (standard, light touch, the
NHS Provider Selection Regime, grant), with or without a declared state of urgency and electronic tenders: every
drawn timetable satisfies every rule it names, statutory milestones fall on working days, no two dependent tasks
(a step and the step it hangs from) are out of order, and the TUPE lead-in ends before mobilisation starts.
Pure: no database.
"""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from procurement.scheduling import (
    Kind,
    draw_timetable,
    feasibility,
    missing_steps,
    statutory_problems,
    validate_timetable,
)
from procurement.template_library import LEEDS_TEMPLATE, TEMPLATES
from procurement.working_days import add_working_days, is_working_day, working_days_inclusive

starts = st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2040, 12, 31))
templates = st.sampled_from([*TEMPLATES, LEEDS_TEMPLATE])
regimes = st.sampled_from(["standard", "light_touch", "psr", "grant"])


def test_the_properties_cover_every_regime_and_procedure():
    covered = {t["regime"] for t in [*TEMPLATES, LEEDS_TEMPLATE]} | {t["procedure"] for t in TEMPLATES}
    assert covered >= {"standard", "light_touch", "psr", "open", "competitive_flexible", "direct_award", "grant"}


@settings(max_examples=400, deadline=None)
@given(
    start=starts,
    template=templates,
    regime=regimes,
    tupe=st.booleans(),
    urgency=st.booleans(),
    electronic=st.booleans(),
)
def test_every_drawn_timetable_holds(start, template, regime, tupe, urgency, electronic):
    steps = template["steps"]
    plan = draw_timetable(steps, start, tupe=tupe)
    by_position = {t.step_position: t for t in plan}
    step_of = {s.position: s for s in steps}
    rules = {"regime": regime, "procedure": template["procedure"], "urgency": urgency, "electronic": electronic}

    # Every rule it names holds (stages, each period's own minimum, and the periods between tasks), under the
    # template's own regime and under any other its steps satisfy (a template without a regime's mandatory steps
    # is refused before it is drawn: services._check_mandatory_steps).
    if regime == template["regime"] or not missing_steps(plan, regime=regime, procedure=template["procedure"]):
        assert validate_timetable(plan, start, **rules) == []
        assert statutory_problems(plan, **rules) == ([], [])
    own = dict(rules, regime=template["regime"])
    assert validate_timetable(plan, start, **own) == []
    assert missing_steps(plan, regime=template["regime"], procedure=template["procedure"]) == []

    # Statutory milestones fall on working days (s.123).
    for task in plan:
        if step_of[task.step_position].lands_on_working_day:
            assert is_working_day(task.due), (task.activity, task.due)

    # A step ends no later than the step it hangs from starts (the anchors, with a step left out passing on its own).
    for task in plan:
        step = step_of[task.step_position]
        anchor = step.anchor
        while anchor is not None and anchor not in by_position:
            anchor = step_of[anchor].anchor
        if anchor is None or task.due is None or step.offset_months < 0 or step.offset_days < 0:
            continue
        after = by_position[anchor]
        first_day = after.starts_on or after.due
        if first_day is not None:
            assert task.due <= first_day, (task.activity, task.due, after.activity, first_day)

    kinds = {t.kind: t for t in plan if t.kind}
    if Kind.UK6 in kinds and Kind.CONTRACT_ENTERED in kinds:
        notice, entered = kinds[Kind.UK6], kinds[Kind.CONTRACT_ENTERED]
        assert working_days_inclusive(notice.due, entered.due - dt.timedelta(days=1)) >= 8
    if Kind.PSR_INTENTION in kinds and Kind.CONTRACT_ENTERED in kinds:
        notice, entered = kinds[Kind.PSR_INTENTION], kinds[Kind.CONTRACT_ENTERED]
        assert entered.due > add_working_days(notice.due, 8)
    if Kind.UK7 in kinds:
        assert 0 <= (kinds[Kind.UK7].due - kinds[Kind.CONTRACT_ENTERED].due).days <= 30
    if Kind.UK5 in kinds:
        assert kinds[Kind.UK5].due < kinds[Kind.UK6].due < kinds[Kind.CONTRACT_ENTERED].due
    if Kind.TUPE_LEAD_IN in kinds:
        assert tupe
        assert kinds[Kind.TUPE_LEAD_IN].due < (kinds[Kind.MOBILISATION].starts_on or kinds[Kind.MOBILISATION].due)


@settings(max_examples=60, deadline=None)
@given(
    today=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2035, 12, 31)),
    weeks=st.integers(min_value=0, max_value=40),
    template=templates,
    tupe=st.booleans(),
)
def test_the_earliest_feasible_start_is_later_and_feasible(today, weeks, template, tupe):
    start = today + dt.timedelta(weeks=weeks)
    result = feasibility(template["steps"], start, today, tupe=tupe)
    if result.feasible:
        return
    assert result.earliest_start is not None and result.earliest_start > start
    assert result.short_by_days == (result.earliest_start - start).days
    assert feasibility(template["steps"], result.earliest_start, today, tupe=tupe).feasible
