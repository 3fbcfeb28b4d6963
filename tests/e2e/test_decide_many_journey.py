"""The Body decides three bids in one form, in a real browser (issue 18): a row refused keeps what was typed in
every row and saves none; corrected, the three decisions are recorded together."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from growth_bids import services
from growth_bids.models import Decision, FundingRound
from tests.e2e.conftest import login
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_body_decides_three_bids_in_one_form(page, a11y, personas):
    funding_round = make_round(growth="300000", holdback="0")
    bids = [
        submitted_bid(funding_round, personas.officer, annual_amount=Decimal(amount), title=title)
        for amount, title in (("100000", "Hospital discharge"), ("120000", "Young carers"), ("90000", "Tenancy"))
    ]
    close_round(funding_round)
    for bid in bids:
        moderate(bid, personas.evaluator)
    services.round_mark_evaluated(funding_round=FundingRound.objects.get(pk=funding_round.pk))
    a, b, c = bids

    login(page, "body")
    page.goto(f"/bids/rounds/{funding_round.pk}/body/")
    page.get_by_role("link", name="Record decisions for several bids").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Record the Body's decisions")).to_be_visible()
    a11y(page)

    page.get_by_label("Date of the Body's meeting").fill("2026-09-20")
    page.get_by_label("Minute reference").fill("CB/9")
    page.get_by_label(f"Outcome for {a.reference}").select_option("funded")
    page.get_by_label(f"Amount for {a.reference}").fill("£100,000")
    page.get_by_label(f"Conditions for {a.reference}").fill("Quarterly monitoring.")
    page.get_by_label(f"Outcome for {b.reference}").select_option("funded")
    page.get_by_label(f"Amount for {b.reference}").fill("130000")  # more than the £120,000 asked
    page.get_by_label(f"Outcome for {c.reference}").select_option("not_funded")
    page.get_by_label(f"Reason for {c.reference}").fill("Meets four criteria of seven.")
    for bid in (a, b, c):  # each member confirms, bid by bid, that they have no interest in it
        page.get_by_label(f"Your interest in {bid.reference}").select_option("no_interest")
    page.get_by_role("button", name="Record these decisions").click()
    page.wait_for_load_state()

    # Refused: nothing saved, the reason beside B's row, every typed value still there.
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator(f"#row-{b.pk}")).to_contain_text("above the amount asked")
    assert not Decision.objects.filter(funding_round=funding_round).exists()
    assert page.get_by_label(f"Conditions for {a.reference}").input_value() == "Quarterly monitoring."
    assert page.get_by_label(f"Reason for {c.reference}").input_value() == "Meets four criteria of seven."
    a11y(page)

    page.get_by_label(f"Outcome for {b.reference}").select_option("reserve")
    page.get_by_label(f"Amount for {b.reference}").fill("")
    page.get_by_role("button", name="Record these decisions").click()
    page.wait_for_load_state()
    expect(page.get_by_text("3 decisions recorded.")).to_be_visible()
    decisions = {d.bid_id: d for d in Decision.objects.filter(funding_round=funding_round)}
    assert decisions[a.pk].outcome == "funded" and decisions[a.pk].amount == Decimal("100000.00")
    assert decisions[a.pk].minute_ref == "CB/9" and decisions[a.pk].notes == "Quarterly monitoring."
    assert decisions[b.pk].outcome == "reserve"
    assert decisions[c.pk].outcome == "not_funded" and decisions[c.pk].reason == "Meets four criteria of seven."
    a11y(page)
    assert not page.console_errors, page.console_errors
