"""Told in the app (issue 15), in a real browser: a partner's officer has the site open; an applicant asks their
council for support; the bell's count rises, the officer follows the notification to the bid and answers."""

import re

import pytest
from playwright.sync_api import expect

from growth_bids.models import SupportRequest
from tests.e2e.conftest import login
from tests.growth_bids.helpers import base_data, make_round  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("base_data")]


def bell_count(page):
    badge = page.get_by_test_id("bell").locator(".badge")
    if not badge.count():
        return 0
    return int(re.match(r"\s*(\d+)", badge.text_content()).group(1))


def test_the_bell_rises_when_support_is_asked_and_the_officer_follows_it_and_answers(
    browser, live_url, page, a11y, personas
):
    funding_round = make_round()

    # The partner's officer is at work; the round's invitation is unread.
    login(page, "other_officer")
    page.goto("/")
    before = bell_count(page)
    assert before == 1

    # Meanwhile, in another browser, the applicant's officer starts a bid and asks Ashford for support.
    applicant = browser.new_context(base_url=live_url, locale="en-GB", timezone_id="Europe/London").new_page()
    try:
        login(applicant, "officer")
        applicant.goto(f"/bids/rounds/{funding_round.pk}/")
        applicant.get_by_role("link", name="Start a bid").click()
        applicant.wait_for_url("**/bids/new/")
        applicant.get_by_label("Title of the proposal").fill("Floating support for care leavers")
        applicant.get_by_role("button", name="Save draft").click()
        applicant.wait_for_url(re.compile(r"/bids/\d+/$"))
        applicant.get_by_label("Ask this commissioning partner to support the bid").select_option(
            label="Ashford Borough Council"
        )
        applicant.get_by_role("button", name="Ask for support").click()
        applicant.wait_for_load_state()
    finally:
        applicant.context.close()
    request = SupportRequest.objects.get()

    # The partner's next page shows the bell risen by one.
    page.reload()
    assert bell_count(page) == before + 1
    page.get_by_test_id("bell").click()
    page.wait_for_url("**/notifications/?show=unread")
    a11y(page)
    page.get_by_role("link", name=re.compile("Kent County Council asks Ashford Borough Council")).click()
    page.wait_for_url(re.compile(rf"/bids/{request.bid_id}/(#support-h)?$"))
    # Followed: read, so the bell is back where it was; the answer form is on the page it led to.
    assert bell_count(page) == before
    page.get_by_label("Note (optional)").fill("Happy to support: we refer care leavers already.")
    page.get_by_role("button", name="Confirm our support").click()
    page.wait_for_load_state()
    expect(page.get_by_text("Thank you: your support is confirmed.")).to_be_visible()
    request.refresh_from_db()
    assert request.status == SupportRequest.Status.CONFIRMED
    assert request.note == "Happy to support: we refer care leavers already."
