"""Browser journeys of issue 18: an officer fills half the bid form, closes the page and finds everything on
return (autosave); a second tab out of date is told; a failed submit keeps every field; an evaluator saves half
an evaluation and completes it later."""

import re
import time

import pytest
from playwright.sync_api import expect

from growth_bids.models import Bid, Evaluation, EvaluationDraft
from tests.e2e.conftest import login
from tests.growth_bids.helpers import base_data, close_round, make_round, submitted_bid  # noqa: F401

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("base_data")]


def _wait_for(check, seconds=10):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    return check()


def _saved(page):
    """Wait until the server has every change made on the page (the form says so in data-autosave)."""
    page.locator("form[data-autosave=saved]").wait_for(state="attached")
    page.locator("#autosave-status").filter(has_text=re.compile("saved at")).wait_for()


def test_half_a_bid_survives_the_page_being_closed(page, a11y, personas):
    funding_round = make_round()
    login(page, "officer")
    # The page that is closed is a second one of the officer's browser (the fixture's page takes the screenshot).
    first, page = page, page.context.new_page()
    page.console_errors = first.console_errors
    page.on("pageerror", lambda exc: first.console_errors.append(str(exc)))
    page.goto(f"/bids/rounds/{funding_round.pk}/bids/new/")
    expect(page.locator("#section-organisation")).to_be_visible()
    expect(page.locator("[data-bid-progress]")).to_be_visible()
    page.get_by_label("Title of the proposal").fill("Floating support for care leavers")
    page.get_by_label("Contact phone").fill("01622 221179")
    page.get_by_label("Summary of the proposal", exact=True).fill("Floating support for young people leaving care.")
    page.get_by_label("Ashford", exact=True).check()
    page.get_by_label("Annual amount (£)").fill("£12,500")
    page.locator("textarea[name=statement_a]").fill("Need shown in the 2025 review.")
    _saved(page)
    # The draft exists and the page now edits it (a reload would find it).
    page.wait_for_url(re.compile(r"/bids/\d+/edit/$"))
    bid = Bid.objects.get()
    assert bid.title == "Floating support for care leavers" and bid.annual_amount == 12500
    progress = page.locator('[data-section-status="organisation"]')
    assert "Completed" in progress.inner_text()
    assert "In progress" in page.locator('[data-section-status="service"]').inner_text()
    # The word count beside a statement with a limit.
    assert page.locator("#id_statement_a_words").inner_text() == "6 words of 300"
    a11y(page)
    # One more answer, then the page is closed at once: the change is sent as the page goes.
    page.get_by_label("Service users supported at any one time").fill("30")
    page.once("dialog", lambda dialog: dialog.accept())
    page.close(run_before_unload=True)
    assert _wait_for(lambda: Bid.objects.get().service_users == 30), "the change sent on leaving was not saved"

    # The officer comes back and finds everything.
    again = first
    again.goto(f"/bids/{bid.pk}/")
    again.get_by_role("link", name="Edit").click()
    again.wait_for_url("**/edit/")
    assert again.get_by_label("Title of the proposal").input_value() == "Floating support for care leavers"
    assert again.get_by_label("Contact phone").input_value() == "01622 221179"
    assert again.get_by_label("Annual amount (£)").input_value() == "12500.00"
    assert again.get_by_label("Service users supported at any one time").input_value() == "30"
    assert again.get_by_label("Ashford", exact=True).is_checked()
    assert again.locator("textarea[name=statement_a]").input_value() == "Need shown in the 2025 review."

    # A second tab on the same draft, out of date once the first has saved, is told and saves nothing.
    second = page.context.new_page()
    second.goto(f"/bids/{bid.pk}/edit/")
    again.get_by_label("Title of the proposal").fill("Floating support (first tab)")
    _saved(again)
    second.get_by_label("Title of the proposal").fill("Floating support (second tab)")
    second.locator("#autosave-conflict").wait_for(state="visible")
    assert "while you were editing it" in second.locator("#autosave-conflict").inner_text()
    assert Bid.objects.get().title == "Floating support (first tab)"
    assert not again.console_errors


