"""The outbox's rules hold on both databases the product runs on: this runs test_outbox.py again, in a
subprocess, on the one this test run is not using (SQLite when the suite runs on PostgreSQL)."""

import pytest

from tests.services import run_on_the_other_database


@pytest.mark.django_db
def test_the_outbox_rules_pass_on_the_other_database():
    # The rules need no data migrations: tables straight from the models keep this quick.
    run_on_the_other_database("tests/foundation/test_outbox.py", "--nomigrations", timeout=600)
