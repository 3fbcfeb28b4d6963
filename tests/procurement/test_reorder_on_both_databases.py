"""Reordering a timetable holds on both databases the product runs on: PostgreSQL checks the task numbers with a
deferred constraint, SQLite (``make run``) has none and counts them (``SET CONSTRAINTS`` there was a syntax error:
a reorder in admin or on the project page answered 500). This runs the reorder tests again, in a subprocess, on the
database this test run is not using."""

import os
import subprocess
import sys

import pytest
from django.db import connection

from tests.services import ROOT, unavailable

REORDER_TESTS = "swapping or another_tasks_number or up_and_down"


@pytest.mark.django_db
def test_reordering_tasks_passes_on_the_other_database():
    env = dict(os.environ, CELERY_BROKER_URL="")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = ""  # SQLite (the tests use an in-memory database)
    else:
        other = os.environ.get("OUTBOX_POSTGRES_URL")
        if not other:
            unavailable("Set OUTBOX_POSTGRES_URL=postgres://... to run the reorder tests on PostgreSQL too")
        env["DATABASE_URL"] = other
    files = ["tests/procurement/test_admin.py", "tests/procurement/test_task_pages.py"]
    cmd = [sys.executable, "-m", "pytest", *files, "-q", "-p", "no:cacheprovider", "-p", "no:randomly"]
    done = subprocess.run(
        [*cmd, "-k", REORDER_TESTS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900, check=False
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
