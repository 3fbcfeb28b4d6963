"""Finding the real services a test needs: PostgreSQL, Redis, Chromium, the npm assets.

On a newcomer's laptop a test whose service is missing is skipped, with the reason. In CI
(REQUIRE_SERVICES=1, set by .ci/run) the same absence is a failure that names the service.
"""

import os
import shutil
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def required():
    return os.environ.get("REQUIRE_SERVICES", "") in ("1", "true", "yes") or settings.REQUIRE_SERVICES


def unavailable(reason):
    """Skip the test, or fail it when services are required."""
    if required():
        pytest.fail(f"Required service unavailable: {reason}", pytrace=False)
    pytest.skip(reason)


def require_postgres():
    from django.db import connection

    if connection.vendor != "postgresql":
        unavailable("PostgreSQL is needed: set DATABASE_URL=postgres://... (the default is SQLite)")


@cache
def _redis_error(url):
    if not url.startswith("redis"):
        return "Redis is needed: set CELERY_BROKER_URL=redis://127.0.0.1:6379/0"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        return f"Redis at {url} is unreachable: {exc}"
    return None


def redis_url():
    return os.environ.get("CELERY_BROKER_URL") or settings.CELERY_BROKER_URL or ""


def require_redis():
    error = _redis_error(redis_url())
    if error:
        unavailable(error)
    return redis_url()


def require_chromium():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        unavailable(f"Chromium is needed at {CHROMIUM}: apt-get install chromium chromium-driver")
    return CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium")


def require_axe():
    if not AXE_JS.exists():
        unavailable("axe-core is needed: run `npm install` (make test does it)")
    return AXE_JS


def run_on_the_other_database(*args, timeout=900):
    """Run ``pytest *args`` in a subprocess on the database this run is not using: SQLite (in memory) when the
    suite runs on PostgreSQL, the one named by OUTBOX_POSTGRES_URL when it runs on SQLite (skipped, or failed
    under REQUIRE_SERVICES, without it). Returns pytest's output after asserting it passed."""
    import subprocess
    import sys

    from django.db import connection

    env = dict(os.environ, CELERY_BROKER_URL="")
    if connection.vendor == "postgresql":
        env["DATABASE_URL"] = ""
    else:
        other = os.environ.get("OUTBOX_POSTGRES_URL")
        if not other:
            unavailable("Set OUTBOX_POSTGRES_URL=postgres://... to run these tests on PostgreSQL too")
        env["DATABASE_URL"] = other
    cmd = [sys.executable, "-m", "pytest", *args, "-q", "-p", "no:cacheprovider", "-p", "no:xdist"]
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and " failed" not in done.stdout
    return done.stdout
