"""Snapshot to PDF bytes with WeasyPrint: render_report_pdf(snapshot) -> (bytes, page count).

Everything the document needs is in the snapshot; the charts are drawn from it here. Fonts are the
Debian packages fonts-dejavu and fonts-liberation, found through fontconfig, never downloaded.
"""

from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML

from core_groups import charts as core_charts

from . import charts
from .fetcher import restricted_url_fetcher

TEMPLATES = {
    "highlight": "commissioning/reports/pdf/highlight.html",
    "body_pack": "commissioning/reports/pdf/body_pack.html",
    "timetable": "commissioning/reports/pdf/timetable.html",
}


def chart_context(snapshot):
    """SVG charts for the sections that have figures to draw."""
    drawn = {}
    for section in snapshot.get("sections", []):
        data = section["data"]
        if data is None:
            continue
        if section["key"] == "money_position":
            drawn["allocation_vs_spend"] = core_charts.bar_chart_allocation_vs_spend(
                [
                    {"name": r["core_group"], "allocated": Decimal(r["allocated"]), "spent": Decimal(r["spent"])}
                    for r in data["rows"]
                ]
            )
        elif section["key"] == "key_risks" and data.get("heat"):
            risks = []
            for key, n in data["heat"].items():
                impact, likelihood = (int(x) for x in key.split(","))
                risks.extend([{"impact": impact, "likelihood": likelihood}] * n)
            drawn["risk_heat_map"] = core_charts.risk_heat_map(risks, cell=40)
            drawn["risk_rag"] = charts.rag_count(data.get("rag", {}), title="Risks not closed, by rating")
        elif section["key"] == "performance_measures":
            drawn["measure_trends"] = _measure_trends(data)
        elif section["key"] == "procurement_timetables" and data.get("rag"):
            drawn["timetable_rag"] = charts.rag_count(data["rag"], title="Procurement projects by status")
    return drawn


def _measure_trends(data):
    """One line chart per measure, drawn from the snapshot's figures (review.charts, the layer below)."""
    from types import SimpleNamespace

    from review.charts import trend_chart

    def dec(value):
        return Decimal(value) if value is not None else None

    return [
        trend_chart(
            [SimpleNamespace(label=p["label"], actual=dec(p["actual"]), target=dec(p["target"])) for p in m["points"]],
            title=m["title"],
            baseline=dec(m["baseline"]),
            baseline_label=m["baseline_label"],
            width=480,
            height=200,
        )
        for m in data["measures"]
    ]


def render_html(snapshot):
    context = {
        "s": snapshot,
        "report": snapshot["report"],
        "sections": [x for x in snapshot["sections"] if not x["appendix"]],
        "appendices": [x for x in snapshot["sections"] if x["appendix"]],
        "by_key": {x["key"]: x for x in snapshot["sections"]},
        "charts": chart_context(snapshot),
    }
    return render_to_string(TEMPLATES[snapshot["kind"]], context)


def render_report_pdf(snapshot):
    html = render_html(snapshot)
    document = HTML(
        string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=restricted_url_fetcher
    ).render()
    return document.write_pdf(), len(document.pages)
