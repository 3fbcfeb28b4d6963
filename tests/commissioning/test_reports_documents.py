"""The documents with the other apps' data: the underspend split, procurement timetables (Leeds v10)."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from pypdf import PdfReader

from commissioning.models import BoardReport, Rendering
from commissioning.reports import services
from commissioning.reports.snapshot import build_snapshot
from tests.commissioning.report_factories import cymorth, highlight_report, leeds_project, timetable_report


def squash(text):
    return re.sub(r"\s+", "", text)


@pytest.fixture
def render(django_capture_on_commit_callbacks):
    def do(report, user, edition="internal"):
        with django_capture_on_commit_callbacks(execute=True):
            rendering, _ = services.rendering_request(report=report, user=user, edition=edition)
        rendering.refresh_from_db()
        assert rendering.status == Rendering.Status.READY, rendering.reason
        with default_storage.open(rendering.file.name) as f:
            data = f.read()
        reader = PdfReader(io.BytesIO(data))
        return rendering, reader, "\n".join(p.extract_text() for p in reader.pages)

    return do


@pytest.mark.django_db
def test_underspend_split_follows_rule_2_for_both_options(personas, render):
    report = highlight_report(user=personas.evaluator, sections=["money_position"])
    data = build_snapshot(report, "internal")["sections"][0]["data"]
    early = next(r for r in data["rows"] if r["core_group"] == "Early Years")
    # Allocation £1,000,000, spend £940,000: costs £10,000; 2.5%/£20k: £25,000 + £25,000; 3.5%/£25k: £35,000 + £15,000.
    assert [(s["commissioning_costs"], s["discretion"], s["returned"]) for s in early["splits"]] == [
        ("10000.00", "25000.00", "25000.00"),
        ("10000.00", "35000.00", "15000.00"),
    ]
    youth = next(r for r in data["rows"] if r["core_group"] == "Youth Support")
    assert [(s["commissioning_costs"], s["discretion"], s["returned"]) for s in youth["splits"]] == [
        ("4000.00", "16000.00", "0.00"),
        ("4000.00", "16000.00", "0.00"),
    ]
    _r, _reader, text = render(report, personas.evaluator)
    for figure in ["£10,000.00", "£25,000.00", "£35,000.00", "£15,000.00", "Option 2: 3.5% or £25,000"]:
        assert squash(figure) in squash(text), figure


@pytest.mark.django_db
def test_timetable_on_its_own_is_laid_out_like_the_leeds_appendix(personas, render):
    project = leeds_project()
    report = timetable_report(project, user=personas.evaluator)
    rendering, reader, text = render(report, personas.evaluator)
    flat = squash(text)
    assert squash("PROCUREMENT TIMETABLE – v10") in flat
    assert squash("PROJECT REF: 4092") in flat
    assert squash("Neighbourhood Networks") in flat
    assert squash("Start date for Contract") in flat
    assert squash("Review of the procurement") in flat
    timetable = rendering.snapshot["sections"][0]["data"]["timetables"][0]
    assert timetable["version"] == "v10"
    assert timetable["task_count"] == project.timetables.get(is_current=True).tasks.count() >= 36
    assert len(reader.pages) == rendering.page_count >= 2
    # The task table's header repeats on every page it runs over.
    assert all("Achievement" in page.extract_text() for page in reader.pages)
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text


@pytest.mark.django_db
def test_a_timetable_report_needs_a_timetable(personas):
    with pytest.raises(ValidationError) as err:
        services.report_create(
            user=personas.evaluator,
            kind=BoardReport.Kind.TIMETABLE,
            programme=cymorth(),
            title="No timetable",
            sections=["timetable"],
        )
    assert "projects" in err.value.message_dict
    assert not BoardReport.objects.exists()


@pytest.mark.django_db
def test_highlight_report_with_a_chosen_timetable_shows_its_status_and_appendix(personas, render):
    project = leeds_project()
    report = highlight_report(user=personas.evaluator, sections=["procurement_timetables", "appendix_timetables"])
    report.projects.set([project])
    rendering, _reader, text = render(report, personas.evaluator, edition="public")
    summary = rendering.snapshot["sections"][0]["data"]
    assert summary["projects"][0]["version"] == "v10"
    assert summary["rag"][summary["projects"][0]["rag"]] == 1
    flat = squash(text)
    assert squash("PROCUREMENT TIMETABLE – v10") in flat and squash("Appendix 1") in flat
    assert "£3,000,000" not in text  # the contract's value is confidential
    internal = build_snapshot(report, "internal")["sections"][0]["data"]
    assert internal["projects"][0]["estimated_annual_value"] == "3000000.00"


@pytest.mark.django_db
def test_body_pack_carries_the_ranking_recommendation_and_reserve_of_the_worked_example(personas, render):
    from tests.commissioning.report_factories import body_pack_report

    report = body_pack_report(user=personas.evaluator)
    rendering, reader, text = render(report, personas.evaluator)
    ranking = next(s for s in rendering.snapshot["sections"] if s["key"] == "ranking")["data"]
    ref = report.funding_round.pk
    assert [r["reference"] for r in ranking["rows"]] == [f"R{ref}-{x}" for x in "ACBDE"]
    assert ranking["funded"] == [f"R{ref}-{x}" for x in "ACE"]
    assert ranking["reserve"] == f"R{ref}-B"
    assert ranking["funded_total"] == "410000.00" and ranking["left"] == "40000.00"
    flat = squash(text)
    for expected in [
        "£500,000.00",
        "£50,000.00",
        "£450,000.00",
        "£410,000.00",
        f"Reserve: R{ref}-B",
        "Written evaluation",
    ]:
        assert squash(expected) in flat, expected
    assert f"R{ref}-D" in text and "meets 5 of the seven criteria" in text
    # The cover, contents, money and ranking, then one page per bid at least.
    assert len(reader.pages) >= 5 + 2


@pytest.mark.django_db
def test_public_body_pack_keeps_scores_and_outcomes_but_not_the_amounts(personas, render):
    from tests.commissioning.report_factories import body_pack_report

    report = body_pack_report(user=personas.evaluator)
    rendering, _reader, text = render(report, personas.evaluator, edition="public")
    assert "Recommended" in text and "Reserve" in text
    for figure in ["£200,000", "£180,000", "£410,000", "£5,000"]:
        assert figure not in text, figure
    assert "200000" not in str(rendering.snapshot)


@pytest.mark.django_db
def test_a_body_pack_needs_its_round(personas):
    from tests.commissioning.report_factories import body_pack_report, pack_round

    funding_round = pack_round(evaluator=personas.evaluator)
    with pytest.raises(ValidationError) as err:
        services.report_create(
            user=personas.evaluator,
            kind=BoardReport.Kind.BODY_PACK,
            programme=funding_round.programme,
            title="No round",
            sections=["ranking"],
        )
    assert "funding_round" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        body_pack_report(funding_round=funding_round, user=personas.evaluator, programme=cymorth())
    assert "another programme" in str(err.value)


@pytest.mark.django_db
def test_highlight_report_shows_the_growth_round_outcomes(personas):
    import datetime as dt
    from decimal import Decimal

    from growth_bids.models import Decision
    from tests.commissioning.report_factories import pack_round

    funding_round = pack_round(evaluator=personas.evaluator)
    bids = {b.reference[-1]: b for b in funding_round.bids.all()}
    for letter, outcome, amount in [("A", "funded", "200000"), ("C", "funded", "150000"), ("B", "reserve", None)]:
        Decision.objects.create(
            bid=bids[letter],
            funding_round=funding_round,
            outcome=outcome,
            amount=Decimal(amount) if amount else None,
            meeting_date=dt.date(2010, 9, 20),
        )
    report = highlight_report(
        programme=funding_round.programme, user=personas.evaluator, sections=["growth_round_outcomes"]
    )
    report.financial_year = 2010
    internal = build_snapshot(report, "internal")["sections"][0]["data"]["rounds"][0]
    assert internal["funded_total"] == "350000.00" and internal["available"] == "450000.00"
    assert [d["outcome"] for d in internal["decisions"]] == ["Funded", "Funded", "Reserve"]
    public = build_snapshot(report, "public")["sections"][0]["data"]["rounds"][0]
    assert "funded_total" not in public and all("amount" not in d for d in public["decisions"])
