"""Meetings' attendance over a period, per member and per organisation; events' totals per sector."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from review import selectors, services
from review.models import Attendance, Event
from tests.factories import OrganisationFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

A, X = Attendance.Status.ATTENDED, Attendance.Status.ABSENT


@pytest.fixture
def steering():
    programme = ProgrammeFactory(name="Compact")
    council = OrganisationFactory(name="Merthyr Tydfil County Borough Council")
    cvc = OrganisationFactory(name="Interlink")
    never, once, often = (UserFactory(username=n, organisation=council) for n in ("never", "once", "often"))
    chair = UserFactory(username="chair", organisation=cvc)
    pattern = [
        {never: X, once: A, often: A, chair: A},
        {never: X, once: X, often: A, chair: A},
        {never: X, once: X, often: X, chair: A},
    ]
    for i, attendance in enumerate(pattern):
        services.meeting_record(
            programme=programme,
            body="steering_group",
            held_on=dt.date(2010, 1, 10) + dt.timedelta(days=60 * i),
            attendance=attendance,
        )
    return programme


def _label(programme, name):
    from core_groups.models import Organisation

    return Organisation.objects.get(name=name).label


def test_attendance_per_member_and_organisation(steering):
    summary = selectors.attendance_summary(selectors.meetings_between(None, None, steering))
    assert len(summary.meetings) == 3
    assert summary.pattern_by_organisation[_label(steering, "Interlink")] == ["1 member attended 3 times"]
    by_name = {o.organisation: o for o in summary.organisations}
    assert sum(o.attended for o in by_name.values()) == 3 + 3
    assert sorted(m.attended for m in summary.members) == [0, 1, 2, 3]
    council = summary.pattern_by_organisation[_label(steering, "Merthyr Tydfil County Borough Council")]
    assert council == ["1 member never attended", "1 member attended once", "1 member attended twice"]


def test_attendance_over_a_shorter_period_counts_only_its_meetings(steering):
    summary = selectors.attendance_summary(selectors.meetings_between(dt.date(2010, 3, 1), None, steering))
    assert len(summary.meetings) == 2
    assert sorted(m.attended for m in summary.members) == [0, 0, 1, 2]


def test_meetings_page_refuses_a_backwards_period_without_error(client, personas, steering):
    client.force_login(personas.officer)
    response = client.get(reverse("review:meetings"), {"start": "2011-01-01", "end": "2010-01-01"})
    assert response.status_code == 200
    assert "cannot be before its start" in response.content.decode()
    response = client.get(reverse("review:meetings"), {"start": "not a date"})
    assert response.status_code == 200


def test_event_shares_over_100_are_refused_and_nothing_saved(steering):
    with pytest.raises(ValidationError):
        services.event_record(
            programme=steering,
            title="Launch",
            held_on=dt.date(2011, 3, 1),
            share_very_good_or_excellent=Decimal("70"),
            share_good=Decimal("40"),
        )
    with pytest.raises(ValidationError):
        services.event_record(
            programme=steering, title="Launch", held_on=dt.date(2011, 3, 1), share_very_good_or_excellent=Decimal("101")
        )
    assert not Event.objects.exists()


def test_event_totals_per_sector(client, personas, steering):
    services.event_record(
        programme=steering,
        title="Cracking the Code",
        held_on=dt.date(2010, 6, 1),
        attended_public=31,
        attended_third=43,
    )
    services.event_record(
        programme=steering, title="Demystifying", held_on=dt.date(2011, 7, 1), attended_public=0, attended_third=20
    )
    totals = selectors.event_totals(list(selectors.events_between(None, dt.date(2010, 12, 31), steering)))
    assert (totals.public, totals.third, totals.attended) == (31, 43, 74)
    client.force_login(personas.provider)
    page = client.get(reverse("review:events")).content.decode()
    assert "Cracking the Code" in page and "Demystifying" in page


def test_meeting_page_lists_who_came(client, personas, steering):
    meeting = steering.meetings.order_by("held_on").first()
    client.force_login(personas.officer)
    page = client.get(reverse("review:meeting", args=[meeting.pk])).content.decode()
    assert page.count("<td>Attended</td>") == 3 and page.count("<td>Absent</td>") == 1
