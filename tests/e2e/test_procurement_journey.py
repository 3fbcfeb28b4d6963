"""Browser journeys: an administrator edits a timetable in Django admin and publishes v2; another person opens
the Gantt chart."""

import datetime as dt

import pytest

from core_groups import roles
from core_groups.models import Organisation
from procurement import services
from procurement.models import Timetable, TimetableTemplate
from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _leeds_project(manager=None):
    services.templates_install()
    leeds, _ = Organisation.objects.get_or_create(
        name="Leeds City Council", defaults={"kind": Organisation.Kind.UNITARY, "is_commissioning_partner": True}
    )
    return services.project_create(
        title="Neighbourhood Networks",
        reference="4092",
        procedure="open",
        lead_organisation=leeds,
        contract_start=dt.date(2010, 4, 1),
        template=TimetableTemplate.objects.get(name="Open procedure, light-touch services"),
        tupe=True,
        project_manager=manager,
    )


def test_an_administrator_edits_a_timetable_in_admin_and_publishes_v2(page):
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    project = _leeds_project()
    timetable = project.timetables.get()
    login(page, "ada")
    page.goto("/admin/procurement/timetable/")
    page.get_by_role("link", name="4092 timetable v1").first.click()
    notes = page.locator("textarea[name$='-notes']").nth(16)  # task 17, soft market testing
    notes.fill("Soft market testing with providers in June 2009")
    page.get_by_label("Publish these changes as a new version").check()
    page.get_by_label("Change note").fill("Soft market testing planned")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Published v2").first.is_visible()
    timetable.refresh_from_db()
    assert timetable.label == "v2"
    assert timetable.tasks.get(number=17).notes == "Soft market testing with providers in June 2009"
    assert Timetable.objects.get(project=project, number=1).tasks.get(number=17).notes == ""
    # The project page reads v2 and the two versions compare task by task.
    page.goto(f"/procurement/projects/{project.pk}/")
    assert page.get_by_role("heading", name="Procurement timetable – v2").is_visible()
    page.get_by_role("link", name="Compare versions").click()
    assert page.get_by_text("1 task differ between v1 and v2").is_visible()


def test_a_programme_officer_opens_the_gantt_chart(page, a11y):
    manager = UserFactory(username="eve", first_name="Eve", roles=[roles.PROGRAMME_TEAM])
    project = _leeds_project(manager)
    login(page, "eve")
    page.get_by_role("link", name="Procurement").first.click()
    page.get_by_role("link", name="Neighbourhood Networks").click()
    assert page.get_by_role("heading", name="Procurement timetable – v1").is_visible()
    a11y(page)
    page.get_by_role("link", name="Gantt chart").click()
    chart = page.locator("figure.chart svg[role='img']")
    assert chart.is_visible()
    assert chart.locator("rect[fill='#b02a37']").count() > 0  # overdue bars in red
    assert "Gantt chart" in page.title() and project.reference in page.title()
    a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/procurement/projects/{project.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not page.console_errors, page.console_errors
