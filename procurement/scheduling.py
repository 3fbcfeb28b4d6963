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
from .working_days import (
    add_working_days,
    is_working_day,
    nth_working_day_back,
    previous_working_day,
    working_days_inclusive,
)


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


class Kind:
    """What a task is in law: a notice the Act requires, or a date a statutory period is measured to or from.
    The rules of the timetable (:func:`statutory_problems`) find the tasks they measure between by their kind."""

    NONE = ""
    UK1 = "uk1"
    UK2 = "uk2"
    UK3 = "uk3"
    UK4 = "uk4"
    UK5 = "uk5"
    UK6 = "uk6"
    UK7 = "uk7"
    UK9 = "uk9"
    UK10 = "uk10"
    UK11 = "uk11"
    UK12 = "uk12"
    PARTICIPATION_DEADLINE = "participation_deadline"
    TENDER_DEADLINE = "tender_deadline"
    STANDSTILL = "standstill"
    CONTRACT_ENTERED = "contract_entered"
    TUPE_LEAD_IN = "tupe_lead_in"
    MOBILISATION = "mobilisation"
    CONTRACT_START = "contract_start"
    PSR_CONTRACT_NOTICE = "psr_contract_notice"
    PSR_INTENTION = "psr_intention"
    PSR_AWARD = "psr_award"
    CHOICES = [
        (NONE, "Other task"),
        (UK1, "UK1 pipeline notice"),
        (UK2, "UK2 preliminary market engagement notice"),
        (UK3, "UK3 planned procurement notice"),
        (UK4, "UK4 tender notice"),
        (UK5, "UK5 transparency notice"),
        (UK6, "UK6 contract award notice"),
        (UK7, "UK7 contract details notice"),
        (UK9, "UK9 contract performance notice"),
        (UK10, "UK10 contract change notice"),
        (UK11, "UK11 contract termination notice"),
        (UK12, "UK12 procurement termination notice"),
        (PARTICIPATION_DEADLINE, "Participation period (its due date is the deadline for requests)"),
        (TENDER_DEADLINE, "Tendering period (its due date is the tender deadline)"),
        (STANDSTILL, "Standstill period"),
        (CONTRACT_ENTERED, "Entering into the contract"),
        (TUPE_LEAD_IN, "TUPE lead-in"),
        (MOBILISATION, "Mobilisation"),
        (CONTRACT_START, "Contract start"),
        (PSR_CONTRACT_NOTICE, "PSR contract notice (competitive process)"),
        (PSR_INTENTION, "PSR notice of intention to award"),
        (PSR_AWARD, "PSR notice confirming the award"),
    ]
    LABELS = dict(CHOICES)
    NOTICES = {UK1, UK2, UK3, UK4, UK5, UK6, UK7, UK9, UK10, UK11, UK12, PSR_CONTRACT_NOTICE, PSR_INTENTION, PSR_AWARD}


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
    kind: str = Kind.NONE
    numbered: bool = True

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
            or self.kind
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
    kind: str = Kind.NONE
    done: bool = False
    numbered: bool = True
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
            kind=step.kind,
            numbered=step.numbered,
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
    if due is None:
        return
    if start is None:
        # A blank first day never skips the rule: the period cannot be measured, so it cannot be saved.
        rule = task.statutory_rule or "the statutory minimum"
        raise StatutoryPeriodError(
            f"Task {task.number} '{task.activity}' has no 'Starts on': its minimum of {minimum} "
            f"{Unit.LABELS.get(task.statutory_unit, task.statutory_unit)} ({rule}) cannot be checked. Give its "
            "first day.",
            field="starts_on",
            rule=rule,
        )
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


