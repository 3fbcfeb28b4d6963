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

from django.utils import timezone

from core_groups.financial_year import fy_bounds, fy_for_date, fy_label
from core_groups.models import Allocation, Commission, CoreGroup
from core_groups.money import to_money


@dataclass(frozen=True)
class Period:
    start: dt.date | None
    end: dt.date | None
    year: int | None = None
    reference_date: dt.date | None = None  # the date red/amber/green is judged at (the meeting's, say)

    @property
    def financial_year(self):
        if self.year:
            return self.year
        return fy_for_date(self.end or self.start or timezone.localdate())


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
    """Each core group's allocation, spend, forecast and under- or overspend for the period's financial year.

    The figures come from core_groups.selectors.programme_year_position, the one place the position is worked out.
    """
    if public:
        return None
    from core_groups.selectors import programme_year_position

    year = period.financial_year
    position = programme_year_position(programme, year)
    if not position.rows:
        return None
    policies = _underspend_policies(programme, year)
    rows = []
    for r in position.rows:
        row = {
            "core_group": r.name,
            "allocated": money(r.allocated),
            "spent": money(r.spent),
            "forecast": money(r.forecast) if r.forecast is not None else None,
            "underspend": money(r.underspend_amount),
            "overspend": money(r.overspend_amount),
            "overspent": r.overspend,
            "has_allocation": r.has_allocation,
        }
        if policies and r.has_allocation:
            row["splits"] = _splits(r, policies)
        rows.append(row)
    return {
        "financial_year": year,
        "financial_year_label": fy_label(year),
        "rows": rows,
        "totals": {
            "allocated": money(position.allocated),
            "spent": money(position.spent),
            "forecast": money(position.forecast),
            "underspend": money(sum((r.underspend_amount for r in position.rows), Decimal(0))),
            "overspend": money(sum((r.overspend_amount for r in position.rows), Decimal(0))),
        },
        "policies": [p.name for p in policies],
        "has_split": any("splits" in r for r in rows),
    }


def _underspend_policies(programme, year):
    """The underspend options in force for the year (procurement app, DOMAIN Rule 2); [] until it is there."""
    models = optional("procurement.models")
    if models is None:
        return []
    return list(models.UnderspendPolicy.objects.in_force(programme, year))


def _splits(position, policies):
    from procurement.underspend import split_underspend

    result = []
    for policy in policies:
        split = split_underspend(position.allocated, position.spent, policy)
        result.append(
            {
                "policy": policy.name + (" (active)" if policy.is_active else ""),
                "commissioning_costs": money(split.commissioning_costs),
                "discretion": money(split.discretion),
                "returned": money(split.returned_to_jcg),
            }
        )
    return result


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
    """Risks of the programme and its core groups not yet closed, highest score first, with their mitigation."""
    from django.db.models import Q

    from core_groups.models import Risk
    from core_groups.risk import LABELS, rating

    risks = list(
        Risk.objects.filter(Q(programme=programme) | Q(core_group__programme=programme))
        .exclude(status=Risk.Status.CLOSED)
        .select_related("core_group", "owner")
        .distinct()
        .order_by("-score", "title")
    )
    if not risks:
        return None
    heat, rag = {}, {"red": 0, "amber": 0, "green": 0}
    rows = []
    for risk in risks:
        band = rating(risk.score)
        key = f"{risk.impact},{risk.likelihood}"
        heat[key] = heat.get(key, 0) + 1
        rag[band] += 1
        owner = risk.owner_role or (risk.owner.display_name if risk.owner else "")
        rows.append(
            {
                "title": risk.title,
                "description": risk.description,
                "core_group": risk.core_group.name if risk.core_group else "Programme",
                "impact": risk.impact,
                "likelihood": risk.likelihood,
                "score": risk.score,
                "rating": band,
                "rating_label": LABELS[band],
                "mitigation": risk.mitigation,
                "owner": owner,
                "status": risk.get_status_display(),
                "review_on": iso(risk.review_on),
            }
        )
    return {"risks": rows, "heat": heat, "rag": rag, "total": len(rows)}


def programme_projects(programme):
    """Procurement projects that buy a commission of the programme's work plan."""
    models = optional("procurement.models")
    if models is None:
        return []
    return list(
        models.ProcurementProject.objects.filter(commission__core_group__programme=programme)
        .select_related("lead_organisation", "project_manager", "template")
        .order_by("contract_start", "reference")
    )


