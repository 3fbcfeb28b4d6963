"""The matrix itself is tested: a view without a rule must not slip through."""

from tests.permissions import test_matrix
from tests.permissions.expectations import PERSONAS, RULES, everyone, signed_in, staff_only


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
