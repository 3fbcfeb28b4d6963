"""The permission matrix: every URL of the product x every persona x GET and POST.

The URLs come from Django's resolver (tests/permissions/resolver.py), the expected statuses from ONE
table (tests/permissions/expectations.py). A URL without a row fails here, naming the pattern.
A refused POST must write nothing: every SQL statement it sends is watched (tests/permissions/writes.py).
"""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from tests.permissions import cross
from tests.permissions.expectations import ADMIN_LOGIN, LOGIN, PERSONAS, REDIRECT, REFUSED, RULES
from tests.permissions.resolver import endpoints
from tests.permissions.writes import record_writes

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
            for persona in PERSONAS + cross.CROSS_PERSONAS:
                yield pytest.param(key, persona, method, id=f"{key}-{persona}-{method}")


ENDPOINTS = {e.key: e for e in endpoints(admin_keys=RULES)}


@pytest.fixture(scope="module")
def _world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The personas, built once per module (so once per xdist worker) inside a transaction that is rolled
    back when the module ends. Building them for each of the 1,400 cases was most of the matrix's time."""
    from commissioning.celery import app
    from tests import factories

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    # The records built here keep their files in a folder of the module's (tests/conftest.py gives every
    # other test one of its own); passwords are hashed as cheaply as in every other test.
    fast = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("matrix-media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    fast.enable()
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            world = factories.make_personas()
            world.update(cross.make_cross_personas())
            world["_case"] = {"key": None, "savepoint": None}
            yield world
            transaction.set_rollback(True)
    finally:
        fast.disable()
        app.conf.task_always_eager = eager


@pytest.fixture
def _records_of_the_row(request, _world):
    """The records one row's kwargs and payload point at, built once for the row's 16 cases.

    They live in a savepoint of the module's transaction, taken when the first case of a row starts and
    rolled back when a case of another row starts. Each case runs in a savepoint of its own inside it
    (pytest-django's ``db``, requested after this fixture), rolled back when the case ends: every case
    starts from exactly the records it would have built for itself, whatever the cases before it did.
    """
    key = request.node.callspec.params["key"]
    case = _world["_case"]
    if case["key"] == key:
        return
    if case["savepoint"] is not None:
        transaction.savepoint_rollback(case["savepoint"])
    case.update(key=key, savepoint=transaction.savepoint())
    _world["_objects"] = {}  # the builders' cache (tests/permissions/objects.py) starts empty for the row
    rule = RULES.get(key)
    if rule is not None:
        kwargs = rule.kwargs(_world) if rule.kwargs else {}
        if rule.data:
            rule.data(_world, kwargs)


@pytest.fixture
def personas(_world, _records_of_the_row, db):
    return _world


@pytest.fixture(autouse=True)
def _media_root(_world):
    """The cases share the module's media folder, where the row's records keep their files."""


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
    check_case(client, personas, key, persona, method, RULES[key])


def check_case(client, personas, key, persona, method, rule):
    """One cell of the matrix: the persona's answer matches the row, and a refused request wrote nothing."""
    kwargs = rule.kwargs(personas) if rule.kwargs else {}
    url = reverse(key, kwargs=kwargs)
    if persona != "anonymous":
        client.force_login(personas[persona])
    if persona in cross.CROSS_PERSONAS:
        expected = cross.expected(rule, key, persona, method)
    else:
        expected = (rule.get if method == "GET" else rule.post)[persona]

    with record_writes() as writes:
        if method == "GET":
            response = client.get(url)
        else:
            response = client.post(url, rule.data(personas, kwargs) if rule.data else {})

    assert _matches(response, expected), (
        f"{method} {url} as {persona}: expected {expected}, got {response.status_code} "
        f"{response.get('Location', '')}".strip()
    )
    if persona in cross.CROSS_PERSONAS and response.status_code == 200 and "html" in response.get("Content-Type", ""):
        page = response.content.decode()
        shown = [name for name in cross.home_names(personas) if name in page]
        assert not shown, f"{method} {url} as {persona} shows the home partnership's {shown}"
    refused_across = persona in cross.CROSS_PERSONAS and _matches(response, tuple(REFUSED))
    if _refused(expected) or refused_across or (method == "POST" and persona in rule.unchanged):
        assert not writes, f"A refused {method} {url} as {persona} changed the database:{writes.describe()}"
