"""Sessions end after a spell of inactivity (settings.SESSION_IDLE_TIMEOUT, in seconds), not only at their
absolute age (settings.SESSION_COOKIE_AGE, at most twelve hours): a shared office PC left signed in is
signed out by the time someone else sits down at it."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse

LAST_SEEN = "_last_seen"
# Writing the session on every request costs a write; once a minute keeps the idle clock close enough.
RESOLUTION = 60


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = time.time()
            idle = int(getattr(settings, "SESSION_IDLE_TIMEOUT", 30 * 60))
            last = request.session.get(LAST_SEEN)
            if isinstance(last, int | float) and now - last > idle:
                logout(request)
                minutes = max(1, idle // 60)
                messages.info(request, f"You were signed out after {minutes} minutes without activity. Sign in again.")
            elif not isinstance(last, int | float) or now - last >= RESOLUTION:
                request.session[LAST_SEEN] = now
        return self.get_response(request)


def start_idle_clock(sender: object, request: HttpRequest, user: object, **kwargs: object) -> None:
    """Signing in starts the idle clock, so the first page after it needs no write of its own."""
    if hasattr(request, "session"):
        request.session[LAST_SEEN] = time.time()
