from django.core.mail.backends.base import BaseEmailBackend


class FailingBackend(BaseEmailBackend):
    """An email server that refuses every message, for the retry test."""

    def send_messages(self, email_messages):
        raise ConnectionError("The mail server refused the connection")
