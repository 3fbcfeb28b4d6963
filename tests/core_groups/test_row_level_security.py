"""The second wall (issue 12 item 5): on PostgreSQL, a raw SELECT under one partnership's setting returns no row
of another partnership, whatever the query forgot; with the setting empty (the system context) every row comes back.

The test database's role is a superuser, which row-level security never binds; the queries here run under an
ordinary role made for the test (SET ROLE), as the app's role must be in production.
"""

import uuid
from contextlib import contextmanager

import pytest
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups.middleware import PartnershipDatabaseMiddleware
from core_groups.models import CoreGroup
from foundation import rls
from growth_bids.models import Bid
from tests.core_groups.test_partnership_scoping import world  # noqa: F401 (the fixture)
from tests.factories import DeclaredInterestFactory, RiskFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

# Tables the world fixture fills for Cardiff: each must come back empty under Kent's setting.
CARDIFF_OWNED = [
    "core_groups_programme",
    "core_groups_coregroup",
    "core_groups_risk",
    "core_groups_declaredinterest",
    "procurement_procurementproject",
    "core_groups_historicalprogramme",
    "core_groups_partnershiprole",
]
CARDIFF_CHILDREN = [
    "core_groups_coregroupmembership",
    "core_groups_commission",
    "core_groups_allocation",
    "growth_bids_fundinground",
    "growth_bids_bid",
    "procurement_timetable",
]


@contextmanager
def ordinary_role():
    """Run the block as an ordinary role (no superuser, no BYPASSRLS) that may read every walled table."""
    name = f"rls_probe_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        tables = rls.walled_tables(cursor)
        cursor.execute(f"CREATE ROLE {name} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        cursor.execute(f"GRANT USAGE ON SCHEMA {connection.ops.quote_name('public')} TO {name}")
        # UPDATE too, to try a write; the test's transaction undoes whatever gets through.
        cursor.execute(f"GRANT SELECT, UPDATE ON {', '.join(tables)} TO {name}")
        cursor.execute(f"SET ROLE {name}")
        try:
            yield cursor, tables
        finally:
            cursor.execute("RESET ROLE")
            rls.set_partnerships(connection, "")
            # The test's transaction is rolled back, and the role with it.


def ids(cursor, table, where="true", params=()):
    cursor.execute(f'SELECT id FROM "{table}" WHERE {where}', params)  # noqa: S608 (table names from the catalogue)
    return {row[0] for row in cursor.fetchall()}


def test_every_partnership_owned_table_is_walled_and_forced():
    with connection.cursor() as cursor:
        owned = rls.owned_tables(cursor)
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relrowsecurity AND relforcerowsecurity AND relname = ANY(%s)",
            [rls.walled_tables(cursor)],
        )
        walled = {row[0] for row in cursor.fetchall()}
    assert "core_groups_programme" in owned and "procurement_timetabletemplate" in owned
    missing = sorted(set(owned) - walled)
    assert not missing, (
        f"tables with partnership_id but no row-level security (add a migration calling rls.enable): {missing}"
    )
    assert {child for child, _, _ in rls.CHILD_TABLES} <= walled


def test_a_raw_select_under_kents_setting_returns_nothing_of_cardiff(world):  # noqa: F811
    kent, cardiff = world.kent.pk, world.cardiff.pk
    DeclaredInterestFactory(partnership=world.cardiff, user=world.people["cardiff_body"])
    DeclaredInterestFactory(partnership=world.kent, user=world.people["kent_body"])
    RiskFactory(core_group=world.kent_group, title="Kent capacity")

    with connection.cursor() as cursor:
        tables = rls.walled_tables(cursor)
        owned = set(rls.owned_tables(cursor))
        everything = {table: ids(cursor, table) for table in tables}
        kents = {table: ids(cursor, table, "partnership_id = %s", [kent]) for table in owned}
        cardiffs = {table: ids(cursor, table, "partnership_id = %s", [cardiff]) for table in owned}
        nationals = ids(cursor, "procurement_timetabletemplate", "partnership_id IS NULL")
    for table in CARDIFF_OWNED:
        assert cardiffs[table], f"the fixture left {table} without a Cardiff row: the test would prove nothing"
    for table in CARDIFF_CHILDREN:
        assert everything[table], table
    assert kents["core_groups_programme"] and kents["core_groups_risk"]

    with ordinary_role() as (cursor, _):
        # The system context (setting empty): the ordinary role sees every row.
        rls.set_partnerships(connection, "")
        for table in tables:
            assert ids(cursor, table) == everything[table], table

        rls.set_partnerships(connection, str(kent))
        as_kent = {table: ids(cursor, table) for table in tables}
        rls.set_partnerships(connection, str(cardiff))
        as_cardiff = {table: ids(cursor, table) for table in tables}
        rls.set_partnerships(connection, "-1")
        as_nobody = {table: ids(cursor, table) for table in tables}

    for table in owned:
        assert not as_kent[table] & cardiffs[table], f"Kent sees Cardiff's rows of {table}"
        assert as_kent[table] >= kents[table], f"Kent does not see its own rows of {table}"
        assert as_cardiff[table] >= cardiffs[table], table
    for table in CARDIFF_CHILDREN:
        assert as_cardiff[table], table
        assert not as_kent[table] & as_cardiff[table], f"Kent sees Cardiff's rows of {table}"
    for table in tables:
        if table not in rls.NATIONAL_WHEN_NULL and table != "procurement_templatestep":
            assert not as_nobody[table], f"a person in no partnership sees rows of {table}"
    # National timetable templates (no partnership) are shared by all.
    assert nationals and nationals <= as_kent["procurement_timetabletemplate"]
    assert nationals <= as_cardiff["procurement_timetabletemplate"]


