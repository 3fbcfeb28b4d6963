"""The Body's list follows recommend() on both databases the product runs on (issue 18): this runs
test_body_order.py (DOMAIN's worked example and 300 random rounds of nearly equal cost per service user) again,
in a subprocess, on the database this run is not using (SQLite when the suite runs on PostgreSQL)."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.services import ROOT, unavailable


@pytest.mark.django_db
def test_the_rank_order_matches_recommend_on_the_other_database():
    env = dict(os.environ, CELERY_BROKER_URL="")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = ""  # SQLite (the tests use an in-memory database)
    else:
        other = os.environ.get("OUTBOX_POSTGRES_URL")
        if not other:
            unavailable("Set OUTBOX_POSTGRES_URL=postgres://... to run the ordering on PostgreSQL too")
        env["DATABASE_URL"] = other
    cmd = [sys.executable, "-m", "pytest", "tests/growth_bids/test_body_order.py", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*cmd, "-p", "no:xdist", "--nomigrations"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "3 passed" in done.stdout and " failed" not in done.stdout
