"""Reachability checks for /healthz: the database always, the broker when one is configured."""

from django.conf import settings
from django.db import connection


def check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"


def check_broker():
    if not settings.CELERY_BROKER_URL:
        return None, "in-process (no broker configured)"
    from kombu import Connection

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:  # noqa: BLE001
        return False, f"{type(exc).__name__}: {exc}"
    return True, "ok"
