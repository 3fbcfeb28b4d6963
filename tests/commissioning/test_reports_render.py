"""Board reports rendered for real with WeasyPrint and read back with pypdf."""

import hashlib
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from pypdf import PdfReader

from commissioning.models import BoardReport, Rendering
from commissioning.reports import services
from commissioning.reports.fetcher import FetchRefused, restricted_url_fetcher
from commissioning.reports.pdf import render_report_pdf
from commissioning.reports.snapshot import build_snapshot
from tests.commissioning.report_factories import cymorth, highlight_report


def pdf_text(data):
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def squash(text):
    """Text without whitespace: pypdf splits kerned pairs ('T o'), which says nothing about the PDF."""
    return re.sub(r"\s+", "", text)


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    def do(report, user, edition="internal"):
        with django_capture_on_commit_callbacks(execute=True):
            rendering, joined = services.rendering_request(report=report, user=user, edition=edition)
        assert not joined
        rendering.refresh_from_db()
        assert rendering.status == Rendering.Status.READY, rendering.reason
        with default_storage.open(rendering.file.name) as f:
            data = f.read()
        return rendering, data

    return do


@pytest.mark.django_db
def test_highlight_report_renders_like_the_cypp_board_report(personas, render):
    report = highlight_report(user=personas.evaluator)
    rendering, data = render(report, personas.evaluator)
    reader, text = pdf_text(data)
    assert len(reader.pages) == rendering.page_count >= 3
    assert rendering.size == len(data)
    assert rendering.sha256 == hashlib.sha256(data).hexdigest()
    for expected in [
        "Cymorth Commissioning",
        "Neelam Bhardwaja, Corporate Manager",
        "Dr Ceri George",
        "From: October 2009",
        "To: March 2010",
        "Report for CYPP Board (12 March 2010)",
        "BACKGROUND",
        "CONTENTS",
        "Unrestricted",
        f"Page 1 of {len(reader.pages)}",
        f"Page {len(reader.pages)} of {len(reader.pages)}",
        "Play and childcare sufficiency",
    ]:
        assert squash(expected) in squash(text), expected


@pytest.mark.django_db
def test_money_position_figures_match_the_data(personas, render):
    report = highlight_report(user=personas.evaluator, sections=["money_position"])
    _rendering, data = render(report, personas.evaluator)
    _reader, text = pdf_text(data)
    # Early Years: £1,000,000 allocated, £940,000 spent, £60,000 underspent (Rule 2's worked example).
    for figure in ["£1,000,000.00", "£940,000.00", "£60,000.00", "£1,650,000.00", "£12,500.50"]:
        assert figure in text, figure
    assert "overspent" in text


@pytest.mark.django_db
def test_public_edition_leaves_out_confidential_figures(personas, render):
    report = highlight_report(user=personas.evaluator)
    rendering, data = render(report, personas.evaluator, edition="public")
    _reader, text = pdf_text(data)
    assert "public edition" in text.lower()
    assert "Playandchildcaresufficiency" in squash(text)  # the process is public
    for figure in ["£1,000,000", "£940,000", "£60,000", "£120,000", "£85,000"]:
        assert figure not in text, figure
    # Not merely hidden: the stored snapshot of the public edition holds no money either.
    assert "1000000" not in str(rendering.snapshot)
    assert all(s["key"] != "money_position" for s in rendering.snapshot["sections"])


@pytest.mark.django_db
def test_text_with_html_is_shown_as_text_never_run(personas):
    report = highlight_report(user=personas.evaluator, background='<script>alert("x")</script> <b>bold</b>')
    html = __import__("commissioning.reports.pdf", fromlist=["render_html"]).render_html(
        build_snapshot(report, "internal")
    )
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert" in html
    data, _pages = render_report_pdf(build_snapshot(report, "internal"))
    assert '<script>alert("x")</script>' in pdf_text(data)[1]


@pytest.mark.django_db
def test_a_period_ending_before_it_starts_is_refused(personas):
    report = highlight_report(user=personas.evaluator)
    report.period_end = report.period_start.replace(year=2008)
    with pytest.raises(ValidationError) as err:
        report.full_clean()
    assert "period_end" in err.value.message_dict


@pytest.mark.django_db
def test_a_report_with_no_sections_is_refused(personas):
    with pytest.raises(ValidationError) as err:
        highlight_report(user=personas.evaluator, sections=[])
    assert "Choose at least one section." in err.value.message_dict["sections"]


