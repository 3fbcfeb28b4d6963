"""Reads for core groups: a year's money position, work plans, registers and change history.

The position functions are the shared API that procurement (underspend) and board reports use:
``group_year_position(core_group, year)`` and ``programme_year_position(programme, year)``. Sums are
done in the database, one query for a whole programme however many groups it has.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import Count, DecimalField, F, Model, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from foundation import extensions

from .financial_year import fy_label
from .models import (
    Allocation,
    Commission,
    CoreGroup,
    CoreGroupMembership,
    Decision,
    DeclaredInterest,
    Partnership,
    Programme,
    Risk,
    RiskQuerySet,
    SpendEntry,
    User,
)
from .money import to_money
from .tenancy import for_partnership as _scope

# How each model of this app reaches its owning partnership.
SCOPE_PATHS: dict[type, str] = {
    Programme: "partnership",
    CoreGroup: "partnership",
    DeclaredInterest: "partnership",
    Commission: "core_group__partnership",
    Allocation: "core_group__partnership",
    SpendEntry: "core_group__partnership",
    CoreGroupMembership: "core_group__partnership",
    Risk: "partnership",
}


def for_partnership(qs: Any, partnership: Partnership | None) -> QuerySet[Any]:
    """``qs`` (a queryset or a model of this app) limited to ``partnership``'s rows: the one scoping helper of
    core_groups, used by every view, so that another partnership's object is not found (404)."""
    if isinstance(qs, type) and issubclass(qs, Model):
        qs = qs._default_manager.all()
    return _scope(qs, partnership, path=SCOPE_PATHS[qs.model])


if TYPE_CHECKING:
    from .filters import CommissionFilter, DeclarationFilter, RiskFilter

ZERO = Decimal("0.00")
MONEY = DecimalField(max_digits=14, decimal_places=2)


@dataclass(frozen=True)
class GroupPosition:
    """One core group's money in one financial year. All amounts are Decimal pounds and pence."""

    core_group_id: int
    name: str
    year: int
    has_allocation: bool
    allocated: Decimal
    spent: Decimal
    forecast: Decimal | None  # the forecast outturn, when one has been given

    @property
    def label(self) -> str:
        return self.name

    @property
    def year_label(self) -> str:
        return fy_label(self.year)

    @property
    def variance(self) -> Decimal:
        """Allocation minus spend: positive is underspend so far, negative is overspend."""
        return to_money(self.allocated - self.spent)

    @property
    def forecast_variance(self) -> Decimal | None:
        return None if self.forecast is None else to_money(self.allocated - self.forecast)

    @property
    def underspend(self) -> bool:
        return self.has_allocation and self.spent < self.allocated

    @property
    def overspend(self) -> bool:
        return self.spent > self.allocated

    @property
    def forecast_overspend(self) -> bool:
        return self.forecast is not None and self.forecast > self.allocated

    @property
    def underspend_amount(self) -> Decimal:
        return max(self.variance, ZERO)

    @property
    def overspend_amount(self) -> Decimal:
        return max(-self.variance, ZERO)

    @property
    def spent_pct(self) -> int | None:
        if not self.allocated:
            return None
        return int((self.spent * 100 / self.allocated).quantize(Decimal("1")))

    def as_dict(self) -> dict[str, Any]:
        return {
            "core_group_id": self.core_group_id,
            "name": self.name,
            "year": self.year,
            "has_allocation": self.has_allocation,
            "allocated": self.allocated,
            "spent": self.spent,
            "forecast": self.forecast,
            "variance": self.variance,
            "underspend": self.underspend,
            "overspend": self.overspend,
        }


@dataclass(frozen=True)
class ProgrammeSums:
    """The whole programme's sums, from the database, when a position's rows are one page of its groups."""

    allocated: Decimal
    spent: Decimal
    forecast: Decimal
    overspent_groups: list[GroupPosition]
    overspent_count: int


