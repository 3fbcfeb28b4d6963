"""Every page reads the person's partnership, the switch's names and their organisation from the cache (issue 17):
a change to any of them shows on the very next page, and what a person may see is never read from it."""

import pytest
from django.urls import reverse

from core_groups import permissions, tenancy
from core_groups.models import Organisation
from tests.factories import PartnershipFactory, home_partnership

pytestmark = pytest.mark.django_db


def test_a_renamed_partnership_shows_on_the_next_page(client, personas):
    client.force_login(personas.officer)
    assert "Home partnership" in client.get(reverse("home")).content.decode()
    partnership = home_partnership()
    partnership.name = "Renamed partnership"
    partnership.save()
    page = client.get(reverse("home")).content.decode()
    assert "Renamed partnership" in page and "Home partnership" not in page


def test_a_new_partnership_is_in_the_administrators_switch_at_once(client, personas):
    client.force_login(personas.admin)
    client.get(reverse("home"))
    PartnershipFactory(short_name="later", name="A later partnership")
    assert "A later partnership" in client.get(reverse("home")).content.decode()
    assert tenancy.partnership_ids_of(personas.admin) >= {home_partnership().pk}


def test_an_organisation_made_a_provider_hides_money_on_the_next_page(client, personas):
    """Providers never see money (core_groups.permissions.is_provider_user reads the cached organisation)."""
    client.force_login(personas.officer)
    assert client.get(reverse("home")).wsgi_request.user.organisation.kind == Organisation.Kind.COUNTY
    personas.home.kind = Organisation.Kind.PROVIDER
    personas.home.is_commissioning_partner = False
    personas.home.save()
    user = client.get(reverse("home")).wsgi_request.user
    assert user.organisation.kind == Organisation.Kind.PROVIDER
    assert not permissions.can_see_money(user)


def test_the_organisation_is_read_once_then_from_the_cache(client, personas):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(personas.officer)
    client.get(reverse("notifications:preferences"))
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("notifications:preferences"))
    assert not [q for q in queries if 'FROM "core_groups_organisation"' in q["sql"]]
    assert not [q for q in queries if 'FROM "core_groups_partnership" WHERE' in q["sql"]]
