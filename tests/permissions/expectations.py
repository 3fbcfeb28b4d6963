"""THE permission table: for every URL of the product, who gets what on GET and on POST.

tests/permissions/test_matrix.py reads the URL patterns from Django's resolver and checks each one
against the row here, for every persona and both methods. A URL without a row fails the test, and so
does a row whose URL no longer exists. A refused POST (login redirect, 403, 404, 405) must leave
the database exactly as it was.

How to add a row (one per URL name, "namespace:name"):

    "growth_bids:bid_detail": Rule(
        kwargs=lambda p: {"pk": objects.bid(p).pk},       # p = the personas; builders in objects.py
        get=signed_in(404, officer=200, evaluator=200, body=200, admin=200),
        post=signed_in(405),
        data=lambda p, kwargs: {"title": "Changed"},      # optional POST payload (default: empty)
    ),

Statuses: an int (200, 403, 404, 405 ...), LOGIN (a redirect to the sign-in page), ADMIN_LOGIN (a
redirect to the admin's sign-in page), REDIRECT (any other redirect), or a tuple of these when more
than one is acceptable. Helpers build a full row from a default plus the exceptions:
    everyone(200)                       every persona, signed in or not
    signed_in(200)                      anonymous -> LOGIN, everybody else 200
    signed_in(404, admin=200)           anonymous -> LOGIN, admin 200, everybody else 404
    staff_only(200)                     the admin 200; anonymous and everybody else -> ADMIN_LOGIN

The personas (tests.factories.make_personas): anonymous; officer (Kent County Council, the owning
organisation); other_officer (another council); provider (a provider organisation's user in the core
group: never sees money); evaluator (programme team); body (Commissioning Body member); member (core
group member, owning organisation); admin (administrator, superuser, staff).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.permissions import objects  # noqa: F401  (used by the rows as the apps land)

PERSONAS = ("anonymous", "officer", "other_officer", "provider", "evaluator", "body", "member", "admin")
SIGNED_IN = PERSONAS[1:]

LOGIN = "login"
ADMIN_LOGIN = "admin-login"
REDIRECT = "redirect"
REFUSED = (LOGIN, ADMIN_LOGIN, 403, 404, 405)


def _row(default, anonymous=None, **overrides):
    unknown = set(overrides) - set(PERSONAS)
    if unknown:
        raise ValueError(f"Unknown persona(s) {sorted(unknown)}; the personas are {PERSONAS}")
    row = dict.fromkeys(PERSONAS, default)
    if anonymous is not None:
        row["anonymous"] = anonymous
    row.update(overrides)
    return row


def everyone(status, **overrides):
    return _row(status, **overrides)


def signed_in(status, anonymous=LOGIN, **overrides):
    return _row(status, anonymous=anonymous, **overrides)


def staff_only(status, others=ADMIN_LOGIN, **overrides):
    return _row(others, **{"admin": status, **overrides})


@dataclass
class Rule:
    get: dict
    post: dict
    kwargs: Callable[[Any], dict] | None = None
    data: Callable[[Any, dict], dict] | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


RULES = {
    # --- commissioning: the home dashboard and the health check -------------------------------
    "home": Rule(get=signed_in(200), post=signed_in(405)),
    "healthz": Rule(get=everyone(200), post=everyone(405), note="GET/HEAD only: monitoring reads it."),
    # --- sign-in and passwords (django.contrib.auth views, the product's templates) -----------
    "login": Rule(
        get=signed_in(REDIRECT, anonymous=200),
        post=signed_in(REDIRECT, anonymous=200),
        note="A signed-in user is sent home; an empty form redisplays with errors.",
    ),
    "logout": Rule(get=everyone(405), post=everyone(LOGIN), note="Sign-out is POST only; it ends on the sign-in page."),
    "password_change": Rule(get=signed_in(200), post=signed_in(200)),
    "password_change_done": Rule(get=signed_in(200), post=signed_in(405)),
    "password_reset": Rule(get=everyone(200), post=everyone(200)),
    "password_reset_done": Rule(get=everyone(200), post=everyone(405)),
    "password_reset_confirm": Rule(
        kwargs=lambda p: {"uidb64": "MQ", "token": "stale-token"},
        get=everyone(200),
        post=everyone(200),
        note="A stale or forged link shows the invalid-link page to everybody and changes nothing.",
    ),
    "password_reset_complete": Rule(get=everyone(200), post=everyone(405)),
    # --- Django admin: the administrator's tool (is_staff); the rest of admin is covered by the
    # CSRF and CSP sweeps in tests/security/ ---------------------------------------------------
    "admin:index": Rule(get=staff_only(200), post=staff_only(200)),
    # --- core_groups -----------------------------------------------------------------------------
    # --- procurement -----------------------------------------------------------------------------
    # --- growth_bids -----------------------------------------------------------------------------
    # --- partnerships ----------------------------------------------------------------------------
    # --- commissioning: board reports ------------------------------------------------------------
}
