"""A procurement project keeps its conflicts assessment (Procurement Act 2023 s.83; issue 13 item 3): who was
assessed, what was found, the mitigations, by whom and when. Written on the project page by the programme team and
the project manager, read by everyone who sees the project, and listed in the project's report."""

import datetime as dt
import html
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from commissioning.reports.pdf import render_report_pdf
from commissioning.reports.snapshot import build_snapshot
from core_groups.exceptions import NotAllowed
from procurement import services
from procurement.models import ConflictAssessment
from tests.commissioning.report_factories import timetable_report

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(leeds_org, personas):
    return make_project(leeds_org, project_manager=personas.member)


def _data(**overrides):
    return {
        "person": "Dana Evaluator",
        "role": "Evaluation panel",
        "finding": "potential",
        "details": "Her brother works for a likely bidder.",
        "mitigations": "She does not score the lot her brother's employer bids for.",
        "assessed_on": "2010-01-15",
        **overrides,
    }


def test_the_project_manager_records_an_assessment_on_the_project_page(client, personas, project):
    client.force_login(personas.member)
    page = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert "Conflicts assessment" in page and "No one has been assessed" in page
    assert reverse("procurement:conflict_assessment_add", args=[project.pk]) in page
    response = client.post(reverse("procurement:conflict_assessment_add", args=[project.pk]), _data())
    assert response.status_code == 302 and response.url.endswith("#conflicts")
    assessment = ConflictAssessment.objects.get(project=project)
    assert assessment.assessed_by == personas.member
    assert assessment.assessed_on == dt.date(2010, 1, 15)
    page = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    for text in ["Dana Evaluator", "Potential conflict", "does not score the lot", personas.member.display_name]:
        assert html.escape(text) in page  # a generated name may hold an apostrophe, which the page escapes


def test_a_conflict_found_needs_what_was_found_and_its_mitigation(client, personas, project):
    client.force_login(personas.member)
    url = reverse("procurement:conflict_assessment_add", args=[project.pk])
    response = client.post(url, _data(details="", mitigations=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say how the conflict is avoided or mitigated" in html and "Say what was found" in html
    assert 'value="Dana Evaluator"' in html  # what was typed comes back
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(url, _data(assessed_on=tomorrow.isoformat()))
    assert response.status_code == 400 and "cannot be dated in the future" in response.content.decode()
    assert not ConflictAssessment.objects.exists()
    # No conflict found: nothing more is needed.
    assert client.post(url, _data(finding="none", details="", mitigations="")).status_code == 302


def test_an_edit_records_the_editor_and_a_second_editor_is_told(client, personas, project):
    assessment = services.conflict_assessment_save(
        user=personas.member, project=project, **{**_data(), "assessed_on": dt.date(2010, 1, 15)}
    )
    url = reverse("procurement:conflict_assessment_edit", args=[project.pk, assessment.pk])
    client.force_login(personas.evaluator)
    page = client.get(url).content.decode()
    assert "Dana Evaluator" in page
    response = client.post(url, _data(finding="actual", version=1))
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.finding == "actual" and assessment.assessed_by == personas.evaluator
    assert assessment.version == 2
    response = client.post(url, _data(finding="none", version=1))
    assert response.status_code == 400 and "changed this conflicts assessment" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.finding == "actual"
    assert assessment.history.count() == 2


def test_others_who_see_the_project_read_it_but_may_not_write_it(client, personas, project):
    services.conflict_assessment_save(
        user=personas.member, project=project, **{**_data(), "assessed_on": dt.date(2010, 1, 15)}
    )
    client.force_login(personas.body)
    page = client.get(reverse("procurement:project_detail", args=[project.pk])).content.decode()
    assert "Dana Evaluator" in page
    assert reverse("procurement:conflict_assessment_add", args=[project.pk]) not in page
    assert client.get(reverse("procurement:conflict_assessment_add", args=[project.pk])).status_code == 403
    assert client.post(reverse("procurement:conflict_assessment_add", args=[project.pk]), _data()).status_code == 403
    with pytest.raises(NotAllowed):
        services.conflict_assessment_save(user=personas.body, project=project, **_data())
    assert ConflictAssessment.objects.count() == 1


def test_an_assessment_of_another_project_is_not_found_through_this_one(client, personas, project, leeds_org):
    other = make_project(leeds_org, reference="OTHER", project_manager=personas.member)
    assessment = services.conflict_assessment_save(
        user=personas.member, project=other, **{**_data(), "assessed_on": dt.date(2010, 1, 15)}
    )
    client.force_login(personas.member)
    url = reverse("procurement:conflict_assessment_edit", args=[project.pk, assessment.pk])
    assert client.get(url).status_code == 404


def test_the_service_refuses_an_incomplete_finding(personas, project):
    with pytest.raises(ValidationError) as err:
        services.conflict_assessment_save(user=personas.member, project=project, **_data(mitigations=" "))
    assert "mitigations" in err.value.message_dict
    assert not ConflictAssessment.objects.exists()


def test_the_projects_report_lists_its_conflicts_assessment(personas, project):
    services.conflict_assessment_save(
        user=personas.member, project=project, **{**_data(), "assessed_on": dt.date(2010, 1, 15)}
    )
    report = timetable_report(project, user=personas.evaluator, sections=["timetable", "conflicts_assessment"])
    internal = build_snapshot(report, "internal")
    section = next(s for s in internal["sections"] if s["key"] == "conflicts_assessment")
    row = section["data"]["projects"][0]["assessments"][0]
    assert row["person"] == "Dana Evaluator" and row["finding"] == "Potential conflict"
    assert row["mitigations"].startswith("She does not score")
    assert row["assessed_by"] == personas.member.display_name and row["assessed_on"] == "2010-01-15"
    data, _pages = render_report_pdf(internal)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert "CONFLICTS ASSESSMENT" in text.upper()  # headings are set in capitals
    assert "Dana Evaluator" in text and "Potential conflict" in text
    # The public edition keeps what was found and the mitigations, not the names.
    public = build_snapshot(report, "public")
    row = next(s for s in public["sections"] if s["key"] == "conflicts_assessment")["data"]["projects"][0]
    assert row["assessments"][0]["person"] == "" and row["assessments"][0]["assessed_by"] == ""
    assert row["assessments"][0]["role"] == "Evaluation panel"