# The sections of the Procurement Act 2023 the rules below apply.
S17 = "Procurement Act 2023 s.17 (preliminary market engagement notice before the tender notice)"
S50 = "Procurement Act 2023 s.50 (contract award notice before entering into the contract)"
S51 = "Procurement Act 2023 s.51 (standstill of 8 working days from the contract award notice)"
S53 = "Procurement Act 2023 s.53 (contract details notice within 30 days of entering into the contract)"
S53_LIGHT = "Procurement Act 2023 s.53 (contract details notice within 120 days for a light-touch contract)"
S54 = "Procurement Act 2023 s.54 (minimum tendering period)"
S54_PARTICIPATION = "Procurement Act 2023 s.54 (minimum participation period, competitive flexible procedure)"
S54_URGENCY = "Procurement Act 2023 s.54 (minimum tendering period of 10 days where a state of urgency is declared)"
S54_UK3 = (
    "Procurement Act 2023 s.54 (minimum tendering period of 10 days after a qualifying planned procurement notice)"
)
S54_PAPER = (
    "Procurement Act 2023 s.54 (minimum tendering period of 30 days where tenders are not submitted electronically)"
)
S54_LIGHT = (
    "Procurement Act 2023 s.54 (no minimum tendering period for a light-touch contract; "
    "the deadline follows the notice)"
)
S44 = "Procurement Act 2023 s.44 (transparency notice before entering into a directly awarded contract)"
PSR_REG11 = "Health Care Services (Provider Selection Regime) Regulations 2023 reg. 11 (the competitive process)"
PSR_REG12 = "Health Care Services (Provider Selection Regime) Regulations 2023 reg. 12 (standstill period)"
PSR_AWARD_RULE = (
    "Health Care Services (Provider Selection Regime) Regulations 2023 regs. 9 to 11 "
    "(notice of the award within 30 days)"
)
TUPE_RULE = (
    "TUPE Regulations 2006 reg. 13: the lead-in (consultation of transferring staff) ends before mobilisation starts"
)

TENDERING_DAYS = 25
TENDERING_DAYS_AFTER_UK3 = 10
TENDERING_DAYS_URGENCY = 10
TENDERING_DAYS_NOT_ELECTRONIC = 30
PSR_AWARD_DAYS = 30
PSR = "psr"
PARTICIPATION_DAYS = 25
STANDSTILL_WORKING_DAYS = 8
UK7_DAYS = 30
UK7_DAYS_LIGHT_TOUCH = 120
LIGHT_TOUCH = "light_touch"
NO_PROCUREMENT_RULES = {"grant"}


@dataclass(frozen=True)
class Problem:
    """One way a timetable breaks a rule: the message names both tasks and the rule's section; ``numbers`` are
    the tasks it concerns and ``field`` the field of theirs to show it beside."""

    message: str
    numbers: tuple = ()
    field: str = "due"
    rule: str = ""

    def __str__(self):
        return self.message


def _name(task):
    return f"task {task.number} '{task.activity}'"


def _on(day):
    return f"{day:%d %B %Y}"


def _first(tasks, kind):
    found = [t for t in tasks if getattr(t, "kind", "") == kind]
    return min(found, key=lambda t: t.number) if found else None


def _unchecked(rule, *tasks):
    blank = [t for t in tasks if t.due is None]
    names = " and ".join(_name(t) for t in blank)
    return f"{rule} cannot be checked yet: {names} has no date."


def rules_of(project):
    """The facts of a project that choose the rules of its timetable, as keywords for :func:`statutory_problems`,
    :func:`timetable_problems` and :func:`validate_timetable`."""
    return {
        "regime": getattr(project, "regime", None),
        "procedure": getattr(project, "procedure", None),
        "urgency": bool(getattr(project, "urgency", False)),
        "electronic": bool(getattr(project, "electronic_tenders", True)),
    }


