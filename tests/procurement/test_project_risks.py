"""Risks on the project page: the core groups' risk register, scoped to the procurement project."""

import pytest
from django.urls import reverse

from core_groups import services as core_services
from core_groups.models import Risk
from tests.factories import CommissionFactory, MembershipFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(leeds_org, personas):
    return make_project(leeds_org, project_manager=personas.member)


def _risk(**overrides):
    data = {
        "title": "Staff transfer costs higher than planned",
        "description": "TUPE information from the incumbent may show higher costs.",
        "impact": "4",
        "likelihood": "3",
        "mitigation": "Ask for TUPE information early.",
        "owner": "",
        "owner_role": "Project manager",
        "status": "open",
        "review_on": "2010-01-15",
    }
    data.update(overrides)
    return data


def test_the_project_page_lists_its_open_risks_only(client, personas, project, leeds_org):
    other = make_project(leeds_org, reference="OTHER")
    core_services.risk_create(
        user=personas.evaluator,
        scope_object=project,
        **{**_risk(), "impact": 4, "likelihood": 4, "owner": None, "review_on": None},
    )
    core_services.risk_create(
        user=personas.evaluator,
        scope_object=project,
        title="Closed one",
        description="Gone.",
        impact=1,
        likelihood=1,
        status="closed",
    )
    core_services.risk_create(
        user=personas.evaluator,
        scope_object=other,
        title="Another project's risk",
        description="x",
        impact=2,
        likelihood=2,
    )
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert "Staff transfer costs higher than planned" in page.text and "Amber 16" not in page.text
    assert "Red 16" in page.text
    assert "Closed one" not in page.text and "Another project" not in page.text
    empty = client.get(reverse("procurement:project_detail", args=[other.pk]))
    assert "Another project&#x27;s risk" in empty.text
    third = make_project(leeds_org, reference="THIRD")
    assert "No open risks recorded" in client.get(reverse("procurement:project_detail", args=[third.pk])).text


def test_the_programme_team_adds_a_risk_scoped_to_the_project(client, personas, project):
    url = reverse("procurement:project_risk_add", args=[project.pk])
    client.force_login(personas.evaluator)
    assert url in client.get(reverse("procurement:project_detail", args=[project.pk])).text
    response = client.post(url, _risk(owner=personas.member.pk))
    assert response.status_code == 302 and response["Location"].endswith("#risks")
    risk = Risk.objects.for_object(project).get()
    assert risk.score == 12 and risk.created_by == personas.evaluator and risk.owner == personas.member
    assert risk.scope_label == str(project)
    page = client.get(response["Location"])
    assert "Amber 12" in page.text and reverse("core_groups:risk", args=[risk.pk]) in page.text
    # It is on the core groups' risk register too, with the project as its scope.
    detail = client.get(reverse("core_groups:risk", args=[risk.pk]))
    assert detail.status_code == 200 and "4092 Neighbourhood Networks" in detail.text
    assert "Staff transfer costs higher than planned" in client.get(reverse("core_groups:risks")).text


def test_a_core_group_member_adds_a_risk_to_their_commissions_project(client, personas, project):
    commission = CommissionFactory()
    MembershipFactory(core_group=commission.core_group, user=personas.officer)
    project.commission = commission
    project.save()
    url = reverse("procurement:project_risk_add", args=[project.pk])
    client.force_login(personas.officer)
    assert client.post(url, _risk()).status_code == 302
    risk = Risk.objects.for_object(project).get()
    assert risk.core_group == commission.core_group and risk.programme == commission.core_group.programme


def test_bad_risk_input_is_shown_beside_the_fields(client, personas, project):
    url = reverse("procurement:project_risk_add", args=[project.pk])
    client.force_login(personas.evaluator)
    page = client.post(url, _risk(title="", impact="7", likelihood="0", review_on="soon", mitigation="Typed stays"))
    assert page.status_code == 200
    errors = page.context["form"].errors
    assert {"title", "impact", "likelihood", "review_on"} <= set(errors)
    assert "Typed stays" in page.text
    assert not Risk.objects.exists()


def test_adding_risks_is_refused_to_others_and_saves_nothing(client, personas, project):
    url = reverse("procurement:project_risk_add", args=[project.pk])
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404 and client.post(url, _risk()).status_code == 404
    client.force_login(personas.member)  # the project manager, not in the programme team nor a core group
    assert client.post(url, _risk()).status_code == 403
    assert url not in client.get(reverse("procurement:project_detail", args=[project.pk])).text
    client.force_login(personas.body)
    assert client.post(url, _risk()).status_code == 403
    from procurement.models import Task

    Task.objects.filter(timetable__project=project, number=1).update(responsible_user=personas.provider)
    client.force_login(personas.provider)
    assert client.get(url).status_code == 403 and client.post(url, _risk()).status_code == 403
    assert not Risk.objects.exists()
