"""A tampered or missing version on an edit form is an error the user sees, never a silent save (issue 19)."""

import pytest
from django.urls import reverse

from procurement.models import ProcurementProject
from tests.procurement.conftest import make_project
from tests.procurement.test_project_forms import _data

pytestmark = pytest.mark.django_db

OUT_OF_DATE = "This page is out of date: reload it and make your change again."

TAMPERED = ["abc", "", "9" * 10_000, "-1", "1e309", "\x00"]
IDS = ["letters", "empty", "10000-digits", "negative", "1e309", "nul"]


@pytest.mark.parametrize("version", TAMPERED, ids=IDS)
def test_a_tampered_version_on_the_project_form_says_the_page_is_out_of_date(client, personas, leeds_org, version):
    project = make_project(leeds_org, project_manager=personas.evaluator)
    client.force_login(personas.evaluator)
    data = _data(leeds_org, personas, title="Changed title", version=version)
    data.pop("template")
    response = client.post(reverse("procurement:project_edit", args=[project.pk]), data)
    assert response.status_code == 200
    assert "This page is out of date" in response.content.decode()
    assert ProcurementProject.objects.get(pk=project.pk).title != "Changed title"


@pytest.mark.parametrize("version", TAMPERED, ids=IDS)
def test_a_tampered_version_is_refused_on_every_versioned_edit_form(personas, version):
    from core_groups.forms import BusinessCaseDecisionForm, SpecificationForm
    from tests.factories import CommissionFactory

    commission = CommissionFactory()
    forms = [
        SpecificationForm(data={"specification_state": "drafted", "version": version}),
        BusinessCaseDecisionForm(
            data={"business_case_decision": "approved", "business_case_decided_on": "2026-05-01", "version": version}
        ),
    ]
    from core_groups.forms import CommissionForm

    forms.append(CommissionForm(data={"title": "x", "version": version}, instance=commission))
    for form in filter(None, forms):
        assert not form.is_valid()
        assert OUT_OF_DATE in form.non_field_errors(), type(form).__name__


@pytest.mark.parametrize(
    "overrides",
    [
        {"title": "1e309"},
        {"estimated_annual_value": "1e309"},
        {"estimated_annual_value": "NaN"},
        {"contract_years": "99999999999999999999"},
        {"contract_start": "9999-12-31"},
        {"title": "x" * 10_000},
    ],
    ids=["title-1e309", "value-1e309", "value-nan", "years-huge", "start-9999", "title-10000"],
)
def test_a_project_with_hostile_values_is_never_a_500(client, personas, leeds_org, overrides):
    client.force_login(personas.evaluator)
    response = client.post(reverse("procurement:project_create"), _data(leeds_org, personas, **overrides))
    assert response.status_code in (200, 302)
