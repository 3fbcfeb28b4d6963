"""A real Celery worker process for tests about Celery, against the Redis at CELERY_BROKER_URL.

The worker reads and writes the test database (the test must use ``transactional_db`` so that
what it writes is committed and visible across connections). Each test gets its own queue, so two
test runs sharing a Redis never take each other's tasks.
"""

import os
import subprocess
import sys
import threading
import time
import uuid
from contextlib import contextmanager

from django.db import connection

from tests.services import ROOT, require_postgres, require_redis


def _database_url():
    s = connection.settings_dict
    if connection.vendor == "postgresql":
        host = s.get("HOST") or "127.0.0.1"
        port = s.get("PORT") or 5432
        user = s.get("USER") or "postgres"
        auth = f"{user}:{s['PASSWORD']}" if s.get("PASSWORD") else user
        return f"postgres://{auth}@{host}:{port}/{s['NAME']}"
    return f"sqlite:///{s['NAME']}"


@contextmanager
def celery_worker(timeout=60):
    """Start a worker on a fresh queue; yield the queue name; stop the worker afterwards."""
    require_postgres()
    broker = require_redis()
    from kombu import pools

    from commissioning.celery import app

    # Start from fresh connection pools whatever an earlier test left behind.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = dict(os.environ, DATABASE_URL=_database_url(), CELERY_BROKER_URL=broker, CELERY_TASK_DEFAULT_QUEUE=queue)
    env["DJANGO_SETTINGS_MODULE"] = "commissioning.settings"
    cmd = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "commissioning",
        "worker",
        "-P",
        "solo",
        "-Q",
        queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "INFO",
        "-n",
        f"{queue}@%h",
    ]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    app.conf.task_always_eager = False
    previous_broker = app.conf.broker_url
    app.conf.broker_url = broker
    try:
        deadline = time.monotonic() + timeout
        lines = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line and proc.poll() is not None:
                raise RuntimeError("Celery worker exited early:\n" + "".join(lines))
            lines.append(line)
            if "ready." in line:
                break
        else:
            raise RuntimeError("Celery worker did not start in time:\n" + "".join(lines))
        # Keep reading the worker's log so that a full pipe never blocks it.
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        yield queue
    finally:
        app.conf.task_always_eager = True
        app.conf.broker_url = previous_broker
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        # Close this test's broker connections and forget the pools, so the next test gets fresh ones.
        app.pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None


def wait_for(predicate, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