def statutory_problems(tasks, *, regime=None, procedure=None, urgency=False, electronic=True):
    """The rules measured *between* tasks, found by their kind: (problems, unchecked).

    The regime chooses the rules: the Procurement Act 2023 for the standard and light-touch regimes, the Provider
    Selection Regime's own for ``psr``, none for a grant. ``urgency``: a state of urgency is declared (a tendering
    period of 10 days, s.54); ``electronic``: tenders are submitted electronically (else 30 days, s.54).

    A rule whose tasks are both present but one has no date is not skipped silently: it is listed in
    ``unchecked`` (the page says so).
    """
    problems, unchecked = [], []
    if procedure in NO_PROCUREMENT_RULES or regime in NO_PROCUREMENT_RULES:
        return problems, unchecked
    by_kind = {kind: _first(tasks, kind) for kind, _ in Kind.CHOICES if kind}

    def pair(first, second, rule):
        a, b = by_kind.get(first), by_kind.get(second)
        if a is None or b is None:
            return None
        if a.due is None or b.due is None:
            unchecked.append(_unchecked(rule, a, b))
            return None
        return a, b

    if regime == PSR:
        _psr_problems(pair, problems)
        _order_problems(by_kind, problems)
        return problems, unchecked

    # s.54: the tendering period, from the tender notice to the tender deadline. In a competitive flexible
    # procedure the tender notice opens the participation period instead; its tendering period is the task's own.
    uk3 = by_kind.get(Kind.UK3)
    deadline_kind = Kind.PARTICIPATION_DEADLINE if by_kind.get(Kind.PARTICIPATION_DEADLINE) else Kind.TENDER_DEADLINE
    rule = S54_PARTICIPATION if deadline_kind == Kind.PARTICIPATION_DEADLINE else S54
    found = pair(Kind.UK4, deadline_kind, rule)
    if found:
        notice, deadline = found
        days = (deadline.due - notice.due).days
        if deadline_kind == Kind.PARTICIPATION_DEADLINE:
            minimum, why = PARTICIPATION_DAYS, ""
        elif urgency:
            minimum, why = TENDERING_DAYS_URGENCY, " (a state of urgency is declared)"
            rule = S54_URGENCY
        elif (
            uk3 is not None
            and uk3.due is not None
            and dt.timedelta(days=40) <= notice.due - uk3.due <= dt.timedelta(days=365)
        ):
            minimum = TENDERING_DAYS_AFTER_UK3
            why = f" ({_name(uk3)}, a planned procurement notice published 40 days to a year before, shortens it)"
            rule = S54_UK3
        elif not electronic:
            minimum, why, rule = TENDERING_DAYS_NOT_ELECTRONIC, " (tenders are not submitted electronically)", S54_PAPER
        else:
            minimum, why = TENDERING_DAYS, ""
        if regime == LIGHT_TOUCH and deadline_kind == Kind.TENDER_DEADLINE:
            minimum, why, rule = 1, "", S54_LIGHT  # no minimum period; the deadline still follows the notice
        if days < 1:
            problems.append(
                Problem(
                    f"The deadline of task {deadline.number} '{deadline.activity}' ({_on(deadline.due)}) is not after "
                    f"task {notice.number} '{notice.activity}' ({_on(notice.due)}): a deadline comes after its "
                    f"notice, by {rule}.",
                    (deadline.number, notice.number),
                    rule=rule,
                )
            )
        elif days < minimum:
            problems.append(
                Problem(
                    f"Task {notice.number} '{notice.activity}' ({_on(notice.due)}) is {days} days before the deadline "
                    f"of task {deadline.number} '{deadline.activity}' ({_on(deadline.due)}): the period must be at "
                    f"least {minimum} days{why}, by {rule}.",
                    (notice.number, deadline.number),
                    rule=rule,
                )
            )

    # s.44: a direct award's transparency notice is published before entering into the contract.
    found = pair(Kind.UK5, Kind.CONTRACT_ENTERED, S44)
    if found:
        notice, entered = found
        if notice.due >= entered.due:
            problems.append(
                Problem(
                    f"Task {notice.number} '{notice.activity}' ({_on(notice.due)}) is not before task "
                    f"{entered.number} '{entered.activity}' ({_on(entered.due)}): the transparency notice is "
                    f"published before entering into the contract, by {S44}.",
                    (notice.number, entered.number),
                    rule=S44,
                )
            )

    # s.50 and s.51: the contract award notice, then 8 working days of standstill, then the contract.
    found = pair(Kind.UK6, Kind.CONTRACT_ENTERED, S51)
    if found:
        notice, entered = found
        if entered.due <= notice.due:
            problems.append(
                Problem(
                    f"Task {notice.number} '{notice.activity}' ({_on(notice.due)}) comes on or after task "
                    f"{entered.number} '{entered.activity}' ({_on(entered.due)}): the contract award notice must be "
                    f"published before entering into the contract, by {S50}.",
                    (notice.number, entered.number),
                    rule=S50,
                )
            )
        else:
            counted = working_days_inclusive(notice.due, entered.due - dt.timedelta(days=1))
            if counted < STANDSTILL_WORKING_DAYS:
                earliest = add_working_days(
                    notice.due, STANDSTILL_WORKING_DAYS - (1 if is_working_day(notice.due) else 0)
                )
                earliest = earliest + dt.timedelta(days=1)
                problems.append(
                    Problem(
                        f"Task {entered.number} '{entered.activity}' ({_on(entered.due)}) leaves {counted} working "
                        f"days after task {notice.number} '{notice.activity}' ({_on(notice.due)}): the standstill "
                        f"is {STANDSTILL_WORKING_DAYS} working days, so the contract can be entered into on "
                        f"{_on(earliest)} at the earliest, by {S51}.",
                        (entered.number, notice.number),
                        rule=S51,
                    )
                )
    standstill = by_kind.get(Kind.STANDSTILL)
    if standstill is not None and standstill.due is not None:
        notice, entered = by_kind.get(Kind.UK6), by_kind.get(Kind.CONTRACT_ENTERED)
        if notice is not None and notice.due is not None and standstill.starts_on is not None:
            if standstill.starts_on < notice.due:
                problems.append(
                    Problem(
                        f"Task {standstill.number} '{standstill.activity}' starts ({_on(standstill.starts_on)}) "
                        f"before task {notice.number} '{notice.activity}' ({_on(notice.due)}): the standstill begins "
                        f"with the day the notice is published, by {S51}.",
                        (standstill.number, notice.number),
                        field="starts_on",
                        rule=S51,
                    )
                )
        if entered is not None and entered.due is not None and standstill.due >= entered.due:
            problems.append(
                Problem(
                    f"Task {standstill.number} '{standstill.activity}' ends ({_on(standstill.due)}) on or after "
                    f"task {entered.number} '{entered.activity}' ({_on(entered.due)}): the contract is entered "
                    f"into after the standstill ends, by {S51}.",
                    (standstill.number, entered.number),
                    rule=S51,
                )
            )

    # s.53: the contract details notice within 30 days (120 for a light-touch contract) of entering into it.
    rule = S53_LIGHT if regime == LIGHT_TOUCH else S53
    found = pair(Kind.CONTRACT_ENTERED, Kind.UK7, rule)
    if found:
        entered, notice = found
        limit = UK7_DAYS_LIGHT_TOUCH if regime == LIGHT_TOUCH else UK7_DAYS
        days = (notice.due - entered.due).days
        if days < 0 or days > limit:
            when = "before" if days < 0 else f"{days} days after"
            problems.append(
                Problem(
                    f"Task {notice.number} '{notice.activity}' ({_on(notice.due)}) is {when} task {entered.number} "
                    f"'{entered.activity}' ({_on(entered.due)}): the contract details notice is published within "
                    f"{limit} days after entering into the contract, by {rule}.",
                    (notice.number, entered.number),
                    rule=rule,
                )
            )

    # s.17: the preliminary market engagement notice comes before the tender notice.
    found = pair(Kind.UK2, Kind.UK4, S17)
    if found:
        engagement, tender = found
        if engagement.due > tender.due:
            problems.append(
                Problem(
                    f"Task {engagement.number} '{engagement.activity}' ({_on(engagement.due)}) comes after task "
                    f"{tender.number} '{tender.activity}' ({_on(tender.due)}): preliminary market engagement comes "
                    f"before the tender notice, by {S17}.",
                    (engagement.number, tender.number),
                    rule=S17,
                )
            )

    # The order of the award steps: the tender deadline before the award notice, the contract entered into
    # before mobilisation ends, and the TUPE lead-in over before mobilisation starts.
    found = pair(Kind.TENDER_DEADLINE, Kind.UK6, S50)
    if found:
        deadline, notice = found
        if notice.due <= deadline.due:
            problems.append(
                Problem(
                    f"Task {notice.number} '{notice.activity}' ({_on(notice.due)}) comes on or before the deadline of "
                    f"task {deadline.number} '{deadline.activity}' ({_on(deadline.due)}): a contract is awarded "
                    f"after the tenders are in, by {S50}.",
                    (notice.number, deadline.number),
                    rule=S50,
                )
            )
    _order_problems(by_kind, problems)
    return problems, unchecked


