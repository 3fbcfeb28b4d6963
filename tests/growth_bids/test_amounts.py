"""Amounts (issue 13 item 5): a bid is funded at the amount asked, or less with a reason; never above it.
"Not funded" carries a reason the applicant sees; "Reserve" says what it means."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from growth_bids import services
from growth_bids.models import Decision, FundingRound
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def asked_60000(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer, annual_amount=Decimal("60000"), title="E")
    close_round(funding_round)
    moderate(bid, personas.evaluator)
    services.round_mark_evaluated(funding_round=FundingRound.objects.get(pk=funding_round.pk))
    return bid


def _decide(bid, body, **kwargs):
    return services.decision_record(bid=bid, by=body, meeting_date=dt.date(2010, 9, 20), minute_ref="CB/9", **kwargs)


def test_funding_70000_when_60000_was_asked_is_refused(personas, asked_60000):
    """The finding: the Body funded a bid at £70,000 when it asked for £60,000, with no warning."""
    with pytest.raises(ValidationError) as exc:
        _decide(asked_60000, personas.body, outcome="funded", amount=Decimal("70000"), reason="Generous")
    message = exc.value.message_dict["amount"][0]
    assert "asked for £60,000" in message and "above the amount asked" in message
    assert not Decision.objects.filter(bid=asked_60000).exists()


def test_less_than_asked_needs_a_reason_that_is_recorded(personas, asked_60000):
    with pytest.raises(ValidationError) as exc:
        _decide(asked_60000, personas.body, outcome="funded", amount=Decimal("50000"))
    assert "less than the £60,000.00 asked" in exc.value.message_dict["reason"][0]
    assert not Decision.objects.filter(bid=asked_60000).exists()
    decision = _decide(
        asked_60000, personas.body, outcome="funded", amount=Decimal("50000"), reason="Two districts, not three."
    )
    assert decision.amount == Decimal("50000") and decision.reason == "Two districts, not three."


def test_the_amount_asked_needs_no_reason(personas, asked_60000):
    assert _decide(asked_60000, personas.body, outcome="funded", amount=Decimal("60000")).amount == Decimal("60000")


def test_not_funded_needs_a_reason_the_applicant_sees(client, personas, asked_60000):
    with pytest.raises(ValidationError) as exc:
        _decide(asked_60000, personas.body, outcome="not_funded")
    assert "reason" in exc.value.message_dict
    client.force_login(personas.body)
    response = client.post(
        reverse("growth_bids:decide", args=[asked_60000.pk]),
        {"outcome": "not_funded", "meeting_date": "2010-09-20", "minute_ref": "CB/9", "interest": "no_interest"},
    )
    assert response.status_code == 200 and "Give the reason the bid is not funded" in response.content.decode()
    assert not Decision.objects.filter(bid=asked_60000).exists()
    _decide(asked_60000, personas.body, outcome="not_funded", reason="Meets four criteria of seven.")
    services.round_publish_decisions(funding_round=asked_60000.funding_round, by=personas.body)
    client.force_login(personas.officer)
    html = client.get(reverse("growth_bids:bid_detail", args=[asked_60000.pk])).content.decode()
    assert "Meets four criteria of seven." in html


def test_reserve_says_what_it_means(client, personas, asked_60000):
    _decide(asked_60000, personas.body, outcome="reserve")
    services.round_publish_decisions(funding_round=asked_60000.funding_round, by=personas.body)
    client.force_login(personas.officer)
    html = client.get(reverse("growth_bids:bid_detail", args=[asked_60000.pk])).content.decode()
    assert "first in line if a funded scheme" in html
