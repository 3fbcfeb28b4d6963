"""A big Body's pack is rendered in parts (REPORT_PART_BIDS bids each) and joined with pypdf: the same pages as
one render, numbered on across the parts, with the parts done shown while it renders (issue 18)."""

import io
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from commissioning.models import Rendering
from commissioning.reports import pdf, services
from tests.commissioning.pdf_layout import read_pages
from tests.commissioning.report_factories import body_pack_report

pytestmark = pytest.mark.django_db


def rendered(report, user, capture):
    """The report rendered as the worker would (its on-commit dispatch run here), and ready."""
    with capture(execute=True):
        rendering, _joined = services.rendering_request(report=report, user=user)
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.READY, rendering.reason
    return rendering


def test_a_pack_over_the_part_size_is_rendered_in_parts_and_joined(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_PART_BIDS = 3
    report = body_pack_report(n_bids=7, user=personas.evaluator)
    rendering = rendered(report, personas.evaluator, django_capture_on_commit_callbacks)
    assert (rendering.parts_done, rendering.parts_total) == (3, 3)
    with default_storage.open(rendering.file.name) as f:
        data = f.read()
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == rendering.page_count
    pages = read_pages(data)
    # Every bid of the appendix is there once, the page numbers run on, each page has the running header.
    ref = report.funding_round.pk
    heading = re.compile(rf"^(R{ref}-\d{{4}}): Proposal")
    found = [m.group(1) for page in pages for line in page.lines if (m := heading.match(line.text))]
    assert sorted(found) == [f"R{ref}-{i:04d}" for i in range(7)]
    for number, page in enumerate(pages, start=1):
        texts = [line.text for line in page.lines]
        assert f"Page {number} of {len(pages)}" in texts, (number, texts[-3:])
        assert any(t.startswith("Growth bids: recommendation to the Commissioning Body") for t in texts[:3])
    # The same document as one render would give, page for page.
    whole, whole_pages = pdf.render_report_pdf(rendering.snapshot, size=1000)
    assert whole_pages == rendering.page_count


def test_the_parts_are_cut_only_over_the_size(personas):
    from commissioning.reports.snapshot import build_snapshot

    report = body_pack_report(user=personas.evaluator)
    snapshot = build_snapshot(report, "internal")
    assert pdf.split(snapshot, size=5) == []
    parts = pdf.split(snapshot, size=2)
    # The first part carries the ranking and matrix, a row per bid at an eighth of a bid's weight each (1.25 of 2):
    # no room for a bid after them (issue 17: they were counted at a twentieth, and the first part of 1,000 bids
    # was the heaviest, 728 MB).
    assert [len(p.bids["bids"]) for p in parts] == [0, 2, 2, 1] and {p.count for p in parts} == {4}
    many = {
        **snapshot,
        "sections": [
            {**x, "data": {"bids": x["data"]["bids"] * 6}} if x["key"] == "bid_details" else x
            for x in snapshot["sections"]
        ],
    }
    assert [len(p.bids["bids"]) for p in pdf.split(many, size=5)] == [3, 5, 5, 5, 5, 5, 2]


def test_a_ranking_too_long_for_a_part_is_cut_between_rows_and_the_contents_give_its_pages(
    personas, settings, django_capture_on_commit_callbacks
):
    """Issue 17: the ranking and matrix of a big round go in parts of their own, cut between rows (the header row
    printed again), so that no part holds them all; the contents, in the first part, give the page each section
    starts on in the joined document."""
    settings.REPORT_PART_BIDS = 3
    report = body_pack_report(n_bids=30, user=personas.evaluator)
    rendering = rendered(report, personas.evaluator, django_capture_on_commit_callbacks)
    parts = pdf.split(rendering.snapshot)
    ranking_parts = [p.index for p in parts for x in p.pieces if x["key"] == "ranking"]
    assert len(ranking_parts) > 1 and 0 not in ranking_parts, ranking_parts
    with default_storage.open(rendering.file.name) as f:
        pages = read_pages(f.read())
    ref = report.funding_round.pk
    # Each bid once in the ranking, once in the matrix, in the ranking's order, and each heading once.
    lines = [line.text for page in pages for line in page.lines]
    start = next(i for i, t in enumerate(lines) if t.startswith("3. RANKED BIDS"))
    matrix = next(i for i, t in enumerate(lines) if t.startswith("4. CRITERIA"))
    end = next(i for i, t in enumerate(lines) if t.startswith("5. "))
    row = re.compile(rf"^(?:\d+ )?(R{ref}-\d{{4}})\b")
    ranked = [m.group(1) for t in lines[start:matrix] if (m := row.match(t))]
    in_matrix = [m.group(1) for t in lines[matrix:end] if (m := row.match(t))]
    assert sorted(ranked) == sorted(in_matrix) == [f"R{ref}-{i:04d}" for i in range(30)], (ranked, in_matrix)
    ranking = next(x for x in rendering.snapshot["sections"] if x["key"] == "ranking")
    assert ranked == [r["reference"] for r in ranking["data"]["rows"]]
    assert sum(t.startswith("Bids meeting it") for t in lines) == 1
    assert sum(t.startswith("Reserve:") for t in lines) == 1
    assert not [t for t in lines if "{#" in t or "{%" in t or "#}" in t]  # no template text printed
    # The contents give each section's page, and that is the page its heading is on.
    first_page = [line.text for line in pages[0].lines] + [line.text for line in pages[1].lines]
    for heading, title in [("3. RANKED BIDS", "Ranked bids"), ("APPENDIX 1:", "Appendix 1:")]:
        on = next(p.number for p in pages if any(line.text.startswith(heading) for line in p.lines))
        entry = next(t for t in first_page if t.startswith(title) and "." in t)
        assert entry.rstrip().endswith(f" {on}") or entry.rstrip().endswith(f".{on}"), (entry, on)
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in [line.text for line in page.lines]


def test_the_page_shows_the_parts_done_while_rendering(client, personas):
    report = body_pack_report(user=personas.evaluator)
    Rendering.objects.create(
        report=report,
        edition="internal",
        status="rendering",
        parts_done=4,
        parts_total=10,
        requested_by=personas.evaluator,
    )
    client.force_login(personas.evaluator)
    partial = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "part 4 of 10 done" in partial and '<progress class="w-100" max="10" value="4"' in partial
    assert 'hx-trigger="every 2s"' in partial


def test_a_title_cannot_break_out_of_the_running_header():
    assert pdf.css_string('Pack "A" \\ </style><script>') == '"Pack \\"A\\" \\\\ \\3C /style>\\3C script>"'
