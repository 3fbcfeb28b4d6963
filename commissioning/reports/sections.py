"""One function per data section of a report. Each returns plain, JSON-ready values (money as strings
of pence-exact Decimals, dates as ISO strings) or None when the section has nothing to say, or when the
app it reads from is not installed yet; the document then leaves the section out.

Every function takes ``public``: when True it leaves out the sensitive financial details, so that the
public edition's snapshot never holds them at all (not merely hides them in the layout).
"""

import datetime as dt
from collections import OrderedDict
from dataclasses import dataclass
from decimal import Decimal
from importlib import import_module

from django.db.models import Sum

from core_groups.financial_year import fy_bounds, fy_for_date, fy_label
from core_groups.models import Allocation, Commission, CoreGroup, SpendEntry
from core_groups.money import to_money


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None
    year: int | None = None

    @property
    def financial_year(self):
        if self.year:
            return self.year
        return fy_for_date(self.end or self.start or dt.date.today())


def optional(module_name):
    """Import a module of an app that may not have landed yet; None when it is not there."""
    try:
        return import_module(module_name)
    except ModuleNotFoundError as exc:
        if module_name.startswith(exc.name or "\0"):
            return None
        raise


def money(value):
    return str(to_money(value))


def iso(day):
    return day.isoformat() if day else None


def narrative(report, field):
    text = (getattr(report, field, "") or "").strip()
    return {"text": text} if text else None


def _core_groups(programme):
    return CoreGroup.objects.filter(programme=programme).select_related("lead_support_officer").order_by("name")


def money_position(programme, period, *, public=False):
    """Each core group's allocation, spend, forecast and under- or overspend for the period's financial year."""
    if public:
        return None
    year = period.financial_year
    groups = list(_core_groups(programme))
    if not groups:
        return None
    allocations = {a.core_group_id: a for a in Allocation.objects.filter(core_group__in=groups, financial_year=year)}
    spent = dict(
        SpendEntry.objects.filter(core_group__in=groups, financial_year=year)
        .values_list("core_group")
        .annotate(total=Sum("amount"))
    )
    split = _underspend_splitter(year)
    rows = []
    totals = {"allocated": Decimal(0), "spent": Decimal(0), "underspend": Decimal(0), "overspend": Decimal(0)}
    for group in groups:
        allocation = allocations.get(group.id)
        allocated = to_money(allocation.amount if allocation else 0)
        spend = to_money(spent.get(group.id) or 0)
        forecast = allocation.forecast_outturn if allocation and allocation.forecast_outturn is not None else None
        under = max(allocated - spend, Decimal(0))
        over = max(spend - allocated, Decimal(0))
        row = {
            "core_group": group.name,
            "allocated": money(allocated),
            "spent": money(spend),
            "forecast": money(forecast) if forecast is not None else None,
            "underspend": money(under),
            "overspend": money(over),
            "overspent": over > 0,
            "has_allocation": allocation is not None,
        }
        if split and allocation is not None:
            row["split"] = split(group, allocated, spend)
        rows.append(row)
        totals["allocated"] += allocated
        totals["spent"] += spend
        totals["underspend"] += under
        totals["overspend"] += over
    return {
        "financial_year": year,
        "financial_year_label": fy_label(year),
        "rows": rows,
        "totals": {k: money(v) for k, v in totals.items()},
        "has_split": any("split" in r for r in rows),
    }


def _underspend_splitter(year):
    """The procurement app's underspend tranches (Rule 2), when it has landed; None until then."""
    return None


def workplan_progress(programme, period, *, public=False):
    """Commissions by phase, with the count in each status and each commission's place."""
    commissions = list(
        Commission.objects.filter(core_group__programme=programme)
        .select_related("core_group", "lead_officer")
        .order_by("phase", "core_group__name", "title")
    )
    if not commissions:
        return None
    statuses = [{"key": k, "label": str(label)} for k, label in Commission.Status.choices]
    phases = []
    for phase_key, phase_label in Commission.Phase.choices:
        items = [c for c in commissions if c.phase == phase_key]
        if not items:
            continue
        counts = OrderedDict((k, 0) for k, _ in Commission.Status.choices)
        for c in items:
            counts[c.status] += 1
        phases.append(
            {
                "key": phase_key,
                "label": str(phase_label),
                "counts": [counts[s["key"]] for s in statuses],
                "total": len(items),
                "commissions": [_commission_row(c, public) for c in items],
            }
        )
    return {"statuses": statuses, "phases": phases, "total": len(commissions)}


def _commission_row(c, public):
    row = {
        "title": c.title,
        "core_group": c.core_group.name,
        "service_area": c.service_area,
        "route": c.get_route_display(),
        "status": c.get_status_display(),
        "status_key": c.status,
        "indicative_start": iso(c.indicative_start),
        "business_case": c.get_business_case_decision_display() if c.route == Commission.Route.SINGLE_TENDER else "",
    }
    if not public:
        row["annual_value"] = money(c.annual_value) if c.annual_value is not None else None
    return row


def programme_overview(programme, period, *, public=False):
    """Appendix: each core group, its Lead Support Officer, allocation and work plan by phase."""
    year = period.financial_year
    groups = list(_core_groups(programme).prefetch_related("commissions"))
    if not groups:
        return None
    allocations = {}
    if not public:
        allocations = {
            a.core_group_id: money(a.amount)
            for a in Allocation.objects.filter(core_group__in=groups, financial_year=year)
        }
    result = []
    for group in groups:
        phases = []
        for phase_key, phase_label in Commission.Phase.choices:
            items = sorted((c for c in group.commissions.all() if c.phase == phase_key), key=lambda c: c.title)
            if items:
                phases.append({"label": str(phase_label), "commissions": [_commission_row(c, public) for c in items]})
        entry = {
            "name": group.name,
            "remit": group.remit,
            "lead_support_officer": group.lead_support_officer.display_name if group.lead_support_officer else "",
            "phases": phases,
        }
        if not public:
            entry["allocation"] = allocations.get(group.id)
        result.append(entry)
    start, end = fy_bounds(year)
    return {
        "programme": programme.name,
        "financial_year_label": fy_label(year),
        "funder": programme.funder,
        "decided_by": programme.decided_by,
        "groups": result,
    }


def key_risks(programme, period, *, public=False):
    """Open risks of the programme and its core groups, highest score first, with their mitigation."""
    return None


def procurement_timetables(programme, period, *, public=False, timetables=None):
    """Each procurement project's red/amber/green status and its next milestones."""
    return None


def timetable_appendices(programme, period, *, public=False, timetables=None):
    """The chosen timetables in full, each with its version."""
    return None


def growth_round_outcomes(programme, period, *, public=False):
    """The growth rounds decided in the period: funded, reserve and not funded."""
    return None
