import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _post_login(client, username, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_login_page_renders(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in" in response.content


def test_wrong_password_says_so_without_saying_which_part(client):
    UserFactory(username="olivia")
    response = _post_login(client, "olivia", "wrong")
    assert response.status_code == 200
    text = response.content.decode()
    assert "correct username and password" in text
    assert 'value="olivia"' in text  # what was typed stays


def test_correct_password_reaches_the_dashboard_and_rotates_the_session_key(client):
    UserFactory(username="olivia")
    client.get(reverse("login"))
    before = client.session.session_key
    response = _post_login(client, "olivia", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before
    assert client.get(reverse("home")).status_code == 200


def test_logout_kills_the_session(client):
    from django.contrib.sessions.models import Session

    UserFactory(username="olivia")
    _post_login(client, "olivia", PASSWORD)
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post(reverse("logout"))
    assert not Session.objects.filter(session_key=key).exists()
    assert client.get(reverse("home")).status_code == 302


def test_repeated_failures_lock_that_username_from_that_address_only(settings):
    settings.AXES_FAILURE_LIMIT = 3
    UserFactory(username="olivia")
    UserFactory(username="colleague")
    attacker = Client()
    for _ in range(3):
        _post_login(attacker, "olivia", "wrong", ip="10.0.0.66")
    locked = _post_login(attacker, "olivia", PASSWORD, ip="10.0.0.66")
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    # The same username from the owner's own address still works: nobody can lock a colleague out.
    assert _post_login(Client(), "olivia", PASSWORD, ip="10.0.0.5").status_code == 302
    # Another username from the attacker's address is not locked either.
    assert _post_login(Client(), "colleague", PASSWORD, ip="10.0.0.66").status_code == 302


def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_reset_sends_an_email(client, mailoutbox):
    UserFactory(username="olivia", email="olivia@example.gov.uk")
    response = client.post(reverse("password_reset"), {"email": "olivia@example.gov.uk"})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_friendly_404(client):
    user = UserFactory()
    client.force_login(user)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content


def test_security_headers(client):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert "frame-ancestors 'none'" in csp


def test_csrf_is_enforced_on_login():
    UserFactory(username="olivia")
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD})
    assert response.status_code == 403
