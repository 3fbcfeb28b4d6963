"""`make run` on the embedded default: migrate and seed the demo on a fresh SQLite file, in a subprocess, whatever
database this test run uses. PostgreSQL-only SQL in a code path the demo takes (an advisory lock, say) fails here."""

import os
import subprocess
import sys

from tests.services import ROOT


def test_migrate_and_seed_the_demo_on_a_fresh_sqlite_database(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'demo.sqlite3'}", CELERY_BROKER_URL="", DEBUG="1")
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    for command in (["migrate", "--noinput"], ["seed_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "Demo logins" in done.stdout
