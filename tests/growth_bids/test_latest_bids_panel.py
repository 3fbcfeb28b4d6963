"""An officer's dashboard lists their organisation's latest bids, newest financial year first and then by number,
read a year at a time (growth_bids/dashboard.py): the same rows as one sort over every bid."""

import pytest

from growth_bids.dashboard import latest_bids_of
from growth_bids.models import Bid
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
