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


def _report(programme, user):
    return highlight_report(
        programme=programme,
        user=user,
        title="Commissioning Policy Development Project: evaluation",
        sections=["background", "performance_measures", "engagement"],
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