def _psr_problems(pair, problems):
    """The Provider Selection Regime's own rules (2023 regulations): the standstill of 8 working days counted
    from the day after the notice of intention to award (reg. 12), and the notice confirming the award within
    30 days of it."""
    found = pair(Kind.PSR_INTENTION, Kind.CONTRACT_ENTERED, PSR_REG12)
    if found:
        notice, entered = found
        earliest = add_working_days(notice.due, STANDSTILL_WORKING_DAYS) + dt.timedelta(days=1)
        if entered.due < earliest:
            problems.append(
                Problem(
                    f"Task {entered.number} '{entered.activity}' ({_on(entered.due)}) comes before the standstill "
                    f"after task {notice.number} '{notice.activity}' ({_on(notice.due)}) ends: "
                    f"{STANDSTILL_WORKING_DAYS} working days counted from the day after the notice, so the contract "
                    f"can be awarded on {_on(earliest)} at the earliest, by {PSR_REG12}.",
                    (entered.number, notice.number),
                    rule=PSR_REG12,
                )
            )
    found = pair(Kind.CONTRACT_ENTERED, Kind.PSR_AWARD, PSR_AWARD_RULE)
    if found:
        entered, notice = found
        days = (notice.due - entered.due).days
        if days < 0 or days > PSR_AWARD_DAYS:
            when = "before" if days < 0 else f"{days} days after"
            problems.append(
                Problem(
                    f"Task {notice.number} '{notice.activity}' ({_on(notice.due)}) is {when} task {entered.number} "
                    f"'{entered.activity}' ({_on(entered.due)}): the award is confirmed by a notice within "
                    f"{PSR_AWARD_DAYS} days of it, by {PSR_AWARD_RULE}.",
                    (notice.number, entered.number),
                    rule=PSR_AWARD_RULE,
                )
            )
    found = pair(Kind.PSR_CONTRACT_NOTICE, Kind.TENDER_DEADLINE, PSR_REG11)
    if found:
        notice, deadline = found
        if deadline.due <= notice.due:
            problems.append(
                Problem(
                    f"The deadline of task {deadline.number} '{deadline.activity}' ({_on(deadline.due)}) is not after "
                    f"task {notice.number} '{notice.activity}' ({_on(notice.due)}): offers are due after the "
                    f"contract notice, by {PSR_REG11}.",
                    (deadline.number, notice.number),
                    rule=PSR_REG11,
                )
            )