def project_timetable(project, *, as_of=None, public=False, milestones=3):
    """One project's current timetable as plain values: version, stages and tasks, red/amber/green status.

    Red: a task is overdue; amber: one is due within 14 days; green otherwise (all as of ``as_of``).
    """
    from procurement.models import Task, Timetable
    from procurement.scheduling import Stage

    as_of = as_of or timezone.localdate()
    timetable = Timetable.objects.filter(project=project, is_current=True).select_related("published_by").first()
    if timetable is None:
        return None
    tasks = list(Task.objects.filter(timetable=timetable).select_related("responsible_user").order_by("number"))
    urgencies = {t.pk: t.urgency(as_of) for t in tasks}
    overdue = sum(1 for u in urgencies.values() if u == "overdue")
    soon = sum(1 for u in urgencies.values() if u == "soon")
    rag = "red" if overdue else "amber" if soon else "green"
    stages = []
    for stage in Stage.ORDER:
        items = [t for t in tasks if t.stage == stage]
        if items:
            stages.append(
                {
                    "label": Stage.LABELS.get(stage, stage),
                    "tasks": [
                        {
                            "number": t.label_number,  # blank for an un-numbered row (Leeds' closing review)
                            "activity": t.activity,
                            "responsibility": t.responsibility
                            or (t.responsible_user.display_name if t.responsible_user else ""),
                            "date": t.date_label,
                            "status": t.get_status_display(),
                            "urgency": urgencies[t.pk],
                            "milestone": t.milestone,
                        }
                        for t in items
                    ],
                }
            )
    upcoming = sorted(
        (t for t in tasks if not t.is_finished and t.due is not None and t.due >= as_of),
        key=lambda t: (t.due, t.number),
    )[:milestones]
    data = {
        "reference": project.reference,
        "title": project.title,
        "procedure": project.get_procedure_display(),
        "regime": project.get_regime_display(),
        "template": project.template.name if project.template_id else "",
        "status": project.get_status_display(),
        "tupe": project.tupe,
        "contract_start": iso(project.contract_start),
        "version": timetable.label,
        "published_at": iso(timetable.published_at.date()) if timetable.published_at else None,
        "change_note": timetable.change_note,
        "as_of": iso(as_of),
        "rag": rag,
        "overdue": overdue,
        "due_soon": soon,
        "task_count": len(tasks),
        "next_milestones": [{"number": t.number, "activity": t.activity, "date": t.date_label} for t in upcoming],
        "stages": stages,
    }
    if not public and project.estimated_annual_value is not None:
        data["estimated_annual_value"] = money(project.estimated_annual_value)
    return data


def _as_of(period):
    today = timezone.localdate()
    day = period.end or period.reference_date
    return min(day, today) if day else today


def procurement_timetables(programme, period, *, public=False, projects=None):
    """Each procurement project's red/amber/green status and its next milestones."""
    projects = projects if projects else programme_projects(programme)
    rows = [t for t in (project_timetable(p, as_of=_as_of(period), public=public) for p in projects) if t]
    if not rows:
        return None
    rag = {"red": 0, "amber": 0, "green": 0}
    for row in rows:
        rag[row["rag"]] += 1
    # The summary does not repeat every task: the appendix does.
    summary = [{k: v for k, v in row.items() if k != "stages"} for row in rows]
    return {"projects": summary, "rag": rag, "as_of": iso(_as_of(period))}


def timetable_appendices(programme, period, *, public=False, projects=None):
    """The chosen timetables in full, each with its version, laid out like the Leeds appendix."""
    projects = projects if projects else programme_projects(programme)
    rows = [t for t in (project_timetable(p, as_of=_as_of(period), public=public) for p in projects) if t]
    return {"timetables": rows} if rows else None


def conflicts_assessment(projects, *, public=False):
    """Each chosen project's conflicts assessment (Procurement Act 2023 s.83): who was assessed, what was found,
    the mitigations, by whom and when. The public edition leaves out the names of the people assessed."""
    if optional("procurement.models") is None or not projects:
        return None
    from procurement.selectors import conflict_assessments

    rows = []
    for project in projects:
        assessments = [
            {
                "person": "" if public else a.person,
                "role": a.role,
                "finding": a.get_finding_display(),
                "conflict": a.finding != "none",
                "details": a.details,
                "mitigations": a.mitigations,
                "assessed_by": "" if public else (a.assessed_by.display_name if a.assessed_by_id else ""),
                "assessed_on": iso(a.assessed_on),
            }
            for a in conflict_assessments(project)
        ]
        rows.append({"reference": project.reference, "title": project.title, "assessments": assessments})
    return {"projects": rows}


def growth_round_outcomes(programme, period, *, public=False):
    """The growth rounds decided in the period: funded, reserve and not funded."""
    return None
