"""A test-only Redis server on a spare local port, started and stopped by the test (the shared Redis on
6379 is never touched). Stopping it is a broker outage; starting it again on the same port is the broker
coming back, empty, as after a restart without persistence."""

import shutil
import subprocess
import time

import redis

from tests.services import unavailable

from .smtp import free_port


class RedisServer:
    def __init__(self, port=None):
        self.port = port or free_port()
        self.proc = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self, timeout=15):
        binary = shutil.which("redis-server")
        if binary is None:
            unavailable("redis-server is needed for the broker-outage tests: apt-get install redis-server")
        cmd = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        client = redis.Redis.from_url(self.url, socket_connect_timeout=1)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                client.ping()
                return self
            except redis.ConnectionError:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"redis-server on port {self.port} exited early") from None
                time.sleep(0.1)
        raise RuntimeError(f"redis-server on port {self.port} did not answer in {timeout} s")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=10)
        self.proc = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
