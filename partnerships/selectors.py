"""Reads of the shared commissioning app."""

from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.db.models import QuerySet
from django.utils import timezone

from core_groups.models import Organisation, Partnership, User
from core_groups.tenancy import for_partnership as _scope
from foundation import caching

from . import costing
from .models import FundingArrangement, PartnerPreference, ServiceArea, SharedOption
from .permissions import can_view_all_arrangements

_NO_REQUEST = object()


def for_partnership(qs: QuerySet[FundingArrangement], partnership: Partnership | None) -> QuerySet[FundingArrangement]:
    """The register's arrangements of ``partnership`` only: the scoping helper of this app."""
    return _scope(qs, partnership)


def arrangements_for(user: User) -> QuerySet[FundingArrangement]:
    """The arrangements a user may read in the partnership they work in now: all of its register for the programme
    team and Body, else their organisation's."""
    qs = FundingArrangement.objects.with_parties()
    current = getattr(user, "current_partnership", _NO_REQUEST)
    if current is not _NO_REQUEST:
        qs = for_partnership(qs, cast(Partnership | None, current))
    if can_view_all_arrangements(user):
        return qs
    org_id = getattr(user, "organisation_id", None)
    if org_id is None:
        return qs.none()
    from django.db.models import Q

    return qs.filter(Q(funder_id=org_id) | Q(provider_id=org_id))


def three_year_cost(arrangement: FundingArrangement) -> Decimal | None:
    """The arrangement's resource cost adjusted to three years, or None without an hourly cost."""
    cost = arrangement.resource_cost()
    return cost.three_year_cost if cost else None


@dataclass
class Group:
    label: str
    count: int = 0
    annual_value: Decimal = Decimal("0.00")
    resource_cost: Decimal = Decimal("0.00")


@dataclass
class RegisterMap:
    total: Group
    by_provider: list[Group]
    by_funder: list[Group]
    by_service: list[Group]
    by_type: list[Group]
    uncosted: int
    # Each arrangement worth a look, with why: never openly procured, ending soon, ended.
    alerts: list[tuple[FundingArrangement, list[str]]] = field(default_factory=list)
    threshold: Decimal = Decimal("0")
    today: date | None = None


def _grouped(
    arrangements: Iterable[tuple[FundingArrangement, Decimal | None]],
    key: Callable[[FundingArrangement], str],
    *,
    by_count: bool = True,
) -> list[Group]:
    groups: OrderedDict[str, Group] = OrderedDict()
    for arrangement, cost in arrangements:
        label = key(arrangement)
        group = groups.setdefault(label, Group(label))
        group.count += 1
        group.annual_value += arrangement.annual_value
        group.resource_cost += cost or 0
    if not by_count:
        return list(groups.values())
    return sorted(groups.values(), key=lambda g: (-g.count, g.label))


# The dashboard's summary of a partnership's register, cached: rebuilding the whole register map on every request
# grew with the register. A save or delete of an arrangement or an hourly cost forgets it (partnerships/apps.py).
SUMMARY_NAMESPACE = caching.namespace("partnerships:register-summary")


def register_summary(partnership: Partnership | None) -> dict[str, Any]:
    """{count, providers, value, cost} of ``partnership``'s register, from the cache when nothing has changed."""

    def build() -> dict[str, Any]:
        result = register_map(for_partnership(FundingArrangement.objects.with_parties(), partnership))
        return {
            "count": result.total.count,
            "providers": len(result.by_provider),
            "value": result.total.annual_value,
            "cost": result.total.resource_cost,
        }

    return caching.cached(SUMMARY_NAMESPACE, [partnership.pk if partnership else "none"], build)


