"""Snapshot to PDF bytes with WeasyPrint: render_report_pdf(snapshot) -> (bytes, page count).

Everything the document needs is in the snapshot; the charts are drawn from it here. Fonts are the
Debian packages fonts-dejavu and fonts-liberation, found through fontconfig, never downloaded.
"""

import contextlib
import io
import os
import pickle
import signal
import tempfile
import time
from dataclasses import dataclass, field
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
            most_labels=6,  # the table beside the chart names every period (WeasyPrint draws SVG text per letter)
        )
        for m in data["measures"]
    ]


def render_html(snapshot, *, part=None, toc_pages=None):
    """The document's HTML; ``part`` (a ``Part``) for one part of a pack rendered in parts, ``toc_pages`` the
    page of each section (by key) when the contents list sections that other parts carry."""
    sections = [x for x in snapshot["sections"] if not x["appendix"]]
    appendices = [x for x in snapshot["sections"] if x["appendix"]]
    context = {
        "s": snapshot,
        "report": snapshot["report"],
        "sections": sections,
        "appendices": appendices,
        "by_key": {x["key"]: x for x in snapshot["sections"]},
        "part": part,
        "toc_pages": toc_pages,
    }
    if part is None:
        context["charts"] = chart_context(snapshot)
        context["pieces"], context["appendix_pieces"] = sections, appendices
        return render_to_string(TEMPLATES[snapshot["kind"]], context)
    context["pieces"], context["appendix_pieces"] = part.pieces, part.appendix_pieces
    if part.index == 0:
        context["charts"] = chart_context(snapshot)
        return render_to_string(TEMPLATES[snapshot["kind"]], context)
    context["running"] = _running_strings(snapshot)
    return render_to_string("commissioning/reports/pdf/body_pack_part.html", context)


# A row of the ranking or of the criteria matrix weighs about an eighth of a bid's pages in time and memory (dense
# landscape rows: 1,000 rows of each made 118 pages and 600 MB in one part, 100 bids 115 pages and 270 MB).
ROW_WEIGHT = 0.125
SPLIT_TABLES = ("ranking", "criteria_matrix")
# The least of a table worth starting at the foot of a part, in rows.
MIN_ROWS = 8


@dataclass
class Part:
    """One part of a document rendered in parts, about REPORT_PART_BIDS bids' worth of pages: the first carries the
    cover and contents; each carries, in order, the sections (or the rows of the ranking and matrix) and the bids
    of the appendix that fit. ``pieces`` are the sections it carries (a split table's rows sliced, flagged
    ``continued`` from the part before and ``continues`` into the next), ``appendix_pieces`` the appendix's."""

    index: int
    count: int
    bids: dict
    pieces: list = field(default_factory=list)
    appendix_pieces: list = field(default_factory=list)


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


def render_processes():
    return int(getattr(settings, "REPORT_RENDER_PROCESSES", 2) or 0)


