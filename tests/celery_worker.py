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
from django.test import override_settings

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


class WorkerProcess:
    """One real worker process on ``queue``; a test may kill it (SIGKILL, no goodbye) and start it again."""

    def __init__(self, queue, broker, env=None, timeout=60):
        self.queue, self.timeout = queue, timeout
        self.env = dict(
            os.environ,
            DATABASE_URL=_database_url(),
            CELERY_BROKER_URL=broker,
            CELERY_TASK_DEFAULT_QUEUE=queue,
            CELERY_RENDER_QUEUE=f"{queue}-render",
            DJANGO_SETTINGS_MODULE="commissioning.settings",
            **(env or {}),
        )
        self.proc = None

    def start(self):
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
            f"{self.queue},{self.queue}-render",  # both queues, as `make worker` does
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "-n",
            f"{self.queue}-{uuid.uuid4().hex[:4]}@%h",
        ]
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.proc = proc
        deadline = time.monotonic() + self.timeout
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
        return self

    def kill(self):
        """kill -9: the worker gets no chance to finish, acknowledge or clean up."""
        self.proc.kill()
        self.proc.wait(timeout=20)

    def stop(self):
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


@contextmanager
def running_worker(timeout=60, env=None, broker=None):
    """Start a worker on a fresh queue (``env`` adds to its environment); yield its WorkerProcess; stop it after.

    Tasks this process sends without naming a queue go to the worker's queue meanwhile. ``broker`` names
    another broker than CELERY_BROKER_URL (a test-only Redis the test stops and starts)."""
    require_postgres()
    broker = broker or require_redis()
    from kombu import pools

    from commissioning.celery import app

    # Start from fresh connection pools whatever an earlier test left behind.
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    worker = WorkerProcess(f"test-{uuid.uuid4().hex[:12]}", broker, env=env, timeout=timeout)
    previous_broker, previous_queue = app.conf.broker_url, app.conf.task_default_queue
    app.conf.task_always_eager = False
    app.conf.broker_url = broker
    app.conf.task_default_queue = worker.queue
    renders = override_settings(CELERY_TASK_DEFAULT_QUEUE=worker.queue, CELERY_RENDER_QUEUE=f"{worker.queue}-render")
    renders.enable()
    try:
        worker.start()
        yield worker
    finally:
        renders.disable()
        app.conf.task_always_eager = True
        app.conf.broker_url = previous_broker
        app.conf.task_default_queue = previous_queue
        worker.stop()
        # Close this test's broker connections and forget the pools, so the next test gets fresh ones.
        app.pool.force_close_all()
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None


@contextmanager
def celery_worker(timeout=60, env=None):
    """Start a worker on a fresh queue; yield the queue name; stop the worker afterwards."""
    with running_worker(timeout=timeout, env=env) as worker:
        yield worker.queue


def wait_for(predicate, timeout=30, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False
