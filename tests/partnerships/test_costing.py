"""The seed's figures (Staffordshire TSCiP, paragraphs 3.3 to 3.8) come out of the pure costing rules to the penny."""

from datetime import date
from decimal import Decimal

import pytest

from partnerships.costing import (
    CostingError,
    SharedContract,
    contract_life_months,
    resource_cost,
    return_on_investment,
    savings,
)

D = Decimal


def test_all_fifteen_partners_three_contracts_save_317_648():
    result = savings(
        current_cost=D("426937"),
        contracts=[
            SharedContract("Debt, benefits and consumer advice", D("41000")),
            SharedContract("Infrastructure and volunteering", D("41000")),
            SharedContract("Advocacy", D("27289")),
        ],
        partners=15,
    )
    assert result.shared_cost == D("109289.00")
    assert result.saving == D("317648.00")
    assert result.current_cost == D("426937.00")


def test_five_partners_three_contracts_save_265_498():
    result = savings(current_cost=D("347365"), contracts=[SharedContract("Each service", D("27289"), 3)], partners=5)
    assert result.shared_cost == D("81867.00")
    assert result.saving == D("265498.00")
    assert result.saving_percent == D("76.4")
    assert result.shared_cost_per_partner == D("16373.40")


def test_no_partners_is_refused_in_words_not_a_division_by_zero():
    with pytest.raises(CostingError, match="at least one partner"):
        savings(current_cost=D("1000"), contracts=[SharedContract("Advocacy", D("100"))], partners=0)


def test_zero_cost_per_contract_is_refused_and_names_the_service():
    with pytest.raises(CostingError, match="Advocacy must be more than £0"):
        savings(current_cost=D("1000"), contracts=[SharedContract("Advocacy", D("0"))], partners=5)


def test_no_contracts_and_zero_contracts_are_refused():
    with pytest.raises(CostingError, match="at least one service"):
        savings(current_cost=D("1000"), contracts=[], partners=5)
    with pytest.raises(CostingError, match="at least 1"):
        savings(current_cost=D("1000"), contracts=[SharedContract("Advocacy", D("10"), 0)], partners=5)


def test_a_three_year_contract_is_not_adjusted():
    months = contract_life_months(date(2010, 4, 1), date(2013, 3, 31))
    assert months == 36
    cost = resource_cost({"a": D("10"), "b": D("2.5")}, D("20.00"), life_months=months)
    assert cost.life_cost == D("250.00")
    assert cost.three_year_cost == D("250.00")


def test_an_annual_grant_counts_three_times_and_a_five_year_contract_three_fifths():
    assert contract_life_months(date(2010, 4, 1), date(2011, 3, 31)) == 12
    assert resource_cost([D("10")], D("25"), life_months=12).three_year_cost == D("750.00")
    assert contract_life_months(date(2008, 4, 1), date(2013, 3, 31)) == 60
    assert resource_cost([D("10")], D("25"), life_months=60).three_year_cost == D("150.00")


def test_rolling_arrangement_without_end_lives_a_year_and_rounding_is_half_up():
    assert contract_life_months(date(2005, 6, 1), None, rolls_over=True) == 12
    # 1 hour at £0.01 over 72 months: £0.005 rounds half up to £0.01.
    assert resource_cost([D("1")], D("0.01"), life_months=72).three_year_cost == D("0.01")


def test_part_months_of_fifteen_days_or_more_count():
    assert contract_life_months(date(2011, 1, 15), date(2011, 6, 30)) == 6
    assert contract_life_months(date(2011, 1, 1), date(2011, 1, 10)) == 1


def test_bad_costing_inputs_are_refused():
    with pytest.raises(CostingError, match="end date"):
        contract_life_months(date(2010, 4, 1), None)
    with pytest.raises(CostingError, match="before the start"):
        contract_life_months(date(2010, 4, 1), date(2010, 3, 1))
    with pytest.raises(CostingError, match="negative"):
        resource_cost([D("-1")], D("10"), life_months=12)
    with pytest.raises(TypeError):
        resource_cost([1.5], D("10"), life_months=12)


def test_return_on_investment_over_five_and_a_half_years():
    # 2.5 years of development then three years of contracts saving £317,648 in all.
    roi = return_on_investment(
        three_year_saving=D("317648"), project_cost=D("200000"), years=D("5.5"), development_years=D("2.5")
    )
    assert roi.total_saving == D("317648.00")
    assert roi.net_saving == D("117648.00")
    assert roi.roi_percent == D("58.8")
    assert [y.saving for y in roi.by_year] == [
        D("0.00"),
        D("0.00"),
        D("52941.33"),
        D("105882.67"),
        D("105882.67"),
        D("52941.33"),
    ]
    assert roi.by_year[-1].cumulative_net == D("117648.00")


def test_return_on_investment_needs_a_project_cost_and_years():
    with pytest.raises(CostingError, match="project's cost"):
        return_on_investment(three_year_saving=D("1"), project_cost=D("0"), years=3)
    with pytest.raises(CostingError, match="years"):
        return_on_investment(three_year_saving=D("1"), project_cost=D("10"), years=0)
