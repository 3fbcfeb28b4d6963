"""Round windows that are fair (issue 13 item 4): once open, the close moves only later, with a reason that
is recorded and sent to the partners; the timetable follows; a draft left at the close says so."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from foundation.models import OutboxMessage
from growth_bids import services
from growth_bids.models import Bid, FundingRound, WindowMove
from tests.growth_bids.helpers import bid_data, make_round

pytestmark = pytest.mark.django_db

CLOSE_KEY = "growth_bids.fundinground:"


@pytest.fixture
def open_round(personas):
    funding_round = make_round()
    draft = services.bid_create(funding_round=funding_round, by=personas.officer, data=bid_data(funding_round))
    return funding_round, draft


def _state(funding_round):
    fresh = FundingRound.objects.get(pk=funding_round.pk)
    return fresh.closes_at, fresh.submissions_by, fresh.version


def test_moving_an_open_rounds_close_into_the_past_is_refused(personas, open_round):
    """The finding: the team moved the close to an hour in the past, and nobody was told."""
    funding_round, _draft = open_round
    before = _state(funding_round)
    with pytest.raises(ValidationError) as exc:
        services.round_update(
            funding_round=funding_round,
            version=funding_round.version,
            by=personas.evaluator,
            closes_at=timezone.now() - dt.timedelta(hours=1),
            reason="Tidying up",
        )
    assert "only move later" in exc.value.message_dict["closes_at"][0]
    assert _state(funding_round) == before
    assert not OutboxMessage.objects.filter(key__startswith="notifications.growth_bids.close_moved").exists()


def test_moving_it_earlier_but_still_in_the_future_is_refused(personas, open_round):
    funding_round, _draft = open_round
    with pytest.raises(ValidationError) as exc:
        services.round_update(
            funding_round=funding_round,
            version=funding_round.version,
            closes_at=funding_round.closes_at - dt.timedelta(days=2),
            reason="Sooner",
        )
    assert "only move later" in exc.value.message_dict["closes_at"][0]


def test_moving_it_later_needs_a_reason(personas, open_round):
    funding_round, _draft = open_round
    before = _state(funding_round)
    with pytest.raises(ValidationError) as exc:
        services.round_update(
            funding_round=funding_round,
            version=funding_round.version,
            closes_at=funding_round.closes_at + dt.timedelta(days=7),
        )
    assert "reason" in exc.value.message_dict
    assert _state(funding_round) == before


def test_a_later_close_is_recorded_the_timetable_follows_and_partners_are_told(personas, open_round):
    funding_round, draft = open_round
    new_close = funding_round.closes_at + dt.timedelta(days=40)
    moved = services.round_update(
        funding_round=funding_round,
        version=funding_round.version,
        by=personas.evaluator,
        closes_at=new_close,
        reason="Two partners asked for more time after the county's budget announcement.",
    )
    assert moved.closes_at == new_close
    assert moved.submissions_by == timezone.localtime(new_close).date()
    assert moved.evaluation_by >= moved.submissions_by
    move = WindowMove.objects.get(funding_round=moved)
    assert move.reason.startswith("Two partners") and move.moved_by == personas.evaluator
    told = OutboxMessage.objects.filter(key__startswith=f"notifications.growth_bids.close_moved:{CLOSE_KEY}{moved.pk}:")
    assert set(told.values_list("recipient", flat=True)) >= {draft.contact_email, personas.officer.email}


def test_the_close_of_a_closed_round_cannot_move(personas, open_round):
    funding_round, _draft = open_round
    FundingRound.objects.filter(pk=funding_round.pk).update(status=FundingRound.Status.CLOSED)
    funding_round.refresh_from_db()
    with pytest.raises(ValidationError):
        services.round_update(
            funding_round=funding_round,
            version=funding_round.version,
            closes_at=timezone.now() + dt.timedelta(days=5),
            reason="Reopen",
        )


def test_a_draft_left_at_the_close_shows_not_submitted(client, personas, open_round):
    funding_round, draft = open_round
    FundingRound.objects.filter(pk=funding_round.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    draft = Bid.objects.select_related("funding_round").get(pk=draft.pk)
    assert draft.status_label.startswith("Not submitted: window closed on ")
    client.force_login(personas.officer)
    html = client.get(reverse("growth_bids:bid_detail", args=[draft.pk])).content.decode()
    assert "Not submitted: window closed on" in html


def test_the_round_form_refuses_without_a_reason(client, personas, open_round):
    funding_round, _draft = open_round
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:round_update", args=[funding_round.pk])
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None and k in form.fields}
    data = {k: (v.pk if hasattr(v, "pk") else v) for k, v in data.items()}
    later = timezone.localtime(funding_round.closes_at + dt.timedelta(days=3))
    data.update(closes_at=later.strftime("%Y-%m-%dT%H:%M"), version=funding_round.version)
    for name in ("opens_on", "proposals_by", "intent_by", "submissions_by", "evaluation_by", "pack_by"):
        data[name] = getattr(funding_round, name).isoformat()
    for name in ("decision_by", "told_by", "plans_by"):
        data[name] = getattr(funding_round, name).isoformat()
    response = client.post(url, data)
    assert "Give the reason for moving the close" in response.content.decode()
    assert _state(funding_round)[0] == funding_round.closes_at
