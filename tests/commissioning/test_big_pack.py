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


def test_a_pack_over_the_part_size_is_rendered_in_parts_and_joined(
    personas, settings, django_capture_on_commit_callbacks
):
    settings.REPORT_PART_BIDS = 3
    report = body_pack_report(n_bids=7, user=personas.evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        rendering, _joined = services.rendering_request(report=report, user=personas.evaluator)
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.READY, rendering.reason
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
    assert [len(p.bids["bids"]) for p in parts] == [2, 2, 1] and {p.count for p in parts} == {3}
    # The first part carries the ranking and matrix too, a row per bid: it takes fewer bids when there are many.
    many = {
        **snapshot,
        "sections": [
            {**x, "data": {"bids": x["data"]["bids"] * 6}} if x["key"] == "bid_details" else x
            for x in snapshot["sections"]
        ],
    }
    assert [len(p.bids["bids"]) for p in pdf.split(many, size=5)] == [2, 5, 5, 5, 5, 5, 3]


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
