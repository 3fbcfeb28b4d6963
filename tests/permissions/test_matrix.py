"""The permission matrix: every URL of the product x every persona x GET and POST.

The URLs come from Django's resolver (tests/permissions/resolver.py), the expected statuses from ONE
table (tests/permissions/expectations.py). A URL without a row fails here, naming the pattern.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.permissions.expectations import ADMIN_LOGIN, LOGIN, PERSONAS, REDIRECT, REFUSED, RULES
from tests.permissions.fingerprint import changed_tables, fingerprint
from tests.permissions.resolver import endpoints

pytestmark = pytest.mark.django_db

METHODS = ("GET", "POST")
MISSING = "missing-rule"
STALE = "stale-rule"


def _cases():
    found = {e.key: e for e in endpoints(admin_keys=RULES)}
    for key in sorted(found.keys() - RULES.keys()):
        yield pytest.param(key, MISSING, MISSING, id=f"{key}-NO-RULE")
    for key in sorted(RULES.keys() - found.keys()):
        yield pytest.param(key, STALE, STALE, id=f"{key}-STALE-RULE")
    for key in sorted(found.keys() & RULES.keys()):
        for method in METHODS:
            for persona in PERSONAS:
                yield pytest.param(key, persona, method, id=f"{key}-{persona}-{method}")


ENDPOINTS = {e.key: e for e in endpoints(admin_keys=RULES)}


def _matches(response, expected):
    if isinstance(expected, tuple):
        return any(_matches(response, one) for one in expected)
    location = response.get("Location", "")
    if expected == LOGIN:
        return response.status_code == 302 and location.startswith(reverse(settings.LOGIN_URL))
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and location.startswith(reverse("admin:login"))
    if expected == REDIRECT:
        return response.status_code in (301, 302, 303) and not location.startswith(reverse(settings.LOGIN_URL))
    return response.status_code == expected


def _refused(expected):
    options = expected if isinstance(expected, tuple) else (expected,)
    return all(option in REFUSED for option in options)


@pytest.mark.parametrize(("key", "persona", "method"), list(_cases()))
def test_permission_matrix(key, persona, method, client, personas):
    if persona == MISSING:
        pytest.fail(
            f"URL pattern {ENDPOINTS[key]} has no rule: add a row for {key!r} to "
            "tests/permissions/expectations.py saying what each persona gets on GET and POST.",
            pytrace=False,
        )
    if persona == STALE:
        pytest.fail(
            f"tests/permissions/expectations.py has a row for {key!r} but no URL pattern has that name: "
            "rename or remove the row.",
            pytrace=False,
        )
    rule = RULES[key]
    kwargs = rule.kwargs(personas) if rule.kwargs else {}
    url = reverse(key, kwargs=kwargs)
    if persona != "anonymous":
        client.force_login(personas[persona])
    expected = (rule.get if method == "GET" else rule.post)[persona]

    before = fingerprint() if method == "POST" else None
    if method == "GET":
        response = client.get(url)
    else:
        response = client.post(url, rule.data(personas, kwargs) if rule.data else {})

    assert _matches(response, expected), (
        f"{method} {url} as {persona}: expected {expected}, got {response.status_code} "
        f"{response.get('Location', '')}".strip()
    )
    if method == "POST" and (_refused(expected) or persona in rule.unchanged):
        changes = changed_tables(before, fingerprint())
        assert not changes, f"A refused POST {url} as {persona} changed the database: {changes}"