@dataclass(frozen=True)
class ProgrammePosition:
    programme_id: int
    name: str
    year: int
    rows: list[GroupPosition] = field(default_factory=list)
    whole: ProgrammeSums | None = None

    @property
    def overspent_count(self) -> int:
        return self.whole.overspent_count if self.whole else len(self.overspent_groups)

    @property
    def year_label(self) -> str:
        return fy_label(self.year)

    @property
    def allocated(self) -> Decimal:
        if self.whole:
            return self.whole.allocated
        return to_money(sum((r.allocated for r in self.rows), ZERO))

    @property
    def spent(self) -> Decimal:
        if self.whole:
            return self.whole.spent
        return to_money(sum((r.spent for r in self.rows), ZERO))

    @property
    def forecast(self) -> Decimal:
        """Sum of forecasts, counting actual spend for any group without a forecast yet."""
        if self.whole:
            return self.whole.forecast
        return to_money(sum(((r.spent if r.forecast is None else r.forecast) for r in self.rows), ZERO))

    @property
    def variance(self) -> Decimal:
        return to_money(self.allocated - self.spent)

    @property
    def underspend(self) -> bool:
        return self.spent < self.allocated

    @property
    def overspend(self) -> bool:
        return self.spent > self.allocated

    @property
    def overspent_groups(self) -> list[GroupPosition]:
        if self.whole:
            return self.whole.overspent_groups
        return [r for r in self.rows if r.overspend]

    def as_dict(self) -> dict[str, Any]:
        return {
            "programme_id": self.programme_id,
            "name": self.name,
            "year": self.year,
            "rows": [r.as_dict() for r in self.rows],
            "allocated": self.allocated,
            "spent": self.spent,
            "forecast": self.forecast,
            "variance": self.variance,
            "underspend": self.underspend,
            "overspend": self.overspend,
        }


