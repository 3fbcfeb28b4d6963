"""Every non-trivial read of review: a fixed number of queries whatever the number of services and periods."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from core_groups.models import Commission, Partnership, Programme
from core_groups.selectors import for_partnership

from . import permissions, rules
from .models import Action, Attendance, Contract, Event, Measure, Meeting, MinuteItem, Return, ReturnValue, Target


@dataclass
class Point:
    """One period of a measure: its label, the actual (if returned) and the target (if set)."""

    start: date
    label: str
    actual: Decimal | None = None
    target: Decimal | None = None


@dataclass
class MeasureTrend:
    measure: Measure
    points: list[Point] = field(default_factory=list)

    @property
    def latest(self) -> Point | None:
        with_actual = [p for p in self.points if p.actual is not None]
        return with_actual[-1] if with_actual else None

    @property
    def targets(self) -> list[Point]:
        return [p for p in self.points if p.target is not None]


COUNTED = [Return.Status.SUBMITTED, Return.Status.REVIEWED]

_NO_REQUEST = object()

# The scoping helper of this app (issue 12): every lookup of a review record goes through ``scoped``.
SCOPE_PATHS: dict[type, str] = {
    Meeting: "programme__partnership",
    MinuteItem: "meeting__programme__partnership",
    Event: "programme__partnership",
    Return: "commission__core_group__partnership",
}


def scoped(qs: Any, partnership: Any) -> QuerySet[Any]:
    """``qs`` (a queryset or a model of review or core_groups) limited to ``partnership``'s rows."""
    from django.db.models import Model, Q

    if isinstance(qs, type) and issubclass(qs, Model):
        qs = qs._default_manager.all()
    if partnership is None:
        return qs.none()
    if qs.model is Measure:
        return qs.filter(Q(programme__partnership=partnership) | Q(commission__core_group__partnership=partnership))
    if qs.model in SCOPE_PATHS:
        return qs.filter(**{SCOPE_PATHS[qs.model]: partnership})
    return for_partnership(qs, partnership)


def measures_for_programme(programme: Programme) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(programme=programme)
        .select_related("commission__provider", "programme")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("period_start")))
        .order_by("commission__title", "kind", "title")
    )


def trends(measures: QuerySet[Measure] | list[Measure]) -> list[MeasureTrend]:
    """Each measure with its periods (targets and the actuals of submitted and reviewed returns), in order.

    Two queries in all (the measures with their targets, then every actual), so a page of 50 services with
    12 quarters of returns costs what a page of one does.
    """
    measures = list(measures)
    actuals: dict[int, dict[date, tuple[str, Decimal]]] = defaultdict(dict)
    # Read as tuples: a page of 50 services x 12 quarters made 1,200 model objects for 600 figures (issue 17).
    values = ReturnValue.objects.filter(
        measure__in=[m.pk for m in measures], return_record__status__in=COUNTED
    ).values_list("measure_id", "value", "return_record__period_start", "return_record__period_end")
    for measure_id, value, start, end in values:
        actuals[measure_id][start] = (rules.period_label(start, end), value)
    result = []
    for measure in measures:
        points: dict[date, Point] = {}
        for target in measure.targets.all():
            points[target.period_start] = Point(target.period_start, target.period_label, target=target.value)
        for start, (label, actual) in actuals[measure.pk].items():
            point = points.setdefault(start, Point(start, label))
            point.actual = actual
        result.append(MeasureTrend(measure, sorted(points.values(), key=lambda p: p.start)))
    return result


def programme_trends(programme: Programme) -> list[MeasureTrend]:
    return trends(measures_for_programme(programme))


def returns_for(user: Any) -> QuerySet[Return]:
    """The returns ``user`` may read: all for the programme team, their own services' for a provider."""
    qs = Return.objects.select_related("commission__provider", "commission__core_group__programme", "submitted_by")
    current = getattr(user, "current_partnership", _NO_REQUEST)
    if current is not _NO_REQUEST:
        partnership = cast("Partnership | None", current)
        qs = qs.filter(commission__core_group__partnership=partnership) if partnership is not None else qs.none()
    if permissions.is_review_keeper(user):
        return qs
    if permissions.can_view_returns(user):
        return qs.for_organisation(user.organisation_id)
    return qs.none()