def register_map(
    queryset: QuerySet[FundingArrangement] | None = None,
    *,
    threshold: Decimal = Decimal("0"),
    today: date | None = None,
) -> RegisterMap:
    """Counts, annual investment and resource cost by provider, funder, service area and type, and the
    arrangements above the threshold that were never openly procured or end within twelve months."""
    today = today or timezone.localdate()
    if queryset is None:
        queryset = FundingArrangement.objects.with_parties()
    if not queryset.ordered:
        queryset = queryset.order_by("reference")
    rows = [(a, three_year_cost(a)) for a in queryset]
    total = Group("All arrangements")
    uncosted = 0
    for arrangement, cost in rows:
        total.count += 1
        total.annual_value += arrangement.annual_value
        if cost is None:
            uncosted += 1
        else:
            total.resource_cost += cost
    horizon = today + timedelta(days=365)
    alerts: list[tuple[FundingArrangement, list[str]]] = []
    for arrangement, _cost in rows:
        if arrangement.annual_value < threshold:
            continue
        reasons = []
        if arrangement.never_openly_procured:
            reasons.append("never openly procured")
        if arrangement.end_date and today <= arrangement.end_date <= horizon:
            reasons.append("ends within twelve months")
        elif arrangement.end_date and arrangement.end_date < today:
            reasons.append("has ended")
        if reasons:
            alerts.append((arrangement, reasons))
    alerts.sort(key=lambda item: (-item[0].annual_value, item[0].reference))
    return RegisterMap(
        total=total,
        # Providers in the order the register first names them, as the seed reports them.
        by_provider=_grouped(rows, lambda a: a.provider.label, by_count=False),
        by_funder=_grouped(rows, lambda a: a.funder.label),
        by_service=_grouped(rows, lambda a: a.service_area.name),
        by_type=_grouped(rows, lambda a: a.get_arrangement_type_display()),
        uncosted=uncosted,
        alerts=alerts,
        threshold=threshold,
        today=today,
    )


def funders_in_register() -> QuerySet[Organisation]:
    return Organisation.objects.filter(arrangements_funded__isnull=False).distinct().order_by("name")


def current_resource_cost(*, partner_ids: Iterable[int], service_area_ids: Iterable[int]) -> tuple[Decimal, int, int]:
    """Today's three-year resource cost of the arrangements of these partners in these services."""
    qs = FundingArrangement.objects.with_parties().filter(
        funder_id__in=partner_ids, service_area_id__in=service_area_ids
    )
    total = Decimal("0.00")
    count = uncosted = 0
    for arrangement in qs:
        cost = three_year_cost(arrangement)
        count += 1
        if cost is None:
            uncosted += 1
        else:
            total += cost
    return total, count, uncosted


def preferences_by_service() -> list[tuple[ServiceArea, OrderedDict[SharedOption, list[PartnerPreference]], Decimal]]:
    """[(service area, {option: [preference, ...]})] for the options and decisions page."""
    options = list(SharedOption.objects.all())
    result = []
    prefs = PartnerPreference.objects.select_related("partner", "option", "service_area")
    by_area: dict[int, list[PartnerPreference]] = {}
    for pref in prefs:
        by_area.setdefault(pref.service_area_id, []).append(pref)
    for area in ServiceArea.objects.select_related("lead_commissioner", "procurement_project"):
        grouped: OrderedDict[SharedOption, list[PartnerPreference]] = OrderedDict((option, []) for option in options)
        for pref in by_area.get(area.pk, []):
            grouped.setdefault(pref.option, []).append(pref)
        total = sum(
            (p.annual_contribution or Decimal(0) for p in by_area.get(area.pk, []) if p.option.is_aligned_budgets),
            Decimal(0),
        )
        result.append((area, grouped, total))
    return result


@dataclass(frozen=True)
class AlignedPartner:
    partner: Organisation
    annual_contribution: Decimal | None  # required for aligned budgets by the model's clean(), nullable in the table
    cabinet_decision_needed: bool
    decision_date: date | None


def aligned_budget_partners(service_area: ServiceArea) -> list[AlignedPartner]:
    """The partners that chose aligned budgets for a service, with what each transfers to the lead commissioner
    every year. This is what a procurement project for the service starts from."""
    prefs = (
        PartnerPreference.objects.filter(service_area=service_area, option__kind=SharedOption.Kind.ALIGNED_BUDGETS)
        .select_related("partner")
        .order_by("partner__name")
    )
    return [AlignedPartner(p.partner, p.annual_contribution, p.cabinet_decision_needed, p.decision_date) for p in prefs]


def stage_hours_totals(queryset: Iterable[FundingArrangement]) -> OrderedDict[str, Decimal]:
    """Total hours per stage, in the seed's stage order."""
    totals = OrderedDict((label, Decimal(0)) for _name, label in costing.STAGES)
    for arrangement in queryset:
        for name, label in costing.STAGES:
            totals[label] += getattr(arrangement, name)
    return totals
