"""Minutes with numbered items (added, changed, reordered) and the decisions taken under them (issue 16 item 5)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core_groups import services as core_services
from core_groups.models import Decision
from foundation.editing import StaleEdit
from review import services
from review.exceptions import NotAllowed
from review.models import DecisionMinute, MinuteItem
from tests.factories import CommissionFactory, CoreGroupFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(personas, carers):
    return services.meeting_record(
        programme=carers.programme,
        body="steering_group",
        body_name="Project Steering Group",
        held_on=date(2011, 5, 10),
        attendance={personas.member: "attended"},
    )


def _decision(commission, user, on=date(2011, 5, 10)):
    return core_services.record_decision(
        subject=commission,
        kind=Decision.Kind.BUSINESS_CASE,
        outcome=Decision.Outcome.APPROVED,
        decided_by=user,
        decided_on=on,
        subject_version=commission.version,
        values=commission.business_case_values(),
    )


def _add(personas, meeting, title, **kwargs):
    return services.minute_item_add(user=personas.evaluator, meeting=meeting, title=title, **kwargs)


def test_items_are_numbered_in_order_and_reordered_by_swapping(personas, meeting):
    first, second, third = (_add(personas, meeting, t) for t in ("Apologies", "Carers' SLAs", "Any other business"))
    assert [i.number for i in (first, second, third)] == [1, 2, 3]
    services.minute_item_move(user=personas.evaluator, item=third, direction="up")
    assert list(meeting.minute_items.values_list("title", flat=True)) == [
        "Apologies",
        "Any other business",
        "Carers' SLAs",
    ]
    assert list(meeting.minute_items.values_list("number", flat=True)) == [1, 2, 3]
    with pytest.raises(ValidationError, match="already the first"):
        services.minute_item_move(user=personas.evaluator, item=first, direction="up")
    with pytest.raises(ValidationError):
        services.minute_item_move(user=personas.evaluator, item=first, direction="sideways")


def test_only_the_programme_team_keeps_the_minutes(personas, meeting):
    with pytest.raises(NotAllowed):
        services.minute_item_add(user=personas.officer, meeting=meeting, title="Apologies")
    assert not MinuteItem.objects.exists()


def test_edit_checks_the_version(personas, meeting):
    item = _add(personas, meeting, "Apologies")
    services.minute_item_update(
        user=personas.evaluator, item=item, expected_version=1, title="Apologies received", text="From RCT."
    )
    with pytest.raises(StaleEdit):
        services.minute_item_update(user=personas.evaluator, item=item, expected_version=1, title="Lost", text="")
    item.refresh_from_db()
    assert (item.title, item.version) == ("Apologies received", 2)


def test_decisions_reference_a_meeting_and_minute_item(personas, carers, meeting):
    decision = _decision(carers.own, personas.body)
    item = _add(personas, meeting, "Carers' SLAs", decisions=[decision])
    link = DecisionMinute.objects.get(decision=decision)
    assert (link.minute_item.meeting, link.minute_item.label) == (meeting, "Minute 1")
    assert decision.review_minute.minute_item == item

    # A decision is recorded at one minute only.
    other = _add(personas, meeting, "Any other business")
    with pytest.raises(ValidationError, match="already recorded at Project Steering Group, 10 May 2011, Minute 1"):
        services.minute_item_update(
            user=personas.evaluator, item=other, expected_version=1, title="AOB", text="", decisions=[decision]
        )
    other.refresh_from_db()
    assert other.title == "Any other business"  # nothing saved half-way

    # A decision about another programme's service is refused, and nothing is saved.
    elsewhere = CommissionFactory(core_group=CoreGroupFactory(name="Elsewhere"), title="Elsewhere SLA")
    foreign = _decision(elsewhere, personas.body)
    with pytest.raises(ValidationError, match="not about this programme"):
        _add(personas, meeting, "Elsewhere", decisions=[foreign])
    assert meeting.minute_items.count() == 2

    # Unlinking keeps the decision on record.
    services.minute_item_update(user=personas.evaluator, item=item, expected_version=1, title="Carers' SLAs", text="")
    assert not DecisionMinute.objects.exists() and Decision.objects.filter(pk=decision.pk).exists()


def test_pages_add_edit_and_move_items(client, personas, carers, meeting):
    decision = _decision(carers.own, personas.body)
    client.force_login(personas.evaluator)
    add = reverse("review:minute_add", args=[meeting.pk])
    page = client.get(add).content.decode()
    assert "Carers&#x27; support SLA" in page  # the programme's decision is offered
    # No title: the form comes back with the error beside the field, nothing saved.
    response = client.post(add, {"title": "", "text": "Minuted."})
    assert response.status_code == 200 and "This field is required." in response.content.decode()
    assert not MinuteItem.objects.exists()
    response = client.post(add, {"title": "Carers' SLAs", "text": "Measures agreed.", "decisions": [decision.pk]})
    assert response.status_code == 302
    client.post(add, {"title": "Any other business"})
    item = MinuteItem.objects.get(number=1)

    page = client.get(reverse("review:meeting", args=[meeting.pk])).content.decode()
    assert "Minute 1: Carers&#x27; SLAs" in page and "Minute 2: Any other business" in page
    assert "Decision: Business case, approved on 10 May 2011 (Carers&#x27; support SLA)" in page

    edit = reverse("review:minute_edit", args=[item.pk])
    response = client.post(edit, {"title": "Carers' SLAs and measures", "text": "", "version": "1"})
    assert response.status_code == 302
    stale = client.post(edit, {"title": "Lost", "text": "", "version": "1"})
    assert stale.status_code == 200 and "while you were editing it" in stale.content.decode()
    item.refresh_from_db()
    assert item.title == "Carers' SLAs and measures" and not item.decision_links.exists()

    response = client.post(reverse("review:minute_move", args=[item.pk]), {"direction": "down"})
    assert response.status_code == 302
    assert list(meeting.minute_items.values_list("title", flat=True)) == [
        "Any other business",
        "Carers' SLAs and measures",
    ]
    # The last item cannot go further down: a message, nothing moved.
    item.refresh_from_db()
    response = client.post(reverse("review:minute_move", args=[item.pk]), {"direction": "down"}, follow=True)
    assert "already the last" in response.content.decode()


def test_officer_reads_minutes_but_cannot_change_them(client, personas, meeting):
    item = _add(personas, meeting, "Apologies")
    client.force_login(personas.officer)
    page = client.get(reverse("review:meeting", args=[meeting.pk])).content.decode()
    assert "Minute 1: Apologies" in page and "Add a minute item" not in page
    assert client.get(reverse("review:minute_edit", args=[item.pk])).status_code == 403
    assert client.post(reverse("review:minute_move", args=[item.pk]), {"direction": "down"}).status_code == 403


def test_the_decision_register_names_the_meeting_and_minute_a_decision_is_linked_to(personas, carers, meeting):
    from commissioning import decision_register

    decision = _decision(carers.own, personas.body)
    _add(personas, meeting, "Carers' SLAs", decisions=[decision])
    partnership = carers.programme.partnership
    entry = next(e for e in decision_register.entries(partnership) if e.subject.startswith(carers.own.title))
    assert (entry.meeting, entry.minute) == (str(meeting), "Minute 1: Carers' SLAs")
