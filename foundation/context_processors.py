"""The bell in the navigation: the signed-in person's unread notifications, in one query."""

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from . import notifications


def notifications_bell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: a page that never shows the navigation sends no query; one that does sends exactly one.
    return {"unread_notifications": SimpleLazyObject(lambda: notifications.unread_count(user))}
