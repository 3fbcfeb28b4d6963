"""The Body's list sorted by rank gives the order of ``recommend()``, on SQLite and on PostgreSQL alike.

DOMAIN's worked example, then a few hundred seeded random rounds with bids of nearly equal cost per
service user (where a database dividing whole pounds as integers would see a tie and fall back to the
submission time).
"""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.urls import reverse

from growth_bids import selectors
from growth_bids.models import Bid
from growth_bids.ranking import recommend
from tests.growth_bids.helpers import make_round, submitted_bid

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 8, 1, 9, 0, tzinfo=dt.UTC)
WORKED = [
    ("A", 7, "200000", 40),
    ("B", 6, "180000", 30),
    ("C", 6, "150000", 30),
    ("D", 5, "120000", 20),
    ("E", 4, "60000", 15),
]


def _bids(personas, count):
    funding_round = make_round()
    template = submitted_bid(funding_round, personas.officer)
    bids = [template]
    for i in range(1, count):
        bids.append(
            Bid.objects.create(
                funding_round=funding_round,
                number=100 + i,
                reference=f"GB-R-{i:03d}",
                applicant=template.applicant,
                created_by=template.created_by,
                client_group=template.client_group,
                status=Bid.Status.SUBMITTED,
                annual_amount=Decimal("1000"),
                service_users=1,
                submitted_at=T0,
            )
        )
    return funding_round, bids


def _set(bids, values):
    for bid, (score, amount, users, minutes) in zip(bids, values, strict=True):
        bid.score = score
        bid.eligible = True if score is not None else None
        bid.annual_amount = Decimal(amount)
        bid.service_users = users
        bid.submitted_at = T0 + dt.timedelta(minutes=minutes)
    Bid.objects.bulk_update(bids, ["score", "eligible", "annual_amount", "service_users", "submitted_at"])
    selectors.forget_rankings()  # bulk_update sends no post_save: a write that bypasses save() says so itself


def _expected(funding_round, bids):
    scored = [
        {
            "reference": b.reference,
            "score": b.score,
            "amount": b.annual_amount,
            "service_users": b.service_users,
            "submitted_at": b.submitted_at,
            "eligible": True,
        }
        for b in bids
        if b.score is not None
    ]
    return recommend(scored, funding_round.available)


def _listed(funding_round, sort="rank"):
    queryset, _filterset, _recommendation = selectors.body_bids(funding_round, None, sort)
    return [b.reference for b in queryset]


def test_worked_example_on_the_page_in_rank_order_with_the_running_total(client, personas):
    funding_round, bids = _bids(personas, len(WORKED))
    assert funding_round.available == Decimal("450000")
    # The later letters submitted first, so that a tie broken by time would show.
    _set(bids, [(s, a, u, 10 - i) for i, (_ref, s, a, u) in enumerate(WORKED)])
    letter = {b.reference: ref for b, (ref, *_rest) in zip(bids, WORKED, strict=True)}
    client.force_login(personas.body)
    url = reverse("growth_bids:body_list", args=[funding_round.pk])
    rows = client.get(url).context["rows"]
    assert [letter[r["bid"].reference] for r in rows] == ["A", "C", "B", "D", "E"]
    assert [letter[r] for r in _expected(funding_round, bids).ranked] == ["A", "C", "B", "D", "E"]
    # Sorted by amount, the running total is still the one of the rank order, and says so.
    response = client.get(url, {"sort": "amount"})
    by_amount = {letter[r["bid"].reference]: r["running_total"] for r in response.context["rows"]}
    assert [letter[r["bid"].reference] for r in response.context["rows"]] == ["E", "D", "C", "B", "A"]
    assert by_amount == {
        "A": Decimal("200000"),
        "C": Decimal("350000"),
        "B": Decimal("350000"),
        "D": Decimal("350000"),
        "E": Decimal("410000"),
    }
    assert "Running total in rank order" in response.content.decode()


def test_nearly_equal_cost_per_service_user_is_not_a_tie(personas):
    funding_round, bids = _bids(personas, 2)
    # £10 / 3 = £3.33 and £7 / 2 = £3.50: both 3 in integer division, and the second was submitted first.
    _set(bids, [(5, "10", 3, 10), (5, "7", 2, 0)])
    assert _listed(funding_round) == [bids[0].reference, bids[1].reference]
    assert _listed(funding_round, "cost") == [bids[0].reference, bids[1].reference]


def test_random_rounds_list_in_the_order_of_recommend(personas):
    generator = random.Random(20261201)
    funding_round, bids = _bids(personas, 8)
    for _round in range(300):
        base = generator.choice([3, 7, 1000, 3333, 12500])
        values = []
        for _bid in bids:
            users = generator.randint(1, 60)
            amount = max(1, base * users + generator.randint(-users, users))
            score = generator.choice([None, 4, 5, 5, 6])
            values.append((score, str(amount), users, generator.randint(0, 5)))
        _set(bids, values)
        expected = _expected(funding_round, bids).ranked
        unscored = sorted(
            (b for b in bids if b.score is None),
            key=lambda b: (b.annual_amount / b.service_users, b.submitted_at, b.reference),
        )
        assert _listed(funding_round) == expected + [b.reference for b in unscored], values
        by_cost = sorted(bids, key=lambda b: (b.annual_amount / b.service_users, b.reference))
        assert _listed(funding_round, "cost") == [b.reference for b in by_cost], values
