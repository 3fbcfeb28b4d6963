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
            # First among the item's own marks (append=False): pytest-django reads the closest django_db mark,
            # which would otherwise be the test's own @pytest.mark.django_db(transaction=True).
            item.add_marker(
                pytest.mark.django_db(*args, **{**kwargs, "transaction": True, "serialized_rollback": True}),
                append=False,
            )


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_keepdb, django_db_createdb):
    """With --reuse-db (`make test-reuse-db`), leave the kept test database as the migrations made it.

    A transactional test ends by emptying the database, and the next one puts the migrations' data
    back when it starts (serialized rollback, above). If such a test is the last of a run, the kept
    database would start the next run without the roles, templates and schedules the data migrations
    made, and hundreds of tests would fail for no reason of their own.
    """
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connections

    reusing = django_db_keepdb and not django_db_createdb
    if reusing:
        with django_db_blocker.unblock():
            if not Group.objects.exists():
                pytest.exit(
                    "The kept test database has lost its migrations' data (an earlier run was stopped "
                    "half-way): run once with --create-db, e.g. make test-reuse-db PYTEST_ARGS=--create-db",
                    returncode=3,
                )
    yield
    if reusing:
        with django_db_blocker.unblock():
            for connection in connections.all(initialized_only=True):
                contents = getattr(connection, "_test_serialized_contents", None)
                if contents:
                    call_command(
                        "flush", database=connection.alias, interactive=False, verbosity=0, inhibit_post_migrate=True
                    )
                    connection.creation.deserialize_db_from_string(contents)
                    _reset_sequences(connection)


def _reset_sequences(connection):
    """Rows put back with their ids leave PostgreSQL's sequences behind them (flush reset them to 1): move each
    sequence past its table's highest id, or the next insert of a kept database would collide."""
    from django.apps import apps
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True))
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


@pytest.fixture(autouse=True)
def _fresh_content_types(request):
    """A transactional test empties the tables and puts them back; content types cached in this process by an
    earlier test may then name ids that are gone. Such tests start and end with the cache forgotten."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction"))
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()
    yield
    if transactional:
        from django.contrib.contenttypes.models import ContentType

        ContentType.objects.clear_cache()


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


@pytest.fixture(autouse=True)
def _no_kept_pages(settings):
    """Pages are not kept between requests in tests (foundation/page_cache.py, on in production with Redis): a test
    of a page's queries measures the page, not the cache. tests/foundation/test_page_cache.py turns it on. With it on
    for every test (issue 17), no test read a stale page: the six that failed count a page's queries, the ranking's
    reads or on-commit callbacks, which a kept page does not make."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Reads are cached (foundation/caching.py: the register summary, the rounds' rankings; in Redis when
    configured), and a test's rows are rolled back: start each test with new version tokens so that no test reads
    what another test cached."""
    from foundation import caching

    caching.renew_all()
