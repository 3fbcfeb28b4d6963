"""docker-compose.yml cannot run here (no Docker engine); check what can be checked without it."""

import importlib
import re
import shlex

import yaml

from tests.services import ROOT


def _compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _command(service):
    cmd = service.get("command")
    return " ".join(cmd) if isinstance(cmd, list) else (cmd or "")


def test_compose_has_the_services_with_health_checks_and_a_volume():
    compose = _compose()
    services = compose["services"]
    assert {"postgres", "redis", "web", "worker", "beat"} <= set(services)
    for name in ("postgres", "redis", "web"):
        assert "healthcheck" in services[name], name
    assert "media" in compose["volumes"]
    # Exactly one beat, or schedules would fire twice.
    assert services["beat"].get("deploy", {}).get("replicas", 1) == 1
    assert sum(1 for s in services.values() if " beat" in _command(s)) == 1


def test_compose_commands_name_modules_that_exist():
    compose = _compose()
    commands = " ".join(_command(s) for s in compose["services"].values())
    for wsgi in re.findall(r"([\w.]+):application", commands):
        module = importlib.import_module(wsgi)
        assert hasattr(module, "application")
    for app in re.findall(r"celery -A ([\w.]+)", commands):
        assert hasattr(importlib.import_module(app), "celery_app")
    for token in shlex.split(commands):
        if token.endswith(".py") or token == "manage.py":
            assert (ROOT / token).exists(), token
    assert "migrate" in _command(compose["services"]["web"])


def test_compose_health_checks_name_commands_that_exist():
    from django.core.management import get_commands

    for name, service in _compose()["services"].items():
        test = service.get("healthcheck", {}).get("test", [])
        if "manage.py" in test:
            command = test[test.index("manage.py") + 1]
            assert command in get_commands(), f"{name}: manage.py {command} does not exist"


def test_compose_builds_from_a_dockerfile_that_exists():
    compose = _compose()
    build = compose["services"]["web"]["build"]
    dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
    text = (ROOT / dockerfile).read_text()
    assert "pip install" in text and "npm" in text


def test_compose_keeps_database_connections_with_health_checks():
    """Opening a PostgreSQL connection per request cost a third of the throughput (issue 17)."""
    environment = _compose()["services"]["web"]["environment"]
    assert int(environment["CONN_MAX_AGE"]) >= 60
    assert environment["CONN_HEALTH_CHECKS"] in ("1", "true", "True", True)


def test_compose_keeps_pages_in_the_shared_redis_in_every_process():
    """A kept page is forgotten by a write in any process only if every process watches writes and shares the cache
    (foundation/page_cache.py): the web app, the workers and beat alike."""
    services = _compose()["services"]
    apps = [name for name, service in services.items() if "environment" in service and "build" in service]
    assert {"web"} <= set(apps) and len(apps) >= 3
    for name in apps:
        environment = services[name]["environment"]
        assert environment["PAGE_CACHE"] in ("1", "true", "True", True), name
        assert (environment.get("REDIS_URL") or environment["CELERY_BROKER_URL"]).startswith("redis://"), name


def test_compose_redis_caps_its_memory_without_evicting_queued_tasks():
    """Pages are kept per address, so many addresses could fill Redis: it is capped, and the policy evicts only keys
    that expire (kept pages, sessions), never the broker's queues, which have no expiry."""
    words = shlex.split(_command(_compose()["services"]["redis"]))
    assert re.fullmatch(r"\d+(mb|gb)", words[words.index("--maxmemory") + 1])
    assert words[words.index("--maxmemory-policy") + 1] in ("volatile-lru", "volatile-lfu", "volatile-ttl")


def test_settings_keep_postgres_connections_by_default():
    import os

    from django.conf import settings

    database = settings.DATABASES["default"]
    assert database["CONN_HEALTH_CHECKS"] is True
    if "CONN_MAX_AGE" not in os.environ:
        expected = 60 if database["ENGINE"] == "django.db.backends.postgresql" else 0
        assert database["CONN_MAX_AGE"] == expected
