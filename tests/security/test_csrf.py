"""CSRF is enforced on every URL of the product, Django admin included.

A POST without a token, from a Client that checks CSRF as a browser would, gets 403 before any view
runs, whoever sends it. The URLs come from the resolver, so a new view (or a csrf_exempt slipped onto
one) is caught without anyone listing it.
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.permissions.expectations import RULES
from tests.permissions.fingerprint import changed_tables, fingerprint
from tests.permissions.resolver import all_endpoints, sample_path

pytestmark = pytest.mark.django_db

# Views that take POSTs from other machines and so cannot carry a token; each needs its own proof.
CSRF_EXEMPT = {}

ENDPOINTS = all_endpoints()


def _url(endpoint, personas):
    rule = RULES.get(endpoint.key)
    if rule is not None and rule.kwargs and not endpoint.is_admin:
        return reverse(endpoint.key, kwargs=rule.kwargs(personas))
    return sample_path(endpoint)


@pytest.mark.parametrize("endpoint", [e for e in ENDPOINTS if e.key not in CSRF_EXEMPT], ids=lambda e: e.key)
@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_a_post_without_a_csrf_token_is_refused(endpoint, who, personas):
    client = Client(enforce_csrf_checks=True)
    if who == "admin":
        client.force_login(personas.admin)
    url = _url(endpoint, personas)
    before = fingerprint()
    response = client.post(url, {"name": "Forged", "title": "Forged", "amount": "1"})
    assert response.status_code == 403, f"POST {url} ({endpoint}) without a CSRF token as {who}: {response.status_code}"
    assert not changed_tables(before, fingerprint())


def test_the_same_post_with_a_token_gets_past_csrf(personas):
    """The check above refuses for the right reason: with the token, the login form answers normally."""
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"))
    token = page.cookies["csrftoken"].value
    response = client.post(reverse("login"), {"username": "x", "password": "y", "csrfmiddlewaretoken": token})
    assert response.status_code == 200
