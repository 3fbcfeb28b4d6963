"""Review (issue 16), in a real browser: a provider's user sees only their own services and submits a quarterly
return; the programme team rates it (RAG and comment); the measure's chart and its table show the figure."""

from datetime import date
from decimal import Decimal

import pytest

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
    assert "Rated the return for 2011-12 Q1" in page.content()
    assert "Above target; the sector survey is due again in March." in page.locator("main").inner_text()
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
