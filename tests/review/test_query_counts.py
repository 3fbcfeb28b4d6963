"""The programme page costs the same number of queries whatever the number of services and quarters."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from review import rules, services
from review.models import Measure
from tests.factories import CommissionFactory, CoreGroupFactory

pytestmark = pytest.mark.django_db


def _programme(personas, name, n_services, n_quarters):
    group = CoreGroupFactory(name=name)
    start = dt.date(2011, 4, 1)
    quarters = rules.quarters(start, dt.date(2011 + n_quarters // 4 + 1, 3, 31))[:n_quarters]
    for n in range(n_services):
        service = CommissionFactory(
            core_group=group,
            title=f"{name} {n}",
            provider=personas.provider_org,
            indicative_start=start,
            indicative_end=dt.date(2016, 3, 31),
        )
        measure = services.measure_create(
            programme=group.programme, commission=service, title="Carers supported", unit=Measure.Unit.NUMBER
        )
        for q_start, q_end in quarters:
            services.target_set(measure=measure, period_start=q_start, period_end=q_end, value=10)
            services.return_submit(
                user=personas.evaluator,
                commission=service,
                period_start=q_start,
                period_end=q_end,
                values={measure.pk: "12"},
            )
    return group.programme


def _count(client, programme):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("review:programme", args=[programme.pk]))
    assert response.status_code == 200
    return len(queries)


def test_programme_page_queries_are_flat(client, personas):
    small = _programme(personas, "Small", 2, 2)
    large = _programme(personas, "Large", 12, 6)
    client.force_login(personas.evaluator)
    _count(client, small)  # warm the session and the user's roles
    assert _count(client, small) == _count(client, large)
