"""`manage.py healthcheck`: ask the running web server's /healthz, as the container health check does.

It sends the first ALLOWED_HOSTS name as the Host header (and says the request came over TLS), so
the check passes through the same host validation and HTTPS redirect as real traffic.
"""

import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Exit 0 when the web server's /healthz answers 200."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz")

    def handle(self, *args, url, **options):
        host = next((h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")), "localhost")
        if not url.startswith(("http://", "https://")):
            raise CommandError("--url must be an http(s) address")
        headers = {"Host": host, "X-Forwarded-Proto": "https"}
        request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked just above
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310  # nosec B310 - http(s) checked above
                body = response.read().decode()
        except (urllib.error.URLError, OSError) as exc:
            raise CommandError(f"unhealthy: {exc}") from exc
        self.stdout.write(body)
