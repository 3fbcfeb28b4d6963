"""Cookies with production settings: the session cookie is Secure, HttpOnly and SameSite.

The production values are read from a fresh process started with DEBUG off (as a deployment runs),
then applied here so that a real sign-in shows the Set-Cookie headers a browser would receive.
"""

import json
import os
import subprocess
import sys

import pytest
from django.urls import reverse

from tests.commissioning.test_settings import PRODUCTION_ENV
from tests.factories import PASSWORD, UserFactory
from tests.services import ROOT

NAMES = [
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "DEBUG",
]


@pytest.fixture(scope="module")
def production():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE",)}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="commissioning.settings")
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"):
        env.pop(name, None)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_production_settings_make_cookies_secure(production):
    assert production["DEBUG"] is False
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000


@pytest.mark.django_db
def test_the_session_cookie_a_browser_receives_at_sign_in(client, settings, production):
    for name in ("SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SECURE"):
        setattr(settings, name, production[name])
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    UserFactory(username="olivia")
    response = client.post(reverse("login"), {"username": "olivia", "password": PASSWORD}, secure=True)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    header = cookie.output().lower()
    assert cookie["secure"] is True, header
    assert cookie["httponly"] is True, header
    assert cookie["samesite"] == production["SESSION_COOKIE_SAMESITE"], header
    assert "secure" in header and "httponly" in header and "samesite=lax" in header


@pytest.mark.django_db
def test_production_redirects_plain_http_and_sends_hsts(client, settings, production):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = production["SECURE_HSTS_SECONDS"]
    response = client.get(reverse("login"))
    assert response.status_code == 301 and response["Location"].startswith("https://")
    secure = client.get(reverse("login"), secure=True)
    assert secure.status_code == 200
    assert "max-age=31536000" in secure["Strict-Transport-Security"]
    assert secure["X-Content-Type-Options"] == "nosniff"
    # /healthz answers over plain http so that a load balancer's probe is not redirected. Without a broker
    # to reach (tests/commissioning/test_health.py covers the broker), a reachable database makes it 200.
    settings.CELERY_BROKER_URL = ""
    assert client.get("/healthz").status_code == 200
