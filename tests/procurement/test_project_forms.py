"""Pages where the programme team creates a project (drawing its timetable) and edits the project's own fields."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups.models import Organisation
from procurement.models import ProcurementProject, ProjectPartner, TemplateStep, Timetable, TimetableTemplate
from tests.factories import home_partnership

from .conftest import LEEDS_TEMPLATE, make_project

pytestmark = pytest.mark.django_db

CREATE = reverse("procurement:project_create")


@pytest.fixture
def nhs(db):
    org = Organisation.objects.create(name="NHS Leeds", kind=Organisation.Kind.HEALTH, is_commissioning_partner=True)
    org.partnerships.add(home_partnership())  # a partner of the partnership: form choices are its members only
    return org


def _data(leeds_org, personas, **overrides):
    data = {
        "reference": "4092",
        "title": "Neighbourhood Networks",
        "description": "Joint commissioning with NHS Leeds.",
        "procedure": "open",
        "regime": "light_touch",
        "approach": "aligned",
        "lead_organisation": leeds_org.pk,
        "project_manager": personas.evaluator.pk,
        "commission": "",
        "status": "planning",
        "contract_start": "2040-04-01",
        "contract_years": "3",
        "tupe": "on",
        "estimated_annual_value": "3000000",
        "template": TimetableTemplate.objects.get(name=LEEDS_TEMPLATE).pk,
        "partners-TOTAL_FORMS": "3",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "30",
    }
    for i in range(3):
        data[f"partners-{i}-organisation"] = ""
        data[f"partners-{i}-annual_contribution"] = ""
    data.update(overrides)
    return data


def test_the_programme_team_creates_a_project_and_its_timetable_is_drawn(client, personas, leeds_org, nhs):
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:project_list"))
    assert CREATE in page.text
    form = client.get(CREATE)
    assert form.status_code == 200 and "Timetable template" in form.text and "TUPE applies" in form.text
    assert form.context["form"]["project_manager"].value() == personas.evaluator.pk  # the creator, to start with
    data = _data(
        leeds_org, personas, **{"partners-0-organisation": nhs.pk, "partners-0-annual_contribution": "250000.00"}
    )
    response = client.post(CREATE, data)
    assert response.status_code == 302
    project = ProcurementProject.objects.get(reference="4092")
    assert response["Location"] == reverse("procurement:project_detail", args=[project.pk])
    assert project.tupe and project.regime == "light_touch" and project.project_manager == personas.evaluator
    assert project.estimated_annual_value == Decimal("3000000")
    assert [(p.organisation, p.annual_contribution) for p in project.partner_links.all()] == [
        (nhs, Decimal("250000.00"))
    ]
    timetable = Timetable.objects.get(project=project, is_current=True)
    assert timetable.label == "v1" and timetable.tasks.exclude(stage="review").count() == 36
    assert timetable.published_by == personas.evaluator
    page = client.get(response["Location"])
    assert "Created 4092 Neighbourhood Networks with its timetable v1" in page.text


def test_outsiders_providers_and_project_managers_cannot_create(client, personas, leeds_org):
    data = _data(leeds_org, personas)
    for who in (personas.outsider, personas.provider, personas.officer, personas.member):
        client.force_login(who)
        assert client.get(CREATE).status_code == 403
        assert client.post(CREATE, data).status_code == 403
        assert CREATE not in client.get(reverse("procurement:project_list")).text
    assert not ProcurementProject.objects.exists()
    client.force_login(personas.provider)
    assert "No procurement projects to show you yet" in client.get(reverse("procurement:project_list")).text
    client.logout()
    assert client.post(CREATE, data).status_code == 302  # to the login page
    assert not ProcurementProject.objects.exists()


def test_bad_input_is_shown_beside_the_fields_and_what_was_typed_stays(client, personas, leeds_org, nhs):
    make_project(leeds_org, reference="4092")
    client.force_login(personas.evaluator)
    data = _data(
        leeds_org,
        personas,
        reference="4092",
        title="Typed title stays",
        contract_start="not a date",
        estimated_annual_value="-5",
        contract_years="0",
        **{
            "partners-0-organisation": nhs.pk,
            "partners-0-annual_contribution": "-1",
            "partners-1-organisation": "",
            "partners-1-annual_contribution": "100",
        },
    )
    page = client.post(CREATE, data)
    assert page.status_code == 200
    form = page.context["form"]
    assert "already exists" in str(form.errors["reference"])
    assert "Enter a valid date" in str(form.errors["contract_start"])
    assert "cannot be negative" in str(form.errors["estimated_annual_value"])
    assert "contract_years" in form.errors
    formset = page.context["formset"]
    assert "A contribution cannot be negative" in str(formset.forms[0].errors["annual_contribution"])
    assert "Choose the partner" in str(formset.forms[1].errors["organisation"])
    assert 'value="Typed title stays"' in page.text and 'value="not a date"' in page.text
    assert ProcurementProject.objects.count() == 1
    twice = _data(
        leeds_org,
        personas,
        reference="NEW",
        **{
            "partners-0-organisation": nhs.pk,
            "partners-0-annual_contribution": "1",
            "partners-1-organisation": nhs.pk,
            "partners-1-annual_contribution": "2",
        },
    )
    page = client.post(CREATE, twice)
    assert page.status_code == 200 and "listed twice" in page.text
    assert not ProcurementProject.objects.filter(reference="NEW").exists()


def test_a_template_for_another_procedure_is_refused_beside_the_template(client, personas, leeds_org):
    client.force_login(personas.evaluator)
    grant = TimetableTemplate.objects.get(name="Grant agreement")
    page = client.post(CREATE, _data(leeds_org, personas, reference="G1", template=grant.pk))
    assert page.status_code == 200
    assert "template for the grant agreement" in str(page.context["form"].errors["template"])
    assert not ProcurementProject.objects.filter(reference="G1").exists()


def _short_template(**step):
    template = TimetableTemplate.objects.create(name="Short tender", procedure="open")
    TemplateStep.objects.create(template=template, position=1, stage="pre_procurement", activity="Plan", duration=1)
    defaults = {
        "template": template,
        "position": 2,
        "stage": "tender",
        "activity": "Tendering period",
        "offset_days": 30,
        "duration": 10,
    }
    TemplateStep.objects.create(**{**defaults, **step})
    return template


def test_a_statutory_minimum_cut_short_is_refused_beside_the_template_naming_the_rule(client, personas, leeds_org):
    template = _short_template(statutory_minimum=25, statutory_rule="Procurement Act 2023, section 54")
    client.force_login(personas.evaluator)
    page = client.post(CREATE, _data(leeds_org, personas, reference="S1", template=template.pk, tupe=""))
    assert page.status_code == 200
    errors = str(page.context["form"].errors["template"])
    assert "shorter than the 25 days required by Procurement Act 2023, section 54" in errors
    assert not ProcurementProject.objects.filter(reference="S1").exists()
    assert not Timetable.objects.filter(project__reference="S1").exists()


def test_a_task_after_the_contract_start_is_refused_beside_the_contract_start(client, personas, leeds_org):
    template = _short_template(offset_days=-20)  # the tender would end after the contract has started
    client.force_login(personas.evaluator)
    page = client.post(CREATE, _data(leeds_org, personas, reference="S2", template=template.pk, tupe=""))
    assert page.status_code == 200
    assert "after the contract start" in str(page.context["form"].errors["contract_start"])
    assert not ProcurementProject.objects.filter(reference="S2").exists()


# ---------------------------------------------------------------- editing


@pytest.fixture
def project(leeds_org, personas, nhs):
    return make_project(leeds_org, project_manager=personas.member, partners=[(nhs, Decimal("250000"))])


def _edit_data(client, url):
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        data[name] = value.isoformat() if isinstance(value, dt.date) else ("on" if value is True else value)
    formset = client.get(url).context["formset"]
    management = formset.management_form
    data.update({f"partners-{name}": management[name].value() for name in management.fields})
    for i, pform in enumerate(formset.forms):
        org = pform.initial.get("organisation")
        data[f"partners-{i}-organisation"] = org.pk if org else ""
        amount = pform.initial.get("annual_contribution")
        data[f"partners-{i}-annual_contribution"] = str(amount) if amount is not None else ""
    return data


def test_the_project_manager_edits_the_project_and_the_version_moves_on(client, personas, project, nhs, leeds_org):
    url = reverse("procurement:project_edit", args=[project.pk])
    client.force_login(personas.member)  # the project manager
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert url in page.text
    page = client.get(url)
    assert page.status_code == 200 and "template" not in page.context["form"].fields
    data = _edit_data(client, url)
    data.update(
        {
            "title": "Neighbourhood Networks (re-let)",
            "status": "tendering",
            "partners-0-annual_contribution": "300000",
            "partners-1-organisation": leeds_org.pk,
            "partners-1-annual_contribution": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "Neighbourhood Networks (re-let)" and project.status == "tendering"
    assert project.version == 2
    assert dict(
        ProjectPartner.objects.filter(project=project).values_list("organisation__name", "annual_contribution")
    ) == {
        "NHS Leeds": Decimal("300000.00"),
        "Leeds City Council": Decimal("0.00"),
    }
    # Removing a partner by choosing "No partner" on its row.
    data = _edit_data(client, url)
    data["partners-0-organisation"] = ""
    data["partners-0-annual_contribution"] = ""
    assert client.post(url, data).status_code == 302
    assert list(project.partner_links.values_list("organisation__name", flat=True)) == ["NHS Leeds"]


def test_a_second_editor_is_told_and_nothing_is_overwritten(client, personas, project):
    url = reverse("procurement:project_edit", args=[project.pk])
    client.force_login(personas.evaluator)
    stale = _edit_data(client, url)
    first = dict(stale, title="First editor's title")
    assert client.post(url, first).status_code == 302
    second = dict(stale, title="Second editor's title")
    page = client.post(url, second)
    assert page.status_code == 200
    assert "changed this project" in page.text and "while you were editing it" in page.text
    assert 'value="Second editor&#x27;s title"' in page.text  # what was typed stays
    project.refresh_from_db()
    assert project.title == "First editor's title" and project.version == 2


def test_moving_the_contract_start_too_early_is_shown_beside_it(client, personas, project):
    from procurement.models import Task

    Task.objects.filter(timetable__project=project, number__in=[24, 31]).update(
        status="done", done_on=dt.date(2009, 8, 1)
    )
    url = reverse("procurement:project_edit", args=[project.pk])
    client.force_login(personas.evaluator)
    data = dict(_edit_data(client, url), contract_start="2009-06-01", title="Kept")
    page = client.post(url, data)
    assert page.status_code == 200
    assert "before the end of the tender stage" in str(page.context["form"].errors["contract_start"])
    project.refresh_from_db()
    assert project.contract_start == dt.date(2010, 4, 1) and project.title == "Neighbourhood Networks"


def test_edit_is_refused_to_outsiders_providers_and_readers(client, personas, project):
    url = reverse("procurement:project_edit", args=[project.pk])
    client.force_login(personas.evaluator)
    data = dict(_edit_data(client, url), title="Changed")
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert client.post(url, data).status_code == 404
    client.force_login(personas.body)  # reads every project, changes none
    assert client.get(url).status_code == 403
    assert client.post(url, data).status_code == 403
    from procurement.models import Task

    Task.objects.filter(timetable__project=project, number=1).update(responsible_user=personas.provider)
    client.force_login(personas.provider)
    assert client.post(url, data).status_code == 403
    assert url not in client.get(reverse("procurement:project_detail", args=[project.pk])).text
    project.refresh_from_db()
    assert project.title == "Neighbourhood Networks" and project.version == 1
