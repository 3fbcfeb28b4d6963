"""The bid form in Appendix A's sections: progress per section, word limits that keep the text, and autosave
of drafts (the first autosave makes the draft; a tab out of date is told and saves nothing)."""

import pytest
from django.urls import reverse

from growth_bids import services
from growth_bids.models import Bid
from tests.growth_bids.helpers import bid_data, make_round
from tests.growth_bids.test_views import form_post

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(db):
    return make_round()


def test_the_form_is_in_appendix_a_sections_with_a_progress_list(client, personas, round_):
    client.force_login(personas.officer)
    html = client.get(reverse("growth_bids:bid_create", args=[round_.pk])).content.decode()
    keys = ("organisation", "service", "money", "outcomes", "statements")
    order = [html.index(f'id="section-{key}"') for key in keys]
    assert order == sorted(order)
    assert html.index('name="contact_phone"') < order[1] < html.index('name="summary"') < order[2]
    assert order[2] < html.index('name="annual_amount"') < order[3] < html.index('name="outcomes"') < order[4]
    assert html.count("Not started") == 5 and 'data-autosave-url="' in html
    bid = services.bid_create(
        funding_round=round_, by=personas.officer, data={"title": "T", "contact_phone": "1", "contact_email": "a@b.cd"}
    )
    page = client.get(reverse("growth_bids:bid_update", args=[bid.pk])).content.decode()
    progress = page[page.index("data-bid-progress") : page.index("</nav>", page.index("data-bid-progress"))]
    assert progress.count("Completed") == 1 and "In progress" not in progress  # contacts: names default to the officer
    assert reverse("growth_bids:bid_autosave", args=[bid.pk]) in page


def test_a_statement_over_its_word_limit_is_refused_beside_it_and_kept(client, personas, round_):
    criterion = round_.criteria.get(code="b")
    assert criterion.word_limit == 300
    long_text = " ".join(["word"] * 301)
    client.force_login(personas.officer)
    response = client.post(
        reverse("growth_bids:bid_create", args=[round_.pk]), form_post(round_, statement_b=long_text, submit="")
    )
    html = response.content.decode()
    assert response.status_code == 200
    message = "The statement for criterion b has 301 words: the limit is 300."
    assert html.count(message) == 2 and 'href="#id_statement_b"' in html
    bid = Bid.objects.get()
    assert bid.status == "draft" and bid.statements.get(criterion=criterion).text == long_text
    assert 'data-word-limit="300"' in html


def test_the_first_autosave_makes_the_draft_and_later_ones_change_it(client, personas, round_):
    client.force_login(personas.officer)
    page = client.get(reverse("growth_bids:bid_create", args=[round_.pk])).content.decode()
    token = page.split('name="form_token" value="')[1].split('"')[0]
    answer = client.post(
        reverse("growth_bids:bid_autosave_new", args=[round_.pk]),
        {
            "form_token": token,
            "title": "Half a bid",
            "contact_names": "Olivia Officer",
            "contact_email": "olivia@example.gov.uk",
            "contact_phone": "01622 221179",
            "annual_amount": "£12,500",
        },
    )
    assert answer.status_code == 200, answer.content
    data = answer.json()
    bid = Bid.objects.get()
    assert bid.title == "Half a bid" and bid.annual_amount == 12500 and bid.status == "draft"
    assert data["version"] == bid.version and data["edit_url"] == reverse("growth_bids:bid_update", args=[bid.pk])
    assert data["sections"]["organisation"] is True and data["sections"]["money"] is False
    # The page's own Save draft afterwards (same token) is sent to that draft, not made twice.
    again = client.post(reverse("growth_bids:bid_autosave_new", args=[round_.pk]), {"form_token": token})
    assert again.status_code == 409 and Bid.objects.count() == 1
    # Later autosaves change the draft; a value that cannot be read is reported and the rest kept.
    answer = client.post(
        data["autosave_url"],
        {"version": data["version"], "title": "Half a bid", "service_users": "lots", "summary": "S"},
    )
    assert answer.status_code == 200 and "service_users" in answer.json()["errors"]
    bid.refresh_from_db()
    assert bid.summary == "S" and bid.version == data["version"] + 1


def test_a_second_tab_out_of_date_is_told_and_saves_nothing(client, personas, round_):
    client.force_login(personas.officer)
    bid = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Draft"})
    url = reverse("growth_bids:bid_autosave", args=[bid.pk])
    opened_at = bid.version
    assert client.post(url, {"version": opened_at, "title": "First tab"}).status_code == 200
    answer = client.post(url, {"version": opened_at, "title": "Second tab"})
    assert answer.status_code == 409 and answer.json()["conflict"] is True
    assert "while you were editing it" in answer.json()["error"]
    bid.refresh_from_db()
    assert bid.title == "First tab"


def test_autosave_is_for_the_applicants_drafts_only(client, personas, round_):
    bid = services.bid_create(funding_round=round_, by=personas.officer, data=bid_data(round_))
    url = reverse("growth_bids:bid_autosave", args=[bid.pk])
    client.force_login(personas.other_officer)
    assert client.post(url, {"version": bid.version, "title": "Hijack"}).status_code == 404
    client.force_login(personas.officer)
    submitted = services.bid_submit(bid=bid, by=personas.officer, version=bid.version)
    assert client.post(url, {"version": submitted.version, "title": "Changed"}).status_code == 409
    assert client.get(url).status_code == 405
    bid.refresh_from_db()
    assert bid.title == "Floating support for young people leaving care"
