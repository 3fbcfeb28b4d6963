"""Issue 7 item 5: a service whose partners choose aligned budgets becomes a procurement project with those
partners and contributions, led by the lead commissioner, and the two are linked both ways."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.template import Context, Template
from django.urls import reverse

from core_groups import demo as core_demo
from core_groups.demo import seed_organisations
from core_groups.models import Organisation
from partnerships import demo, services
from partnerships.models import ServiceArea, SharedOption
from procurement import services as procurement_services
from procurement.models import Approach, ProcurementProject, TimetableTemplate
from tests.factories import join_home_partnership

pytestmark = pytest.mark.django_db

TEMPLATE = "Open procedure, light-touch services"
START = dt.date(2013, 4, 1)


@pytest.fixture(autouse=True)
def _reference_data():
    # A transactional test elsewhere may have flushed what the data migrations installed.
    procurement_services.templates_install()
    demo.ensure_reference_data()


def org(name):
    return Organisation.objects.get(name=name)


@pytest.fixture
def advocacy(personas):
    """Three partners in aligned budgets for advocacy (£180,000 + £120,000 + £60,000), one stand-alone."""
    seed_organisations()
    join_home_partnership()
    area = ServiceArea.objects.get(code="advocacy")
    area.lead_commissioner = org("Staffordshire County Council")
    area.save()
    options = {o.kind: o for o in SharedOption.objects.all()}
    for name, kind, cabinet, amount in (
        ("Staffordshire County Council", "aligned_budgets", True, "180000"),
        ("Stoke-on-Trent City Council", "aligned_budgets", True, "120000"),
        ("North Staffordshire PCT", "aligned_budgets", False, "60000"),
        ("Tamworth Borough Council", "stand_alone", False, None),
    ):
        services.preference_record(
            partner=org(name),
            service_area=area,
            option=options[kind],
            cabinet_decision_needed=cabinet,
            decision_date=dt.date(2011, 11, 24),
            annual_contribution=Decimal(amount) if amount else None,
        )
    return area


def template():
    return TimetableTemplate.objects.get(name=TEMPLATE)


def convert(area, by, **kwargs):
    kwargs.setdefault("template", template())
    kwargs.setdefault("contract_start", START)
    return services.service_to_procurement_project(service_area=area, by=by, **kwargs)


# ---------------------------------------------------------------- the service


def test_the_partners_in_aligned_budgets_become_the_projects_partners_with_their_contributions(personas, advocacy):
    project = convert(advocacy, personas.evaluator, project_manager=personas.evaluator)

    assert project.approach == Approach.ALIGNED
    assert project.lead_organisation == org("Staffordshire County Council")
    assert project.reference == "SC-ADVOCACY"
    assert project.procedure == template().procedure and project.regime == template().regime
    contributions = {link.organisation.name: link.annual_contribution for link in project.partner_links.all()}
    assert contributions == {
        "Staffordshire County Council": Decimal("180000.00"),
        "Stoke-on-Trent City Council": Decimal("120000.00"),
        "North Staffordshire PCT": Decimal("60000.00"),
    }  # Tamworth chose stand-alone arrangements, so it is not in
    assert project.estimated_annual_value == Decimal("360000.00")
    assert "£360,000.00 a year" in project.description and "Cabinet decisions needed" in project.description
    assert project.timetables.get(is_current=True).tasks.exists()
    advocacy.refresh_from_db()
    assert advocacy.procurement_project == project
    assert list(project.shared_services.all()) == [advocacy]


def test_a_lead_commissioner_can_be_chosen_when_the_service_has_none(personas, advocacy):
    ServiceArea.objects.filter(pk=advocacy.pk).update(lead_commissioner=None)
    area = ServiceArea.objects.get(pk=advocacy.pk)
    with pytest.raises(ValidationError) as info:
        convert(area, personas.evaluator)
    assert "lead_organisation" in info.value.message_dict
    project = convert(area, personas.evaluator, lead_organisation=org("Stoke-on-Trent City Council"))
    assert project.lead_organisation.name == "Stoke-on-Trent City Council"


def test_a_provider_cannot_lead(personas, advocacy):
    with pytest.raises(ValidationError) as info:
        convert(advocacy, personas.evaluator, lead_organisation=personas.provider_org)
    assert "must be a commissioning partner" in info.value.message_dict["lead_organisation"][0]
    assert not ProcurementProject.objects.exists()


def test_a_service_with_no_partner_in_aligned_budgets_is_refused(personas, advocacy):
    debt = ServiceArea.objects.get(code="debt-advice")
    with pytest.raises(ValidationError, match="No partner has chosen aligned budgets for"):
        convert(debt, personas.evaluator, lead_organisation=org("Staffordshire County Council"))
    assert not ProcurementProject.objects.exists()


def test_a_service_already_linked_is_refused(personas, advocacy):
    project = convert(advocacy, personas.evaluator)
    with pytest.raises(ValidationError, match=f"already procurement project {project.reference}"):
        convert(advocacy, personas.admin, reference="OTHER")
    assert ProcurementProject.objects.count() == 1


@pytest.mark.parametrize("who", ["officer", "body", "provider", "member", "outsider"])
def test_only_the_programme_team_may(personas, advocacy, who):
    with pytest.raises(PermissionDenied):
        convert(advocacy, personas[who])
    assert not ProcurementProject.objects.exists()


def test_a_taken_reference_and_missing_fields_are_refused_together_and_nothing_is_saved(personas, advocacy):
    procurement_services.project_create(
        title="Another",
        reference="sc-advocacy",
        procedure="open",
        lead_organisation=org("Stoke-on-Trent City Council"),
        contract_start=START,
        template=template(),
    )
    with pytest.raises(ValidationError) as info:
        convert(advocacy, personas.evaluator, template=None, contract_start=None)
    assert set(info.value.message_dict) == {"reference", "template", "contract_start"}
    advocacy.refresh_from_db()
    assert advocacy.procurement_project is None and ProcurementProject.objects.count() == 1


# ---------------------------------------------------------------- the pages


def page(area):
    return reverse("partnerships:service_procurement", args=[area.pk])


def post_data(**overrides):
    data = {
        "reference": "SC-ADVOCACY",
        "title": "Independent advocacy for Staffordshire",
        "lead_organisation": org("Staffordshire County Council").pk,
        "template": template().pk,
        "contract_start": "2013-04-01",
        "contract_years": "3",
    }
    data.update(overrides)
    return data


def test_the_options_page_offers_the_button_and_then_links_the_project(client, personas, advocacy):
    client.force_login(personas.evaluator)
    options = client.get(reverse("partnerships:preferences")).content.decode()
    assert page(advocacy) in options
    assert page(ServiceArea.objects.get(code="debt-advice")) not in options  # nobody in aligned budgets there
    form = client.get(page(advocacy))
    assert form.status_code == 200
    assert "£360,000.00" in form.content.decode() and "North Staffordshire PCT" in form.content.decode()
    response = client.post(page(advocacy), post_data())
    project = ProcurementProject.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:project_detail", args=[project.pk])
    assert project.title == "Independent advocacy for Staffordshire"
    # The project page links back to the service (through the procurement page's hook).
    assert f"{reverse('partnerships:preferences')}#service-{advocacy.pk}" in client.get(response["Location"]).text
    options = client.get(reverse("partnerships:preferences")).content.decode()
    assert reverse("procurement:project_detail", args=[project.pk]) in options
    assert page(advocacy) not in options
    again = client.get(page(advocacy)).content.decode()
    assert "already procurement project SC-ADVOCACY" in again
    assert "Create the procurement project</button>" not in again


def test_bad_input_is_shown_beside_the_field_with_what_was_typed(client, personas, advocacy):
    client.force_login(personas.evaluator)
    response = client.post(page(advocacy), post_data(contract_start="not a date", title="Kept as typed"))
    assert response.status_code == 200
    assert response.context["form"].errors["contract_start"]
    assert 'value="Kept as typed"' in response.content.decode()
    procurement_services.project_create(
        title="Another",
        reference="TAKEN",
        procedure="open",
        lead_organisation=org("Stoke-on-Trent City Council"),
        contract_start=START,
        template=template(),
    )
    response = client.post(page(advocacy), post_data(reference="TAKEN"))
    assert response.status_code == 200
    assert "already exists" in response.context["form"].errors["reference"][0]
    assert ProcurementProject.objects.count() == 1


def test_a_service_with_nobody_in_aligned_budgets_says_so(client, personas, advocacy):
    client.force_login(personas.evaluator)
    debt = ServiceArea.objects.get(code="debt-advice")
    assert "No partner has chosen aligned budgets" in client.get(page(debt)).content.decode()
    response = client.post(page(debt), post_data(reference="SC-DEBT"))
    assert response.status_code == 200
    assert "No partner has chosen aligned budgets" in response.content.decode()
    assert not ProcurementProject.objects.exists()


@pytest.mark.parametrize("who", ["officer", "body", "provider", "outsider"])
def test_others_are_refused(client, personas, advocacy, who):
    client.force_login(personas[who])
    assert client.get(page(advocacy)).status_code == 403
    assert client.post(page(advocacy), post_data()).status_code == 403
    assert not ProcurementProject.objects.exists()
    assert page(advocacy) not in client.get(reverse("partnerships:preferences")).content.decode()


def test_the_project_page_hook_names_the_service_to_those_who_may_see_the_options(rf, personas, advocacy):
    project = convert(advocacy, personas.evaluator)
    markup = Template('{% load hooks %}{% hook "project_page_links" project %}')

    def render(user):
        request = rf.get("/")
        request.user = user
        return markup.render(Context({"request": request, "project": project}))

    assert reverse("partnerships:preferences") in render(personas.evaluator) and "Advocacy" in render(personas.body)
    assert render(personas.outsider).strip() == ""


def test_demo_makes_the_advocacy_project_once(personas):
    out = io.StringIO()
    core_demo.seed(out)
    demo.seed(out)
    demo.seed(out)
    area = ServiceArea.objects.get(code="advocacy")
    project = area.procurement_project
    assert project is not None and project.approach == Approach.ALIGNED
    assert project.estimated_annual_value == Decimal("470000.00")  # 180,000 + 120,000 + 60,000 + 70,000 + 40,000
    assert project.partner_links.count() == 5
    assert ProcurementProject.objects.filter(shared_services__isnull=False).count() == 1
