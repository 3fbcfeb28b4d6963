"""The dashboard's register summary comes from the cache and is forgotten by every write that changes it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups.demo import seed_organisations
from partnerships import demo, services
from partnerships.models import FundingArrangement
from tests.factories import home_partnership, join_home_partnership

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(personas):
    seed_organisations()
    join_home_partnership()
    services.register_import(name="demo.csv", data=demo.DEMO_CSV.read_bytes(), partnership=home_partnership())
    return personas


def _home(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    return page, [q["sql"] for q in queries.captured_queries if "partnerships_fundingarrangement" in q["sql"]]


def test_the_summary_is_read_once_then_from_the_cache_until_the_register_changes(client, register):
    client.force_login(register.evaluator)
    page, reads = _home(client)
    assert "100 funding arrangements" in page and reads
    page, reads = _home(client)
    assert "100 funding arrangements" in page and not reads  # cached: the register is not read again

    first = FundingArrangement.objects.order_by("reference").first()
    first.pk, first.reference = None, "ZZ-NEW"
    first.save()
    page, reads = _home(client)
    assert "101 funding arrangements" in page and reads

    FundingArrangement.objects.get(reference="ZZ-NEW").delete()
    assert "100 funding arrangements" in _home(client)[0]

    before = _home(client)[0]
    funder = FundingArrangement.objects.exclude(funder__hourly_cost=None).first().funder
    services.hourly_cost_set(funder=funder, hourly_cost=funder.hourly_cost.hourly_cost * 2)
    after, reads = _home(client)
    assert reads and after != before  # the staff resource cost doubled for that funder's arrangements
