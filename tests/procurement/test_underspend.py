"""DOMAIN Rule 2 worked examples and the boundaries of split_underspend (pure: no database)."""

from decimal import Decimal

import pytest

from procurement.underspend import Policy, split_underspend

OPTION_A = Policy(Decimal("1"), Decimal("2.5"), Decimal("20000"), "2.5% or £20,000")
OPTION_B = Policy(Decimal("1"), Decimal("3.5"), Decimal("25000"), "3.5% or £25,000")
D = Decimal


def test_domain_example_one_million_option_a():
    split = split_underspend(D("1000000"), D("940000"), OPTION_A)
    assert split.underspend == D("60000.00")
    assert split.commissioning_costs == D("10000.00")
    assert split.discretion == D("25000.00")
    assert split.returned_to_jcg == D("25000.00")
    assert split.overspent is False


def test_domain_example_one_million_option_b():
    split = split_underspend(D("1000000"), D("940000"), OPTION_B)
    assert split.commissioning_costs == D("10000.00")
    assert split.discretion == D("35000.00")
    assert split.returned_to_jcg == D("15000.00")


@pytest.mark.parametrize("policy", [OPTION_A, OPTION_B])
def test_domain_example_four_hundred_thousand_either_option(policy):
    split = split_underspend(D("400000"), D("380000"), policy)
    assert split.underspend == D("20000.00")
    assert split.commissioning_costs == D("4000.00")
    assert split.discretion == D("16000.00")
    assert split.returned_to_jcg == D("0.00")


@pytest.mark.parametrize("policy", [OPTION_A, OPTION_B])
def test_overspend_makes_every_tranche_zero_and_flags_the_year(policy):
    split = split_underspend(D("100000"), D("100000.01"), policy)
    assert (split.underspend, split.commissioning_costs, split.discretion, split.returned_to_jcg) == (0, 0, 0, 0)
    assert split.overspent is True
    assert split.overspend == D("0.01")


def test_zero_underspend_is_not_overspent():
    split = split_underspend(D("100000"), D("100000"), OPTION_A)
    assert split.underspend == split.commissioning_costs == split.discretion == split.returned_to_jcg == D("0.00")
    assert split.overspent is False


def test_underspend_of_exactly_one_percent_all_goes_to_commissioning_costs():
    split = split_underspend(D("1000000"), D("990000"), OPTION_A)
    assert split.commissioning_costs == D("10000.00")
    assert split.discretion == D("0.00")
    assert split.returned_to_jcg == D("0.00")


def test_one_penny_above_one_percent_goes_to_discretion():
    split = split_underspend(D("1000000"), D("989999.99"), OPTION_A)
    assert split.commissioning_costs == D("10000.00")
    assert split.discretion == D("0.01")


def test_floor_applies_when_larger_than_the_percentage():
    # 2.5% of £400,000 is £10,000, below the £20,000 floor: the floor is the limit.
    split = split_underspend(D("400000"), D("370000"), OPTION_A)  # U = £30,000
    assert split.commissioning_costs == D("4000.00")
    assert split.discretion == D("20000.00")
    assert split.returned_to_jcg == D("6000.00")


def test_underspend_exactly_filling_the_floor_returns_nothing():
    split = split_underspend(D("400000"), D("376000"), OPTION_A)  # U = £24,000 = £4,000 + £20,000
    assert split.discretion == D("20000.00")
    assert split.returned_to_jcg == D("0.00")


def test_percentage_equal_to_floor_boundary():
    # 2.5% of £800,000 is exactly the £20,000 floor.
    split = split_underspend(D("800000"), D("700000"), OPTION_A)
    assert split.commissioning_costs == D("8000.00")
    assert split.discretion == D("20000.00")
    assert split.returned_to_jcg == D("72000.00")


def test_pennies_round_half_up():
    # 1% of £1,234.50 is £12.345, which rounds half up to £12.35.
    split = split_underspend(D("1234.50"), D("0"), Policy(D("1"), D("0"), D("0")))
    assert split.commissioning_costs == D("12.35")
    assert split.returned_to_jcg == D("1222.15")


def test_tranches_always_add_up_to_the_underspend():
    for spend in ["0", "1", "333333.33", "940000", "999999.99"]:
        split = split_underspend(D("1000000"), D(spend), OPTION_B)
        assert split.tranches_total == split.underspend


@pytest.mark.parametrize(
    "allocation, spend, policy, message",
    [
        (D("-1"), D("0"), OPTION_A, "allocation cannot be negative"),
        (D("1"), D("-1"), OPTION_A, "Spend cannot be negative"),
        (D("1"), D("0"), Policy(D("-1"), D("2.5"), D("0")), "percentage cannot be negative"),
        (D("1"), D("0"), Policy(D("1"), D("-2.5"), D("0")), "percentage cannot be negative"),
        (D("1"), D("0"), Policy(D("1"), D("2.5"), D("-5")), "floor cannot be negative"),
        (D("1"), D("0"), Policy(D("101"), D("2.5"), D("0")), "more than 100"),
        ("abc", D("0"), OPTION_A, "not a number"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(allocation, spend, policy, message):
    with pytest.raises(ValueError, match=message):
        split_underspend(allocation, spend, policy)


def test_floats_are_refused():
    with pytest.raises(TypeError):
        split_underspend(1000.0, D("0"), OPTION_A)
