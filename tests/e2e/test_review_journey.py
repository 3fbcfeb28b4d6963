"""Review (issue 16), in a real browser: a provider's user sees only their own services and submits a quarterly
return; the programme team rates it (RAG and comment); the measure's chart and its table show the figure."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.db import transaction
from playwright.sync_api import expect

from review import services
from review.models import Measure, Return
from tests.e2e.conftest import login
from tests.factories import CommissionFactory, CoreGroupFactory, OrganisationFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _sign_out(page):
    page.context.clear_cookies()


@pytest.fixture
def carers(personas):
    programme = ProgrammeFactory(name="Merthyr Tydfil Compact")
    group = CoreGroupFactory(programme=programme, name="Carers")
    own = CommissionFactory(
        core_group=group,
        title="Carers' support SLA",
        provider=personas.provider_org,
        indicative_start=date(2011, 4, 1),
        indicative_end=date(2013, 3, 31),
    )
    other = CommissionFactory(
        core_group=group,
        title="Respite for carers",
        provider=OrganisationFactory(name="Crossroads Care", provider=True),
        indicative_start=date(2011, 4, 1),
        indicative_end=date(2013, 3, 31),
    )
    measure = services.measure_create(
        programme=programme,
        commission=own,
        title="Carers supported",
        kind=Measure.Kind.HOW_MUCH,
        unit=Measure.Unit.NUMBER,
        unit_label="carers",
        baseline_value=Decimal("40"),
        baseline_date=date(2011, 3, 31),
        baseline_source="VAMT and Interlink sector survey",
    )
    services.target_set(measure=measure, period_start=date(2011, 4, 1), period_end=date(2011, 6, 30), value=50)
    services.measure_create(programme=programme, commission=other, title="Respite nights", unit=Measure.Unit.NUMBER)
    return programme, own, other, measure


def test_provider_returns_programme_team_rates_and_the_chart_shows_it(page, a11y, personas, carers):
    programme, own, other, measure = carers

    # The provider's user: their own service only, and a quarterly return for it.
    login(page, "provider")
    page.goto("/review/returns/")
    services_list = page.get_by_role("region", name="Your organisation's services")
    assert "Carers' support SLA" in services_list.inner_text()
    assert "Respite for carers" not in page.content()
    a11y(page)
    # Another provider's service does not exist for them, and the programme's page of every figure is refused.
    assert page.goto(f"/review/services/{other.pk}/return/").status == 404
    assert page.goto(f"/review/programmes/{programme.pk}/").status == 403
    page.goto("/review/returns/")
    services_list = page.get_by_role("region", name="Your organisation's services")
    services_list.get_by_role("link", name="Make a return").click()
    page.wait_for_load_state()
    page.get_by_label("Quarter").select_option(label="2011-12 Q1")
    # A wrong figure comes back beside its field, and nothing is saved.
    page.get_by_role("textbox", name="Carers supported").fill("lots")
    page.get_by_role("button", name="Submit the return").click()
    page.wait_for_load_state()
    assert Return.objects.count() == 0
    assert page.locator(".invalid-feedback, .is-invalid").count() >= 1
    a11y(page)
    page.get_by_label("Quarter").select_option(label="2011-12 Q1")
    page.get_by_role("textbox", name="Carers supported").fill("57")
    page.get_by_label("Notes for the programme team").fill("Two new carers' groups in Aberdare.")
    page.get_by_role("button", name="Submit the return").click()
    page.wait_for_url("**/review/returns/*/")
    assert "Submitted the return for 2011-12 Q1" in page.content()
    assert page.get_by_role("button", name="Save the rating").count() == 0  # the provider does not rate it
    a11y(page)
    ret = Return.objects.get()
    assert ret.status == Return.Status.SUBMITTED and ret.commission_id == own.pk
    assert ret.values.get().value == Decimal("57")

    # The programme team rates it.
    _sign_out(page)
    login(page, "evaluator")
    page.goto("/review/returns/")
    assert "Respite for carers" in page.content()  # the team sees every service
    page.get_by_role("region", name="Returns made").get_by_role("link", name="Carers' support SLA").click()
    page.wait_for_load_state()
    page.get_by_label("Amber").check()
    page.get_by_label("Comment").fill("Above target; the sector survey is due again in March.")
    page.get_by_role("button", name="Save the rating").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Rated the return for 2011-12 Q1")
    expect(page.locator("main")).to_contain_text("Above target; the sector survey is due again in March.")
    a11y(page)
    ret.refresh_from_db()
    assert (ret.status, ret.rag, ret.reviewed_by_id) == (Return.Status.REVIEWED, "amber", personas.evaluator.pk)

    # The measure's chart (server-side SVG) and the table beside it show the figure.
    page.goto(f"/review/programmes/{programme.pk}/")
    section = page.get_by_role("region", name="Carers supported")
    chart = section.locator(".chart svg")
    assert chart.count() == 1
    assert "2011-12 Q1: actual 57, target 50" in chart.get_attribute("aria-label")
    row = section.get_by_role("row", name="2011-12 Q1")
    assert "57" in row.inner_text() and "50" in row.inner_text()
    assert "VAMT and Interlink sector survey" in section.inner_text()
    a11y(page)
    # The only console errors are the 404 and 403 asked for above.
    unexpected = [e for e in page.console_errors if "status of 404" not in e and "status of 403" not in e]
    assert not unexpected, unexpected


def test_programme_team_minutes_a_meeting_with_a_decision_and_edits_a_contract(page, a11y, personas, carers):
    from core_groups import services as core_services
    from core_groups.models import Decision
    from review.models import Contract, MinuteItem

    programme, own, _other, _measure = carers
    meeting = services.meeting_record(
        programme=programme,
        body="steering_group",
        body_name="Project Steering Group",
        held_on=date(2011, 5, 10),
        attendance={personas.member: "attended", personas.officer: "apologies"},
    )
    with transaction.atomic():
        core_services.record_decision(
            subject=own,
            kind=Decision.Kind.BUSINESS_CASE,
            outcome=Decision.Outcome.APPROVED,
            decided_by=personas.body,
            decided_on=date(2011, 5, 10),
            subject_version=own.version,
            values=own.business_case_values(),
        )
    contract = services.contract_create(
        user=personas.evaluator,
        programme=programme,
        title="Carers' respite contract",
        supplier=personas.provider_org,
        value=Decimal("240000.00"),
        start_on=date(2024, 4, 1),
        end_on=date(2027, 3, 31),
    )

    login(page, "evaluator")
    page.goto(f"/review/meetings/{meeting.pk}/")
    for title in ("Apologies", "Carers' SLAs: measures and the business case"):
        page.get_by_role("link", name="Add a minute item").click()
        page.wait_for_load_state()
        page.get_by_label("Title").fill(title)
        if title.startswith("Carers"):
            page.get_by_label("Minute", exact=True).fill("The business case for Carers A's SLA was approved.")
            page.get_by_label("Business case: Approved on 10 May 2011").check()
            a11y(page)
        page.get_by_role("button", name="Save the minute").click()
        page.wait_for_url(re.compile(rf"/review/meetings/{meeting.pk}/#minute-\d+$"))
    minutes = page.get_by_role("region", name="Minutes")
    assert "Minute 1: Apologies" in minutes.inner_text()
    assert "Decision: Business case, approved on 10 May 2011 (Carers' support SLA)" in minutes.inner_text()
    page.get_by_role("button", name="Move up Minute 2").click()
    page.wait_for_load_state()
    minutes = page.get_by_role("region", name="Minutes")
    assert minutes.inner_text().index("Minute 1: Carers' SLAs") < minutes.inner_text().index("Minute 2: Apologies")
    assert list(MinuteItem.objects.order_by("number").values_list("title", flat=True))[0].startswith("Carers")
    a11y(page)

    # The contracts register: an extension taken is entered on the contract's page.
    page.goto("/review/contracts/")
    page.get_by_role("link", name="Carers' respite contract").click()
    page.wait_for_load_state()
    a11y(page)
    assert (
        page.get_by_label("Start date").input_value() == "2024-04-01"
    )  # the dates come back as the browser reads them
    page.get_by_label("End date").fill("2028-03-31")
    page.get_by_label("Extension options").fill("The 12-month extension was taken in 2026.")
    page.get_by_role("button", name="Save the contract").click()
    page.wait_for_load_state()
    assert page.url.endswith("/review/contracts/"), page.locator(".is-invalid").evaluate_all(
        "els => els.map(e => e.name)"
    )
    contract.refresh_from_db()
    assert (contract.end_on, contract.version) == (date(2028, 3, 31), 2)
    assert Contract.objects.count() == 1
    assert not page.console_errors, page.console_errors