def _annotated_groups(year: int) -> QuerySet[CoreGroup]:
    # .order_by(): without it each subquery sorted by Allocation's ordering, joining core group and programme for
    # every group (a programme of 500 groups: 4 such joins x 500), where the unique index finds the one row.
    allocation = Allocation.objects.filter(core_group=OuterRef("pk"), financial_year=year).order_by()
    spend = (
        SpendEntry.objects.filter(core_group=OuterRef("pk"), financial_year=year)
        .order_by()
        .values("core_group")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return CoreGroup.objects.annotate(
        _allocation_id=Subquery(allocation.values("pk")[:1]),
        _allocated=Coalesce(Subquery(allocation.values("amount")[:1]), Value(ZERO), output_field=MONEY),
        _forecast=Subquery(allocation.values("forecast_outturn")[:1], output_field=MONEY),
        _spent=Coalesce(Subquery(spend, output_field=MONEY), Value(ZERO), output_field=MONEY),
    )


def _position(group: Any, year: int) -> GroupPosition:
    """``group`` is a CoreGroup from _annotated_groups, with its money annotated."""
    return GroupPosition(
        core_group_id=group.pk,
        name=group.name,
        year=year,
        has_allocation=group._allocation_id is not None,
        allocated=to_money(group._allocated),
        spent=to_money(group._spent),
        forecast=None if group._forecast is None else to_money(group._forecast),
    )


def group_year_position(core_group: CoreGroup, year: int) -> GroupPosition:
    """The position of one core group in the financial year starting in ``year`` (one query)."""
    group = _annotated_groups(year).get(pk=core_group.pk)
    return _position(group, year)


def group_year_positions(years: Mapping[int, int]) -> dict[int, GroupPosition]:
    """{core group id: position} for each {core group id: financial year}: one query per distinct year (one in
    practice), not one per group, so a dashboard listing several groups runs a fixed number of queries."""
    by_year: dict[int, list[int]] = {}
    for pk, year in years.items():
        by_year.setdefault(year, []).append(pk)
    positions: dict[int, GroupPosition] = {}
    for year, pks in by_year.items():
        for group in _annotated_groups(year).filter(pk__in=pks):
            positions[group.pk] = _position(group, year)
    return positions


def programme_year_position(programme: Programme, year: int) -> ProgrammePosition:
    """Every core group's position and the programme's totals (one query)."""
    groups = _annotated_groups(year).filter(programme=programme).order_by("name")
    return ProgrammePosition(
        programme_id=programme.pk, name=programme.name, year=year, rows=[_position(g, year) for g in groups]
    )


OVERSPENT_NAMED = 10  # a page names this many overspent groups and counts the rest
PROGRAMME_PAGE = 50  # core groups a page of the programme lists


def programme_year_page(programme: Programme, year: int, page_number: Any) -> tuple[ProgrammePosition, Page]:
    """The position of one page of the programme's groups (by name, ``PROGRAMME_PAGE`` a page) with the whole
    programme's sums and overspent groups worked out in the database: two queries when the groups fit on one page,
    at most four however many groups it has (three when none is overspent)."""
    groups = _annotated_groups(year).filter(programme=programme)
    page = Paginator(groups.order_by("name"), PROGRAMME_PAGE).get_page(page_number)
    rows = [_position(g, year) for g in page]
    if page.paginator.num_pages == 1:
        # Every group is on the page: the sums are the rows' own (two queries in all).
        return ProgrammePosition(programme_id=programme.pk, name=programme.name, year=year, rows=rows), page
    # The sums and the number of overspent groups in one pass; the overspent are named only when there are any.
    sums = groups.aggregate(
        allocated=Coalesce(Sum("_allocated"), Value(ZERO), output_field=MONEY),
        spent=Coalesce(Sum("_spent"), Value(ZERO), output_field=MONEY),
        forecast=Coalesce(Sum(Coalesce("_forecast", "_spent", output_field=MONEY)), Value(ZERO), output_field=MONEY),
        overspent=Count("pk", filter=Q(_spent__gt=F("_allocated"))),
    )
    count = sums["overspent"]
    overspent = groups.filter(_spent__gt=F("_allocated")).order_by("name")  # type: ignore[misc]  # annotated
    named = [_position(g, year) for g in overspent[:OVERSPENT_NAMED]] if count else []
    position = ProgrammePosition(
        programme_id=programme.pk,
        name=programme.name,
        year=year,
        rows=rows,
        whole=ProgrammeSums(
            allocated=to_money(sums["allocated"]),
            spent=to_money(sums["spent"]),
            forecast=to_money(sums["forecast"]),
            overspent_groups=named,
            overspent_count=count,
        ),
    )
    return position, page


def programme_years(programme: Programme) -> list[int]:
    """The financial years worth offering in a year selector."""
    years = set(range(programme.first_year, programme.first_year + programme.length_years))
    years |= set(
        Allocation.objects.filter(core_group__programme=programme)
        .order_by()
        .values_list("financial_year", flat=True)
        .distinct()
    )
    return sorted(years)


def programme_list(partnership: Partnership | None) -> QuerySet[Programme]:
    return for_partnership(Programme.objects.select_related("lead_organisation").order_by("name"), partnership)


def group_detail(pk: int, partnership: Partnership | None) -> CoreGroup:
    qs = CoreGroup.objects.select_related("programme", "lead_support_officer__organisation")
    return for_partnership(qs, partnership).get(pk=pk)


def group_members(group: CoreGroup) -> QuerySet[CoreGroupMembership]:
    return group.memberships.select_related("user__organisation").order_by("user__last_name", "user__first_name")


def commissions_queryset() -> QuerySet[Commission]:
    return Commission.objects.select_related(
        "core_group__programme", "lead_officer", "provider", "specification_decided_by"
    )


def work_plan_by_phase(group: CoreGroup) -> OrderedDict[str, list[Commission]]:
    """The group's commissions grouped by phase, in phase order: {label: [commission, ...]}."""
    plan: OrderedDict[str, list[Commission]] = OrderedDict((label, []) for _value, label in Commission.Phase.choices)
    for commission in commissions_queryset().filter(core_group=group).order_by("title"):
        plan[commission.get_phase_display()].append(commission)
    return plan


def commission_list(
    *, data: Mapping[str, Any] | None = None, user: User | None = None, partnership: Partnership | None
) -> CommissionFilter:
    """The filtered, sorted work plan list; the page and the CSV export share it."""
    from .filters import CommissionFilter

    return CommissionFilter(
        data=data, queryset=for_partnership(commissions_queryset(), partnership), user=user, partnership=partnership
    )


def commission_delete_blockers(commission: Commission) -> list[str]:
    """Why a commission may not be deleted, as phrases ([] when it may): records that would lose their subject."""
    ct = ContentType.objects.get_for_model(Commission)
    blockers = []
    spend = commission.spend_entries.count()
    if spend:
        blockers.append(f"{spend} spend entr{'y is' if spend == 1 else 'ies are'} recorded against it")
    interests = DeclaredInterest.objects.filter(content_type=ct, object_id=commission.pk).count()
    if interests:
        blockers.append(f"{interests} declared interest{' names' if interests == 1 else 's name'} it")
    risks = Risk.objects.filter(content_type=ct, object_id=commission.pk).count()
    if risks:
        blockers.append(f"{risks} risk{' is' if risks == 1 else 's are'} scoped to it")
    return blockers


def deleted_records(model: Any, **filters: Any) -> QuerySet[Any]:
    """The deletions of ``model`` rows matching ``filters``, newest first: who deleted what, and when.

    ``model`` is any model with HistoricalRecords."""
    return model.history.filter(history_type="-", **filters).select_related("history_user").order_by("-history_date")


def risks_queryset(user: Any = None) -> RiskQuerySet:
    """Risks with what their pages show; with ``user``, only those ``user`` may see.

    A risk scoped to a record of a higher app (a procurement project) is seen by whoever sees that record
    and nobody else: another council's officer who cannot open the project cannot read its risks either.
    """
    risks = Risk.objects.select_related("programme", "core_group", "owner", "content_type")
    if user is None:
        return risks
    for model, visible in extensions.visible_scopes(user):
        # Matched through the join rather than a looked-up id, so the page's query count stays the same.
        scoped = Q(content_type__app_label=model._meta.app_label, content_type__model=model._meta.model_name)
        risks = risks.exclude(scoped & ~Q(object_id__in=visible.values("pk")))
    return risks


def risk_register(
    *, data: Mapping[str, Any] | None = None, partnership: Partnership | None, user: Any = None
) -> RiskFilter:
    from .filters import RiskFilter

    return RiskFilter(data=data, queryset=for_partnership(risks_queryset(user), partnership), partnership=partnership)


def risk_counts(risks: QuerySet[Risk]) -> dict[tuple[int, int], int]:
    """{(impact, likelihood): number of risks}, counted by the database: a heat map of 3,000 risks reads 25 rows."""
    rows = risks.order_by().values_list("impact", "likelihood").annotate(n=Count("pk"))
    return {(impact, likelihood): n for impact, likelihood, n in rows}


def open_risks_for_group(group: CoreGroup, user: Any = None) -> QuerySet[Risk]:
    return risks_queryset(user).filter(core_group=group).open().order_by("-score", "title")


def declarations_register(
    *, data: Mapping[str, Any] | None = None, partnership: Partnership | None
) -> DeclarationFilter:
    from .filters import DeclarationFilter

    qs = DeclaredInterest.objects.select_related("user__organisation", "organisation", "content_type")
    return DeclarationFilter(data=data, queryset=for_partnership(qs, partnership))


def declarations_of(user: User) -> QuerySet[DeclaredInterest]:
    return (
        DeclaredInterest.objects.filter(user=user)
        .select_related("organisation", "content_type")
        .order_by("-declared_on", "-id")
    )


def active_interest_count(user: User) -> int:
    return DeclaredInterest.objects.active().filter(user=user).count()


def groups_of(user: User, partnership: Partnership | None) -> QuerySet[CoreGroup]:
    """The core groups ``user`` sits in (or supports) within ``partnership``."""
    qs = CoreGroup.objects.filter(Q(memberships__user=user) | Q(lead_support_officer=user))
    return for_partnership(qs, partnership).select_related("programme").distinct()


MONEY_FIELDS = {"annual_value", "amount", "forecast_outturn"}


def change_history(obj: Any, *, limit: int = 50, hide_money: bool = False) -> list[dict[str, Any]]:
    """Who changed what and when, newest first: [{when, who, kind, changes: [(field, old, new)]}].

    ``obj`` is a row of a model with HistoricalRecords. With ``hide_money`` the changes to money fields are
    left out (for providers' users).
    """
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                if change.field in ("updated_at", "version", "score"):
                    continue
                if hide_money and change.field in MONEY_FIELDS:
                    continue
                changes.append(
                    (
                        _verbose(obj, change.field),
                        _shown(obj, change.field, change.old),
                        _shown(obj, change.field, change.new),
                    )
                )
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing this reader may see
        entries.append(
            {
                "when": record.history_date,
                "who": record.history_user,
                "kind": record.get_history_type_display(),
                "changes": changes,
            }
        )
    return entries


def _shown(obj: Any, name: str, value: Any) -> Any:
    try:
        model_field = obj._meta.get_field(name)
    except Exception:  # noqa: BLE001
        return value
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation and value is not None:
        try:
            return str(model_field.related_model._default_manager.get(pk=value))
        except model_field.related_model.DoesNotExist:
            return value
    return value


def _verbose(obj: Any, name: str) -> Any:
    try:
        return obj._meta.get_field(name).verbose_name
    except Exception:  # noqa: BLE001 - a field removed since the record was written
        return name


def past_decisions(subject: Any, *, kind: str) -> QuerySet[Decision]:
    """The superseded decisions on ``subject``, newest first: kept on record, never shown as in force."""
    return (
        Decision.objects.for_subject(subject)
        .superseded()
        .filter(kind=kind)
        .select_related("decided_by", "superseded_by")
        .order_by("-superseded_at")
    )
