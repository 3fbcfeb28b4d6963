"""Snapshot to PDF bytes with WeasyPrint: render_report_pdf(snapshot) -> (bytes, page count).

Everything the document needs is in the snapshot; the charts are drawn from it here. Fonts are the
Debian packages fonts-dejavu and fonts-liberation, found through fontconfig, never downloaded.
"""

import io
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
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


def render_html(snapshot, *, part=None):
    """The document's HTML; ``part`` (a ``Part``) for one part of a pack rendered in parts."""
    if part is not None and part.index > 0:
        return render_to_string(
            "commissioning/reports/pdf/body_pack_part.html",
            {
                "s": snapshot,
                "report": snapshot["report"],
                "d": part.bids,
                "part": part,
                "running": _running_strings(snapshot),
            },
        )
    context = {
        "s": snapshot,
        "report": snapshot["report"],
        "sections": [x for x in snapshot["sections"] if not x["appendix"]],
        "appendices": [x for x in snapshot["sections"] if x["appendix"]],
        "by_key": {x["key"]: x for x in snapshot["sections"]},
        "charts": chart_context(snapshot),
    }
    context["part"] = part
    return render_to_string(TEMPLATES[snapshot["kind"]], context)


@dataclass
class Part:
    """One part of a document rendered in parts: the first carries the cover, contents and every section
    with the first bids of the appendix; each other part carries the next bids."""

    index: int
    count: int
    bids: dict


def css_string(value):
    """A CSS string literal of ``value`` (the running header of a part is set from the snapshot)."""
    text = " ".join(str(value or "").split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ") + '"'


def _running_strings(snapshot):
    """What the first part's pages show in their margins, for the parts that follow it."""
    from ..templatetags.report_text import isodate

    edition = "Public edition" if snapshot.get("public") else "Internal edition"
    return {
        "title": css_string(snapshot["report"]["title"]),
        "classification": css_string(snapshot["report"]["classification"]),
        "edition": css_string(f"{edition} · made {isodate(snapshot['taken_at'], 'j F Y H:i')}"),
    }


def part_size():
    return int(getattr(settings, "REPORT_PART_BIDS", 100) or 100)


def split(snapshot, size=None):
    """The snapshot's appendix of bids cut into parts of ``size`` bids; [] when one render will do."""
    size = size or part_size()
    section = next((x for x in snapshot.get("sections", []) if x["key"] == "bid_details" and x["data"]), None)
    bids = section["data"]["bids"] if section else []
    if len(bids) <= size:
        return []
    # The first part also carries the front sections, whose ranking and criteria matrix have a row per bid:
    # it takes fewer bids (about a tenth of a bid's weight per row pair), so no part is much heavier than another.
    first = max(1, size - len(bids) // 10)
    chunks = [bids[:first]] + [bids[i : i + size] for i in range(first, len(bids), size)]
    return [Part(index=i, count=len(chunks), bids={"bids": chunk}) for i, chunk in enumerate(chunks)]


def _document(html):
    return HTML(
        string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=restricted_url_fetcher
    ).render()


def render_report_pdf(snapshot, *, progress=None, size=None):
    """(PDF bytes, page count). A pack of more than ``size`` bids (REPORT_PART_BIDS, 100) is rendered a part
    at a time and the parts joined with pypdf: the renderer's memory is that of one part, whatever the
    number of bids, and ``progress(done, total)`` is called after each part."""
    parts = split(snapshot, size)
    if not parts:
        document = _document(render_html(snapshot))
        if progress:
            progress(1, 1)
        return document.write_pdf(), len(document.pages)
    writer = PdfWriter()
    pages = 0
    if progress:
        progress(0, len(parts))
    for part in parts:
        if part.index == 0:
            first = {**snapshot, "sections": [_first_part(x, part) for x in snapshot["sections"]]}
            html = render_html(first, part=part)
        else:
            html = render_html(snapshot, part=part)
        document = _document(html)
        data = document.write_pdf()
        pages += len(document.pages)
        del document, html  # the laid-out part is the memory; let it go before the next
        writer.append(PdfReader(io.BytesIO(data)))
        if progress:
            progress(part.index + 1, part.count)
    _number_pages(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), pages


PAGE_NUMBERS_CSS = """
@page { size: A4; margin: 24mm 16mm 20mm 16mm;
  @bottom-center { content: "Page " counter(page) " of " counter(pages); font-size: 8pt; color: #444; } }
@page landscape { size: A4 landscape; }
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; }
div { break-before: page; } div.l { page: landscape; } div:first-child { break-before: auto; }
"""


def _number_pages(writer):
    """Stamp "Page n of N" on the joined parts, as one render prints it: a document of empty pages of the
    same sizes, with only the page numbers in the footer, laid over the pages."""
    landscape = [float(p.mediabox.width) > float(p.mediabox.height) for p in writer.pages]
    html = f"<style>{PAGE_NUMBERS_CSS}</style>" + "".join(
        '<div class="l"></div>' if wide else "<div></div>" for wide in landscape
    )
    stamps = PdfReader(io.BytesIO(_document(html).write_pdf()))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)


def _first_part(section, part):
    if section["key"] != "bid_details" or not section["data"]:
        return section
    return {**section, "data": {**section["data"], **part.bids}}
