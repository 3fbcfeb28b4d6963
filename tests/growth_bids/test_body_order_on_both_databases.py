"""The Body's list follows recommend() on both databases the product runs on (issue 18): this runs
test_body_order.py (DOMAIN's worked example and 300 random rounds of nearly equal cost per service user) again,
in a subprocess, on the database this run is not using (SQLite when the suite runs on PostgreSQL)."""

import pytest

from tests.services import run_on_the_other_database


@pytest.mark.django_db
def test_the_rank_order_matches_recommend_on_the_other_database():
    output = run_on_the_other_database("tests/growth_bids/test_body_order.py", "--nomigrations")
    assert "3 passed" in output
