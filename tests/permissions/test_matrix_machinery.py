"""The matrix itself is tested: a view without a rule must not slip through, nor a refusal that writes."""

import pytest

from tests.permissions import leaky_urls, test_matrix
from tests.permissions.expectations import PERSONAS, RULES, Rule, everyone, signed_in, staff_only
from tests.permissions.writes import _ignored_tables, classify


def test_a_new_view_without_a_rule_produces_a_failing_case_naming_it(settings):
    settings.ROOT_URLCONF = "tests.permissions.unruled_urls"
    cases = list(test_matrix._cases())
    missing = [case for case in cases if case.values[1] == test_matrix.MISSING]
    assert [case.values[0] for case in missing] == ["secret_report"]
    assert missing[0].id == "secret_report-NO-RULE"


def test_the_product_urls_all_have_rules():
    cases = list(test_matrix._cases())
    assert not [c.id for c in cases if c.values[1] in (test_matrix.MISSING, test_matrix.STALE)]


def test_every_row_names_every_persona_for_both_methods():
    for key, rule in RULES.items():
        for method, row in (("GET", rule.get), ("POST", rule.post)):
            assert set(row) == set(PERSONAS), f"{key} {method} row lists {sorted(row)}"


def test_row_helpers():
    assert everyone(200) == dict.fromkeys(PERSONAS, 200)
    row = signed_in(404, admin=200)
    assert row["anonymous"] == "login" and row["admin"] == 200 and row["officer"] == 404
    assert staff_only(200)["body"] == "admin-login"


# --- a refused request that writes is caught ------------------------------------------------------------


def _leaky_rule(how):
    return Rule(kwargs=lambda p: {"how": how}, get=signed_in(403), post=signed_in(403))


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("how", sorted(leaky_urls.LEAKS))
def test_a_refused_request_that_writes_fails_the_matrix(how, method, client, personas, settings):
    settings.ROOT_URLCONF = "tests.permissions.leaky_urls"
    with pytest.raises(AssertionError, match=f"A refused {method} .* as officer changed the database"):
        test_matrix.check_case(client, personas, "leaky_refusal", "officer", method, _leaky_rule(how))


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["nothing", "session"])
def test_a_refused_request_that_writes_nothing_but_the_session_passes(how, client, personas, settings):
    settings.ROOT_URLCONF = "tests.permissions.leaky_urls"
    test_matrix.check_case(client, personas, "leaky_refusal", "officer", "POST", _leaky_rule(how))


@pytest.mark.django_db
def test_the_write_is_named(client, personas, settings):
    settings.ROOT_URLCONF = "tests.permissions.leaky_urls"
    with pytest.raises(AssertionError) as caught:
        test_matrix.check_case(client, personas, "leaky_refusal", "officer", "POST", _leaky_rule("insert"))
    assert 'auth_group: INSERT INTO "auth_group"' in str(caught.value)


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ('SELECT "auth_group"."id" FROM "auth_group"', (False, None)),
        ('SELECT 1 FROM "x" FOR UPDATE', (False, None)),
        ("SAVEPOINT s1", (False, None)),
        ("RELEASE SAVEPOINT s1", (False, None)),
        ("ROLLBACK TO SAVEPOINT s1", (False, None)),
        ('INSERT INTO "growth_bids_bid" ("title") VALUES (%s)', (True, "growth_bids_bid")),
        ('UPDATE "procurement_task" SET "status" = %s', (True, "procurement_task")),
        ('DELETE FROM "django_session" WHERE 1', (True, "django_session")),
        ("/* a comment */ update core_groups_risk set title = 'x'", (True, "core_groups_risk")),
        ('TRUNCATE "core_groups_risk"', (True, "core_groups_risk")),
        ("WITH moved AS (DELETE FROM a RETURNING *) INSERT INTO b SELECT * FROM moved", (True, None)),
        ("WITH recent AS (SELECT 1) SELECT * FROM recent", (False, None)),
        ("SELECT nextval('growth_bids_bid_id_seq')", (True, None)),
        ("CREATE TEMPORARY TABLE t (x int)", (True, None)),
        ("LOCK TABLE growth_bids_bid", (True, None)),
    ],
)
def test_statements_are_told_apart(sql, expected):
    assert classify(sql) == expected


def test_only_sessions_and_sign_in_throttling_are_ignored():
    assert _ignored_tables() == {
        "django_session",
        "axes_accessattempt",
        "axes_accessattemptexpiration",
        "axes_accessfailurelog",
        "axes_accesslog",
    }
