"""Five simultaneous posts of one create form make one record; the others are told (issue 19, item 4)."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from core_groups.models import Risk, SpendEntry
from growth_bids.models import Bid
from tests.factories import AllocationFactory, CoreGroupFactory, MembershipFactory, ProgrammeFactory
from tests.growth_bids.helpers import base_data, make_round  # noqa: F401
from tests.growth_bids.test_views import form_post

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("base_data")]

TOKEN = "one-time-token-for-this-form"


def _post_at_once(user, url, data, times=5):
    """``times`` clients, each with its own connection, post the same form at the same moment."""
    barrier = threading.Barrier(times)
    answers = []

    def post():
        client = Client()
        client.force_login(user)
        barrier.wait(10)
        try:
            answers.append(client.post(url, data))
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def _group(personas):
    group = CoreGroupFactory(programme=ProgrammeFactory())
    MembershipFactory(core_group=group, user=personas.member)
    AllocationFactory(core_group=group, financial_year=2026)
    return group


def test_five_posts_of_one_bid_form_make_one_bid(personas):
    funding_round = make_round()
    url = reverse("growth_bids:bid_create", args=[funding_round.pk])
    answers = _post_at_once(personas.officer, url, {**form_post(funding_round), "form_token": TOKEN})
    assert [a.status_code for a in answers] == [302] * 5
    assert Bid.objects.count() == 1
    bid = Bid.objects.get()
    assert {a["Location"] for a in answers} == {reverse("growth_bids:bid_detail", args=[bid.pk])}


def test_five_posts_of_one_spend_form_record_the_money_once(personas):
    group = _group(personas)
    url = reverse("core_groups:spend_add", args=[group.pk])
    data = {"spent_on": "2026-05-01", "amount": "1250.00", "description": "Interpreting", "form_token": TOKEN}
    answers = _post_at_once(personas.member, url, data)
    assert [a.status_code for a in answers] == [302] * 5
    assert SpendEntry.objects.count() == 1


def test_five_posts_of_one_risk_form_make_one_risk(personas):
    group = _group(personas)
    url = reverse("core_groups:group_risk_add", args=[group.pk])
    data = {
        "title": "Provider failure",
        "description": "The only provider may fold.",
        "impact": "4",
        "likelihood": "2",
        "status": "open",
        "form_token": TOKEN,
    }
    answers = _post_at_once(personas.member, url, data)
    assert [a.status_code for a in answers] == [302] * 5
    assert Risk.objects.count() == 1


def test_a_form_refused_for_its_input_can_be_corrected_and_sent_with_the_same_token(client, personas):
    group = _group(personas)
    client.force_login(personas.member)
    url = reverse("core_groups:spend_add", args=[group.pk])
    data = {"spent_on": "2026-05-01", "amount": "-5", "description": "Interpreting", "form_token": TOKEN}
    assert client.post(url, data).status_code == 200
    assert client.post(url, {**data, "amount": "5"}).status_code == 302
    again = client.post(url, {**data, "amount": "5"}, follow=True)
    assert "already sent" in again.text
    assert SpendEntry.objects.count() == 1
