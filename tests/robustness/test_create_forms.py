"""Every create form reachable without an id, posted with a hostile value in every field: never a 500, and
never a silent redisplay (a form that comes back says what is wrong)."""

import pytest
from django.urls import reverse

from .catalogue import HOSTILE

pytestmark = pytest.mark.django_db

FORMS = [
    "growth_bids:round_create",
    "procurement:project_create",
    "reports:create",
    "core_groups:declarations",
    "partnerships:preference_add",
]


@pytest.mark.parametrize("page", FORMS)
@pytest.mark.parametrize("value", list(HOSTILE), ids=list(HOSTILE))
def test_a_create_form_with_hostile_values_is_never_a_500(client, personas, page, value):
    client.force_login(personas.admin)
    url = reverse(page)
    form = client.get(url).context["form"]
    data = {name: HOSTILE[value] for name in form.fields}
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code == 200:
        redisplayed = response.context["form"]
        assert redisplayed.errors, "the form came back without saying what is wrong"


def _edit_pages():
    from tests.permissions import objects

    return {
        "core_groups:spend_edit": ("member", lambda p: {"pk": objects.spend_entry(p).pk}),
        "core_groups:commission_edit": ("member", lambda p: {"pk": objects.commission(p).pk}),
        "core_groups:risk_edit": ("member", lambda p: {"pk": objects.risk(p).pk}),
        "procurement:project_edit": ("evaluator", lambda p: {"pk": objects.project(p).pk}),
        "growth_bids:round_update": ("evaluator", lambda p: {"pk": objects.funding_round(p).pk}),
        "growth_bids:bid_update": ("officer", lambda p: {"pk": objects.bid(p).pk}),
        "partnerships:arrangement_edit": ("admin", lambda p: {"pk": objects.arrangement(p).pk}),
        "partnerships:preference_edit": ("admin", lambda p: {"pk": objects.preference(p).pk}),
        "reports:edit": ("evaluator", lambda p: {"pk": objects.board_report(p).pk}),
    }


EDIT_PAGES = list(_edit_pages())


@pytest.mark.parametrize("page", EDIT_PAGES)
@pytest.mark.parametrize("value", ["long", "nul", "huge", "far-future", "1e309", "blank"])
def test_an_edit_form_with_hostile_values_is_never_a_500_nor_a_silent_save(client, personas, page, value):
    who, kwargs = _edit_pages()[page]
    client.force_login(personas[who])
    url = reverse(page, kwargs=kwargs(personas))
    opened = client.get(url)
    assert opened.status_code == 200, (page, opened.status_code)
    data = {name: HOSTILE[value] for name in opened.context["form"].fields}
    response = client.post(url, data)
    assert response.status_code < 500
    assert response.status_code == 200, "a form of nothing but hostile values must not save"
    assert response.context["form"].errors
