"""The notification service: one in-app notification and at most one email per event and recipient, as each
person chose; the daily digest; the pages (bell, list, mark read, preferences)."""

import copy
from pathlib import Path

import pytest
from django.urls import reverse

from foundation import notifications
from foundation.models import Delivery, Notification, NotificationPreference, OutboxMessage
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EVENT = notifications.register("tests.event", "Something happened", template="notify/event")
ALWAYS = notifications.register("tests.always", "Something you must know", template="notify/event", mandatory=True)


@pytest.fixture(autouse=True)
def _templates(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    settings.SITE_URL = "https://commissioning.example.gov.uk/"


def tell(recipients, obj="tests.thing:1", event=EVENT, **kwargs):
    return notifications.notify(event, obj, recipients, {"thing": "The thing"}, "/things/1/", **kwargs)


def test_each_recipient_gets_one_notification_and_one_email_with_an_absolute_link():
    ann, bob = UserFactory(email="ann@example.gov.uk"), UserFactory(email="bob@example.gov.uk")
    outsider = UserFactory(email="zed@example.gov.uk")
    result = tell([ann, bob, ann], reason="you are an officer of the applicant")
    assert (result.in_app, result.emailed) == (2, 2)
    assert set(Notification.objects.values_list("recipient_id", flat=True)) == {ann.pk, bob.pk}
    note = Notification.objects.get(recipient=ann)
    assert (note.title, note.link, note.object_key, note.email) == (
        "The thing happened & more",
        "/things/1/",
        "tests.thing:1",
        "queued",
    )
    message = OutboxMessage.objects.get(recipient="ann@example.gov.uk")
    assert message.key == f"notifications.tests.event:tests.thing:1:{ann.pk}"
    body = message.payload["body"]
    assert "See it: https://commissioning.example.gov.uk/things/1/" in body
    assert "because you are an officer of the applicant" in body
    assert "https://commissioning.example.gov.uk/notifications/preferences/" in body
    assert "https://commissioning.example.gov.uk/things/1/" in message.payload["html"]
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_telling_again_writes_and_queues_nothing_new():
    ann = UserFactory(email="ann@example.gov.uk")
    tell([ann])
    again = tell([ann])
    assert (again.in_app, again.emailed) == (0, 0)
    assert Notification.objects.count() == 1 and OutboxMessage.objects.count() == 1


def test_a_model_object_is_referenced_by_content_type_and_id():
    ann = UserFactory(email="ann@example.gov.uk")
    tell([ann], obj=ann)
    note = Notification.objects.get()
    assert note.content_type.model_class() is type(ann) and note.object_id == ann.pk
    assert note.object_key == f"core_groups.user:{ann.pk}"


def test_preferences_decide_email_digest_or_in_app_only_but_not_for_mandatory_kinds():
    now, digest, quiet = (UserFactory(email=f"{n}@example.gov.uk") for n in ("now", "digest", "quiet"))
    notifications.set_preferences(digest, {EVENT.name: Delivery.DIGEST, ALWAYS.name: Delivery.IN_APP})
    notifications.set_preferences(quiet, {EVENT.name: Delivery.IN_APP})
    result = tell([now, digest, quiet])
    assert (result.in_app, result.emailed, result.digest) == (3, 1, 1)
    assert list(OutboxMessage.objects.values_list("recipient", flat=True)) == ["now@example.gov.uk"]
    states = dict(Notification.objects.values_list("recipient__email", "email"))
    assert states == {"now@example.gov.uk": "queued", "digest@example.gov.uk": "digest", "quiet@example.gov.uk": "none"}
    # The mandatory kind is emailed whatever was chosen; the choice for it was not even saved.
    assert not NotificationPreference.objects.filter(kind=ALWAYS.name).exists()
    assert tell([digest, quiet], event=ALWAYS).emailed == 2


def test_an_address_without_an_account_gets_the_email_only_once():
    ann = UserFactory(email="ann@example.gov.uk")
    result = tell([ann, "ANN@example.gov.uk", "contact@example.org"])
    assert result.in_app == 1
    assert sorted(OutboxMessage.objects.values_list("recipient", flat=True)) == [
        "ann@example.gov.uk",
        "contact@example.org",
    ]


def test_nothing_is_written_when_the_callers_transaction_rolls_back():
    ann = UserFactory(email="ann@example.gov.uk")
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        tell([ann])
        raise RuntimeError("the change failed")
    assert not Notification.objects.exists() and not OutboxMessage.objects.exists()


def test_an_unknown_kind_is_refused():
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        notifications.notify("tests.typo", "x:1", [UserFactory()], {}, "/")


def test_the_daily_digest_sends_one_email_per_person_in_a_fixed_number_of_queries(django_assert_max_num_queries):
    people = [UserFactory(email=f"p{n}@example.gov.uk") for n in range(3)]
    for person in people:
        notifications.set_preferences(person, {EVENT.name: Delivery.DIGEST})
    for n in range(4):
        tell(people, obj=f"tests.thing:{n}")
    assert not OutboxMessage.objects.exists()
    with django_assert_max_num_queries(8):
        result = notifications.send_digest()
    assert (result.people, result.notifications) == (3, 12)
    messages = OutboxMessage.objects.all()
    assert messages.count() == 3
    body = messages.get(recipient="p0@example.gov.uk").payload["body"]
    assert body.count("The thing happened") == 4 and "https://commissioning.example.gov.uk/things/1/" in body
    assert set(Notification.objects.values_list("email", flat=True)) == {"digested"}
    assert notifications.send_digest().people == 0


def test_the_digest_scales_with_people_not_notifications(django_assert_max_num_queries):
    person = UserFactory(email="many@example.gov.uk")
    notifications.set_preferences(person, {EVENT.name: Delivery.DIGEST})
    for n in range(60):
        tell([person], obj=f"tests.thing:{n}")
    with django_assert_max_num_queries(8):
        assert notifications.send_digest().notifications == 60


# ---------------------------------------------------------------- pages


def test_the_bell_counts_unread_in_one_query(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    ann = UserFactory(email="ann@example.gov.uk")
    for n in range(3):
        tell([ann], obj=f"tests.thing:{n}")
    notifications.mark_read(ann, Notification.objects.filter(recipient=ann).first().pk)
    client.force_login(ann)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("notifications:preferences"))
    assert response.status_code == 200
    assert '2<span class="visually-hidden"> unread' in response.content.decode()
    assert len([q for q in queries if 'FROM "foundation_notification"' in q["sql"]]) == 1


def test_the_list_filters_marks_one_and_all_read_by_post(client):
    ann, bob = UserFactory(), UserFactory()
    for n in range(3):
        tell([ann, bob], obj=f"tests.thing:{n}")
    client.force_login(ann)
    mine = Notification.objects.filter(recipient=ann)
    first = mine.first()
    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405
    theirs = Notification.objects.filter(recipient=bob).first()
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[first.pk])).status_code == 302
    assert mine.filter(read_at__isnull=True).count() == 2
    unread = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert unread.count('action="/notifications/') == 1 + 2  # mark all, and one per unread
    # Each links through "open", which marks it read and goes on to its object; another's is not found.
    second = mine.filter(read_at__isnull=True).order_by("pk").first()
    assert reverse("notifications:open", args=[second.pk]) in unread
    opened = client.get(reverse("notifications:open", args=[second.pk]))
    assert opened.status_code == 302 and opened["Location"] == second.link
    assert mine.filter(read_at__isnull=True).count() == 1
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not mine.filter(read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=bob, read_at__isnull=True).count() == 3
    empty = client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()
    assert "Nothing unread" in empty


