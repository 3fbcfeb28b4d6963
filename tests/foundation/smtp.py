"""A real SMTP server (aiosmtpd) on a free local port, for the outbox's mail-fault tests.

It records each message it accepts (the reply 250 to the end of DATA is the moment a mail server takes
responsibility for a message), and can refuse the first N messages (451, "try again later"), hold a
transaction at its N-th recipient (so a test can kill the sender mid-send) or be stopped and started.
"""

import asyncio
import email
import socket
import threading
from collections import Counter

from aiosmtpd.controller import Controller


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class SmtpSink:
    def __init__(self, *, refuse_first=0, hold_at=None, port=None):
        self.port = port or free_port()
        self.messages = []
        self.refuse_remaining = refuse_first
        self.refused = 0
        self.hold_at = hold_at
        self.holding = threading.Event()
        self.release = threading.Event()
        self._recipients_seen = 0
        self._lock = threading.Lock()
        self._controller = None

    # aiosmtpd handler hooks ------------------------------------------------------------------------

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802 - aiosmtpd's name
        with self._lock:
            self._recipients_seen += 1
            hold = self._recipients_seen == self.hold_at
        if hold:
            self.holding.set()
            while not self.release.is_set():
                await asyncio.sleep(0.05)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        with self._lock:
            if self.refuse_remaining > 0:
                self.refuse_remaining -= 1
                self.refused += 1
                return "451 4.3.0 Mail server busy, try again later"
            parsed = email.message_from_bytes(envelope.content)
            self.messages.append(
                {"to": tuple(envelope.rcpt_tos), "subject": parsed["Subject"], "message_id": parsed["Message-ID"]}
            )
        return "250 Message accepted for delivery"

    # control ---------------------------------------------------------------------------------------

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self):
        if self._controller is not None:
            self.release.set()
            self._controller.stop()
            self._controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return f"smtp://127.0.0.1:{self.port}"

    def per_recipient(self):
        with self._lock:
            return Counter(rcpt for m in self.messages for rcpt in m["to"])

    def use_in(self, settings):
        """Point Django's settings (the pytest-django fixture) at this server."""
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = self.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 10
