"""Anything a person can send gets an answer a person can read: never a 500 (issue 19, item 2)."""

import datetime as dt

import pytest
from django.urls import reverse

from core_groups.financial_year import current_fy
from core_groups.models import Programme
from growth_bids import services
from growth_bids.models import FundingRound
from tests.factories import make_personas
from tests.growth_bids.helpers import make_round, programme

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(db):
    return make_personas()


@pytest.mark.parametrize("value", ["abc", "\x00", "1e309", "99999999999999999999", "-1", " "])
def test_new_report_ignores_a_programme_that_is_not_a_number(client, people, value):
    client.force_login(people.evaluator)
    response = client.get(reverse("reports:create"), {"programme": value})
    assert response.status_code == 200


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "2026-02-30", "\x00"])
def test_register_map_refuses_a_date_out_of_range_with_a_message(client, people, value):
    client.force_login(people.admin)
    response = client.get(reverse("partnerships:map"), {"as_at": value})
    assert response.status_code == 200
    if value in ("9999-12-31", "0001-01-01"):
        assert "between 1990 and 2100" in response.content.decode()


def test_sign_in_with_a_ten_thousand_character_user_name_is_refused_not_a_500(client, people):
    response = client.post(reverse("login"), {"username": "x" * 10_000, "password": "nope"})
    assert response.status_code == 200
    assert "150 characters" in response.content.decode()


def test_sign_in_with_a_nul_in_the_user_name_is_refused_not_a_500(client, people):
    response = client.post(reverse("login"), {"username": "officer\x00", "password": "nope"})
    assert response.status_code == 200


def round_post(**overrides):
    return {
        "programme": programme().pk,
        "financial_year": str(current_fy() + 1),
        "title": "Growth bids",
        "growth_money": "500000",
        "holdback_pct": "10",
        "opens_on": f"{current_fy() + 1}-04-01",
        **overrides,
    }


def test_round_form_refuses_a_huge_financial_year_beside_the_field(client, people):
    client.force_login(people.evaluator)
    response = client.post(reverse("growth_bids:round_create"), round_post(financial_year="99999999999999999999"))
    assert response.status_code == 200
    assert "2100" in response.content.decode()
    assert not FundingRound.objects.exists()


def test_a_round_title_of_spaces_is_stored_as_no_title(client, people):
    client.force_login(people.evaluator)
    response = client.post(reverse("growth_bids:round_create"), round_post(title="   "))
    assert response.status_code in (200, 302)
    assert not FundingRound.objects.filter(title__regex=r"^\s+$").exists()


def test_bid_references_do_not_collide_across_programmes_in_one_year(people):
    first = make_round()
    other = Programme.objects.create(name="Cymorth", first_year=2010)
    year = first.financial_year
    second = services.round_open(
        funding_round=services.round_create(
            programme=other,
            financial_year=year,
            growth_money=first.growth_money,
            holdback_pct=first.holdback_pct,
            opens_on=first.opens_on,
            closes_at=first.closes_at,
        )
    )
    one = services.bid_create(funding_round=first, by=people.officer, data={"title": "One"})
    two = services.bid_create(funding_round=second, by=people.officer, data={"title": "Two"})
    assert one.reference != two.reference
    assert len({one.reference, two.reference}) == 2
    three = services.bid_create(funding_round=second, by=people.officer, data={"title": "Three"})
    assert three.reference not in (one.reference, two.reference)


def test_dates_in_forms_are_bounded_to_sensible_years():
    from core_groups.forms import InterestForm
    from growth_bids.forms import DecisionForm

    interest = InterestForm(data={"declared_on": "9999-12-31"})
    assert not interest.is_valid()
    assert "declared_on" in interest.errors
    decision = DecisionForm(data={"meeting_date": "0001-01-01"})
    assert not decision.is_valid()
    assert "between 1990 and 2100" in str(decision.errors["meeting_date"])


def test_a_reasonable_date_is_still_accepted():
    from growth_bids.forms import FallThroughForm

    form = FallThroughForm(data={"meeting_date": dt.date(2026, 5, 1).isoformat()})
    form.is_valid()
    assert "meeting_date" not in form.errors
