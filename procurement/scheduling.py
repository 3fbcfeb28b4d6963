"""Backward scheduling of a procurement timetable (DOMAIN Rule 3): pure functions, no ORM.

A template is a list of steps. Each step ends a number of months and days (calendar or working days)
before its *anchor*: the start of another step, or the contract start when it has none. Walking the
anchors from the contract start backwards draws the whole timetable. A step with a condition is left
out when the condition does not hold (the TUPE lead-in without TUPE): the steps anchored on it then
hang from its own anchor, so TUPE *adds* its lead-in to everything before it.

Periods the law sets a minimum for (a tendering period of 25 days, a standstill of 8 working days)
are checked, and a period cut short is refused with the rule named.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from .dates import Precision, add_months, label, month_end, snap
from .working_days import add_working_days, nth_working_day_back, previous_working_day, working_days_inclusive


class Stage:
    PRE = "pre_procurement"
    TENDER = "tender"
    AWARD = "award"
    REVIEW = "review"
    CHOICES = [
        (PRE, "Pre-procurement"),
        (TENDER, "Shortlisting and tender"),
        (AWARD, "Contract award and lead-in"),
        (REVIEW, "Review of the procurement"),
    ]
    ORDER = [PRE, TENDER, AWARD, REVIEW]
    LABELS = dict(CHOICES)


class Unit:
    DAYS = "days"
    WORKING_DAYS = "working_days"
    MONTHS = "months"
    CHOICES = [(DAYS, "calendar days"), (WORKING_DAYS, "working days"), (MONTHS, "months")]
    LABELS = {DAYS: "days", WORKING_DAYS: "working days", MONTHS: "months"}


class Condition:
    ALWAYS = ""
    TUPE = "tupe"
    NO_TUPE = "no_tupe"
    CHOICES = [(ALWAYS, "Always"), (TUPE, "Only when TUPE applies"), (NO_TUPE, "Only when TUPE does not apply")]


class SchedulingError(ValueError):
    """A timetable that cannot be drawn or does not hold together."""

    def __init__(self, message, *, field=None, rule=None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.rule = rule


class StatutoryPeriodError(SchedulingError):
    """A period shorter than the minimum the law sets; ``rule`` names the law."""


@dataclass(frozen=True)
class Step:
    position: int
    stage: str
    activity: str
    responsibility: str = ""
    anchor: int | None = None
    offset_months: int = 0
    offset_days: int = 0
    offset_unit: str = Unit.DAYS
    duration: int = 0
    duration_unit: str = Unit.DAYS
    precision: str = Precision.DAY
    milestone: bool = False
    condition: str = Condition.ALWAYS
    statutory_minimum: int | None = None
    statutory_unit: str = Unit.DAYS
    statutory_rule: str = ""
    notes: str = ""

    @property
    def lands_on_working_day(self):
        """A dated milestone or statutory step (a notice, a deadline, entering into the contract) falls on a
        working day (s.123); the contract start itself is the date the user chose and is left alone."""
        if self.precision != Precision.DAY:
            return False
        if self.anchor is None and not self.offset_months and not self.offset_days:
            return False
        return bool(
            self.milestone
            or self.statutory_minimum
            or Unit.WORKING_DAYS in (self.offset_unit, self.duration_unit, self.statutory_unit)
        )

    def applies(self, tupe):
        if self.condition == Condition.TUPE:
            return bool(tupe)
        if self.condition == Condition.NO_TUPE:
            return not tupe
        return True


@dataclass
class PlannedTask:
    number: int
    stage: str
    activity: str
    due: dt.date | None
    starts_on: dt.date | None = None
    precision: str = Precision.DAY
    responsibility: str = ""
    milestone: bool = False
    statutory_minimum: int | None = None
    statutory_unit: str = Unit.DAYS
    statutory_rule: str = ""
    notes: str = ""
    step_position: int | None = None
    done: bool = False
    extra: dict = field(default_factory=dict)

    @property
    def date_label(self):
        return label(self.precision, self.due, self.starts_on)


def _period_start(due, duration, unit, precision):
    if due is None:
        return None
    if precision == Precision.SPAN or unit == Unit.MONTHS:
        months = max(duration, 1)
        return add_months(due.replace(day=1), -(months - 1))
    if not duration:
        return due
    if unit == Unit.WORKING_DAYS:
        return nth_working_day_back(due, duration)
    return due - dt.timedelta(days=duration - 1)


def draw_timetable(steps, contract_start, *, tupe=False):
    """Draw the tasks of ``steps`` backwards from ``contract_start``; numbered in template order.

    Raises SchedulingError for an anchor that names no step or a loop of anchors, and
    StatutoryPeriodError for a step whose period is shorter than its statutory minimum.
    """
    if contract_start is None:
        raise SchedulingError("A timetable needs a contract start date.", field="contract_start")
    by_position = {s.position: s for s in steps}
    if len(by_position) != len(steps):
        raise SchedulingError("Two template steps share a position.")
    included = {s.position for s in steps if s.applies(tupe)}
    computed = {}

    def anchor_date(step, seen):
        anchor = step.anchor
        # A step that does not apply passes its anchor on to the steps that hang from it.
        while anchor is not None and anchor not in included:
            if anchor not in by_position:
                raise SchedulingError(f"Step {step.position} is anchored on step {anchor}, which does not exist.")
            anchor = by_position[anchor].anchor
        if anchor is None:
            return contract_start
        return resolve(by_position[anchor], seen)[1]

    def resolve(step, seen):
        if step.position in computed:
            return computed[step.position]
        if step.position in seen:
            raise SchedulingError(f"Step {step.position} is anchored on itself through other steps.")
        seen = seen | {step.position}
        base = anchor_date(step, seen)
        raw = add_months(base, -step.offset_months)
        if step.offset_unit == Unit.WORKING_DAYS and step.offset_days:
            raw = add_working_days(raw, -step.offset_days)
        else:
            raw = raw - dt.timedelta(days=step.offset_days)
        due = snap(step.precision, raw)
        if due is not None and step.lands_on_working_day:
            due = previous_working_day(due)
        if step.precision == Precision.TBD:
            start = None
        else:
            start = _period_start(due, step.duration, step.duration_unit, step.precision)
        # The anchor date others hang from: a TBD step has none, so use the raw date.
        computed[step.position] = (due, start or raw)
        return computed[step.position]

    planned = []
    for number, step in enumerate(sorted((s for s in steps if s.position in included), key=lambda s: s.position), 1):
        due, start = resolve(step, frozenset())
        task = PlannedTask(
            number=number,
            stage=step.stage,
            activity=step.activity,
            due=due,
            starts_on=None if step.precision == Precision.TBD else start,
            precision=step.precision,
            responsibility=step.responsibility,
            milestone=step.milestone,
            statutory_minimum=step.statutory_minimum,
            statutory_unit=step.statutory_unit,
            statutory_rule=step.statutory_rule,
            notes=step.notes,
            step_position=step.position,
        )
        check_statutory_period(task)
        planned.append(task)
    return planned


def period_length(start, end, unit):
    """The length of a period from ``start`` to ``end``, both days included, in ``unit``."""
    if start is None or end is None:
        return None
    if unit == Unit.WORKING_DAYS:
        return working_days_inclusive(start, end)
    if unit == Unit.MONTHS:
        return (end.year - start.year) * 12 + end.month - start.month + 1
    return (end - start).days + 1


def check_statutory_period(task):
    """Refuse a period shorter than its statutory minimum, naming the rule."""
    minimum = getattr(task, "statutory_minimum", None)
    if not minimum:
        return
    start, due = task.starts_on, task.due
    if start is None or due is None:
        return
    length = period_length(start, due, task.statutory_unit)
    if length < minimum:
        unit = Unit.LABELS.get(task.statutory_unit, task.statutory_unit)
        rule = task.statutory_rule or "the statutory minimum"
        raise StatutoryPeriodError(
            f"Task {task.number} '{task.activity}' lasts {length} {unit}, shorter than the {minimum} {unit} "
            f"required by {rule}.",
            field="due",
            rule=rule,
        )


def validate_timetable(tasks, contract_start):
    """Every problem with a timetable, as a list of messages (empty when it holds together).

    Checks: stages come in order by task number; no stage starts or finishes before the stage
    before it; the contract start comes after the tender stage; every task outside the review stage
    is due on or before the contract start; statutory periods are not cut short.
    """
    errors = []
    stage_index = {s: i for i, s in enumerate(Stage.ORDER)}
    ordered = sorted(tasks, key=lambda t: t.number)
    highest = -1
    highest_stage = None
    for task in ordered:
        index = stage_index.get(task.stage)
        if index is None:
            errors.append(f"Task {task.number} has an unknown stage '{task.stage}'.")
            continue
        if index < highest:
            errors.append(
                f"Task {task.number} '{task.activity}' is in the {Stage.LABELS[task.stage]} stage but comes after "
                f"tasks of the {Stage.LABELS[highest_stage]} stage: stages must be in order."
            )
        elif index > highest:
            highest, highest_stage = index, task.stage

    dated = {}
    for task in ordered:
        if task.due is not None and task.stage in stage_index:
            dated.setdefault(task.stage, []).append(task.due)
    present = [s for s in Stage.ORDER if s in dated]
    for before, after in zip(present, present[1:], strict=False):
        if min(dated[after]) < min(dated[before]):
            errors.append(
                f"The {Stage.LABELS[after]} stage starts ({min(dated[after]):%d %B %Y}) before the "
                f"{Stage.LABELS[before]} stage ({min(dated[before]):%d %B %Y}): the stages overlap out of order."
            )
        if max(dated[after]) < max(dated[before]):
            errors.append(
                f"The {Stage.LABELS[after]} stage ends ({max(dated[after]):%d %B %Y}) before the "
                f"{Stage.LABELS[before]} stage ({max(dated[before]):%d %B %Y}): the stages overlap out of order."
            )

    if contract_start is not None:
        tender = dated.get(Stage.TENDER)
        if tender and contract_start <= max(tender):
            errors.append(
                f"The contract start ({contract_start:%d %B %Y}) is before the end of the tender stage "
                f"({max(tender):%d %B %Y})."
            )
        for task in ordered:
            if task.stage != Stage.REVIEW and task.due is not None and task.due > contract_start:
                errors.append(
                    f"Task {task.number} '{task.activity}' is due on {task.due:%d %B %Y}, after the contract start "
                    f"({contract_start:%d %B %Y}); it must come before it."
                )
    for task in ordered:
        try:
            check_statutory_period(task)
        except StatutoryPeriodError as exc:
            errors.append(exc.message)
    return errors


def months_between(old, new):
    return (new.year - old.year) * 12 + new.month - old.month


def shift_task_dates(precision, due, starts_on, old_contract_start, new_contract_start):
    """Move one task's dates as the contract start moves: whole months for monthly precisions, days otherwise."""
    if due is None:
        return due, starts_on
    if precision in Precision.MONTHLY:
        months = months_between(old_contract_start, new_contract_start)
        new_due = snap(precision, add_months(due.replace(day=1), months))
        new_start = add_months(starts_on.replace(day=1), months) if starts_on else None
        return new_due, new_start
    delta = new_contract_start - old_contract_start
    return due + delta, (starts_on + delta if starts_on else None)


def replan(tasks, steps, old_contract_start, new_contract_start, *, tupe=False):
    """The new dates of the open tasks when the contract start moves; finished tasks keep theirs.

    Tasks drawn from a template step are drawn again from it; others move with the contract start.
    Returns a list of (task, due, starts_on) for the tasks whose dates change.
    """
    plan = {p.step_position: p for p in draw_timetable(steps, new_contract_start, tupe=tupe)} if steps else {}
    changes = []
    for task in tasks:
        if task.done:
            continue
        planned = plan.get(getattr(task, "step_position", None))
        if planned is not None:
            due, start = planned.due, planned.starts_on
        else:
            due, start = shift_task_dates(
                task.precision, task.due, task.starts_on, old_contract_start, new_contract_start
            )
        if (due, start) != (task.due, task.starts_on):
            changes.append((task, due, start))
    return changes


__all__ = [
    "Condition",
    "PlannedTask",
    "SchedulingError",
    "Stage",
    "StatutoryPeriodError",
    "Step",
    "Unit",
    "check_statutory_period",
    "draw_timetable",
    "month_end",
    "period_length",
    "replace",
    "replan",
    "shift_task_dates",
    "validate_timetable",
]
