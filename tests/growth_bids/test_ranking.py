"""The ranking rule, with plain values: DOMAIN Rule 1's worked example, ties, mandatory failures, edges."""

import datetime as dt
from decimal import Decimal

from growth_bids.ranking import RankableBid, recommend

T0 = dt.datetime(2010, 8, 1, 9, 0, tzinfo=dt.UTC)


def bid(ref, score, amount, users, minutes=0, eligible=True):
    return RankableBid(ref, score, Decimal(amount), users, T0 + dt.timedelta(minutes=minutes), eligible)


def worked_example():
    return [
        bid("A", 7, "200000", 40),
        bid("B", 6, "180000", 30),
        bid("C", 6, "150000", 30),
        bid("D", 5, "120000", 20),
        bid("E", 4, "60000", 15),
    ]


def test_domain_worked_example_funds_a_c_e_and_keeps_b_in_reserve():
    growth, holdback = Decimal("500000"), Decimal("0.10")
    available = growth - holdback * growth
    assert available == Decimal("450000")
    result = recommend(worked_example(), available)
    assert result.ranked == ["A", "C", "B", "D", "E"]
    assert result.funded == ["A", "C", "E"]
    assert result.funded_total == Decimal("410000.00")
    assert result.reserve == "B"
    assert result.left == Decimal("40000.00")
    assert result.outcome("D") == "not_funded"


def test_running_total_follows_the_walk():
    result = recommend(worked_example(), Decimal("450000"))
    assert [(r, str(t), str(left)) for r, t, left in result.running] == [
        ("A", "200000.00", "250000.00"),
        ("C", "350000.00", "100000.00"),
        ("B", "350000.00", "100000.00"),
        ("D", "350000.00", "100000.00"),
        ("E", "410000.00", "40000.00"),
    ]


def test_order_does_not_depend_on_input_order():
    assert recommend(list(reversed(worked_example())), Decimal("450000")).ranked == ["A", "C", "B", "D", "E"]


def test_equal_score_and_cost_earlier_submission_first():
    result = recommend([bid("X", 5, "100", 10, minutes=5), bid("Y", 5, "100", 10, minutes=1)], Decimal("1000"))
    assert result.ranked == ["Y", "X"]


def test_full_tie_falls_back_to_reference():
    result = recommend([bid("GB-2010-002", 5, "100", 10), bid("GB-2010-001", 5, "100", 10)], Decimal("1000"))
    assert result.ranked == ["GB-2010-001", "GB-2010-002"]


def test_lower_cost_per_service_user_wins_a_score_tie():
    result = recommend([bid("dear", 3, "1000", 1), bid("cheap", 3, "1000", 10)], Decimal("5000"))
    assert result.ranked == ["cheap", "dear"]


def test_a_bid_failing_a_mandatory_criterion_is_never_funded_nor_reserve():
    bids = worked_example()
    bids[0] = bid("A", 7, "200000", 40, eligible=False)
    result = recommend(bids, Decimal("450000"))
    assert "A" in result.ranked
    # Without A: C (£300k left), B (£120k left), D (£0 left); E no longer fits and is the reserve.
    assert result.funded == ["C", "B", "D"]
    assert result.reserve == "E"
    assert result.funded_total == Decimal("450000.00")


def test_nothing_fits():
    result = recommend(worked_example(), Decimal("50000"))
    assert result.funded == []
    assert result.funded_total == Decimal("0.00")
    assert result.reserve == "A"


def test_everything_fits_and_there_is_no_reserve():
    result = recommend(worked_example(), Decimal("1000000"))
    assert result.funded == ["A", "C", "B", "D", "E"]
    assert result.funded_total == Decimal("710000.00")
    assert result.reserve is None


def test_no_bids():
    result = recommend([], Decimal("450000"))
    assert result.ranked == [] and result.funded == [] and result.reserve is None
    assert result.funded_total == Decimal("0.00")


def test_exact_fit_is_funded():
    result = recommend([bid("A", 1, "450000", 1)], Decimal("450000.00"))
    assert result.funded == ["A"] and result.left == Decimal("0.00")


def test_accepts_dicts():
    result = recommend(
        [{"reference": "A", "score": 2, "amount": "10", "service_users": 1, "submitted_at": None, "eligible": True}],
        "10",
    )
    assert result.funded == ["A"]


def test_recommend_ranks_5000_bids_within_the_money():
    """How long it takes is a figure `make bench` prints (bench/bids_bench.py), not an assertion here."""
    bids = [bid(f"GB-2010-{i:04d}", i % 8, str(1000 + i % 97 * 1000), 1 + i % 40, minutes=i) for i in range(5000)]
    result = recommend(bids, Decimal("450000"))
    assert len(result.ranked) == 5000
    amounts = {b.reference: b.amount for b in bids}
    assert sum(amounts[ref] for ref in result.funded) + result.left == Decimal("450000")
