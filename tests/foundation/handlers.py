"""An outbox handler for the outbox's own tests: it records what it was handed, or fails or skips on request."""

import threading
import time

from foundation import outbox

KIND = "tests.record"
handled = []
_lock = threading.Lock()


@outbox.handler(KIND, max_attempts=3)
def record(message):
    action = message.payload.get("do")
    if action == "fail":
        raise RuntimeError("asked to fail")
    if action == "skip":
        raise outbox.Skip("asked to skip")
    time.sleep(message.payload.get("sleep", 0))
    with _lock:
        handled.append((message.pk, threading.get_ident()) if message.payload.get("thread") else message.pk)


def queue(key, **payload):
    return outbox.enqueue(kind=KIND, key=key, payload=payload)
