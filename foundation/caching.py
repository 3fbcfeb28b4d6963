"""Reads worth keeping between requests, cached under a version token that the writes which change them replace.

The product has one cache (settings.CACHES: Redis when REDIS_URL or a Redis broker is configured, so every worker
shares it and an invalidation reaches all of them; local memory otherwise). A read is stored under
``<namespace>:<token>:<parts>``; a write calls ``forget(namespace)``, which replaces the token at once and again
when its transaction commits (no other request can cache the old rows in between), and the old entries expire::

    summary = caching.cached("partnerships:register-summary", [partnership.pk], build)
    caching.forget_when_changed("partnerships:register-summary", FundingArrangement)  # in the app's ready()

Whatever is cached must be picklable and must not depend on who asks (put the scope, e.g. the partnership, in
``parts``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

T = TypeVar("T")
DEFAULT_TIMEOUT = 600
NAMESPACES: set[str] = set()


def namespace(name: str) -> str:
    """``name``, registered as a namespace (so that ``renew_all`` knows it before its first use)."""
    NAMESPACES.add(name)
    return name


def _version_key(namespace: str) -> str:
    return f"{namespace}:version"


def version(namespace: str) -> str:
    """The namespace's current token (made on first use); empty only if the cache cannot keep one."""
    NAMESPACES.add(namespace)
    token = cache.get(_version_key(namespace))
    if token is None:
        cache.add(_version_key(namespace), uuid.uuid4().hex, None)
        token = cache.get(_version_key(namespace))
    return token or ""


def cached(namespace: str, parts: Iterable[Any], build: Callable[[], T], timeout: int = DEFAULT_TIMEOUT) -> T:
    """``build()``'s value for ``parts`` under the namespace's current token: from the cache when it is there."""
    token = version(namespace)
    if not token:
        return build()
    key = ":".join([namespace, token, *(str(p) for p in parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, timeout)
    return value


def renew(namespace: str) -> None:
    """A new token for ``namespace``: every entry cached under the old one is no longer read."""
    NAMESPACES.add(namespace)
    cache.set(_version_key(namespace), uuid.uuid4().hex, None)


def forget(namespace: str) -> None:
    """Invalidate now and again when the transaction commits (no stale read cached in between)."""
    renew(namespace)
    transaction.on_commit(lambda: renew(namespace))


def forgetter(namespace: str) -> Callable[..., None]:
    """A signal receiver (post_save, post_delete ...) that forgets ``namespace``; connect it with weak=False."""
    NAMESPACES.add(namespace)

    def receiver(**_kwargs: Any) -> None:
        forget(namespace)

    receiver.__name__ = f"forget_{namespace.replace(':', '_').replace('-', '_')}"
    return receiver


def forget_when_changed(namespace: str, *models: type) -> None:
    """Forget ``namespace`` whenever a row of any of ``models`` is saved or deleted, or, for a many-to-many's
    ``through`` model, a pair is added or removed (call in an app's ``ready``; calling again for the same model
    does nothing more). A write that bypasses ``save`` (``update``, ``bulk_create``) calls ``forget`` itself."""
    receiver = forgetter(namespace)
    for model in models:
        label = model._meta.label_lower  # type: ignore[attr-defined]
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"forget-{namespace}-save-{label}")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"forget-{namespace}-delete-{label}")
        m2m_changed.connect(receiver, sender=model, weak=False, dispatch_uid=f"forget-{namespace}-m2m-{label}")


def renew_all() -> None:
    """Every namespace used so far gets a new token (tests: no test reads what another cached)."""
    for namespace in list(NAMESPACES):
        renew(namespace)
