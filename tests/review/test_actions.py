"""Action plans: the overdue listing, filters and pages, obstacles named to a board, the version check and
the partnership boundary."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from foundation.editing import StaleEdit
from review import selectors, services
from review.exceptions import NotAllowed
from review.models import Action
from tests.factories import PartnershipFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(personas):
    programme = ProgrammeFactory(name="Compact action plan")
    today = timezone.localdate()
    late = services.action_create(
        user=personas.evaluator,
        programme=programme,
        title="Hold the Borough workshop",
        owner=personas.officer,
        due_on=today - timedelta(days=3),
        status=Action.Status.IN_PROGRESS,
    )
    done_late = services.action_create(
        user=personas.evaluator,
        programme=programme,
        title="Publish the Code",
        due_on=today - timedelta(days=30),
        status=Action.Status.DONE,
    )
    future = services.action_create(
        user=personas.evaluator, programme=programme, title="Agree measures", due_on=today + timedelta(days=10)
    )
    return type("Plan", (), {"programme": programme, "late": late, "done_late": done_late, "future": future})


def test_overdue_lists_only_open_actions_past_their_due_date(plan):
    overdue = list(selectors.overdue_actions(plan.programme.partnership))
    assert overdue == [plan.late]


def test_obstacle_must_name_its_board(personas, plan):
    with pytest.raises(Exception) as excinfo:
        services.action_create(
            user=personas.evaluator, programme=plan.programme, title="Leads do not attend", kind="obstacle"
        )
    assert "reported_to" in excinfo.value.message_dict
    obstacle = services.action_create(
        user=personas.evaluator,
        programme=plan.programme,
        title="Leads do not attend",
        kind="obstacle",
        reported_to="lsb",
    )
    assert obstacle.get_reported_to_display() == "Local Service Board"


def test_only_the_programme_team_adds_actions(personas, plan):
    with pytest.raises(NotAllowed):
        services.action_create(user=personas.officer, programme=plan.programme, title="Mine")
    assert not Action.objects.filter(title="Mine").exists()


def test_update_checks_the_version_and_keeps_progress_history(personas, plan):
    action = plan.late
    services.action_update(user=personas.officer, action=action, expected_version=1, progress="Venue booked.")
    with pytest.raises(StaleEdit):
        services.action_update(user=personas.evaluator, action=action, expected_version=1, progress="Overwrite")
    action.refresh_from_db()
    assert action.progress == "Venue booked." and action.version == 2
    assert [h.progress for h in action.history.order_by("history_date")] == ["", "Venue booked."]


def test_list_filters_overdue_and_shows_empty_state(client, personas, plan):
    client.force_login(personas.evaluator)
    page = client.get(reverse("review:actions"), {"overdue": "on"})
    assert page.status_code == 200
    assert list(page.context["actions"]) == [plan.late]
    assert "Overdue" in page.content.decode()
    page = client.get(reverse("review:actions"), {"status": "blocked"})
    assert "No actions match these filters" in page.content.decode()


def test_list_sorts_and_paginates(client, personas, plan):
    for n in range(30):
        services.action_create(user=personas.evaluator, programme=plan.programme, title=f"Step {n:02}")
    client.force_login(personas.evaluator)
    page = client.get(reverse("review:actions"), {"sort": "title"})
    assert page.context["paginator"].count == 33
    assert len(page.context["actions"]) == 25
    assert page.context["actions"][0].title == "Agree measures"


def test_another_partnerships_action_is_not_found(client, personas, plan):
    elsewhere = ProgrammeFactory(name="Elsewhere", partnership=PartnershipFactory(short_name="elsewhere"))
    theirs = services.action_create(user=personas.admin, programme=elsewhere, title="Not yours")
    client.force_login(personas.evaluator)
    assert client.get(reverse("review:action_edit", args=[theirs.pk])).status_code == 404
    assert theirs not in client.get(reverse("review:actions")).context["actions"]


def test_edit_page_saves_and_refuses_a_stale_version(client, personas, plan):
    client.force_login(personas.evaluator)
    url = reverse("review:action_edit", args=[plan.future.pk])
    data = {
        "kind": "action",
        "title": "Agree measures",
        "due_on": (timezone.localdate() + timedelta(days=10)).isoformat(),
        "status": "in_progress",
        "progress": "Draft measures circulated.",
        "version": "1",
    }
    assert client.post(url, data).status_code == 302
    page = client.post(url, {**data, "progress": "Lost update"})
    assert page.status_code == 200 and "while you were editing" in page.content.decode()
    plan.future.refresh_from_db()
    assert plan.future.progress == "Draft measures circulated."


def test_dashboard_shows_overdue_actions(client, personas, plan):
    client.force_login(personas.evaluator)
    page = client.get("/")
    assert "Hold the Borough workshop" in page.content.decode()


def test_report_section_splits_obstacles_overdue_and_next_steps(personas, plan):
    from review import report_sections

    services.action_create(
        user=personas.evaluator,
        programme=plan.programme,
        title="Leads do not attend",
        kind="obstacle",
        reported_to="lsb",
    )
    data = report_sections.action_plan(plan.programme, None, timezone.localdate())
    assert [r["title"] for r in data["overdue"]] == ["Hold the Borough workshop"]
    assert [r["title"] for r in data["next_steps"]] == ["Agree measures"]
    assert [(r["title"], r["reported_to"]) for r in data["obstacles"]] == [
        ("Leads do not attend", "Local Service Board")
    ]
    assert [r["title"] for r in data["done"]] == ["Publish the Code"]
    public = report_sections.action_plan(plan.programme, None, timezone.localdate(), public=True)
    assert public["overdue"][0]["owner"] == "" and data["overdue"][0]["owner"]


def test_edit_page_gives_the_due_date_back_as_a_date_input_reads_it(client, personas, plan):
    """A type=date input only takes 2011-12-31: a date shown as 31/12/2011 would come back empty on save."""
    client.force_login(personas.evaluator)
    page = client.get(reverse("review:action_edit", args=[plan.future.pk])).content.decode()
    assert f'type="date" name="due_on" value="{plan.future.due_on.isoformat()}"' in page