def test_a_failed_submit_keeps_every_field(page, a11y, personas):
    funding_round = make_round()
    login(page, "officer")
    page.goto(f"/bids/rounds/{funding_round.pk}/bids/new/")
    page.get_by_label("Title of the proposal").fill("Supported lodgings")
    page.get_by_label("Contact phone").fill("01622 221179")
    page.get_by_label("Summary of the proposal", exact=True).fill("Lodgings with support.")
    page.get_by_label("Service users supported at any one time").fill("12")
    page.get_by_label("Annual amount (£)").fill("12,500.00")
    for code in "bcdefg":
        page.locator(f"textarea[name=statement_{code}]").fill(f"Our answer to {code}.")
    page.locator("textarea[name=statement_a]").fill(" ".join(["word"] * 301))
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Submit bid").click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_visible()
    assert summary.get_by_role("link", name="Choose at least one district.").get_attribute("href") == "#id_districts_0"
    expect(summary.get_by_text("has 301 words: the limit is 300")).to_be_visible()
    expect(page.locator("#div_id_statement_a").get_by_text("has 301 words")).to_be_visible()
    a11y(page)
    # Everything typed is in the draft: a fresh load of the draft's page shows it all.
    page.goto(f"/bids/{Bid.objects.get().pk}/edit/")
    assert page.get_by_label("Title of the proposal").input_value() == "Supported lodgings"
    assert page.get_by_label("Contact phone").input_value() == "01622 221179"
    assert page.get_by_label("Annual amount (£)").input_value() == "12500.00"
    assert page.get_by_label("Service users supported at any one time").input_value() == "12"
    assert page.locator("textarea[name=statement_a]").input_value() == " ".join(["word"] * 301)
    assert page.locator("textarea[name=statement_g]").input_value() == "Our answer to g."
    bid = Bid.objects.get()
    assert bid.status == "draft" and bid.contact_phone == "01622 221179"


def test_an_evaluator_saves_half_an_evaluation_and_completes_it_later(page, a11y, personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    login(page, "evaluator")
    page.goto(f"/bids/{bid.pk}/evaluate/")
    assert page.locator('[data-statement="a"]').inner_text() == "Statement for a."
    a11y(page)
    for code in "abc":
        page.locator(f"input[name=met_{code}][value=yes]").check()
        page.locator(f"textarea[name=reason_{code}]").fill(f"Evidence for {code}.")
    page.get_by_role("button", name="Save and finish later").click()
    page.wait_for_url(re.compile(r"/bids/\d+/$"))
    expect(page.locator("#evaluation-drafts")).to_be_visible()
    assert not Evaluation.objects.exists() and EvaluationDraft.objects.count() == 1

    # Later, the evaluator comes back: the half is there, and the rest completes it.
    page.goto(f"/bids/{bid.pk}/evaluate/")
    expect(page.locator("#evaluation-draft-note")).to_be_visible()
    assert page.locator("input[name=met_b][value=yes]").is_checked()
    assert page.locator("textarea[name=reason_c]").input_value() == "Evidence for c."
    for code in "efg":
        page.locator(f"input[name=met_{code}][value=no]").check()
        page.locator(f"textarea[name=reason_{code}]").fill(f"Nothing for {code}.")
    page.get_by_label("Written evaluation").fill("Half the criteria met.")
    page.get_by_role("radio", name="I have no interest in this").check()
    page.get_by_role("button", name="Save the evaluation").click()
    page.wait_for_url(re.compile(r"/bids/\d+/$"))
    evaluation = Evaluation.objects.get(evaluator=personas.evaluator)
    assert evaluation.marks.filter(met=True).count() == 3 and not EvaluationDraft.objects.exists()
    assert not page.console_errors, page.console_errors
