"""Absolute links for emails and anything else read outside a request, built from settings.SITE_URL.

Never from the request's Host header: a forged Host must not put someone else's address into a
password-reset link (reset poisoning). ``make run`` sets SITE_URL to the address it serves.
"""

from typing import Any

from django.conf import settings
from django.urls import reverse


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``/bids/3/`` -> ``https://commissioning.example.gov.uk/bids/3/``."""
    return f"{site_url()}/{path.lstrip('/')}"


def absolute_reverse(viewname: str, *args: Any, **kwargs: Any) -> str:
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))
