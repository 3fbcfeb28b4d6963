"""The shared register's filter of funders, providers and services is kept between requests
(foundation/choice_cache.py) and forgotten by every write that changes what it offers: an arrangement with a new
funder, an organisation joining the partnership, a renamed organisation or service."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups.models import Organisation
from partnerships.models import FundingArrangement, ServiceArea
from tests.factories import OrganisationFactory, home_partnership, join_home_partnership

pytestmark = pytest.mark.django_db

REGISTER = reverse("partnerships:register")
SELECT_READS = re.compile(r'FROM "(core_groups_organisation|partnerships_servicearea)"')


def _register(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(REGISTER)
    assert response.status_code == 200
    reads = [q["sql"] for q in queries if SELECT_READS.search(q["sql"])]
    return response.content.decode(), reads


def _options(html, field):
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select, f"no {field} select"
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


def _arrangement(funder, provider, service, reference):
    return FundingArrangement.objects.create(
        partnership=home_partnership(),
        reference=reference,
        funder=funder,
        provider=provider,
        arrangement_type=FundingArrangement.Type.CONTRACT,
        service_area=service,
        title="Advocacy for young people",
        annual_value="12000.00",
        start_date=datetime.date(2025, 4, 1),
        end_date=datetime.date(2028, 3, 31),
    )


def test_the_register_filter_is_read_once_then_kept_until_what_it_offers_changes(client, personas):
    join_home_partnership()
    service, _ = ServiceArea.objects.get_or_create(name="Advocacy")
    _arrangement(personas.home, personas.provider_org, service, "KCC-001")
    client.force_login(personas.admin)

    html, reads = _register(client)
    assert _options(html, "funder") == ["Any", "Kent County Council"]
    assert "Advocacy" in _options(html, "service_area") and reads
    html_again, reads_again = _register(client)
    assert reads_again == [] and _options(html_again, "funder") == _options(html, "funder")

    # A new funder: an organisation joins the partnership (a pair of the many-to-many) and funds an arrangement.
    medway = OrganisationFactory(name="Medway Council", kind=Organisation.Kind.UNITARY)
    home_partnership().organisations.add(medway)
    html, _ = _register(client)
    assert "Medway Council" not in _options(html, "funder")  # not a funder yet
    _arrangement(medway, personas.provider_org, service, "MC-001")
    html, reads = _register(client)
    assert _options(html, "funder") == ["Any", "Kent County Council", "Medway Council"] and reads

    medway.name = "Medway Unitary Council"
    medway.save()
    service.name = "Independent advocacy"
    service.save()
    html, _ = _register(client)
    assert "Medway Unitary Council" in _options(html, "funder")
    assert "Independent advocacy" in _options(html, "service_area")

    # Leaving the partnership takes it off the partnership's choices.
    home_partnership().organisations.remove(medway)
    html, _ = _register(client)
    assert "Medway Unitary Council" not in _options(html, "funder")
