"""Absolute links for emails and anything else read outside a request, built from settings.SITE_URL.

Never from the request's Host header: a forged Host must not put someone else's address into a
password-reset link (reset poisoning). ``make run`` sets SITE_URL to the address it serves.
"""

from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString


def site_url() -> str:
    return settings.SITE_URL.rstrip("/")


def absolute_url(path: str) -> str:
    """``/bids/3/`` -> ``https://commissioning.example.gov.uk/bids/3/``."""
    return f"{site_url()}/{path.lstrip('/')}"


def absolute_reverse(viewname: str, *args: Any, **kwargs: Any) -> str:
    return absolute_url(reverse(viewname, args=args or None, kwargs=kwargs or None))


# --------------------------------------------------------------------------------------------------
# Remembered addresses (issue 17)

MEMO_SIZE = 20_000
# A template's literals ('procurement:task_update') are SafeStrings: text like str, with the same str().
_PLAIN = (int, str, SafeString)


@lru_cache(maxsize=MEMO_SIZE)
def _remembered(
    viewname: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: Any,
    urlconf: Any,
    prefix: str,
) -> str:
    # urlconf and prefix are the thread's (reverse reads them itself); they are in the key so that a request under
    # another URLconf or script prefix never reads an address made under this one.
    return reverse(viewname, args=list(args), kwargs=dict(kwargs), current_app=current_app)


def plain(value: Any) -> bool:
    """Whether ``value`` may be part of a remembered address: exactly an int or a str (True would share 1's key,
    being equal with the same hash, yet reverse to "True"; an object's text could change)."""
    return type(value) in _PLAIN


def remembered_reverse(
    viewname: str, args: Any = (), kwargs: dict[str, Any] | None = None, current_app: str | None = None
) -> str:
    """``reverse``, its answer remembered (up to MEMO_SIZE, least recently used dropped) when the name and every
    argument are plain: the same name and ids under the same URLconf and script prefix always make the same
    address, and Django's resolver walk cost ~60 us an address, ~125 times on a project page. A failure
    (NoReverseMatch) is never remembered."""
    kwargs = kwargs or {}
    if not (
        plain(viewname)
        and isinstance(viewname, str)
        and (current_app is None or plain(current_app))
        and all(map(plain, args))
        and all(map(plain, kwargs.values()))
    ):
        return reverse(viewname, args=args, kwargs=kwargs, current_app=current_app)
    return _remembered(
        viewname, tuple(args), tuple(sorted(kwargs.items())), current_app, get_urlconf(), get_script_prefix()
    )


def forget_addresses(**_kwargs: Any) -> None:
    _remembered.cache_clear()


# A test that swaps the URLconf (override_settings) gets fresh answers, as Django's own URL caches are cleared.
setting_changed.connect(forget_addresses, dispatch_uid="foundation-links-forget-addresses")
