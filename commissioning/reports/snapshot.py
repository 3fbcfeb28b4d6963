"""The frozen data of one render: cover details, narrative and the chosen sections' data, for one edition.

The snapshot is stored with the Rendering and the PDF is drawn from it alone, so the document a board
saw can be explained (and drawn again) from what was kept, whatever happened to the data since.
"""

import calendar

from django.utils import timezone

from core_groups.financial_year import fy_label

from . import catalogue, sections
from .sections import Period

SNAPSHOT_FORMAT = 1


def chosen_projects(report):
    """The procurement projects an officer chose for the report; none chosen means the programme's own."""
    projects = getattr(report, "projects", None)
    if projects is None or report.pk is None:
        return []
    return list(projects.select_related("lead_organisation", "project_manager", "template").all())


def _narrative(field):
    return lambda report, period, public: sections.narrative(report, field)


def _programme_section(func):
    return lambda report, period, public: func(report.programme, period, public=public)


BUILDERS = {
    "background": _narrative("background"),
    "issues": lambda report, period, public: (
        {"issues": report.issues.strip(), "actions": report.actions.strip()}
        if (report.issues.strip() or report.actions.strip())
        else None
    ),
    "equity": _narrative("equity_and_transparency"),
    "recent_achievements": _narrative("recent_achievements"),
    "next_steps": _narrative("next_steps"),
    "key_risks": _programme_section(sections.key_risks),
    "money_position": _programme_section(sections.money_position),
    "workplan_progress": _programme_section(sections.workplan_progress),
    "procurement_timetables": lambda report, period, public: sections.procurement_timetables(
        report.programme, period, public=public, projects=chosen_projects(report)
    ),
    "growth_round_outcomes": _programme_section(sections.growth_round_outcomes),
    "appendix_overview": _programme_section(sections.programme_overview),
    "appendix_timetables": lambda report, period, public: sections.timetable_appendices(
        report.programme, period, public=public, projects=chosen_projects(report)
    ),
    "timetable": lambda report, period, public: sections.timetable_appendices(
        report.programme, period, public=public, projects=chosen_projects(report)
    ),
    "conflicts_assessment": lambda report, period, public: sections.conflicts_assessment(
        chosen_projects(report), public=public
    ),
}


def _pack(func):
    def build(report, period, public):
        funding_round = getattr(report, "funding_round", None)
        if funding_round is None or sections.optional("growth_bids.models") is None:
            return None
        from . import pack

        return getattr(pack, func)(funding_round, public=public)

    return build


def _pack_paper(func):
    """A part of the committee paper: built from the report's own text (and the round, when it needs it)."""

    def build(report, period, public):
        from . import pack

        if func == "contact":
            return pack.contact(report, public=public)
        funding_round = getattr(report, "funding_round", None)
        if funding_round is None or sections.optional("growth_bids.models") is None:
            return None
        return getattr(pack, func)(funding_round, report, public=public)

    return build


def _round_outcomes(report, period, public):
    if sections.optional("growth_bids.models") is None:
        return None
    from .pack import round_outcomes

    return round_outcomes(report.programme, period, public=public)


BUILDERS.update(
    {
        "money_available": _pack("money_available"),
        "ranking": _pack("ranking"),
        "bid_details": _pack("bid_details"),
        "criteria_matrix": _pack("criteria_matrix"),
        "recommendations": _pack_paper("recommendations"),
        "implications": _pack_paper("implications"),
        "contact": _pack_paper("contact"),
        "growth_round_outcomes": _round_outcomes,
    }
)


def _review(func):
    """A section of the review app (the layer below), when it is installed."""

    def build(report, period, public):
        module = sections.optional("review.report_sections")
        if module is None:
            return None
        return getattr(module, func)(report.programme, period.start, period.end, public=public)

    return build


BUILDERS.update({"performance_measures": _review("performance_measures"), "engagement": _review("engagement")})


def _with_action_plan(narrative_builder, parts):
    """A narrative section with the review action plan's entries beside it: "issues and actions" takes the
    obstacles (each with the board it is reported to) and the overdue actions; "next steps" the actions due next.
    The officer's own text stays; the plan is added, never typed twice."""

    def build(report, period, public):
        data = dict(narrative_builder(report, period, public) or {})
        module = sections.optional("review.report_sections")
        plan = module.action_plan(report.programme, period.start, period.end, public=public) if module else None
        for part in parts:
            if plan and plan.get(part):
                data[part] = plan[part]
        if plan and any(data.get(part) for part in parts):
            data["as_at"] = plan["as_at"]
        return data or None

    return build


BUILDERS.update(
    {
        "issues": _with_action_plan(BUILDERS["issues"], ("obstacles", "overdue")),
        "next_steps": _with_action_plan(BUILDERS["next_steps"], ("next_steps",)),
    }
)


def register(key, builder):
    """Let a section be wired in (or replaced) without touching this module: builder(report, period, public)."""
    BUILDERS[key] = builder


def period_label(start, end):
    """'October 2009' to 'March 2010' when the period is whole months; full dates otherwise."""
    if not (start and end):
        return "", ""
    whole_months = start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]
    fmt = "%B %Y" if whole_months else "%-d %B %Y"
    return start.strftime(fmt), end.strftime(fmt)


def build_snapshot(report, edition):
    public = edition == "public"
    period = Period(report.period_start, report.period_end, report.financial_year, report.meeting_date)
    start_label, end_label = period_label(report.period_start, report.period_end)
    included, left_out = [], []
    for section in catalogue.ordered(report.kind, report.sections):
        if public and section.confidential:
            left_out.append({"title": section.title, "why": "confidential (sensitive financial details)"})
            continue
        builder = BUILDERS.get(section.key)
        data = builder(report, period, public) if builder else None
        # A section the author ticked is printed even with nothing to show: "None to report", never a silent gap.
        included.append(
            {
                "key": section.key,
                "title": section.title,
                "appendix": section.appendix,
                "data": data,
                "empty": data is None,
            }
        )
    programme = report.programme
    return {
        "format": SNAPSHOT_FORMAT,
        "kind": report.kind,
        "kind_label": report.get_kind_display(),
        "edition": edition,
        "public": public,
        "taken_at": timezone.now().isoformat(),
        "report": {
            "id": report.pk,
            "version": report.version,
            "title": report.title,
            "senior_responsible_officer": report.senior_responsible_officer,
            "project_manager": report.project_manager,
            "period_start": sections.iso(report.period_start),
            "period_end": sections.iso(report.period_end),
            "period_from": start_label,
            "period_to": end_label,
            "financial_year_label": fy_label(period.financial_year),
            "board": report.board or programme.reports_to,
            "meeting_date": sections.iso(report.meeting_date),
            "classification": report.classification,
        },
        "programme": {
            "name": programme.name,
            "funder": programme.funder,
            "reports_to": programme.reports_to,
            "decided_by": programme.decided_by,
        },
        "round_label": str(getattr(report, "funding_round", None) or ""),
        "narrative": {"background": report.background},
        "sections": included,
        "left_out": left_out,
    }
