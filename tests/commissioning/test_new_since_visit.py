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


def test_what_is_new_since_the_last_visit_is_on_the_dashboard(client):
    ann, bob = UserFactory(), UserFactory()
    client.force_login(ann)
    tell(ann, 1)
    assert "New since your last visit" not in home(client)  # a first visit has no "since"
    # She comes back an hour later; two things happened to her meanwhile, one to Bob.
    NotificationSettings.objects.filter(user=ann).update(visit_at=timezone.now() - dt.timedelta(hours=1))
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
    NotificationSettings.objects.filter(user=ann).update(visit_at=timezone.now() - dt.timedelta(hours=2))
    notifications.Notification.objects.filter(recipient=ann).update(created_at=timezone.now() - dt.timedelta(hours=3))
    assert "Nothing new since then." in home(client)


def test_the_visit_is_remembered_per_person():
    ann = UserFactory()
    first = timezone.now()
    assert notifications.record_visit(ann, now=first) is None
    assert notifications.record_visit(ann, now=first + dt.timedelta(minutes=10)) is None  # the same visit
    later = first + dt.timedelta(hours=3)
    assert notifications.record_visit(ann, now=later) == first + dt.timedelta(minutes=10)
