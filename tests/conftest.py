import os

import pytest

# Playwright's sync API runs an event loop in the test's thread; the ORM calls the tests make around
# it are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests.services import require_postgres, require_redis  # noqa: E402


def pytest_collection_modifyitems(items):
    """Transactional tests (browser journeys, real workers) flush the database when they end, which would
    wipe what data migrations made (roles, timetable templates, beat schedules) for the tests after
    them. Serialized rollback puts that data back."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        transactional = (marker and marker.kwargs.get("transaction")) or (
            "live_server" in fixtures or "transactional_db" in fixtures
        )
        if transactional and not (marker and "serialized_rollback" in marker.kwargs):
            kwargs = dict(marker.kwargs) if marker else {}
            args = marker.args if marker else ()
            item.add_marker(
                pytest.mark.django_db(*args, **{**kwargs, "transaction": True, "serialized_rollback": True})
            )


@pytest.fixture(autouse=True)
def _celery_in_process(settings):
    """Tasks run in-process in tests unless a test starts a real worker (see tests/celery_worker.py)."""
    from commissioning.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    settings.CELERY_TASK_ALWAYS_EAGER = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users are made with passwords; hashing them properly is slow and proves nothing here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _service_markers(request):
    if request.node.get_closest_marker("postgres"):
        require_postgres()
    if request.node.get_closest_marker("redis"):
        require_redis()


@pytest.fixture
def personas(db):
    """The people of the permission tests, each in their own organisation."""
    from tests import factories

    return factories.make_personas()