@pytest.mark.django_db
def test_a_section_of_another_kind_is_refused(personas):
    with pytest.raises(ValidationError) as err:
        highlight_report(user=personas.evaluator, sections=["ranking"])
    assert "sections" in err.value.message_dict


def test_the_url_fetcher_refuses_the_network_and_files_outside_static():
    for url in ["http://example.org/x.png", "https://169.254.169.254/latest", "file:///etc/passwd", "ftp://x/y"]:
        with pytest.raises(FetchRefused):
            restricted_url_fetcher(url)
    assert restricted_url_fetcher("data:text/plain,hello")["file_obj"].read() == b"hello"


@pytest.mark.django_db
def test_a_render_never_fetches_from_the_network(personas, caplog):
    report = highlight_report(user=personas.evaluator)
    snapshot = build_snapshot(report, "internal")
    from weasyprint import HTML

    html = '<img src="http://127.0.0.1:9/tracker.png"><p>x</p>'
    HTML(string=html, url_fetcher=restricted_url_fetcher).write_pdf()
    assert "refused to fetch http://127.0.0.1:9/tracker.png" in caplog.text
    assert snapshot["report"]["title"] == "Cymorth Commissioning"


@pytest.mark.django_db
def test_sections_with_nothing_to_report_are_kept_and_marked_empty(personas):
    programme = cymorth()
    report = highlight_report(programme=programme, user=personas.evaluator, next_steps="", background="")
    snapshot = build_snapshot(report, "internal")
    empty = {s["key"] for s in snapshot["sections"] if s["empty"]}
    assert {"background", "next_steps"} <= empty  # printed as "None to report", never a silent gap
    assert "workplan_progress" not in empty
    assert BoardReport.objects.count() == 1


@pytest.mark.django_db
def test_demo_yields_a_cymorth_highlight_report_that_reads_like_seed_000(
    settings, render, personas, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    settings.DEBUG = True
    # As after a real commit: the demo's own emails go out, so the render below is the only work waiting.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")
        call_command("seed_demo")  # idempotent
    report = BoardReport.objects.get(title="Cymorth Commissioning")
    assert BoardReport.objects.filter(title="Cymorth Commissioning").count() == 1
    # The report is Cardiff's: the programme team that renders it is Cardiff's programme team.
    from core_groups import roles, tenancy

    tenancy.grant_roles(
        user=personas.evaluator, partnership=report.programme.partnership, role_names=[roles.PROGRAMME_TEAM]
    )
    rendering, data = render(report, personas.evaluator)
    _reader, text = pdf_text(data)
    keys = [x["key"] for x in rendering.snapshot["sections"]]
    for key in ["key_risks", "money_position", "workplan_progress", "appendix_overview"]:
        assert key in keys, key
    money = next(x for x in rendering.snapshot["sections"] if x["key"] == "money_position")["data"]
    assert money["financial_year_label"] == "2010-11"
    from core_groups.models import Allocation

    first = Allocation.objects.filter(core_group__programme=report.programme, financial_year=2010).first()
    assert squash(f"£{first.amount:,.2f}") in squash(text)
    assert BoardReport.objects.filter(kind="timetable", projects__reference="4092").exists()
    assert BoardReport.objects.filter(kind="body_pack", funding_round__isnull=False).count() == 1
    for expected in [
        "Neelam Bhardwaja, Corporate Manager",
        "Report for CYPP Board (12 March 2010)",
        "WORK OF CORE GROUPS",
        "EQUITY AND TRANSPARENCY",
        "RECENT ACHIEVEMENTS",
        "NEXT STEPS",
        "VAC Children, Young People and Families Network",
    ]:
        assert squash(expected) in squash(text), expected


@pytest.mark.django_db
def test_key_risks_come_from_the_register_highest_score_first(personas, render):
    report = highlight_report(user=personas.evaluator, sections=["key_risks"])
    snapshot = build_snapshot(report, "public")
    risks = next(s for s in snapshot["sections"] if s["key"] == "key_risks")["data"]
    assert [r["score"] for r in risks["risks"]] == [16, 12, 8, 2]  # the closed 25 is left out
    assert risks["rag"] == {"red": 1, "amber": 2, "green": 1}
    assert risks["heat"]["4,4"] == 1
    _rendering, data = render(report, personas.evaluator, edition="public")
    text = squash(pdf_text(data)[1])
    assert text.index(squash("Complaints from projects")) < text.index(squash("Core group capacity"))
    assert squash("Briefings for the Leader and press.") in text
    assert "Anoldrisk" not in text
