"""Round events through foundation.notifications (issue 15): the close moved (with the reason) and the
evaluation complete. The right people of the round's partnership are told once, in the app and by email."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from foundation.models import Notification, OutboxMessage
from growth_bids import notifications, services
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory
from tests.growth_bids.helpers import bid_data, close_round, make_round, moderate, submitted_bid
from tests.notify_assertions import SITE, assert_told

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def elsewhere():
    """An officer and a Body member of another partnership: never told of this one's rounds."""
    partnership = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    far = OrganisationFactory(name="Far Away Council", partnerships=[partnership])
    UserFactory(username="far_officer", organisation=far, roles=["Officer"], partnership=partnership)
    UserFactory(username="far_body", organisation=far, roles=["Commissioning Body"], partnership=partnership)
    return partnership


def test_moving_the_close_tells_everyone_writing_in_the_round_with_the_reason(personas, elsewhere):
    funding_round = make_round()
    draft = services.bid_create(funding_round=funding_round, by=personas.officer, data=bid_data(funding_round))
    services.support_ask(bid=draft, organisation=personas.other, by=personas.officer)
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    moved = services.round_update(
        funding_round=funding_round,
        version=funding_round.version,
        by=personas.evaluator,
        closes_at=funding_round.closes_at + dt.timedelta(days=14),
        reason="Two partners asked for more time after the county's budget announcement.",
    )
    emails = assert_told(
        notifications.CLOSE_MOVED,
        [personas.officer, personas.other_officer],
        reverse("growth_bids:round_detail", args=[moved.pk]),
        extra_emails=[draft.contact_email],
    )
    body = emails[personas.officer.email]
    assert "Reason: Two partners asked for more time after the county's budget announcement." in body
    local = timezone.localtime(moved.closes_at)
    assert (
        f"now closes on {local.day} {local:%B %Y}"
        in OutboxMessage.objects.get(recipient=personas.officer.email).payload["subject"]
    )
    # No direct outbox email any more: one per person, through the notification service only.
    assert not OutboxMessage.objects.exclude(key__startswith="notifications.growth_bids.close_moved:").exists()
    assert not Notification.objects.exclude(kind=notifications.CLOSE_MOVED.name).exists()


def test_each_move_is_told_once_and_a_second_move_is_told_again(personas):
    funding_round = make_round()
    services.bid_create(funding_round=funding_round, by=personas.officer, data=bid_data(funding_round))
    first = services.round_update(
        funding_round=funding_round,
        version=funding_round.version,
        closes_at=funding_round.closes_at + dt.timedelta(days=7),
        reason="More time.",
    )
    services.round_update(
        funding_round=first, version=first.version, closes_at=first.closes_at + dt.timedelta(days=7), reason="Again."
    )
    in_app = Notification.objects.filter(kind=notifications.CLOSE_MOVED.name, recipient=personas.officer)
    assert in_app.count() == 2


def test_a_completed_evaluation_tells_the_body_of_the_rounds_partnership(personas, elsewhere):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    moderate(bid, personas.evaluator)
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    services.round_mark_evaluated(funding_round=funding_round, by=personas.evaluator)
    emails = assert_told(
        notifications.EVALUATION_COMPLETE,
        [personas.body],
        reverse("growth_bids:body_list", args=[funding_round.pk]),
    )
    assert "1 submitted bid has a moderated evaluation" in emails[personas.body.email]
    assert not Notification.objects.exclude(kind=notifications.EVALUATION_COMPLETE.name).exists()
