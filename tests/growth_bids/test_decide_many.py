"""Deciding many at once (issue 18 item 5): one form, the same checks as one at a time, all or nothing."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups.models import DeclaredInterest
from growth_bids import services
from growth_bids.models import Decision, FundingRound
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_bids(personas):
    funding_round = make_round(growth="300000", holdback="0")
    bids = [
        submitted_bid(funding_round, personas.officer, annual_amount=Decimal(amount), title=title)
        for amount, title in (("100000", "A"), ("120000", "B"), ("90000", "C"))
    ]
    close_round(funding_round)
    for bid in bids:
        moderate(bid, personas.evaluator)
    services.round_mark_evaluated(funding_round=FundingRound.objects.get(pk=funding_round.pk))
    return funding_round, bids


def _post(client, funding_round, bids, rows):
    data = {
        "form-TOTAL_FORMS": str(len(bids)),
        "form-INITIAL_FORMS": str(len(bids)),
        "meeting_date": "2010-09-20",
        "minute_ref": "CB/9",
    }
    for i, (bid, row) in enumerate(zip(bids, rows, strict=True)):
        data[f"form-{i}-bid"] = str(bid.pk)
        for key in ("outcome", "amount", "reason", "notes"):
            data[f"form-{i}-{key}"] = row.get(key, "")
        data[f"form-{i}-interest"] = row.get("interest", "no_interest" if row.get("outcome") else "")
    return client.post(reverse("growth_bids:decide_many", args=[funding_round.pk]), data)


def test_the_body_decides_three_bids_in_one_post(client, personas, three_bids):
    funding_round, (a, b, c) = three_bids
    client.force_login(personas.body)
    page = client.get(reverse("growth_bids:decide_many", args=[funding_round.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and a.reference in html
    assert 'name="form-2-outcome"' in html and 'name="form-TOTAL_FORMS" value="3"' in html
    response = _post(
        client,
        funding_round,
        [a, b, c],
        [
            {"outcome": "funded", "amount": "£100,000", "notes": "Quarterly monitoring."},
            {"outcome": "reserve"},
            {"outcome": "not_funded", "reason": "Meets four criteria of seven."},
        ],
    )
    assert response.status_code == 302
    decisions = {d.bid_id: d for d in Decision.objects.filter(funding_round=funding_round)}
    assert decisions[a.pk].outcome == "funded" and decisions[a.pk].amount == Decimal("100000.00")
    assert decisions[a.pk].notes == "Quarterly monitoring." and decisions[a.pk].minute_ref == "CB/9"
    assert decisions[b.pk].outcome == "reserve"
    assert decisions[c.pk].reason == "Meets four criteria of seven."


def test_one_bad_row_saves_nothing_and_shows_its_error_beside_it(client, personas, three_bids):
    funding_round, (a, b, c) = three_bids
    client.force_login(personas.body)
    response = _post(
        client,
        funding_round,
        [a, b, c],
        [
            {"outcome": "funded", "amount": "100000", "notes": "Typed conditions kept."},
            {"outcome": "funded", "amount": "130000", "reason": "Generous"},  # above the £120,000 asked
            {"outcome": "not_funded", "reason": "Typed reason kept."},
        ],
    )
    assert response.status_code == 200
    assert not Decision.objects.filter(funding_round=funding_round).exists()
    html = response.content.decode()
    assert "none was saved" in html
    start = html.index(f'id="row-{b.pk}"')
    row_b = html[start : html.index("</tr>", start)]
    assert "above the amount asked" in row_b
    assert "Typed conditions kept." in html and "Typed reason kept." in html


def test_the_batch_cannot_overspend_or_hold_two_reserves(client, personas, three_bids):
    funding_round, (a, b, c) = three_bids
    client.force_login(personas.body)
    response = _post(
        client,
        funding_round,
        [a, b, c],
        [
            {"outcome": "funded", "amount": "100000"},
            {"outcome": "funded", "amount": "120000"},
            {"outcome": "funded", "amount": "90000"},
        ],
    )
    assert response.status_code == 200 and "would overspend the round" in response.content.decode()
    response = _post(client, funding_round, [a, b, c], [{"outcome": "reserve"}, {"outcome": "reserve"}, {}])
    assert response.status_code == 200 and "already has a reserve" in response.content.decode()
    assert not Decision.objects.filter(funding_round=funding_round).exists()


def test_only_the_body_opens_the_batch_form(client, personas, three_bids):
    funding_round, (a, _b, _c) = three_bids
    client.force_login(personas.officer)
    assert client.get(reverse("growth_bids:decide_many", args=[funding_round.pk])).status_code in (403, 404)
    assert Decision.objects.count() == 0


def test_a_member_with_an_interest_sees_the_reason_and_a_forged_row_saves_nothing(client, personas, three_bids):
    funding_round, (a, b, c) = three_bids
    DeclaredInterest.objects.create(user=personas.body, organisation=personas.home, description="Councillor")
    client.force_login(personas.body)
    html = client.get(reverse("growth_bids:decide_many", args=[funding_round.pk])).content.decode()
    assert "declared an interest" in html and 'name="form-0-outcome"' not in html
    response = _post(client, funding_round, [a], [{"outcome": "funded", "amount": "100000"}])
    assert response.status_code == 200 and "none was saved" in response.content.decode()
    assert not Decision.objects.filter(funding_round=funding_round).exists()
