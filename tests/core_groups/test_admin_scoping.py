"""Django admin scoped to the partnership (issue 12 item 4): a partnership administrator sees and edits only their
partnerships' rows; national reference data is read-only to them; a site administrator sees everything."""

import pytest
from django.urls import reverse

from core_groups import roles
from core_groups.models import CoreGroup, Organisation
from growth_bids.models import ClientGroup
from partnerships.models import ServiceArea
from procurement.models import TimetableTemplate
from tests.core_groups.test_partnership_scoping import world  # noqa: F401  (the fixture)
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture
def kent_admin(world):  # noqa: F811
    kcc = Organisation.objects.get(name="Kent County Council")
    return UserFactory(
        username="kent_admin", organisation=kcc, partnership=world.kent, roles=[roles.ADMINISTRATOR], is_staff=True
    )


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def cardiff_rows(w):
    return [w.programme, w.group, w.commission, w.risk, w.round, w.bid, w.project]


def test_a_kent_administrator_gets_404_on_every_cardiff_row(client, world, kent_admin):  # noqa: F811
    client.force_login(kent_admin)
    for obj in cardiff_rows(world):
        for url in [change_url(obj), change_url(obj).replace("/change/", "/delete/")]:
            response = client.get(url)
            assert response.status_code == 404, url
            assert world.cardiff.name not in response.content.decode()
        history = change_url(obj).replace("/change/", "/history/")
        assert client.get(history).status_code in (403, 404), history


def test_a_kent_administrator_lists_none_of_cardiffs_rows(client, world, kent_admin):  # noqa: F811
    client.force_login(kent_admin)
    for obj in cardiff_rows(world):
        response = client.get(changelist_url(type(obj)))
        assert response.status_code == 200, changelist_url(type(obj))
        assert f"/{obj.pk}/change/" not in response.content.decode(), changelist_url(type(obj))
    groups = client.get(changelist_url(CoreGroup)).content.decode()
    assert "Kent group" in groups
    assert "Family Support" not in groups
    assert "Cymorth" not in groups  # nor in the list filter of programmes


def test_a_kent_administrator_edits_kents_rows_and_picks_only_kents_choices(client, world, kent_admin):  # noqa: F811
    client.force_login(kent_admin)
    response = client.get(change_url(world.kent_group))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Kent SP" in page
    assert "Cymorth" not in page
    orgs = client.get(changelist_url(Organisation)).content.decode()
    assert "Kent County Council" in orgs
    assert "Cardiff Council" not in orgs


def test_saving_a_row_into_another_partnership_is_refused(client, world, kent_admin):  # noqa: F811
    client.force_login(kent_admin)
    url = change_url(world.kent_group)
    form = client.get(url).context["adminform"].form
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if not isinstance(v, list)}
    data.update(
        {
            "programme": world.programme.pk,  # Cymorth, Cardiff's
            "name": "Moved",
            "memberships-TOTAL_FORMS": 0,
            "memberships-INITIAL_FORMS": 0,
            "allocations-TOTAL_FORMS": 0,
            "allocations-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200  # the form again, with the choice refused beside the field
    assert "programme" in response.context["adminform"].form.errors
    world.kent_group.refresh_from_db()
    assert world.kent_group.programme.partnership == world.kent
    assert world.kent_group.name == "Kent group"


def test_national_reference_data_is_read_only_to_a_partnership_administrator(client, world, kent_admin):  # noqa: F811
    client.force_login(kent_admin)
    national = TimetableTemplate.objects.filter(partnership__isnull=True).first()
    assert national is not None
    response = client.get(change_url(national))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    assert client.post(change_url(national), {"name": "Mine now"}).status_code == 403
    assert client.get(reverse("admin:procurement_timetabletemplate_add")).status_code == 200
    for model in (ClientGroup, ServiceArea):
        assert client.get(changelist_url(model)).status_code == 200
        assert client.get(reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")).status_code == 403


def test_a_staff_member_who_administers_no_partnership_sees_nothing(client, world):  # noqa: F811
    officer = UserFactory(
        username="staff_officer", organisation=OrganisationFactory(), partnership=world.kent, roles=[roles.OFFICER]
    )
    officer.is_staff = True
    officer.save()
    client.force_login(officer)
    assert client.get(changelist_url(CoreGroup)).status_code == 403


def test_a_site_administrator_sees_every_partnership(client, world):  # noqa: F811
    admin = UserFactory(username="site_admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    groups = client.get(changelist_url(CoreGroup)).content.decode()
    assert "Kent group" in groups and "Family Support" in groups
    assert client.get(change_url(world.group)).status_code == 200