def _order_problems(by_kind, problems):
    """TUPE: the lead-in ends before mobilisation starts (every regime)."""
    tupe, mobilisation = by_kind.get(Kind.TUPE_LEAD_IN), by_kind.get(Kind.MOBILISATION)
    if tupe is not None and mobilisation is not None and tupe.due is not None:
        mobilisation_start = mobilisation.starts_on or mobilisation.due
        if mobilisation_start is not None and tupe.due >= mobilisation_start:
            problems.append(
                Problem(
                    f"Task {tupe.number} '{tupe.activity}' ends ({_on(tupe.due)}) on or after task "
                    f"{mobilisation.number} '{mobilisation.activity}' starts ({_on(mobilisation_start)}): {TUPE_RULE}.",
                    (tupe.number, mobilisation.number),
                    rule=TUPE_RULE,
                )
            )


# The steps a procedure of the standard regime cannot do without, by kind (ss.21, 44, 50, 51, 53).
MANDATORY_KINDS = {
    "open": [Kind.UK4, Kind.TENDER_DEADLINE, Kind.UK6, Kind.STANDSTILL, Kind.CONTRACT_ENTERED, Kind.UK7],
    "competitive_flexible": [
        Kind.UK4,
        Kind.PARTICIPATION_DEADLINE,
        Kind.TENDER_DEADLINE,
        Kind.UK6,
        Kind.STANDSTILL,
        Kind.CONTRACT_ENTERED,
        Kind.UK7,
    ],
    "direct_award": [Kind.UK5, Kind.UK6, Kind.STANDSTILL, Kind.CONTRACT_ENTERED, Kind.UK7],
}
# The Provider Selection Regime's (2023 regulations, regs. 11 and 12), whatever the procedure.
PSR_MANDATORY_KINDS = [Kind.PSR_INTENTION, Kind.STANDSTILL, Kind.CONTRACT_ENTERED, Kind.PSR_AWARD]
MANDATORY_RULE = "Procurement Act 2023 ss.21, 44, 50, 51 and 53 (the notices and periods of the procedure)"
PSR_MANDATORY_RULE = "Health Care Services (Provider Selection Regime) Regulations 2023 regs. 11 and 12"