def services_for(user: Any) -> QuerySet[Commission]:
    """The services with measures that ``user`` may return for: their organisation's, or all for the team."""
    qs = (
        Commission.objects.filter(measures__isnull=False)
        .distinct()
        .select_related("provider", "core_group__programme")
        .order_by("title")
    )
    current = getattr(user, "current_partnership", _NO_REQUEST)
    if current is not _NO_REQUEST:
        # Only the partnership the person works in now: an import naming another's service is refused by line.
        qs = scoped(qs, current)
    if permissions.is_review_keeper(user):
        return qs
    if permissions.can_view_returns(user) and getattr(user, "organisation_id", None):
        return qs.filter(provider_id=user.organisation_id)
    return qs.none()


@dataclass
class Overdue:
    commission: Commission
    period_start: date
    period_end: date
    due_on: date
    state: str  # "missing" (nothing at all) or "late" (a draft not yet submitted)

    @property
    def period_label(self) -> str:
        return rules.period_label(self.period_start, self.period_end)


def services_for_reminders() -> QuerySet[Commission]:
    """Every service with measures and a provider: those whose providers make returns."""
    return (
        Commission.objects.filter(measures__isnull=False, provider__isnull=False)
        .distinct()
        .select_related("provider")
        .order_by("title")
    )


def overdue_returns(services: QuerySet[Commission] | list[Commission], today: date | None = None) -> list[Overdue]:
    """Quarters of each service's life whose return is due before ``today`` and not submitted: two queries (one
    when ``services`` is already a list).

    The reminder sweep passes a day ahead of today, to find the returns coming due as well.
    """
    today = today or timezone.localdate()
    service_list = list(services)
    # Plain tuples, not model instances: 600 returns at 1x made a deferred instance each on every dashboard.
    have: dict[tuple[int, date], str] = {
        (commission_id, period_start): status
        for commission_id, period_start, status in Return.objects.filter(
            commission__in=[service.pk for service in service_list]
        ).values_list("commission_id", "period_start", "status")
    }
    result = []
    for service in service_list:
        if service.indicative_start is None:
            continue
        end = min(service.indicative_end or today, today)
        for start, last in rules.quarters(service.indicative_start, end):
            due = rules.due_date(last)
            if due >= today:
                continue
            status = have.get((service.pk, start))
            if status is None:
                result.append(Overdue(service, start, last, due, "missing"))
            elif status == Return.Status.DRAFT:
                result.append(Overdue(service, start, last, due, "late"))
    return sorted(result, key=lambda o: (o.due_on, o.commission.title))


def service_trends(commission: Commission) -> list[MeasureTrend]:
    measures = (
        Measure.objects.filter(commission=commission)
        .select_related("commission")
        .prefetch_related(Prefetch("targets", queryset=Target.objects.order_by("period_start")))
    )
    return trends(measures)


# --- meetings and attendance ---------------------------------------------------------------------------------


@dataclass
class MemberAttendance:
    name: str
    organisation: str
    invited: int
    attended: int
    apologies: int


@dataclass
class OrganisationAttendance:
    organisation: str
    members: int
    invitations: int
    attended: int

    @property
    def share(self) -> int:
        return round(100 * self.attended / self.invitations) if self.invitations else 0


@dataclass
class AttendanceSummary:
    meetings: list[Meeting]
    members: list[MemberAttendance]
    organisations: list[OrganisationAttendance]
    pattern: list[str]
    pattern_by_organisation: dict[str, list[str]]
    # By kind of organisation (e.g. "Unitary council"): how the source counts local authority attendance.
    pattern_by_kind: dict[str, list[str]]


def meetings_between(start: date | None, end: date | None, programme: Programme | None = None) -> QuerySet[Meeting]:
    qs = Meeting.objects.select_related("programme").order_by("held_on")
    if programme is not None:
        qs = qs.filter(programme=programme)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs


