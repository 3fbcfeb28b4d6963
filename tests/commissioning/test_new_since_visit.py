"""The dashboard shows what is new since the person's last visit (issue 15): the notifications they were told of
since then, linking through to their objects; pages opened close together are one visit."""

import copy
import datetime as dt
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from foundation import notifications
from foundation.models import NotificationSettings
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT = notifications.register("tests.dashboard_event", "Something for the dashboard", template="notify/event")


@pytest.fixture(autouse=True)
def _templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent.parent / "foundation" / "templates"]
    settings.TEMPLATES = templates


def tell(user, n):
    notifications.notify(EVENT, f"tests.thing:{n}", [user], {"thing": f"Thing {n}"}, f"/things/{n}/")


def home(client):
    return client.get(reverse("home")).content.decode()


def time_passes(client, user, hours):
    """The person was last on the home page ``hours`` ago: in the database and in what their session remembers
    (a reload within VISIT_WRITE_EVERY is answered from the session, with no write)."""
    NotificationSettings.objects.filter(user=user).update(visit_at=timezone.now() - dt.timedelta(hours=hours))
    session = client.session
    session.pop(notifications.SESSION_VISIT, None)
    session.save()


def test_what_is_new_since_the_last_visit_is_on_the_dashboard(client):
    ann, bob = UserFactory(), UserFactory()
    client.force_login(ann)
    tell(ann, 1)
    assert "New since your last visit" not in home(client)  # a first visit has no "since"
    # She comes back an hour later; two things happened to her meanwhile, one to Bob.
    time_passes(client, ann, hours=1)
    notifications.Notification.objects.filter(recipient=ann).update(created_at=timezone.now() - dt.timedelta(hours=2))
    tell(ann, 2)
    tell(ann, 3)
    tell(bob, 4)
    page = home(client)
    assert "New since your last visit" in page
    assert "2 new notifications" in page
    opened = [notifications.Notification.objects.get(recipient=ann, object_key=f"tests.thing:{n}") for n in (2, 3)]
    for note in opened:
        assert reverse("notifications:open", args=[note.pk]) in page
    assert "Thing 1 happened" not in page and "Thing 2 happened" in page
    # A reload within the visit still shows them; the next visit, much later, starts afresh.
    assert "2 new notifications" in home(client)
    time_passes(client, ann, hours=2)
    notifications.Notification.objects.filter(recipient=ann).update(created_at=timezone.now() - dt.timedelta(hours=3))
    assert "Nothing new since then." in home(client)


def test_the_visit_is_remembered_per_person():
    ann = UserFactory()
    first = timezone.now()
    assert notifications.record_visit(ann, now=first) is None
    assert notifications.record_visit(ann, now=first + dt.timedelta(minutes=10)) is None  # the same visit
    later = first + dt.timedelta(hours=3)
    assert notifications.record_visit(ann, now=later) == first + dt.timedelta(minutes=10)


def test_a_reload_within_five_minutes_writes_nothing_and_shows_the_same_news():
    ann = UserFactory()
    first = timezone.now() - dt.timedelta(hours=3)
    notifications.record_visit(ann, now=first)
    session = {}
    start = timezone.now()
    assert notifications.record_visit(ann, now=start, session=session) == first  # a new visit: written
    NotificationSettings.objects.filter(user=ann).update(visit_at=None, previous_visit_at=None)  # to see no write
    assert notifications.record_visit(ann, now=start + dt.timedelta(minutes=4), session=session) == first
    assert NotificationSettings.objects.get(user=ann).visit_at is None  # answered by the session
    # Five minutes on, the visit is written again (the same visit: what is new is still new since ``first``).
    NotificationSettings.objects.filter(user=ann).update(visit_at=start, previous_visit_at=first)
    assert notifications.record_visit(ann, now=start + dt.timedelta(minutes=6), session=session) == first
    assert NotificationSettings.objects.get(user=ann).visit_at == start + dt.timedelta(minutes=6)
    # Someone else's session, or a mangled one, is not believed.
    assert notifications.record_visit(UserFactory(), now=start, session=session) is None
    session[notifications.SESSION_VISIT] = {"user": ann.pk, "at": "yesterday"}
    assert notifications.record_visit(ann, now=start + dt.timedelta(minutes=7), session=session) == first


def test_the_home_page_reloaded_within_the_visit_does_not_write_the_visit(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ann = UserFactory()
    client.force_login(ann)
    home(client)  # the first page of the visit writes it
    with CaptureQueriesContext(connection) as queries:
        home(client)
    writes = [q["sql"] for q in queries if "notificationsettings" in q["sql"].lower()]
    assert writes == [], writes