def test_a_write_under_kents_setting_cannot_change_a_row_of_cardiff(world):  # noqa: F811
    with ordinary_role() as (cursor, _):
        rls.set_partnerships(connection, str(world.kent.pk))
        cursor.execute("UPDATE core_groups_risk SET title = 'changed' WHERE id = %s", [world.risk.pk])
        assert cursor.rowcount == 0
        cursor.execute("UPDATE core_groups_risk SET partnership_id = %s", [world.cardiff.pk])
        assert cursor.rowcount == 0
    world.risk.refresh_from_db()
    assert world.risk.title == "Cardiff capacity"


def test_an_orm_query_that_forgot_its_filter_and_a_whole_page_under_an_ordinary_role(client, world):  # noqa: F811
    client.force_login(world.people["kent_officer"])
    with ordinary_role() as (cursor, _):
        cursor.execute("RESET ROLE")
        role = f"rls_app_{uuid.uuid4().hex[:12]}"
        cursor.execute(f"CREATE ROLE {role} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET ROLE {role}")
        # A page of Kent's opens for Kent's officer with the app on an ordinary role (the middleware sets Kent).
        assert client.get(reverse("core_groups:group", args=[world.kent_group.pk])).status_code == 200
        rls.set_partnerships(connection, str(world.kent.pk))
        assert not CoreGroup.objects.filter(pk=world.group.pk).exists()
        assert not Bid.objects.filter(pk=world.bid.pk).exists()
        assert CoreGroup.objects.filter(pk=world.kent_group.pk).exists()
        rls.set_partnerships(connection, "")
        assert Bid.objects.filter(pk=world.bid.pk).exists()


def _settings_sent(queries):
    return [q["sql"] for q in queries if "set_config" in q["sql"]]


def test_the_middleware_sets_the_persons_partnerships_and_resets_them_after_the_request(client, world):  # noqa: F811
    client.force_login(world.people["kent_officer"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("core_groups:group", args=[world.kent_group.pk]))
    assert response.status_code == 200
    sent = _settings_sent(queries.captured_queries)
    assert len(sent) == 2, sent
    assert f"'{world.kent.pk}'" in sent[0]
    assert "''" in sent[1]
    # The setting set during the request does not survive it: the connection is back in the system context.
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.partnerships', true)")
        assert cursor.fetchone()[0] in ("", None)


def test_the_setting_is_reset_when_the_view_fails(client, world, settings):  # noqa: F811
    client.force_login(world.people["kent_officer"])
    client.raise_request_exception = False
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    response = client.get(reverse("core_groups:group", args=[world.group.pk]))  # Cardiff's: 404
    assert response.status_code == 404
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.partnerships', true)")
        assert cursor.fetchone()[0] in ("", None)


def test_a_person_in_no_partnership_is_given_minus_one_and_a_superuser_nothing(client, world):  # noqa: F811
    nobody = UserFactory(username="nobody", organisation=None)
    client.force_login(nobody)
    with CaptureQueriesContext(connection) as queries:
        client.get("/accounts/password_change/")
    sent = _settings_sent(queries.captured_queries)
    assert sent and "'-1'" in sent[0], sent

    admin = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(admin)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("core_groups:group", args=[world.group.pk]))
    assert not _settings_sent(queries.captured_queries)


def _setting():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('app.partnerships', true)")
        return cursor.fetchone()[0] or ""


def test_a_streamed_response_keeps_the_setting_while_it_streams_and_resets_it_on_close(rf, world):  # noqa: F811
    seen = []

    def rows():
        seen.append(_setting())
        yield b"a,b\n"

    request = rf.get("/")
    request.user = world.people["kent_officer"]
    response = PartnershipDatabaseMiddleware(lambda request: StreamingHttpResponse(rows()))(request)
    assert _setting() == str(world.kent.pk)  # the body is not sent yet
    b"".join(response.streaming_content)
    # As the test client does: the end of the request must not close the test's connection.
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert seen == [str(world.kent.pk)]
    assert _setting() == ""
