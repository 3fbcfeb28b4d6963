"""Sets ``request.partnership``: the partnership the signed-in person is working in now.

The choice is remembered in the session; a person in one partnership is simply in it, a site administrator
(superuser) may pick any. A signed-in person in none sees a page that says whom to ask, not an error.
"""

from django.contrib.auth.mixins import AccessMixin
from django.contrib.auth.views import redirect_to_login
from django.db import DatabaseError, connection
from django.shortcuts import render

from foundation import rls

from . import choices, tenancy

SESSION_KEY = "partnership_id"

# Pages a person with no partnership still needs: signing in and out, their password, the switch itself.
OPEN_PREFIXES = ("/accounts/", "/admin/", "/static/", "/healthz", "/partnership/", "/favicon")


def current_partnership(request):
    """The partnership ``request.user`` works in now, or None when they are in none."""
    user = request.user
    ids = tenancy.partnership_ids_of(user)
    if not ids:
        return None
    chosen = request.session.get(SESSION_KEY)
    if chosen not in ids:
        chosen = min(ids)
        if len(ids) > 1:
            # Remembered only when there is a choice to remember: one partnership needs no session write.
            request.session[SESSION_KEY] = chosen
    return tenancy.partnership_by_pk(chosen)


class PartnershipMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.partnership = None
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            tenancy.prime_organisation(user)
            request.partnership = current_partnership(request)
            # Permission functions called without an object read the partnership from the user (see permissions.py).
            user.current_partnership = request.partnership
            if request.partnership is None and not user.is_superuser and not request.path.startswith(OPEN_PREFIXES):
                return render(request, "core_groups/no_partnership.html", status=200)
        # Forms built for this request offer only this partnership's choices (core_groups/choices.py).
        token = choices.set_current(request.partnership)
        try:
            return self.get_response(request)
        finally:
            choices.reset_current(token)

    def process_view(self, request, view_func, view_args, view_kwargs):
        """Send a signed-out visitor of a sign-in-only view to sign in before the view looks anything up.

        Views look their objects up within ``request.partnership`` in ``dispatch``, before LoginRequiredMixin
        has had its say; without a partnership the lookup would answer 404 where signing in is the answer.
        """
        view_class = getattr(view_func, "view_class", None)
        user = getattr(request, "user", None)
        if view_class and issubclass(view_class, AccessMixin) and user is not None and not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return None


class PartnershipDatabaseMiddleware:
    """On PostgreSQL, tell the database whose partnerships this request may see (the second wall, foundation/rls.py).

    For a signed-in person other than a site administrator, ``app.partnerships`` is set to the ids of their
    partnerships (``-1`` for none: they see nothing) before the view runs, and reset to '' (the system context)
    when the response is done: connections persist (CONN_MAX_AGE), and one person's setting must never reach the
    next request. A streamed response reads the database while it is sent, so its reset waits for its close.
    A site administrator, a visitor not signed in, and SQLite: nothing is set.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        value = self._value(request)
        if value is None:
            return self.get_response(request)
        rls.set_partnerships(connection, value)
        try:
            response = self.get_response(request)
        except BaseException:
            _reset()
            raise
        if getattr(response, "streaming", False):
            response._resource_closers.append(_reset)
        else:
            _reset()
        return response

    @staticmethod
    def _value(request) -> str | None:
        if connection.vendor != "postgresql":
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        ids = sorted(tenancy.partnership_ids_of(user))
        return ",".join(str(pk) for pk in ids) or "-1"


def _reset() -> None:
    """Back to the system context; a connection that cannot be reset is closed, so that it is never reused."""
    try:
        rls.set_partnerships(connection, "")
    except DatabaseError:
        connection.close()
