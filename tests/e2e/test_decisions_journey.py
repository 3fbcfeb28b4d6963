"""A business case approved, rewritten, shown as awaiting a new decision, approved again; the decision register
lists both decisions (issue 13), in a real browser."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core_groups import services
from core_groups.models import Commission, Decision
from tests.e2e.conftest import login
from tests.factories import CoreGroupFactory, MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _record_approval(page, *, on, minute):
    form = page.get_by_role("region", name="JCG decision on the business case")
    form.get_by_role("combobox", name="JCG decision on the business case").select_option("approved")
    form.get_by_label("Date of the decision").fill(on)
    form.get_by_label("Meeting").fill("JCG")
    form.get_by_label("Minute").fill(minute)
    form.get_by_role("radio", name="I have no interest in this").check()
    page.get_by_role("button", name="Record decision").click()
    page.wait_for_load_state()


def _sign_out(page):
    page.context.clear_cookies()


def test_an_approval_binds_what_it_approved_and_a_rewrite_reopens_it(page, a11y, personas):
    group = CoreGroupFactory(name="Family Support")
    MembershipFactory(core_group=group, user=personas.member)
    commission = services.commission_create(
        user=personas.member,
        core_group=group,
        title="Parenting programme",
        route=Commission.Route.SINGLE_TENDER,
        annual_value=Decimal("180000.00"),
        business_case="Only one accredited provider can start by April.",
    )
    url = f"/core-groups/work-plan/{commission.pk}/"

    # The JCG member approves the business case.
    login(page, "body")
    page.goto(url)
    assert "awaiting decision" in page.locator("#bc-decision").inner_text()
    _record_approval(page, on="2026-11-02", minute="7.2")
    expect(page.locator("#bc-decision")).to_contain_text("Approved")
    a11y(page)

    # A core group member raises the value to £900,000: the approval no longer applies, visibly.
    _sign_out(page)
    login(page, "member")
    page.goto(url)
    page.get_by_role("link", name="Edit").first.click()
    page.wait_for_load_state()
    page.get_by_label("Annual value (£)").fill("900000")
    page.get_by_role("button", name="Save commission").click()
    page.wait_for_load_state()
    expect(page.get_by_text("no longer applies").first).to_be_visible()
    decision_line = page.locator("#bc-decision").inner_text()
    assert "awaiting a new decision" in decision_line and "Approved" not in decision_line
    a11y(page)

    # Approved again, now for £900,000.
    _sign_out(page)
    login(page, "body")
    page.goto(url)
    _record_approval(page, on=timezone.localdate().isoformat(), minute="9.1")
    expect(page.locator("#bc-decision")).to_contain_text("Approved")

    # The register lists both decisions: the first superseded, the second in force.
    page.goto("/decisions/register/")
    page.wait_for_load_state()
    rows = page.locator("#decision-register tbody tr").filter(has_text="Parenting programme")
    assert rows.count() == 2
    a11y(page)
    decisions = Decision.objects.for_subject(Commission.objects.get(pk=commission.pk)).order_by("pk")
    assert [d.minute for d in decisions] == ["7.2", "9.1"]
    assert decisions[0].is_superseded and not decisions[1].is_superseded
    assert decisions[1].decided_values["annual_value"] == "900000.00"
