"""Browser journeys: an administrator edits a timetable in Django admin and publishes v2; another person opens
the Gantt chart."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from core_groups import roles
from core_groups.models import Organisation
from procurement import services
from procurement.models import Timetable
from tests.e2e.conftest import login
from tests.factories import UserFactory, home_partnership, join_home_partnership

pytestmark = pytest.mark.django_db(transaction=True)


def _leeds_project(manager=None):
    services.templates_install()
    leeds, _ = Organisation.objects.get_or_create(
        name="Leeds City Council", defaults={"kind": Organisation.Kind.UNITARY, "is_commissioning_partner": True}
    )
    # Leeds is a member of the partnership the people of these journeys work in: its project belongs there (a
    # project of no partnership, or of another, is not found by anyone but in admin).
    leeds.partnerships.add(home_partnership())
    return services.project_create(
        title="Neighbourhood Networks",
        reference="4092",
        procedure="open",
        lead_organisation=leeds,
        contract_start=dt.date(2010, 4, 1),
        template=services.leeds_template_install(partnership=home_partnership()),
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
    expect(page.get_by_text("Published v2").first).to_be_visible()
    timetable.refresh_from_db()
    assert timetable.label == "v2"
    assert timetable.tasks.get(number=17).notes == "Soft market testing with providers in June 2009"
    assert Timetable.objects.get(project=project, number=1).tasks.get(number=17).notes == ""
    # The project page reads v2 and the two versions compare task by task.
    page.goto(f"/procurement/projects/{project.pk}/")
    expect(page.get_by_role("heading", name="Procurement timetable – v2")).to_be_visible()
    page.get_by_role("link", name="Compare versions").click()
    expect(page.get_by_text("1 task differ between v1 and v2")).to_be_visible()


def test_a_programme_officer_opens_the_gantt_chart(page, a11y):
    manager = UserFactory(username="eve", first_name="Eve", roles=[roles.PROGRAMME_TEAM])
    project = _leeds_project(manager)
    login(page, "eve")
    page.get_by_role("navigation", name="Main navigation").get_by_role("button", name="Procurement").click()
    page.get_by_role("link", name="Procurement projects").click()
    page.get_by_role("link", name="Neighbourhood Networks").click()
    expect(page.get_by_role("heading", name="Procurement timetable – v1")).to_be_visible()
    a11y(page)
    page.get_by_role("link", name="Gantt chart").click()
    chart = page.locator("figure.chart svg[role='img']")
    expect(chart).to_be_visible()
    assert chart.locator("rect[fill='#b02a37']").count() > 0  # overdue bars in red
    assert "Gantt chart" in page.title() and project.reference in page.title()
    a11y(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/procurement/projects/{project.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not page.console_errors, page.console_errors


def test_the_programme_team_creates_a_project_updates_a_task_and_publishes_v2_in_the_pages(page, a11y):
    services.templates_install()
    Group.objects.get_or_create(name=roles.PROGRAMME_TEAM)  # a transactional test elsewhere may have flushed it
    UserFactory(username="eve", first_name="Eve", roles=[roles.PROGRAMME_TEAM])
    Organisation.objects.get_or_create(
        name="Leeds City Council", defaults={"kind": Organisation.Kind.UNITARY, "is_commissioning_partner": True}
    )
    Organisation.objects.get_or_create(
        name="NHS Leeds", defaults={"kind": Organisation.Kind.HEALTH, "is_commissioning_partner": True}
    )
    join_home_partnership()  # Leeds and NHS Leeds are partners of the partnership eve works in
    login(page, "eve")
    page.goto("/procurement/")
    page.get_by_role("link", name="New project").click()
    page.get_by_label("Reference").fill("PA-9")
    page.get_by_label("Title").fill("Advice services")
    page.get_by_label("Procedure").select_option("open")
    page.get_by_label("Lead organisation").select_option(label="Leeds City Council")
    page.get_by_label("Contract start").fill("2030-04-01")
    page.get_by_label("Timetable template").select_option(label="Grant agreement")
    page.get_by_label("Partner 1", exact=True).select_option(label="NHS Leeds")
    page.get_by_label("Partner 1: annual contribution (£)").fill("-5")
    page.get_by_role("button", name="Create the project and draw its timetable").click()
    # Bad input: the messages are beside their fields, and what was typed stays.
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.get_by_text("A contribution cannot be negative.")).to_be_visible()
    expect(page.get_by_text("is a template for the grant agreement")).to_be_visible()
    assert page.get_by_label("Title").input_value() == "Advice services"
    a11y(page)
    page.get_by_label("Timetable template").select_option(label="Open procedure (Procurement Act 2023)")
    page.get_by_label("Partner 1: annual contribution (£)").fill("40000")
    page.get_by_role("button", name="Create the project and draw its timetable").click()
    expect(page.get_by_text("Created PA-9 Advice services with its timetable v1")).to_be_visible()
    expect(page.get_by_role("heading", name="Procurement timetable – v1")).to_be_visible()

    page.get_by_role("link", name="Update task 1", exact=True).click()
    page.get_by_label("Status").select_option("done")
    page.get_by_label("Notes").fill("Business case approved")
    a11y(page)
    page.get_by_role("button", name="Save the task").click()
    expect(page.get_by_text("Task 1 updated: done. It will send no more reminders.")).to_be_visible()

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_label("What changed").fill("Business case approved")
    page.get_by_role("button", name="Publish as v2").click()
    expect(page.get_by_text("Published v2; v1 is kept as it was.")).to_be_visible()
    expect(page.get_by_role("heading", name="Procurement timetable – v2")).to_be_visible()
    timetable = Timetable.objects.get(project__reference="PA-9", is_current=True)
    assert timetable.label == "v2" and timetable.tasks.get(number=1).notes == "Business case approved"
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/procurement/projects/{timetable.project_id}/edit/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert not page.console_errors, page.console_errors


def test_an_administrator_swaps_two_tasks_inserts_one_and_publishes_a_new_version(page):
    """Issue 14: in admin, swapping tasks 13 and 14, inserting a task in the middle and publishing is no 500."""
    UserFactory(username="ada", is_staff=True, is_superuser=True)
    project = _leeds_project()
    timetable = project.timetables.get()
    thirteen = timetable.tasks.get(number=13).activity
    fourteen = timetable.tasks.get(number=14).activity
    total = timetable.tasks.count()
    login(page, "ada")
    page.goto(f"/admin/procurement/timetable/{timetable.pk}/change/")
    numbers = page.locator("input[name^='tasks-'][name$='-number']")
    assert numbers.nth(12).input_value() == "13" and numbers.nth(13).input_value() == "14"
    numbers.nth(12).fill("14")
    numbers.nth(13).fill("13")
    # A new task in the middle: numbered 20, it goes in before the old 20 and the rest move down one.
    page.locator(".add-row a").click()
    row = page.locator("tr.dynamic-tasks").last
    row.locator("input[name$='-number']").fill("20")
    row.locator("select[name$='-stage']").select_option("tender")
    row.locator("input[name$='-activity']").fill("Equality impact assessment of the specification")
    row.locator("select[name$='-precision']").select_option("month")
    row.locator("input[name$='-due']").fill("2009-03-31")
    page.get_by_label("Publish these changes as a new version").check()
    page.get_by_label("Change note").fill("Tasks 13 and 14 swapped; equality impact assessment added")
    with page.expect_navigation(wait_until="load") as navigation:
        page.get_by_role("button", name="Save", exact=True).click()
    assert navigation.value.status < 500
    expect(page.get_by_text("Published v2").first).to_be_visible()
    timetable.refresh_from_db()
    assert timetable.label == "v2"
    assert timetable.tasks.get(number=13).activity == fourteen
    assert timetable.tasks.get(number=14).activity == thirteen
    assert timetable.tasks.get(number=20).activity == "Equality impact assessment of the specification"
    assert sorted(timetable.tasks.values_list("number", flat=True)) == list(range(1, total + 2))
    v1 = Timetable.objects.get(project=project, number=1)
    assert v1.tasks.get(number=13).activity == thirteen and v1.tasks.count() == total
    # The new version is what the project page shows; the timetable list names it too.
    page.goto(f"/procurement/projects/{project.pk}/")
    expect(page.get_by_role("heading", name="Procurement timetable – v2")).to_be_visible()
    expect(page.get_by_text("Equality impact assessment of the specification").first).to_be_visible()
    page.goto("/admin/procurement/timetable/")
    expect(page.get_by_role("link", name="4092 timetable v2").first).to_be_visible()


def test_the_project_manager_reorders_inserts_and_removes_tasks_on_the_project_page(page, a11y):
    manager = UserFactory(username="eve", first_name="Eve", roles=[roles.PROGRAMME_TEAM])
    project = _leeds_project(manager)
    timetable = project.timetables.get()
    thirteen, fourteen = (timetable.tasks.get(number=n).activity for n in (13, 14))
    login(page, "eve")
    page.goto(f"/procurement/projects/{project.pk}/")
    page.get_by_role("button", name="Move task 13 down one").click()
    expect(page.get_by_text(f"Task '{thirteen}' is now task 14.")).to_be_visible()
    assert [timetable.tasks.get(number=n).activity for n in (13, 14)] == [fourteen, thirteen]
    # A move that breaks the order of the stages: both tasks named, nothing saved.
    page.get_by_role("link", name="Move or remove task 18", exact=True).click()
    page.get_by_role("button", name="Move up one").click()
    expect(page.get_by_text("Nothing was saved")).to_be_visible()
    expect(page.get_by_text("stages must be in order").first).to_be_visible()
    a11y(page)
    page.goto(f"/procurement/projects/{project.pk}/")
    page.get_by_role("link", name="Insert a task").click()
    page.get_by_label("Number").fill("20")
    page.get_by_label("Stage").select_option("tender")
    page.get_by_label("Activity").fill("Equality impact assessment of the specification")
    page.get_by_label("Precision").select_option("month")
    page.get_by_label("Due date").fill("2009-03-31")
    page.get_by_role("button", name="Insert the task").click()
    expect(page.get_by_text("Task 20 'Equality impact assessment of the specification' added")).to_be_visible()
    page.get_by_role("link", name="Move or remove task 20", exact=True).click()
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove the task").click()
    expect(page.get_by_text("removed; the tasks after it moved up")).to_be_visible()
    assert not timetable.tasks.filter(activity__startswith="Equality impact").exists()
    assert not page.console_errors, page.console_errors
