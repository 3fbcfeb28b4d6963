"""Review's sections of a board report, as plain JSON-ready values (the report's snapshot keeps them).

The report app (commissioning, the layer above) calls these; this app never imports it. Money-unit
measures are sensitive financial details: the public edition leaves them out.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from core_groups.models import Programme

from . import selectors
from .models import Measure


def _num(value: Any) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def performance_measures(
    programme: Programme, start: date | None, end: date | None, *, public: bool = False
) -> dict[str, Any] | None:
    """Each measure with its baseline (or 'No baseline set'), targets and actuals up to the period's end."""
    measures = selectors.measures_for_programme(programme)
    if public:
        measures = measures.exclude(unit=Measure.Unit.MONEY)
    rows = []
    for trend in selectors.trends(measures):
        m = trend.measure
        points = [p for p in trend.points if end is None or p.start <= end]
        latest = next((p for p in reversed(points) if p.actual is not None), None)
        rows.append(
            {
                "title": m.title,
                "service": m.commission.title if m.commission else "",
                "provider": m.commission.provider.label if m.commission and m.commission.provider else "",
                "kind": m.get_kind_display(),
                "unit": m.unit,
                "unit_label": m.unit_label,
                "direction": m.get_direction_display(),
                "baseline": _num(m.baseline_value),
                "baseline_label": m.baseline_label,
                "latest": m.format_value(latest.actual) if latest else None,
                "latest_period": latest.label if latest else None,
                "points": [
                    {
                        "label": p.label,
                        "actual": _num(p.actual),
                        "target": _num(p.target),
                        "actual_text": m.format_value(p.actual) if p.actual is not None else None,
                        "target_text": m.format_value(p.target) if p.target is not None else None,
                    }
                    for p in points
                ],
            }
        )
    if not rows:
        return None
    return {"measures": rows, "without_baseline": sum(1 for r in rows if r["baseline"] is None), "total": len(rows)}


def engagement(
    programme: Programme, start: date | None, end: date | None, *, public: bool = False
) -> dict[str, Any] | None:
    """Meetings' attendance (per member kind and organisation) and events with their totals per sector."""
    meetings = selectors.meetings_between(start, end, programme)
    summary = selectors.attendance_summary(meetings)
    events = list(selectors.events_between(start, end, programme))
    if not summary.meetings and not events:
        return None
    totals = selectors.event_totals(events)
    return {
        "meetings": len(summary.meetings),
        "pattern_by_kind": summary.pattern_by_kind,
        "organisations": [
            {"organisation": o.organisation, "members": o.members, "attended": o.attended, "share": o.share}
            for o in summary.organisations
        ],
        "events": [
            {
                "title": e.title,
                "held_on": e.held_on.isoformat(),
                "public": e.attended_public,
                "third": e.attended_third,
                "attended": e.attended,
                "places": e.places,
                "waiting_list": e.waiting_list,
                "very_good_or_excellent": _num(e.share_very_good_or_excellent),
                "good": _num(e.share_good),
                "rating_note": e.rating_note,
            }
            for e in events
        ],
        "totals": {
            "public": totals.public,
            "third": totals.third,
            "attended": totals.attended,
            "events": totals.events,
        },
    }
