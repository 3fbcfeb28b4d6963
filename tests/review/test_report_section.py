"""The highlight report's new sections: measures with trends, meetings' attendance and events, read back."""

import datetime as dt
import io
import re

import pytest
from django.core.files.storage import default_storage
from pypdf import PdfReader

from commissioning.models import Rendering
from commissioning.reports import services as report_services
from commissioning.reports.snapshot import build_snapshot
from core_groups.demo import seed_logins, seed_organisations
from core_groups.models import Programme, User
from review import demo
from tests.commissioning.report_factories import highlight_report

pytestmark = pytest.mark.django_db


def squash(text):
    return re.sub(r"\s+", "", text)


@pytest.fixture
def merthyr():
    seed_organisations()
    seed_logins()
    demo.seed(io.StringIO())
    return Programme.objects.get(name=demo.PROGRAMME)


def _report(programme, user, sections=("background", "performance_measures", "engagement")):
    return highlight_report(
        programme=programme,
        user=user,
        title="Commissioning Policy Development Project: evaluation",
        sections=list(sections),
        period_start=dt.date(2009, 10, 1),
        period_end=dt.date(2011, 12, 31),
    )


def test_snapshot_holds_measures_without_baseline_in_words(merthyr):
    report = _report(merthyr, User.objects.get(username="evaluator"))
    snapshot = build_snapshot(report, "internal")
    data = next(s for s in snapshot["sections"] if s["key"] == "performance_measures")["data"]
    labels = {m["baseline_label"] for m in data["measures"]}
    assert "No baseline set" in labels
    assert data["without_baseline"] == 2


def test_pdf_reads_back_the_sources_figures(merthyr, django_capture_on_commit_callbacks):
    evaluator = User.objects.get(username="evaluator")
    report = _report(merthyr, evaluator)
    with django_capture_on_commit_callbacks(execute=True):
        rendering, _ = report_services.rendering_request(report=report, user=evaluator, edition="internal")
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.READY, rendering.reason
    with default_storage.open(rendering.file.name) as f:
        text = squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages))
    assert squash("Outcomes and performance measures") in text
    assert squash("No baseline set") in text
    assert squash("98% very good or excellent") in text
    assert squash("63% very good or excellent, 37% good") in text
    assert squash("1 member never attended, 2 members attended once") in text
    # The events' rows: 31 public + 43 third sector = 74 at Cracking the Code, 98% very good or excellent;
    # 28 + 48 = 76 at the launch; 20 third sector at Demystifying Commissioning, all 4s and 5s.
    assert re.search(r"CrackingtheCode[^%]{0,60}?314374" + re.escape(squash("98% very good or excellent")), text)
    assert re.search(r"284876" + re.escape(squash("63% very good or excellent, 37% good")), text)
    assert re.search(r"DemystifyingCommissioning[^%]{0,60}?02020", text)


def test_each_measures_table_is_on_the_page_beside_its_chart(merthyr, django_capture_on_commit_callbacks):
    """Every column of a measure's table is printed inside the page: "Target" heads as many tables as "Actual"
    (the charts' legends carry one of each). A flex row once pushed the Target column off the page's edge."""
    from tests.commissioning.pdf_layout import read_pages

    evaluator = User.objects.get(username="evaluator")
    report = _report(merthyr, evaluator, sections=("performance_measures",))
    with django_capture_on_commit_callbacks(execute=True):
        rendering, _ = report_services.rendering_request(report=report, user=evaluator, edition="internal")
    rendering.refresh_from_db()
    with default_storage.open(rendering.file.name) as f:
        words = [w for page in read_pages(f.read()) for w in page.words]
    measures = len(build_snapshot(report, "internal")["sections"][0]["data"]["measures"])
    assert measures > 0
    assert words.count("Actual") == words.count("Target") == 2 * measures


def _pdf_text(report, user, capture, edition="internal"):
    with capture(execute=True):
        rendering, _ = report_services.rendering_request(report=report, user=user, edition=edition)
    rendering.refresh_from_db()
    assert rendering.status == Rendering.Status.READY, rendering.reason
    with default_storage.open(rendering.file.name) as f:
        return squash("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(f.read())).pages))


def test_action_plan_fills_issues_and_actions_and_next_steps(merthyr, django_capture_on_commit_callbacks):
    """As at 31 December 2011: the obstacle (reported to the Local Service Board) and the overdue action under
    "Issues and actions", the action due next under "Next steps"; the officer's own text stays."""
    evaluator = User.objects.get(username="evaluator")
    report = _report(merthyr, evaluator, sections=["issues", "next_steps"])
    snapshot = build_snapshot(report, "internal")
    by_key = {s["key"]: s["data"] for s in snapshot["sections"]}
    issues, next_steps = by_key["issues"], by_key["next_steps"]
    assert issues["issues"]  # the typed narrative is kept beside the plan
    assert [o["reported_to"] for o in issues["obstacles"]] == ["Local Service Board"]
    assert [a["title"] for a in issues["overdue"]] == [
        "Agree clear performance measures with a baseline for every SLA, using the sector survey"
    ]
    assert [a["title"] for a in next_steps["next_steps"]] == [
        "Arrange a Compact workshop in each Borough to identify an action plan for implementing the Code of Practice"
    ]
    text = _pdf_text(report, evaluator, django_capture_on_commit_callbacks)
    for phrase in (
        "Obstacles reported",
        "Local authority commissioning leads rarely attend the Steering Group",
        "Local Service Board",
        "Actions overdue at 31 December 2011",
        "Agree clear performance measures",
        "From the action plan",
        "Arrange a Compact workshop in each Borough",
    ):
        assert squash(phrase) in text, phrase
    # The public edition names no owner.
    public = build_snapshot(report, "public")
    plan_rows = [
        row
        for s in public["sections"]
        for key in ("obstacles", "overdue", "next_steps")
        for row in (s["data"] or {}).get(key, [])
    ]
    assert plan_rows and all(row["owner"] == "" for row in plan_rows)


def test_the_section_renders_50_services_quickly(personas, django_assert_max_num_queries):
    import time

    from review import report_sections, services
    from review.models import Measure
    from tests.factories import CommissionFactory, CoreGroupFactory

    group = CoreGroupFactory(name="Bench")
    for n in range(50):
        service = CommissionFactory(core_group=group, title=f"Service {n}", provider=personas.provider_org)
        services.measure_create(
            programme=group.programme,
            commission=service,
            title="Carers supported",
            unit=Measure.Unit.NUMBER,
            baseline_value=10,
            baseline_date=dt.date(2011, 3, 31),
        )
    started = time.monotonic()
    with django_assert_max_num_queries(4):
        data = report_sections.performance_measures(group.programme, None, None)
    assert data["total"] == 50
    assert time.monotonic() - started < 2
