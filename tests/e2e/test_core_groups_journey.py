"""A core group member adds a commission and a risk to their group's work plan, in a real browser."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from core_groups import roles
from core_groups.models import Commission, Risk
from tests.e2e.conftest import login
from tests.factories import (
    AllocationFactory,
    CoreGroupFactory,
    MembershipFactory,
    OrganisationFactory,
    SpendEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_member_adds_a_commission_and_a_risk(page, a11y):
    cardiff = OrganisationFactory(name="Cardiff Council")
    megan = UserFactory(username="megan", first_name="Megan", organisation=cardiff, roles=[roles.CORE_GROUP_MEMBER])
    group = CoreGroupFactory(name="Family Support")
    MembershipFactory(core_group=group, user=megan)
    AllocationFactory(core_group=group, amount=Decimal("400000.00"))
    SpendEntryFactory(core_group=group, amount=Decimal("410000.00"))

    login(page, "megan")
    page.goto(f"/core-groups/programmes/{group.programme.pk}/?year=2010")
    expect(page.get_by_role("img", name="Allocation against spend, 2010-11")).to_be_visible()
    expect(page.get_by_text("Overspent in 2010-11")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="Family Support").first.click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Family Support")).to_be_visible()
    a11y(page)

    # A single tender without a business case is refused, with the error beside the field.
    page.get_by_role("link", name="Add a commission").click()
    a11y(page)
    page.get_by_label("Title").fill("Parenting support programme")
    page.get_by_label("Route").select_option(label="Single tender or direct award (business case)")
    page.get_by_label("Annual value (£)").fill("180000")
    page.get_by_role("button", name="Save commission").click()
    page.wait_for_load_state()
    expect(page.get_by_text("needs a business case")).to_be_visible()
    assert page.get_by_label("Title").input_value() == "Parenting support programme"
    a11y(page)
    page.get_by_label("Business case").fill("Only one local provider runs the accredited programme.")
    page.get_by_role("button", name="Save commission").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Parenting support programme")).to_be_visible()
    expect(page.get_by_text("History of changes")).to_be_visible()
    a11y(page)
    assert Commission.objects.get(title="Parenting support programme").annual_value == Decimal("180000.00")

    page.get_by_role("link", name="Family Support").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Add a risk").click()
    a11y(page)
    page.get_by_label("Title").fill("TUPE implications")
    page.get_by_label("Description").fill("Staff may transfer from the current provider.")
    page.get_by_label("Impact").select_option("4")
    page.get_by_label("Likelihood").select_option("4")
    page.get_by_label("Mitigation").fill("Take legal advice before the specification is issued.")
    page.get_by_role("button", name="Save risk").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="TUPE implications")).to_be_visible()
    expect(page.get_by_text("16 (Red)")).to_be_visible()
    a11y(page)
    assert Risk.objects.get(title="TUPE implications").score == 16

    page.get_by_role("link", name="Risk register").click()
    page.wait_for_load_state()
    expect(page.get_by_role("img", name="Risk heat map")).to_be_visible()
    a11y(page)

    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/core-groups/groups/{group.pk}/?year=2010")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    a11y(page)
    assert not page.console_errors, page.console_errors
