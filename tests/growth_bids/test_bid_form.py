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


def _statement_codes(round_):
    return [c.code for c in round_.criteria.all()]


def test_a_failed_submit_of_a_new_bid_keeps_every_field_in_the_draft(client, personas, round_):
    client.force_login(personas.officer)
    codes = _statement_codes(round_)
    post = form_post(round_, submit="", **{f"statement_{codes[0]}": ""})
    post.pop("districts")
    response = client.post(reverse("growth_bids:bid_create", args=[round_.pk]), post)
    assert response.status_code == 200
    bid = Bid.objects.get()
    assert bid.status == "draft"
    assert bid.contact_phone == "01622 221179" and bid.title == "Floating support for young people leaving care"
    assert bid.annual_amount == Decimal("150000") and bid.outcomes.count() == 2
    texts = {s.criterion.code: s.text for s in bid.statements.select_related("criterion")}
    assert all(texts[code] == f"Statement {code}" for code in codes[1:])
    html = response.content.decode()
    # The GOV.UK error summary: the errors at the top, each a link to its field; and each beside its field.
    start = html.index("data-error-summary")
    summary = html[start : html.index("</div>", start)]
    assert 'href="#id_districts_0"' in summary and "Choose at least one district." in summary
    assert f'href="#id_statement_{codes[0]}"' in summary
    assert html.count("Choose at least one district.") == 2
    # The form now saves the draft it made, with its version.
    assert f'action="{reverse("growth_bids:bid_update", args=[bid.pk])}"' in html
    assert f'name="version" value="{bid.version}"' in html


def test_a_failed_submit_of_a_draft_keeps_every_field(client, personas, round_):
    from growth_bids import services

    client.force_login(personas.officer)
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Draft"})
    codes = _statement_codes(round_)
    post = form_post(round_, version=bid.version, submit="", **{f"statement_{codes[-1]}": "  "})
    response = client.post(reverse("growth_bids:bid_update", args=[bid.pk]), post)
    assert response.status_code == 200
    assert f"Write a short statement for criterion {codes[-1]}." in response.content.decode()
    bid.refresh_from_db()
    assert bid.status == "draft" and bid.contact_phone == "01622 221179"
    texts = {s.criterion.code: s.text for s in bid.statements.select_related("criterion")}
    assert [texts[code] for code in codes[:-1]] == [f"Statement {code}" for code in codes[:-1]]


def test_a_value_the_form_cannot_read_is_explained_and_the_rest_is_kept(client, personas, round_):
    client.force_login(personas.officer)
    post = form_post(round_, annual_amount="lots", submit="")
    response = client.post(reverse("growth_bids:bid_create", args=[round_.pk]), post)
    html = response.content.decode()
    assert response.status_code == 200 and 'value="lots"' in html and "Enter a number" in html
    assert 'href="#id_annual_amount"' in html
    bid = Bid.objects.get()
    assert bid.status == "draft" and bid.annual_amount is None and bid.contact_phone == "01622 221179"


def test_submit_on_the_bid_page_once_the_checklist_is_complete(client, personas, round_):
    from growth_bids import services
    from tests.growth_bids.helpers import bid_data

    client.force_login(personas.officer)
    incomplete = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Draft"})
    assert (
        'name="submit_now"' not in client.get(reverse("growth_bids:bid_detail", args=[incomplete.pk])).content.decode()
    )
    bid = services.bid_create(funding_round=round_, by=personas.officer, data=bid_data(round_))
    page = client.get(reverse("growth_bids:bid_detail", args=[bid.pk])).content.decode()
    assert 'name="submit_now"' in page
    response = client.post(reverse("growth_bids:bid_update", args=[bid.pk]), {"submit_now": "", "version": bid.version})
    assert response.status_code == 302
    bid.refresh_from_db()
    assert bid.status == "submitted" and bid.submitted_at is not None
    # A stale page cannot submit over a newer edit.
    other = services.bid_create(funding_round=round_, by=personas.officer, data=bid_data(round_))
    response = client.post(reverse("growth_bids:bid_update", args=[other.pk]), {"submit_now": "", "version": 0})
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.status == "draft"