def split(snapshot, size=None):
    """The pack cut into parts of about ``size`` bids' worth of pages; [] when one render will do.

    The sections go in order into the current part, the rows of the ranking and the matrix at ROW_WEIGHT each (a
    table is cut between rows when the part is full), then the appendix's bids at one each. The first part takes a
    quarter of the others' weight: it is rendered twice when its contents list sections that later parts carry."""
    size = size or part_size()
    sections = [x for x in snapshot.get("sections", []) if not x["appendix"]]
    appendices = [x for x in snapshot.get("sections", []) if x["appendix"]]
    details = next((x for x in appendices if x["key"] == "bid_details" and x["data"]), None)
    bids = details["data"]["bids"] if details else []
    if len(bids) <= size:
        return []
    parts = [{"pieces": [], "appendix_pieces": [], "bids": [], "weight": 0.0}]
    front = sum(
        len((x["data"] or {}).get("rows") or []) * ROW_WEIGHT
        for x in sections
        if x["key"] in SPLIT_TABLES and not x.get("empty")
    )
    # When the ranking and matrix will not fit in one part, the first part carries only what comes before them:
    # its contents list pages of later parts, so it is rendered again once they are known, and it is small.
    first = size if front <= size else 0

    def room():
        return (first if len(parts) == 1 else size) - parts[-1]["weight"]

    def new_part():
        parts.append({"pieces": [], "appendix_pieces": [], "bids": [], "weight": 0.0})

    previous_wide = False
    for number, x in enumerate(sections, start=1):
        wide = x["key"] in SPLIT_TABLES  # printed across the page: a new page before it and after it
        rows = (x["data"] or {}).get("rows") if wide and not x.get("empty") else None
        breaks_before, previous_wide = wide != previous_wide, wide
        if not rows:
            parts[-1]["pieces"].append({**x, "number": number})
            continue
        if breaks_before and room() < len(rows) * ROW_WEIGHT and parts[-1]["pieces"]:
            new_part()  # a part ends where one render starts a new page anyway: the same pages either way
        start = 0
        while start < len(rows):
            fit = int(room() / ROW_WEIGHT)
            if fit < min(MIN_ROWS, len(rows) - start):
                new_part()
                continue
            end = min(len(rows), start + fit)
            data = {**x["data"], "rows": rows[start:end], "continued": start > 0, "continues": end < len(rows)}
            parts[-1]["pieces"].append({**x, "number": number, "data": data, "continued": start > 0})
            parts[-1]["weight"] += (end - start) * ROW_WEIGHT
            start = end
    for number, x in enumerate(appendices, start=1):
        if x is not details:
            parts[-1]["appendix_pieces"].append({**x, "number": number})
            continue
        start = 0
        while start < len(bids):
            fit = int(room())
            if fit < 1:
                new_part()
                continue
            chunk = bids[start : start + fit]
            parts[-1]["appendix_pieces"].append(
                {**x, "number": number, "data": {**x["data"], "bids": chunk}, "continued": start > 0}
            )
            parts[-1]["bids"] = chunk
            parts[-1]["weight"] += len(chunk)
            start += len(chunk)
    return [
        Part(
            index=i,
            count=len(parts),
            bids={"bids": p["bids"]},
            pieces=p["pieces"],
            appendix_pieces=p["appendix_pieces"],
        )
        for i, p in enumerate(parts)
    ]


def _document(html):
    return HTML(
        string=html, base_url=str(settings.BASE_DIR / "static") + "/", url_fetcher=restricted_url_fetcher
    ).render()


def _anchors(document):
    """{anchor: page index in the document} of the sections' anchors ("s-<key>")."""
    found = {}
    for i, page in enumerate(document.pages):
        for name in page.anchors:
            if name.startswith("s-"):
                found.setdefault(name[2:], i)
    return found


def _render_part(snapshot, part, toc_pages=None):
    """(PDF bytes, pages, anchors) of one part."""
    document = _document(render_html(snapshot, part=part, toc_pages=toc_pages))
    return document.write_pdf(), len(document.pages), _anchors(document)