def missing_steps(tasks, *, regime, procedure):
    """The mandatory steps (by kind) a timetable lacks: those of a standard-regime procedure, or the Provider
    Selection Regime's; [] when none, or for a regime that chooses its own steps (light touch, grants)."""
    present = {getattr(t, "kind", "") for t in tasks}
    if regime == PSR and procedure not in NO_PROCUREMENT_RULES:
        return [kind for kind in PSR_MANDATORY_KINDS if kind not in present]
    if regime != "standard":
        return []
    return [kind for kind in MANDATORY_KINDS.get(procedure, []) if kind not in present]


def missing_steps_message(missing, *, procedure, template_name="", regime="standard"):
    names = ", ".join(Kind.LABELS[k] for k in missing)
    source = f"“{template_name}”" if template_name else "This timetable"
    if regime == PSR:
        return (
            f"{source} lacks steps the NHS Provider Selection Regime requires: {names} ({PSR_MANDATORY_RULE}). "
            "Choose the Provider Selection Regime template, or the regime the template is for."
        )
    return (
        f"{source} lacks steps a standard-regime {procedure.replace('_', ' ')} procedure must have: {names} "
        f"({MANDATORY_RULE}). Choose a template of that procedure, or the regime the template is for."
    )


def timetable_problems(tasks, contract_start, *, regime=None, procedure=None, urgency=False, electronic=True):
    """Every problem of a timetable as :class:`Problem` objects: the stage and contract-start checks of
    :func:`validate_timetable`, each task's own statutory period, and the rules between tasks."""
    problems = [Problem(m) for m in _stage_problems(tasks, contract_start)]
    for task in sorted(tasks, key=lambda t: t.number):
        try:
            check_statutory_period(task)
        except StatutoryPeriodError as exc:
            problems.append(Problem(exc.message, (task.number,), field=exc.field or "due", rule=exc.rule or ""))
    rules = {"regime": regime, "procedure": procedure, "urgency": urgency, "electronic": electronic}
    problems.extend(statutory_problems(tasks, **rules)[0])
    return problems


