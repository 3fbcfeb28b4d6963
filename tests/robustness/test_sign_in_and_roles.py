"""Sign-in and roles: idle sessions end; nobody both evaluates a bid and decides it (issue 19, item 6)."""

import time

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_session_idle_for_longer_than_the_timeout_is_signed_out(client, personas):
    client.force_login(personas.evaluator)
    assert client.get(reverse("home")).status_code == 200
    session = client.session
    session["_last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT - 5
    session.save()
    response = client.get(reverse("growth_bids:round_list"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    page = client.get(response["Location"])
    assert "without activity" in page.text


def test_a_session_in_use_stays_signed_in(client, personas):
    client.force_login(personas.evaluator)
    client.get(reverse("home"))
    session = client.session
    session["_last_seen"] = time.time() - settings.SESSION_IDLE_TIMEOUT + 60
    session.save()
    assert client.get(reverse("growth_bids:round_list")).status_code == 200


def test_sessions_last_thirty_idle_minutes_and_twelve_hours_at_most():
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE <= 12 * 60 * 60


@pytest.fixture
def evaluated(personas):
    from growth_bids import services
    from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    moderate(bid, personas.admin)
    services.round_mark_evaluated(funding_round=funding_round)
    bid.refresh_from_db()
    return bid


def _decide(bid, by):
    import datetime as dt
    from decimal import Decimal

    from growth_bids import services

    return services.decision_record(
        bid=bid,
        by=by,
        outcome="funded",
        amount=Decimal("1000"),
        meeting_date=dt.date(2026, 9, 20),
        minute_ref="1",
        reason="Part-funded by the Body.",
    )


def test_a_superuser_who_moderated_a_bid_may_not_decide_it_and_is_told_why(client, personas, evaluated):
    from growth_bids.exceptions import Conflict
    from growth_bids.models import Decision

    with pytest.raises(Conflict, match="evaluated or moderated this bid"):
        _decide(evaluated, personas.admin)
    client.force_login(personas.admin)
    page = client.get(reverse("growth_bids:decide", args=[evaluated.pk]))
    assert "evaluated or moderated this bid" in page.text
    assert not Decision.objects.exists()
    _decide(evaluated, personas.body)
    assert Decision.objects.get().decided_by == personas.body


def test_whoever_decided_a_bid_may_not_then_moderate_it(personas, evaluated):
    # The Body member also joins the programme team of the round's partnership.
    from core_groups import roles, tenancy
    from growth_bids.exceptions import Conflict
    from tests.growth_bids.helpers import moderate

    tenancy.grant_roles(
        user=personas.body, partnership=evaluated.funding_round.programme.partnership, role_names=[roles.PROGRAMME_TEAM]
    )
    _decide(evaluated, personas.body)
    with pytest.raises(Conflict, match="recorded the Body's decision"):
        moderate(evaluated, personas.body)
