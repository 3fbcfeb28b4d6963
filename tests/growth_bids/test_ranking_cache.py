"""The Body's list keeps the round's ranking cached and re-ranks only after a write that may change it."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from growth_bids.models import Bid
from tests.growth_bids.helpers import make_round, submitted_bid

pytestmark = pytest.mark.django_db


def _rankings_read(client, url):
    """The page's rows, and how many of its queries read every submitted bid's ranking fields."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if '"growth_bids_bid"."service_users"' in q["sql"]]
    ranking_reads = [sql for sql in reads if "LIMIT" not in sql and '"growth_bids_bid"."id" IN' not in sql]
    return [r["bid"].reference for r in response.context["rows"]], len(ranking_reads)


def test_the_ranking_is_cached_until_a_bid_changes(client, personas):
    funding_round = make_round()
    first = submitted_bid(funding_round, personas.officer)
    second = Bid.objects.create(
        funding_round=funding_round,
        number=2,
        reference="GB-CACHE-2",
        applicant=first.applicant,
        created_by=first.created_by,
        client_group=first.client_group,
        status=Bid.Status.SUBMITTED,
        annual_amount=Decimal("1000"),
        service_users=10,
        submitted_at=first.submitted_at,
        score=3,
        eligible=True,
    )
    Bid.objects.filter(pk=first.pk).update(score=6, eligible=True)  # no signal: the first page ranks afresh anyway
    client.force_login(personas.body)
    url = reverse("growth_bids:body_list", args=[funding_round.pk])

    order, reads = _rankings_read(client, url)
    assert reads == 1
    order_again, reads = _rankings_read(client, url)
    assert (order_again, reads) == (order, 0)  # from the cache
    assert order == [first.reference, second.reference]

    second.score = 9  # a save (what every service does) forgets every round's ranking
    second.save()
    order, reads = _rankings_read(client, url)
    assert reads == 1
    assert order == [second.reference, first.reference]

    # A change to the money available is part of the key: the recommendation is worked out again.
    funding_round.growth_money = Decimal("1")
    funding_round.save()
    response = client.get(url)
    assert response.context["recommendation"].available == funding_round.available
    assert response.context["recommendation"].funded == []
