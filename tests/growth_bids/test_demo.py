"""The demo round carries DOMAIN Rule 1's worked example end to end through the database."""

import io
from decimal import Decimal

import pytest

from core_groups import demo as core_demo
from growth_bids import demo, selectors
from growth_bids.models import Bid, FundingRound

pytestmark = pytest.mark.django_db


def test_demo_round_recommends_a_c_e_and_keeps_b_in_reserve():
    out = io.StringIO()
    core_demo.seed(out)
    demo.seed(out)
    demo.seed(out)  # idempotent
    funding_round = FundingRound.objects.get(financial_year=2010)
    assert FundingRound.objects.count() == 1 and Bid.objects.count() == 5
    assert funding_round.available == Decimal("450000.00")
    scores = {b.title[0]: b.score for b in funding_round.bids.all()}
    assert scores == {"A": 7, "B": 6, "C": 6, "D": 5, "E": 4}
    result = selectors.round_recommendation(funding_round)
    letter = {b.reference: b.title[0] for b in funding_round.bids.all()}
    assert [letter[r] for r in result.ranked] == ["A", "C", "B", "D", "E"]
    assert [letter[r] for r in result.funded] == ["A", "C", "E"]
    assert letter[result.reserve] == "B"
    assert result.funded_total == Decimal("410000.00")