def minute_items(meeting: Meeting) -> QuerySet[MinuteItem]:
    """The meeting's numbered minute items, each with the decisions taken under it (and what they decided on)."""
    from .models import DecisionMinute

    links = DecisionMinute.objects.select_related("decision__decided_by", "decision__content_type").prefetch_related(
        "decision__subject"
    )
    return meeting.minute_items.order_by("number").prefetch_related(Prefetch("decision_links", queryset=links))


def decisions_for_meeting(meeting: Meeting) -> QuerySet[Any]:
    """The decisions (core_groups.Decision) a minute of ``meeting`` may record: those on the commissions of the
    meeting's programme, latest first."""
    from django.contrib.contenttypes.models import ContentType

    from core_groups.models import Commission, Decision

    commissions = Commission.objects.filter(core_group__programme_id=meeting.programme_id).values("pk")
    return (
        Decision.objects.filter(content_type=ContentType.objects.get_for_model(Commission), object_id__in=commissions)
        .select_related("content_type")
        .prefetch_related("subject")
        .order_by("-decided_on", "-pk")
    )


def decision_label(decision: Any) -> str:
    """'Business case: Approved on 20 January 2010 (Parenting programme)', for a choice or a minute."""
    subject = getattr(decision.subject, "title", None) or str(decision.subject)
    return f"{decision} ({subject})" + (" (superseded)" if decision.is_superseded else "")


def attendance_summary(meetings: QuerySet[Meeting]) -> AttendanceSummary:
    """Per member and per organisation, how often they came to the meetings they were invited to: two queries."""
    meeting_list = list(meetings)
    rows = Attendance.objects.filter(meeting__in=meeting_list).select_related("user__organisation")
    per_member: dict[int, MemberAttendance] = {}
    by_org_records: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    all_records: list[tuple[str, bool]] = []
    by_kind_records: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for row in rows:
        user = row.user
        org = user.organisation.label if user.organisation else "No organisation"
        entry = per_member.setdefault(user.pk, MemberAttendance(user.display_name, org, 0, 0, 0))
        entry.invited += 1
        attended = row.status == Attendance.Status.ATTENDED
        entry.attended += int(attended)
        entry.apologies += int(row.status == Attendance.Status.APOLOGIES)
        by_org_records[org].append((str(user.pk), attended))
        all_records.append((str(user.pk), attended))
        kind = user.organisation.get_kind_display() if user.organisation else "No organisation"
        by_kind_records[str(kind)].append((str(user.pk), attended))
    members = sorted(per_member.values(), key=lambda m: (m.organisation, m.attended, m.name))
    organisations = []
    for org, records in sorted(by_org_records.items()):
        organisations.append(
            OrganisationAttendance(
                organisation=org,
                members=len({person for person, _ in records}),
                invitations=len(records),
                attended=sum(1 for _, came in records if came),
            )
        )
    everyone = rules.count_attendance(all_records, len(meeting_list))
    pattern_by_org = {
        org: rules.count_attendance(records, len(meeting_list)).pattern() for org, records in by_org_records.items()
    }
    pattern_by_kind = {
        kind: rules.count_attendance(records, len(meeting_list)).pattern()
        for kind, records in sorted(by_kind_records.items())
    }
    return AttendanceSummary(meeting_list, members, organisations, everyone.pattern(), pattern_by_org, pattern_by_kind)


# --- events --------------------------------------------------------------------------------------------------


@dataclass
class EventTotals:
    events: int
    places: int
    public: int
    third: int
    waiting_list: int

    @property
    def attended(self) -> int:
        return self.public + self.third


def events_between(start: date | None, end: date | None, programme: Programme | None = None) -> QuerySet[Event]:
    qs = Event.objects.select_related("programme").order_by("held_on")
    if programme is not None:
        qs = qs.filter(programme=programme)
    if start:
        qs = qs.filter(held_on__gte=start)
    if end:
        qs = qs.filter(held_on__lte=end)
    return qs


def event_totals(events: list[Event]) -> EventTotals:
    return EventTotals(
        events=len(events),
        places=sum(e.places or 0 for e in events),
        public=sum(e.attended_public for e in events),
        third=sum(e.attended_third for e in events),
        waiting_list=sum(e.waiting_list for e in events),
    )