def test_preferences_page_saves_choices_and_keeps_mandatory_ones(client):
    ann = UserFactory()
    client.force_login(ann)
    page = client.get(reverse("notifications:preferences"))
    assert "Something you must know" in page.content.decode()
    choices = {kind.name: Delivery.EMAIL for kind in notifications.kinds()}
    response = client.post(
        reverse("notifications:preferences"), {**choices, EVENT.name: Delivery.DIGEST, ALWAYS.name: Delivery.IN_APP}
    )
    assert response.status_code == 302
    choices = notifications.preferences(ann)
    assert choices[EVENT.name] == Delivery.DIGEST and choices[ALWAYS.name] == Delivery.EMAIL
    bad = client.post(reverse("notifications:preferences"), {EVENT.name: "carrier-pigeon"})
    assert bad.status_code == 200 and "carrier-pigeon" in bad.content.decode()


def test_the_digest_task_queues_the_digest_and_the_outbox_sends_it(mailoutbox, django_capture_on_commit_callbacks):
    from foundation.tasks import send_notification_digest

    ann = UserFactory(email="ann@example.gov.uk")
    notifications.set_preferences(ann, {EVENT.name: Delivery.DIGEST})
    tell([ann])
    with django_capture_on_commit_callbacks(execute=True):
        assert send_notification_digest.apply().get() == {"people": 1, "notifications": 1}
    assert [m.to for m in mailoutbox] == [["ann@example.gov.uk"]]
    assert "1 new notification" in mailoutbox[0].subject
