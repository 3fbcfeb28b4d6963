"""The demo reproduces the source's event and attendance figures on the pages (seed 002)."""

import io

import pytest
from django.urls import reverse

from core_groups import roles, tenancy
from core_groups.demo import seed_logins, seed_organisations
from core_groups.models import PartnershipRole, Programme, User
from review import demo
from review.models import Event, Meeting, Return
from tests.factories import PartnershipFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    seed_organisations()
    seed_logins()
    demo.seed(io.StringIO())
    # The steering group's work belongs to the Merthyr/RCT Compact: its programme team reads it (issue 12).
    compact = PartnershipFactory(short_name="compact-test", name="Compact")
    Programme.objects.filter(name=demo.PROGRAMME).update(partnership=compact)
    evaluator = User.objects.get(username="evaluator")
    PartnershipRole.objects.filter(user=evaluator).delete()
    tenancy.grant_roles(user=evaluator, partnership=compact, role_names=[roles.PROGRAMME_TEAM])
    evaluator.organisation.partnerships.clear()
    return evaluator


def test_seeding_twice_leaves_one_copy(seeded):
    counts = (Meeting.objects.count(), Event.objects.count(), Return.objects.count())
    demo.seed(io.StringIO())
    assert (Meeting.objects.count(), Event.objects.count(), Return.objects.count()) == counts == (8, 3, 6)


def test_events_page_shows_the_sources_figures(client, seeded):
    client.force_login(seeded)
    page = client.get(reverse("review:events")).content.decode()
    assert "Cracking the Code consultation event" in page
    assert "98% very good or excellent" in page
    assert "63% very good or excellent, 37% good" in page
    assert "All 20 (100%) rated every measure 4 or 5." in page
    # 74 and 76 attended; 31 + 28 + 0 public and 43 + 48 + 20 third sector over the period.
    assert '<td class="text-end">74</td>' in page and '<td class="text-end">76</td>' in page
    assert '<td class="text-end">59</td><td class="text-end">111</td><td class="text-end">170</td>' in page


def test_attendance_page_counts_local_authority_members_as_the_source_does(client, seeded):
    client.force_login(seeded)
    page = client.get(reverse("review:meetings")).content.decode()
    assert (
        "Unitary council</strong>: 1 member never attended, 2 members attended once, "
        "1 member attended twice, 1 member attended 3 times" in page
    )


def test_carers_provider_sees_only_their_own_sla(client, seeded):
    client.force_login(User.objects.get(username="carers"))
    page = client.get(reverse("review:returns")).content.decode()
    assert "Carers A" in page and "Carers B" not in page


def test_programme_page_shows_baseline_from_survey_and_a_measure_without_one(client, seeded):
    client.force_login(seeded)
    programme = Meeting.objects.first().programme
    page = client.get(reverse("review:programme", args=[programme.pk])).content.decode()
    assert "VAMT and Interlink sector survey" in page
    assert "No baseline set" in page


def test_demo_action_plan_has_the_sources_recommendations_and_obstacle(seeded):
    from review.models import Action

    demo.seed(io.StringIO())
    assert Action.objects.count() == 4
    obstacle = Action.objects.get(kind=Action.Kind.OBSTACLE)
    assert obstacle.get_reported_to_display() == "Local Service Board"
    assert "1 member never attended" in obstacle.progress


def test_the_last_steering_group_meeting_has_numbered_minutes(client, seeded):
    from review.models import MinuteItem

    demo.seed(io.StringIO())
    meeting = Meeting.objects.order_by("-held_on").first()
    assert list(meeting.minute_items.values_list("number", flat=True)) == [1, 2, 3, 4]
    assert MinuteItem.objects.count() == 4
    client.force_login(seeded)
    page = client.get(reverse("review:meeting", args=[meeting.pk])).content.decode()
    assert "Minute 3: Performance measures for the carers&#x27; SLAs" in page
