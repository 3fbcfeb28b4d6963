"""Reordering a timetable holds on both databases the product runs on: PostgreSQL checks the task numbers with a
deferred constraint, SQLite (``make run``) has none and counts them (``SET CONSTRAINTS`` there was a syntax error:
a reorder in admin or on the project page answered 500). This runs the reorder tests again, in a subprocess, on the
database this test run is not using."""

import pytest

from tests.services import run_on_the_other_database

REORDER_TESTS = "swapping or another_tasks_number or up_and_down"


@pytest.mark.django_db
def test_reordering_tasks_passes_on_the_other_database():
    files = ["tests/procurement/test_admin.py", "tests/procurement/test_task_pages.py"]
    run_on_the_other_database(*files, "-p", "no:randomly", "-k", REORDER_TESTS)