def validate_timetable(tasks, contract_start, **rules):
    """Every problem with a timetable, as a list of messages (empty when it holds together); ``rules`` as
    :func:`timetable_problems` takes them (see :func:`rules_of`)."""
    return [p.message for p in timetable_problems(tasks, contract_start, **rules)]


def _stage_problems(tasks, contract_start):
    """The checks of the stages, as messages: stages come in order by task number; no stage starts or
    finishes before the stage before it; the contract start comes after the tender stage; every task outside
    the review stage is due on or before the contract start."""
    errors = []
    stage_index = {s: i for i, s in enumerate(Stage.ORDER)}
    ordered = sorted(tasks, key=lambda t: t.number)
    highest = -1
    highest_stage = None
    previous = None  # the last task of the furthest stage so far
    for task in ordered:
        index = stage_index.get(task.stage)
        if index is None:
            errors.append(f"Task {task.number} has an unknown stage '{task.stage}'.")
            continue
        if index < highest:
            errors.append(
                f"Task {task.number} '{task.activity}' is in the {Stage.LABELS[task.stage]} stage but comes after "
                f"{_name(previous)} of the {Stage.LABELS[highest_stage]} stage: stages must be in order."
            )
        else:
            if index > highest:
                highest, highest_stage = index, task.stage
            previous = task

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
    return errors


@dataclass
class Feasibility:
    """Whether a timetable drawn back from a contract start leaves its tasks in the future, and if not, by
    how much the start is too soon and the earliest contract start that would."""

    total: int
    overdue: list
    short_by_days: int = 0
    earliest_start: dt.date | None = None

    @property
    def feasible(self):
        return not self.overdue

    def message(self, today):
        if self.feasible:
            return ""
        first = min(self.overdue, key=lambda t: t.due)
        text = (
            f"{len(self.overdue)} of {self.total} tasks would already be overdue on {_on(today)}: the first, "
            f"task {first.number} '{first.activity}', was due on {_on(first.due)}. The contract start is "
            f"{self.short_by_days} days too soon for this template"
        )
        if self.earliest_start:
            text += f"; the earliest contract start that leaves every task in the future is {_on(self.earliest_start)}"
        return text + "."


def _overdue(plan, today):
    return [t for t in plan if t.due is not None and t.stage != Stage.REVIEW and t.due < today]


def feasibility(steps, contract_start, today, *, tupe=False, max_tries=120):
    """Draw ``steps`` back from ``contract_start`` and say whether any task would be due before ``today``; if so,
    how many days too soon the start is and the earliest contract start (statutory milestones on working days)
    for which none would be."""
    plan = draw_timetable(steps, contract_start, tupe=tupe)
    overdue = _overdue(plan, today)
    result = Feasibility(total=len([t for t in plan if t.stage != Stage.REVIEW]), overdue=overdue)
    if not overdue:
        return result
    result.short_by_days = (today - min(t.due for t in overdue)).days
    candidate = contract_start + dt.timedelta(days=result.short_by_days)
    for _ in range(max_tries):
        late = _overdue(draw_timetable(steps, candidate, tupe=tupe), today)
        if not late:
            result.earliest_start = candidate
            break
        candidate += dt.timedelta(days=max(1, (today - min(t.due for t in late)).days))
    if result.earliest_start is not None:
        result.short_by_days = (result.earliest_start - contract_start).days
    return result


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
    "Kind",
    "Problem",
    "PlannedTask",
    "SchedulingError",
    "Stage",
    "StatutoryPeriodError",
    "Step",
    "Unit",
    "check_statutory_period",
    "draw_timetable",
    "feasibility",
    "missing_steps",
    "month_end",
    "period_length",
    "replace",
    "replan",
    "rules_of",
    "shift_task_dates",
    "statutory_problems",
    "timetable_problems",
    "validate_timetable",
]