# ---------------------------------------------------------------- action plans

ACTION_SORTS = {
    "due": ("due_on", "title"),
    "-due": ("-due_on", "title"),
    "title": ("title",),
    "status": ("status", "due_on"),
    "owner": ("owner__last_name", "owner__first_name", "due_on"),
}


def _overdue(qs: QuerySet[Action], today: date) -> QuerySet[Action]:
    """Not done and past the due date (as ActionQuerySet.overdue)."""
    return qs.exclude(status=Action.Status.DONE).filter(due_on__lt=today)


def actions_for(partnership: Any) -> QuerySet[Action]:
    """The action plans of ``partnership``'s programmes (nothing when there is none)."""
    from core_groups.tenancy import for_partnership

    return for_partnership(
        Action.objects.select_related("programme", "owner", "organisation", "measure", "risk"),
        partnership,
        path="programme__partnership",
    )


def filter_actions(
    qs: QuerySet[Action],
    *,
    status: str = "",
    owner: int | None = None,
    overdue: bool = False,
    sort: str = "due",
    today: date | None = None,
) -> QuerySet[Action]:
    if status:
        qs = qs.filter(status=status)
    if owner:
        qs = qs.filter(owner_id=owner)
    if overdue:
        qs = _overdue(qs, today or timezone.localdate())
    order = ACTION_SORTS.get(sort, ACTION_SORTS["due"])
    if order[0].lstrip("-") == "due_on":
        from django.db.models import F

        first = F("due_on").desc(nulls_last=True) if order[0].startswith("-") else F("due_on").asc(nulls_last=True)
        return qs.order_by(first, *order[1:], "pk")
    return qs.order_by(*order, "pk")


def overdue_actions(partnership: Any, *, today: date | None = None) -> QuerySet[Action]:
    return _overdue(actions_for(partnership), today or timezone.localdate()).order_by("due_on", "title", "pk")


# ---------------------------------------------------------------- contracts

CONTRACT_STATES = [
    ("live", "Live"),
    ("expiring", "Ending within 9 months"),
    ("ended", "Ended"),
    ("future", "Not started"),
]


def contracts_for(partnership: Any) -> QuerySet[Contract]:
    from core_groups.tenancy import for_partnership

    return for_partnership(
        Contract.objects.select_related("programme", "supplier", "procurement_project", "manager").prefetch_related(
            "measures"
        ),
        partnership,
        path="programme__partnership",
    )


def filter_contracts(
    qs: QuerySet[Contract],
    *,
    state: str = "",
    supplier: int | None = None,
    programme: int | None = None,
    q: str = "",
    today: date | None = None,
) -> QuerySet[Contract]:
    from procurement.dates import add_months

    today = today or timezone.localdate()
    if state == "live":
        qs = qs.filter(start_on__lte=today, end_on__gte=today)
    elif state == "expiring":
        qs = qs.filter(end_on__gte=today, end_on__lte=add_months(today, 9))
    elif state == "ended":
        qs = qs.filter(end_on__lt=today)
    elif state == "future":
        qs = qs.filter(start_on__gt=today)
    if supplier:
        qs = qs.filter(supplier_id=supplier)
    if programme:
        qs = qs.filter(programme_id=programme)
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q) | Q(supplier__name__icontains=q))
    return qs.order_by("end_on", "title", "pk")


CONTRACT_COLUMNS = [
    "Reference",
    "Title",
    "Programme",
    "Supplier",
    "Value (£)",
    "Start",
    "End",
    "Extension options",
    "KPIs",
    "Measures",
    "Procurement project",
]


def contract_rows(contracts: QuerySet[Contract]) -> list[list[Any]]:
    return [
        [
            c.reference,
            c.title,
            c.programme.name,
            c.supplier.name,
            c.value,
            c.start_on,
            c.end_on,
            c.extension_options,
            "; ".join(c.kpi_list),
            "; ".join(m.title for m in c.measures.all()),
            c.procurement_project.reference if c.procurement_project else "",
        ]
        for c in contracts
    ]
