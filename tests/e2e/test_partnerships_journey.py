"""A programme officer imports the demo register (with a bad row first) and opens the map."""

import csv
import io

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core_groups import roles
from core_groups.demo import seed_organisations
from core_groups.models import Organisation
from partnerships.demo import DEMO_CSV, ensure_reference_data
from partnerships.models import FundingArrangement
from tests.e2e.conftest import login
from tests.factories import UserFactory, join_home_partnership

pytestmark = pytest.mark.django_db(transaction=True)


def test_programme_team_imports_the_register_and_opens_the_map(page, a11y, tmp_path):
    seed_organisations()
    join_home_partnership()  # the register's funders and providers are the partnership's members
    ensure_reference_data()
    # Another journey's flush may have removed the role groups the migration created.
    Group.objects.get_or_create(name=roles.PROGRAMME_TEAM)
    team = Organisation.objects.get(name="Kent Supporting People Team")
    UserFactory(username="eve", first_name="Eve", organisation=team, roles=[roles.PROGRAMME_TEAM])

    rows = list(csv.reader(io.StringIO(DEMO_CSV.read_bytes().decode("utf-8-sig"))))
    rows[5][rows[0].index("Provider")] = "Nobody Ltd"
    bad = tmp_path / "register-with-a-bad-row.csv"
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    bad.write_text(out.getvalue())

    login(page, "eve")
    page.get_by_role("link", name="Shared commissioning").click()
    page.get_by_role("link", name="Import a register").first.click()
    a11y(page)
    page.get_by_label("Register file (CSV or Excel .xlsx)").set_input_files(str(bad))
    page.get_by_role("button", name="Check and import").click()
    expect(page.get_by_text("Nothing was imported from register-with-a-bad-row.csv")).to_be_visible()
    problems = page.get_by_role("table", name="Problems in register-with-a-bad-row.csv")
    assert "Nobody Ltd" in problems.inner_text()
    assert FundingArrangement.objects.count() == 0
    a11y(page)

    page.get_by_label("Register file (CSV or Excel .xlsx)").set_input_files(str(DEMO_CSV))
    page.get_by_role("button", name="Check and import").click()
    page.wait_for_url("**/shared/")
    expect(page.get_by_text("100 added, 0 updated")).to_be_visible()
    assert FundingArrangement.objects.count() == 100
    a11y(page)

    page.get_by_role("link", name="Savings model").click()
    page.get_by_role("link", name="all fifteen partners").click()
    result = page.locator("#savings-result").inner_text()
    assert "£426,937.00" in result and "£109,289.00" in result and "£317,648.00" in result
    a11y(page)
    page.get_by_role("link", name="Options and decisions").click()
    a11y(page)

    page.get_by_role("link", name="Map", exact=True).click()
    summary = page.locator("#map-summary").inner_text()
    assert "28 with CABx" in summary and "55 with CVS/VAST" in summary and "17 with Asist, 100 in all" in summary
    assert "£426,937" in summary
    assert page.locator(".chart svg").count() >= 4
    a11y(page)

    page.set_viewport_size({"width": 320, "height": 800})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not page.console_errors, page.console_errors
