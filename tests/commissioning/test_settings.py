import os
import subprocess
import sys

from tests.services import ROOT

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "ALLOWED_HOSTS": "commissioning.example.gov.uk",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _manage(*args, env_extra=None, drop=()):
    env = {k: v for k, v in os.environ.items() if k not in drop and k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_with_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_debug_off_requires_a_secret_key():
    env = dict(PRODUCTION_ENV)
    env.pop("SECRET_KEY")
    result = _manage("check", env_extra=env, drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_debug_off_requires_allowed_hosts():
    env = dict(PRODUCTION_ENV)
    env.pop("ALLOWED_HOSTS")
    result = _manage("check", env_extra=env, drop=("ALLOWED_HOSTS",))
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr


def test_locale_and_time_zone(settings):
    assert settings.TIME_ZONE == "Europe/London"
    assert settings.LANGUAGE_CODE == "en-gb"
    assert settings.USE_TZ is True


def test_no_database_url_means_sqlite_and_no_broker_means_in_process():
    code = (
        "import django, os; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "commissioning.settings"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.console.EmailBackend",
    ]


def test_postgres_and_redis_urls_are_read_from_the_environment():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['NAME'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = dict(os.environ, DATABASE_URL="postgres://u@db:5432/commissioning", CELERY_BROKER_URL="redis://r:6379/0")
    env["DJANGO_SETTINGS_MODULE"] = "commissioning.settings"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["django.db.backends.postgresql", "commissioning", "False"]
