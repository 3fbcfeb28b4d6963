"""The Commissioning Body's pack as a clerk would table it (issue 18 item 7): recommendations, implications,
contact officer and background papers, editable before rendering; read back from the PDF for its text, its
page count and its layout (no heading alone at the foot of a page, a wide bid column); ticked sections with
nothing to show say "None to report"."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from pypdf import PdfReader

from commissioning.models import BoardReport, Rendering
from commissioning.reports import catalogue, services
from commissioning.reports.snapshot import build_snapshot
from tests.commissioning.pdf_layout import headings_alone_at_the_foot, read_pages, squash
from tests.commissioning.report_factories import body_pack_report, cymorth, highlight_report

pytestmark = pytest.mark.django_db

LONG_TITLE = "Floating support for young people leaving care in Swale, Sheppey and the rural villages around Faversham"


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    def do(report, user, edition="internal"):
        with django_capture_on_commit_callbacks(execute=True):
            rendering, _joined = services.rendering_request(report=report, user=user, edition=edition)
        rendering.refresh_from_db()
        assert rendering.status == Rendering.Status.READY, rendering.reason
        with default_storage.open(rendering.file.name) as f:
            return rendering, f.read()

    return do


def _vary(report):
    """Statements and evaluations of very different lengths, so that headings fall everywhere on the pages."""
    from growth_bids.models import Bid, BidStatement, Evaluation

    bids = list(Bid.objects.filter(funding_round=report.funding_round).order_by("number"))
    for i, bid in enumerate(bids):
        words = "The service works with the district councils and the probation service to keep people housed. "
        BidStatement.objects.filter(bid=bid).update(text=words * (1 + (i * 3) % 11))
        Evaluation.objects.filter(bid=bid).update(
            written_evaluation="\n\n".join(f"Paragraph {n} of the panel's view on {bid.reference}." for n in range(i))
            or "Meets the criteria marked."
        )
    Bid.objects.filter(pk=bids[0].pk).update(title=LONG_TITLE)


def _headings(snapshot):
    titles = []
    for n, x in enumerate([x for x in snapshot["sections"] if not x["appendix"]], start=1):
        titles.append(f"{n}. {x['title']}")
    titles += [f"Appendix 1: {x['title']}" for x in snapshot["sections"] if x["appendix"]]
    titles += [
        "Recommendation",
        "The criteria",
        "Financial implications",
        "Legal implications",
        "Equality implications",
        "Contact officer",
        "Background papers",
        "Summary of the proposal",
        "The statements against each criterion, with the evaluation",
        "Written evaluation (moderated)",
        "Written evaluation",
    ]
    bids = next(x for x in snapshot["sections"] if x["key"] == "bid_details")["data"]["bids"]
    titles += [f"{b['reference']}: {b['title']}" for b in bids]
    return titles


def test_the_pack_reads_back_with_the_committee_paper_parts_and_no_stranded_heading(personas, render):
    report = body_pack_report(
        n_bids=14,
        user=personas.evaluator,
        legal_implications="The Body decides under its terms of reference (paragraph 4.2).",
        contact_officer="Olivia Officer, Supporting People Team\n01622 000000, olivia.officer@example.gov.uk",
        background_papers="- Supporting People Annual Plan 2010-11\n- Growth bid evaluation guidance",
    )
    _vary(report)
    rendering, data = render(report, personas.evaluator)
    reader = PdfReader(io.BytesIO(data))
    assert rendering.page_count == len(reader.pages) and 14 + 4 <= len(reader.pages) <= 14 * 3 + 8
    pages = read_pages(data)
    assert len(pages) == len(reader.pages)
    text = squash(" ".join(line.text for page in pages for line in page.lines))
    for expected in [
        "The Body is asked to:",
        "fund the",
        "as the reserve bid",
        "FINANCIAL, LEGAL AND EQUALITY IMPLICATIONS",
        "Funding the recommended bids commits",
        "paragraph 4.2",
        "Equality implications None to report.",
        "Olivia Officer, Supporting People Team",
        "Supporting People Annual Plan 2010-11",
        "CRITERIA MET, BID BY BID",
        "Bids meeting it",
        "Written evaluation (moderated)",
    ]:
        assert squash(expected) in text, expected
    # No heading is the last thing on a page: each stays with the text it heads.
    assert headings_alone_at_the_foot(pages, _headings(rendering.snapshot)) == []
    # The ranking is printed across the page, so that the long title takes two lines at most, not six.
    ranking_page = next(p for p in pages if any(line.text.startswith("3. RANKED BIDS") for line in p.lines))
    assert ranking_page.width > ranking_page.height
    ranking_lines = []
    for page in pages[ranking_page.number - 1 :]:
        assert page.width > page.height or ranking_lines, "the ranking is printed across the page"
        heads = [i for i, line in enumerate(page.lines) if line.text.startswith("4. CRITERIA")]
        ranking_lines += page.lines[: heads[0]] if heads else page.lines
        if heads:
            break
    title_lines = [
        line.text for line in ranking_lines if any(w in line.text for w in ("young people", "Sheppey", "Faversham"))
    ]
    assert 1 <= len(title_lines) <= 2, title_lines


def test_the_heading_check_finds_a_stranded_heading(personas):
    """The check itself: a page whose last body line is a heading is reported."""
    from tests.commissioning.pdf_layout import Line, Page

    page = Page(1, 595, 842, [Line("Some text", 100, 110), Line("Written evaluation (moderated)", 740, 752)])
    assert headings_alone_at_the_foot([page, page], ["Written evaluation (moderated)"]) == [
        (1, "Written evaluation (moderated)")
    ]
    page.lines.append(Line("The panel found the bid strong.", 760, 772))
    assert headings_alone_at_the_foot([page, page], ["Written evaluation (moderated)"]) == []


def test_the_recommendations_are_drafted_from_the_ranking_until_the_team_words_them(personas):
    report = body_pack_report(user=personas.evaluator)
    ref = report.funding_round.pk
    drafted = build_snapshot(report, "internal")
    section = next(x for x in drafted["sections"] if x["key"] == "recommendations")
    assert section["data"]["drafted"] and section["data"]["text"].startswith("The Body is asked to:")
    assert f"R{ref}-A" in section["data"]["text"] and f"agree R{ref}-B" in section["data"]["text"]
    assert "£410,000.00" in section["data"]["text"]
    public = next(x for x in build_snapshot(report, "public")["sections"] if x["key"] == "recommendations")
    assert "£" not in public["data"]["text"]
    # The programme team words them in the report (version-checked) before rendering.
    report.refresh_from_db()
    updated = services.report_update(
        report=report,
        user=personas.evaluator,
        version=report.version,
        recommendations="The Body is asked to:\n- fund bids A, C and E;\n- agree B as reserve.",
        equality_implications="An equality impact assessment was made in May 2010.",
    )
    words = next(x for x in build_snapshot(updated, "internal")["sections"] if x["key"] == "recommendations")
    assert not words["data"]["drafted"] and "fund bids A, C and E" in words["data"]["text"]
    with pytest.raises(ValidationError):
        services.report_update(
            report=updated, user=personas.evaluator, version=report.version, legal_implications="Late."
        )
    assert BoardReport.objects.get(pk=report.pk).legal_implications == ""


def test_the_report_form_carries_the_paper_fields(client, personas):
    report = body_pack_report(user=personas.evaluator)
    client.force_login(personas.evaluator)
    page = client.get(reverse("reports:edit", args=[report.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    for name in ("recommendations", "financial_implications", "legal_implications", "equality_implications"):
        assert f'name="{name}"' in html
    assert 'name="contact_officer"' in html and 'name="background_papers"' in html


def test_a_ticked_section_with_nothing_to_show_prints_none_to_report(personas, render):
    programme = cymorth()
    report = highlight_report(programme=programme, user=personas.evaluator, next_steps="", background="")
    snapshot = build_snapshot(report, "internal")
    by_key = {x["key"]: x for x in snapshot["sections"]}
    assert by_key["next_steps"]["empty"] and by_key["background"]["empty"]
    assert not by_key["workplan_progress"]["empty"]
    _rendering, data = render(report, personas.evaluator)
    text = re.sub(r"\s+", " ", " ".join(line.text for page in read_pages(data) for line in page.lines))
    assert "NEXT STEPS None to report." in text and "BACKGROUND None to report." in text


def test_every_body_pack_section_is_in_the_catalogue_defaults():
    assert catalogue.DEFAULTS["body_pack"] == [
        "recommendations",
        "money_available",
        "ranking",
        "criteria_matrix",
        "implications",
        "contact",
        "bid_details",
    ]


def test_the_report_page_shows_what_the_pack_will_ask_of_the_body(client, personas):
    report = body_pack_report(user=personas.evaluator)
    client.force_login(personas.evaluator)
    html = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Recommendations to the Body" in html and "The Body is asked to:" in html
    assert "Drafted from the ranking" in html and reverse("reports:edit", args=[report.pk]) in html
