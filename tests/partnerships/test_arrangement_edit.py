"""Editing one funding arrangement: on its page (programme team only) and in the admin, never over a newer save."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups.demo import seed_organisations
from foundation.editing import StaleEdit
from partnerships import costing, demo, services
from partnerships.models import FundingArrangement, PartnerPreference, ServiceArea, SharedOption
from tests.factories import home_partnership, join_home_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(personas):
    seed_organisations()
    join_home_partnership()
    services.register_import(partnership=home_partnership(), name="demo.csv", data=demo.DEMO_CSV.read_bytes())
    return personas


@pytest.fixture
def arrangement(register):
    return FundingArrangement.objects.with_parties().order_by("reference").first()


def form_data(a, **overrides):
    data = {
        "title": a.title,
        "funder": a.funder_id,
        "provider": a.provider_id,
        "arrangement_type": a.arrangement_type,
        "service_area": a.service_area_id,
        "annual_value": str(a.annual_value),
        "start_date": a.start_date.isoformat(),
        "end_date": a.end_date.isoformat() if a.end_date else "",
        "last_openly_procured": a.last_openly_procured.isoformat() if a.last_openly_procured else "",
        "notes": a.notes,
        "version": a.version,
    }
    if a.rolls_over:
        data["rolls_over"] = "on"
    for name in costing.STAGE_FIELDS:
        data[name] = str(getattr(a, name))
    data.update(overrides)
    return data


def edit_url(a):
    return reverse("partnerships:arrangement_edit", args=[a.pk])


def test_programme_team_edits_an_arrangement_from_its_page(client, register, arrangement):
    client.force_login(register.evaluator)
    detail = client.get(reverse("partnerships:arrangement", args=[arrangement.pk])).content.decode()
    assert edit_url(arrangement) in detail
    form = client.get(edit_url(arrangement))
    assert form.status_code == 200 and 'name="version"' in form.content.decode()
    response = client.post(edit_url(arrangement), form_data(arrangement, annual_value="12345.67", title="Debt advice"))
    assert response.status_code == 302
    assert response["Location"] == reverse("partnerships:arrangement", args=[arrangement.pk])
    saved = FundingArrangement.objects.get(pk=arrangement.pk)
    assert saved.annual_value == Decimal("12345.67") and saved.title == "Debt advice"
    assert saved.version == arrangement.version + 1
    last = saved.history.order_by("-history_date").first()
    assert last.history_user == register.evaluator


def test_stale_edit_is_refused_on_the_page_and_the_first_save_stands(client, register, arrangement):
    stale = arrangement.version
    client.force_login(register.evaluator)
    assert client.post(edit_url(arrangement), form_data(arrangement, annual_value="100.00")).status_code == 302
    client.force_login(register.admin)
    second = client.post(edit_url(arrangement), form_data(arrangement, annual_value="200.00", version=stale))
    assert second.status_code == 200
    body = second.content.decode()
    assert "while you were editing it" in body and 'value="200.00"' in body
    assert FundingArrangement.objects.get(pk=arrangement.pk).annual_value == Decimal("100.00")


def test_edit_after_an_import_updated_the_row_is_refused(client, register, arrangement):
    client.force_login(register.evaluator)
    opened = arrangement.version
    services.register_import(
        partnership=home_partnership(), name="demo.csv", data=demo.DEMO_CSV.read_bytes()
    )  # bumps every version
    response = client.post(edit_url(arrangement), form_data(arrangement, annual_value="1.00", version=opened))
    assert "while you were editing it" in response.content.decode()
    assert FundingArrangement.objects.get(pk=arrangement.pk).annual_value == arrangement.annual_value


def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, register, arrangement):
    client.force_login(register.evaluator)
    for overrides, field, message in [
        ({"annual_value": "-1"}, "annual_value", "greater than or equal to 0"),
        ({"annual_value": "lots"}, "annual_value", "Enter a number"),
        ({"hours_monitoring": "-3"}, "hours_monitoring", "greater than or equal to 0"),
        ({"start_date": "2012-01-01", "end_date": "2011-01-01"}, None, "cannot be before the start date"),
    ]:
        response = client.post(edit_url(arrangement), form_data(arrangement, title="Typed title", **overrides))
        body = response.content.decode()
        assert response.status_code == 200
        if field:
            assert f'id="error_1_id_{field}"' in body, field
        assert message in body and 'value="Typed title"' in body
    saved = FundingArrangement.objects.get(pk=arrangement.pk)
    assert saved.title == arrangement.title and saved.version == arrangement.version


@pytest.mark.parametrize("who", ["outsider", "provider", "officer", "body", "member"])
def test_only_the_programme_team_may_edit(client, register, arrangement, who):
    client.force_login(getattr(register, who))
    if who == "body":
        detail = client.get(reverse("partnerships:arrangement", args=[arrangement.pk])).content.decode()
        assert edit_url(arrangement) not in detail
    assert client.get(edit_url(arrangement)).status_code == 403
    assert client.post(edit_url(arrangement), form_data(arrangement, annual_value="1.00")).status_code == 403
    # The same answer for a number that does not exist: no hint of which arrangements there are.
    assert client.get(reverse("partnerships:arrangement_edit", args=[999999])).status_code == 403
    saved = FundingArrangement.objects.get(pk=arrangement.pk)
    assert saved.annual_value == arrangement.annual_value and saved.version == arrangement.version


def test_missing_arrangement_is_404_for_the_programme_team(client, register):
    client.force_login(register.evaluator)
    assert client.get(reverse("partnerships:arrangement_edit", args=[999999])).status_code == 404


def test_signed_out_edit_goes_to_sign_in(client, register, arrangement):
    response = client.post(edit_url(arrangement), form_data(arrangement, annual_value="1.00"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_service_refuses_a_stale_version_or_none(register, arrangement):
    with pytest.raises(StaleEdit):
        services.arrangement_update(
            user=register.evaluator, arrangement=arrangement, expected_version=arrangement.version - 1, title="x"
        )
    with pytest.raises(StaleEdit):
        services.arrangement_update(user=register.evaluator, arrangement=arrangement, expected_version=None, title="x")
    assert FundingArrangement.objects.get(pk=arrangement.pk).title == arrangement.title


# --- The Django admin --------------------------------------------------------------------------------


def admin_data(a, **overrides):
    data = form_data(a)
    data.pop("version")
    data.update(reference=a.reference, expected_version=a.version, _save="Save")
    data.update(overrides)
    return data


def test_admin_saves_a_current_edit_and_counts_the_version(client, register, arrangement):
    client.force_login(register.admin)
    url = reverse("admin:partnerships_fundingarrangement_change", args=[arrangement.pk])
    page = client.get(url).content.decode()
    assert 'name="expected_version"' in page and f'value="{arrangement.version}"' in page
    response = client.post(url, admin_data(arrangement, title="Changed in the admin"))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = FundingArrangement.objects.get(pk=arrangement.pk)
    assert saved.title == "Changed in the admin" and saved.version == arrangement.version + 1


def test_admin_refuses_a_stale_edit(client, register, arrangement):
    opened = arrangement.version
    services.arrangement_update(
        user=register.evaluator, arrangement=arrangement, expected_version=opened, title="Page edit"
    )
    client.force_login(register.admin)
    url = reverse("admin:partnerships_fundingarrangement_change", args=[arrangement.pk])
    response = client.post(url, admin_data(arrangement, title="Admin edit", expected_version=opened))
    assert response.status_code == 200
    assert "while you were editing it" in response.content.decode()
    assert FundingArrangement.objects.get(pk=arrangement.pk).title == "Page edit"


def test_admin_stale_preference_edit_is_refused(client, register):
    from core_groups.models import Organisation

    pref = services.preference_record(
        partner=Organisation.objects.get(name="Staffordshire County Council"),
        service_area=ServiceArea.objects.first(),
        option=SharedOption.objects.exclude(kind=SharedOption.Kind.ALIGNED_BUDGETS).first(),
    )
    opened = pref.version
    services.preference_record(
        partner=pref.partner,
        service_area=pref.service_area,
        option=pref.option,
        notes="Changed on the page",
        expected_version=opened,
    )
    client.force_login(register.admin)
    url = reverse("admin:partnerships_partnerpreference_change", args=[pref.pk])
    data = {
        "partner": pref.partner_id,
        "service_area": pref.service_area_id,
        "option": pref.option_id,
        "notes": "Admin edit",
        "expected_version": opened,
        "_save": "Save",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "while you were editing it" in response.content.decode()
    assert PartnerPreference.objects.get(pk=pref.pk).notes == "Changed on the page"
    response = client.post(url, {**data, "expected_version": opened + 1})
    assert response.status_code == 302
    saved = PartnerPreference.objects.get(pk=pref.pk)
    assert saved.notes == "Admin edit" and saved.version == opened + 2


# --- Polish found walking the pages ------------------------------------------------------------------


def test_provider_cannot_sort_the_register_by_value(client, register):
    client.force_login(register.provider)
    page = client.get(reverse("partnerships:register")).content.decode()
    assert 'value="value"' not in page and 'value="-value"' not in page
    by_value = client.get(reverse("partnerships:register") + "?ordering=-value").content.decode()
    by_reference = client.get(reverse("partnerships:register")).content.decode()
    refs = [line for line in by_value.splitlines() if "/shared/arrangements/" in line]
    assert refs == [line for line in by_reference.splitlines() if "/shared/arrangements/" in line]


def test_programme_team_may_still_sort_by_value(client, register):
    client.force_login(register.evaluator)
    page = client.get(reverse("partnerships:register") + "?ordering=-value").content.decode()
    assert 'value="-value" selected' in page or 'value="-value"' in page
    top = FundingArrangement.objects.order_by("-annual_value", "reference").first()
    first_link = page[page.index("/shared/arrangements/") :].split('"')[0]
    assert first_link == reverse("partnerships:arrangement", args=[top.pk])


def test_savings_page_shows_its_own_tab(client, register):
    client.force_login(register.evaluator)
    page = client.get(reverse("partnerships:savings")).content.decode()
    assert 'aria-current="page" href="/shared/savings/"' in page
    assert reverse("partnerships:import") in page


def test_empty_register_says_why(client, register):
    from core_groups import roles
    from core_groups.models import Organisation
    from tests.factories import UserFactory

    kent = UserFactory(
        username="kcc_officer",
        organisation=Organisation.objects.get_or_create(
            name="Kent County Council Test", defaults={"kind": "county", "is_commissioning_partner": True}
        )[0],
        roles=[roles.OFFICER],
    )
    client.force_login(kent)
    page = client.get(reverse("partnerships:register")).content.decode()
    assert "neither funds nor provides any arrangement" in page and reverse("partnerships:map") in page
    client.force_login(register.evaluator)
    filtered = client.get(reverse("partnerships:register") + "?q=no-such-thing").content.decode()
    assert "No arrangements match these filters" in filtered
