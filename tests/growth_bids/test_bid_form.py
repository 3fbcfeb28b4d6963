"""The bid form as people fill it: amounts typed the way they write them, failed saves that keep everything."""

from decimal import Decimal

import pytest
from django.urls import reverse

from growth_bids.models import Bid
from tests.growth_bids.helpers import make_round
from tests.growth_bids.test_views import form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    return make_round()


@pytest.mark.parametrize("typed", ["£12,500", "12,500.00", " 12500 "])
def test_the_server_reads_amounts_as_people_type_them(client, personas, round_, typed):
    client.force_login(personas.officer)
    response = client.post(
        reverse("growth_bids:bid_create", args=[round_.pk]), form_post(round_, annual_amount=typed, save="")
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Bid.objects.get().annual_amount == Decimal("12500.00")


def test_the_amount_is_a_text_input_with_a_decimal_keypad(client, personas, round_):
    client.force_login(personas.officer)
    html = client.get(reverse("growth_bids:bid_create", args=[round_.pk])).content.decode()
    assert 'name="annual_amount"' in html
    field = html[html.index('name="annual_amount"') - 200 : html.index('name="annual_amount"') + 200]
    assert 'inputmode="decimal"' in field and 'type="number"' not in field
