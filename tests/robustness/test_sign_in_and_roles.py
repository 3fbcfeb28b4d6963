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
