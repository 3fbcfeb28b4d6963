"""The outbox's rules hold on both databases the product runs on: this runs test_outbox.py again, in a
subprocess, on the one this test run is not using (SQLite when the suite runs on PostgreSQL)."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.services import ROOT, unavailable


@pytest.mark.django_db
def test_the_outbox_rules_pass_on_the_other_database():
    env = dict(os.environ, CELERY_BROKER_URL="")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = ""  # SQLite (the tests use an in-memory database)
    else:
        other = os.environ.get("OUTBOX_POSTGRES_URL")
        if not other:
            unavailable("Set OUTBOX_POSTGRES_URL=postgres://... to run the outbox's rules on PostgreSQL too")
        env["DATABASE_URL"] = other
    # The rules need no data migrations: tables straight from the models keep this quick.
    cmd = [sys.executable, "-m", "pytest", "tests/foundation/test_outbox.py", "-q", "-p", "no:cacheprovider"]
    done = subprocess.run(
        [*cmd, "--nomigrations"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
