"""An officer's dashboard lists their organisation's latest bids, newest financial year first and then by number,
read a year at a time (growth_bids/selectors.py): the same rows as one sort over every bid."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core_groups.models import Organisation
from growth_bids.models import Bid
from growth_bids.selectors import latest_bids_of
from tests.growth_bids.helpers import make_round, submitted_bid

pytestmark = pytest.mark.django_db


def _bids(funding_round, like, n, start):
    return [
        Bid.objects.create(
            funding_round=funding_round,
            number=start + i,
            reference=f"GB-{funding_round.financial_year}-{start + i}",
            applicant=like.applicant,
            created_by=like.created_by,
            client_group=like.client_group,
            status=Bid.Status.DRAFT,
        )
        for i in range(n)
    ]


def test_newest_year_first_then_by_number_across_years_and_only_the_partnerships(personas):
    newer = make_round()
    first = submitted_bid(newer, personas.officer)
    older = make_round(year=newer.financial_year - 1, open_it=False)
    old_bids = _bids(older, first, 8, 1)
    new_bids = [first, *_bids(newer, first, 3, first.number + 1)]
    organisation = personas.officer.organisation_id
    partnership = older.programme.partnership

    expected = list(
        Bid.objects.filter(applicant_id=organisation)
        .order_by("-funding_round__financial_year", "number")
        .values_list("pk", flat=True)[:10]
    )
    got = [b.pk for b in latest_bids_of(organisation, partnership)]
    assert got == expected
    assert got[:4] == [b.pk for b in new_bids] and got[4:] == [b.pk for b in old_bids[:6]]
    assert [b.pk for b in latest_bids_of(organisation, partnership, limit=3)] == [b.pk for b in new_bids[:3]]
    assert latest_bids_of(organisation, None) == []


def test_the_latest_bids_are_read_from_the_index_not_by_sorting_every_bid(personas):
    """An equivalent of EXPLAIN at 10x: with thousands of other bids, after ANALYZE, the year's read plans neither a
    sequential scan of the bids nor a sort of the organisation's every bid (PostgreSQL; SQLite plans differently)."""
    if connection.vendor != "postgresql":
        pytest.skip("a PostgreSQL plan")
    newer = make_round()
    first = submitted_bid(newer, personas.officer)
    stranger = Organisation.objects.create(name="Stranger Council")
    Bid.objects.bulk_create(
        Bid(
            funding_round=newer,
            number=1000 + i,
            reference=f"GB-S-{i}",
            applicant=stranger,
            created_by=first.created_by,
            client_group=first.client_group,
            status=Bid.Status.DRAFT,
        )
        for i in range(3000)
    )
    _bids(newer, first, 40, 10)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE growth_bids_bid")
    with CaptureQueriesContext(connection) as queries:
        assert len(latest_bids_of(personas.officer.organisation_id, newer.programme.partnership)) == 10
    [read] = [q["sql"] for q in queries.captured_queries if 'FROM "growth_bids_bid"' in q["sql"]]
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + read)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "bid_by_applicant_round" in plan and "Seq Scan on growth_bids_bid" not in plan, plan
