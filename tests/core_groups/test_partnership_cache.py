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


def test_partnerships_and_roles_in_one_query_are_the_two_reads_answers(django_assert_num_queries):
    """tenancy._memberships: the person's roles UNION their organisation's memberships, read once for both sets."""
    from core_groups import roles
    from core_groups.models import PartnershipRole
    from tests.factories import OrganisationFactory, UserFactory

    kent = PartnershipFactory(short_name="kent-m", name="Kent M")
    cardiff = PartnershipFactory(short_name="cardiff-m", name="Cardiff M")
    leeds = PartnershipFactory(short_name="leeds-m", name="Leeds M")
    member_org = OrganisationFactory(name="Member of Cardiff and Leeds")
    member_org.partnerships.add(cardiff, leeds)
    people = [
        UserFactory(username="roles-and-org", organisation=member_org, partnership=kent, roles=[roles.OFFICER]),
        UserFactory(username="org-only", organisation=member_org, roles=[]),
        UserFactory(username="roles-only", organisation=None, partnership=kent, roles=[roles.COMMISSIONING_BODY]),
        UserFactory(username="nothing", organisation=None, roles=[]),
    ]
    tenancy.grant_roles(user=people[0], partnership=cardiff, role_names=[roles.PROGRAMME_TEAM])
    for person in people:
        expected_ids = set(tenancy.partnerships_of(person).values_list("pk", flat=True))
        expected_pairs = set(PartnershipRole.objects.filter(user=person).values_list("partnership_id", "role"))
        person = type(person).objects.get(pk=person.pk)  # nothing remembered on it yet
        with django_assert_num_queries(1):
            assert tenancy.partnership_ids_of(person) == expected_ids
            assert tenancy.role_pairs(person) == expected_pairs
