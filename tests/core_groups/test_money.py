import datetime as dt
from decimal import Decimal

import pytest

from core_groups.financial_year import fy_bounds, fy_for_date, fy_label
from core_groups.money import format_money, to_money


def test_money_rounds_half_up_to_the_penny():
    assert to_money("1.005") == Decimal("1.01")
    assert to_money("1.004") == Decimal("1.00")
    assert to_money(2) == Decimal("2.00")


def test_money_refuses_floats():
    with pytest.raises(TypeError):
        to_money(0.1)


def test_money_is_shown_in_pounds():
    assert format_money(Decimal("1234.5")) == "£1,234.50"
    assert format_money(Decimal("-60000")) == "-£60,000.00"
    assert format_money(Decimal("450000"), pence=False) == "£450,000"


def test_financial_years_run_april_to_march():
    assert fy_label(2010) == "2010-11"
    assert fy_label(1999) == "1999-00"
    assert fy_for_date(dt.date(2010, 4, 1)) == 2010
    assert fy_for_date(dt.date(2011, 3, 31)) == 2010
    assert fy_bounds(2010) == (dt.date(2010, 4, 1), dt.date(2011, 3, 31))