def render_report_pdf(snapshot, *, progress=None, size=None, processes=None):
    """(PDF bytes, page count). A pack of more than ``size`` bids (REPORT_PART_BIDS, 50) is rendered a part
    at a time and the parts joined with pypdf: the renderer's memory is that of one part, whatever the
    number of bids, and ``progress(done, total)`` is called after each part.

    The parts are rendered by ``processes`` (REPORT_RENDER_PROCESSES, 2) forked processes at a time, each ending
    with its part (its memory given back); 0 renders them in this process, one after the other."""
    parts = split(snapshot, size)
    if not parts:
        document = _document(render_html(snapshot))
        if progress:
            progress(1, 1)
        return document.write_pdf(), len(document.pages)
    processes = render_processes() if processes is None else processes
    total = len(parts)
    if progress:
        progress(0, total)
    done = [0]

    def step():
        done[0] += 1
        if progress:
            progress(done[0], total)

    # When the contents (first part) list sections that later parts carry, the first part is rendered with blank
    # page numbers, then again once every part's pages are known (it is small: see split).
    keys = {x["key"] for x in snapshot["sections"]}
    in_first = {x["key"] for x in parts[0].pieces + parts[0].appendix_pieces if not x.get("continued")}
    blank = {key: "" for key in keys} if keys - in_first else None
    jobs = [(_render_part, (snapshot, part, blank if part.index == 0 else None)) for part in parts]
    results = _run(jobs, processes, on_each=lambda _i, _r: step())
    counts = [pages for _data, pages, _anchors in results]
    offsets = [sum(counts[:i]) for i in range(len(parts))]
    toc_pages = {}
    for part, (_data, _pages, anchors) in zip(parts, results, strict=True):
        for key, index in anchors.items():
            toc_pages.setdefault(key, offsets[part.index] + index + 1)
    if blank:
        for _attempt in range(3):
            again = _run([(_render_part, (snapshot, parts[0], toc_pages))], 0 if processes < 1 else 1)[0]
            moved = again[1] - counts[0]
            results[0] = again
            if not moved:
                break
            # The first part grew or shrank: every later page moves by as much.
            toc_pages = {k: (v + moved if v > counts[0] else v) for k, v in toc_pages.items()}
            counts[0] = again[1]
    pages = sum(counts)
    stamped = _run(
        [(_stamp, (data, sum(counts[:i]), pages)) for i, (data, _p, _a) in enumerate(results)],
        processes,
    )
    del results
    writer = PdfWriter()
    for data in stamped:
        writer.append(PdfReader(io.BytesIO(data)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), pages


def _run(jobs, processes, on_each=None):
    """[function(*args) for each (function, args) job], in order; ``processes`` forked processes at a time (each
    job's memory given back when it ends), or in this process when ``processes`` < 1."""
    results = [None] * len(jobs)
    if processes < 1 or not hasattr(os, "fork"):
        for i, (function, args) in enumerate(jobs):
            results[i] = function(*args)
            if on_each:
                on_each(i, results[i])
        return results
    running = {}  # pid -> (job index, path of its result)
    waiting = list(enumerate(jobs))
    try:
        with tempfile.TemporaryDirectory(prefix="report-parts-") as tmp:
            while waiting or running:
                while waiting and len(running) < processes:
                    i, (function, args) = waiting.pop(0)
                    path = os.path.join(tmp, f"{i}.pickle")
                    pid = os.fork()
                    if pid == 0:  # pragma: no cover - the child: renders and leaves, never returns
                        _child(function, args, path)
                    running[pid] = (i, path)
                pid, status = _wait_any(running)
                i, path = running.pop(pid)
                try:
                    with open(path, "rb") as f:
                        ok, value = pickle.load(f)  # noqa: S301  # nosec B301 - our own child wrote it, in our private temporary directory
                    os.unlink(path)
                except (OSError, EOFError, pickle.UnpicklingError):
                    ok, value = False, f"the render process ended with status {status} and no result"
                if not ok:
                    raise RuntimeError(f"Part {i + 1} of {len(jobs)} could not be rendered: {value}")
                results[i] = value
                if on_each:
                    on_each(i, value)
    finally:
        for pid in running:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
    return results


def _wait_any(running):
    """(pid, status) of one of our children that has ended: only those (os.wait could reap another's child)."""
    while True:
        for pid in running:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return done, status
        time.sleep(0.05)


def _child(function, args, path):  # pragma: no cover - runs in a forked process
    code = 1
    try:
        try:
            result = (True, function(*args))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
            result = (False, f"{exc.__class__.__name__}: {exc}")
        with open(path, "wb") as f:
            pickle.dump(result, f, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0 if result[0] else 1
    finally:
        os._exit(code)  # no atexit, no closing of the parent's database connection


PAGE_NUMBERS_CSS = """
@page { size: A4; margin: 24mm 16mm 20mm 16mm;
  @bottom-center { content: string(n); font-size: 8pt; color: #444; } }
@page landscape { size: A4 landscape; }
html { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; }
div { break-before: page; string-set: n attr(data-n); } div.l { page: landscape; }
div:first-child { break-before: auto; }
"""


def _stamp(data, before, total):
    """The part's PDF with "Page n of N" stamped on, as one render prints it: a document of empty pages of the
    same sizes, with only the page numbers in the footer, laid over the pages."""
    reader = PdfReader(io.BytesIO(data))
    writer = PdfWriter(clone_from=reader)
    html = f"<style>{PAGE_NUMBERS_CSS}</style>" + "".join(
        f"<div{' class=l' if float(p.mediabox.width) > float(p.mediabox.height) else ''} "
        f'data-n="Page {before + n} of {total}"></div>'
        for n, p in enumerate(writer.pages, start=1)
    )
    stamps = PdfReader(io.BytesIO(_document(html).write_pdf()))
    for page, stamp in zip(writer.pages, stamps.pages, strict=True):
        page.merge_page(stamp)
        page.compress_content_streams()  # merging leaves them uncompressed: a 1,000-bid pack was 41 MB, not 4
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
