import pytest


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_is_reachable(client, settings):
    settings.CELERY_BROKER_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["status"] == "unavailable"
    assert "broker" in response.json()["checks"]


@pytest.mark.django_db
@pytest.mark.redis
def test_healthz_checks_the_real_broker(client, settings):
    from tests.services import redis_url

    settings.CELERY_BROKER_URL = redis_url()
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(client, settings):
    from django.db import connections

    # A real connection to a closed port: not a mock of the database, a database that is not there.
    conn = connections["default"]
    saved = dict(conn.settings_dict)
    try:
        if conn.vendor == "postgresql":
            conn.settings_dict["PORT"] = 1
            conn.settings_dict["HOST"] = "127.0.0.1"
        else:
            conn.settings_dict["NAME"] = "/nonexistent-directory/db.sqlite3"
        conn.close()
        response = client.get("/healthz")
    finally:
        conn.close()
        conn.settings_dict.clear()
        conn.settings_dict.update(saved)
    assert response.status_code == 503
