"""The Body's filter form writes its options in the page's template (no widget template per option): the same
options, values and selection as Django's own widgets."""

import re

import pytest
from django.urls import reverse

from tests.growth_bids.helpers import make_round, submitted_bid

pytestmark = pytest.mark.django_db

OPTION = re.compile(r'<option value="([^"]*)"( selected)?>([^<]*)</option>')


def _selects(html):
    return {
        name: [(v, bool(sel), label.strip()) for v, sel, label in OPTION.findall(body)]
        for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S)
    }


@pytest.mark.parametrize("chosen", ["client_group", "recommendation", None])
def test_the_filter_selects_match_djangos_widgets(client, personas, chosen):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    client.force_login(personas.body)
    params = {}
    if chosen == "client_group":
        params = {"client_group": str(bid.client_group_id)}
    elif chosen == "recommendation":
        params = {"recommendation": "reserve"}
    response = client.get(reverse("growth_bids:body_list", args=[funding_round.pk]), params)
    assert response.status_code == 200
    page = _selects(response.content.decode())
    form = response.context["filter"].form
    for field in form:
        if field.field.widget.input_type != "select":
            continue
        expected = _selects(str(field.as_widget()))[field.html_name]
        assert expected and page[field.html_name] == expected, field.html_name
    if chosen:
        assert any(selected for _v, selected, _l in page[chosen])
