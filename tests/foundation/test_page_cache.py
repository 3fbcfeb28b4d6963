"""Key pages are kept until the data changes (foundation/page_cache.py): a second look is answered from the cache,
every kind of write forgets it, nobody is answered with a page rendered for someone else, a kept form's CSRF token
still works, and a flash message is never lost to the cache."""

import datetime
import re

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups.models import Risk
from foundation import caching, page_cache
from tests.factories import RiskFactory

pytestmark = pytest.mark.django_db

RISKS = reverse("core_groups:risks")


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE = True


def _get(client, url=RISKS, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200
    return response, len(queries)


def _without_csrf(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_a_second_look_is_answered_from_the_cache_with_the_same_page(client, personas):
    RiskFactory(title="Staff turnover in the hub", impact=4, likelihood=4)
    client.force_login(personas.admin)
    first, first_queries = _get(client)
    second, second_queries = _get(client)
    assert first[page_cache.HIT_HEADER] == "miss" and second[page_cache.HIT_HEADER] == "hit"
    assert "Staff turnover in the hub" in second.content.decode()
    assert _without_csrf(second.content.decode()) == _without_csrf(first.content.decode())
    assert second_queries < first_queries
    # Kept compressed: Redis holds every page kept in the last ten minutes.
    _content_type, packed = cache.get(page_cache.key(first.wsgi_request, caching.version(page_cache.NAMESPACE)))
    assert len(packed) < len(first.content) / 3


@pytest.mark.parametrize("how", ["save", "update", "delete", "raw"])
def test_every_kind_of_write_forgets_the_kept_pages(client, personas, how):
    risk = RiskFactory(title="Staff turnover in the hub", impact=4, likelihood=4)
    client.force_login(personas.admin)
    _get(client)
    assert _get(client)[0][page_cache.HIT_HEADER] == "hit"
    if how == "save":
        risk.title = "Hub staff leaving"
        risk.save()
    elif how == "update":  # no signal is sent for update(): the connection itself is watched
        Risk.objects.filter(pk=risk.pk).update(title="Hub staff leaving")
    elif how == "delete":
        Risk.objects.filter(pk=risk.pk).delete()
    else:
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE {Risk._meta.db_table} SET title = %s WHERE id = %s", ["Hub staff leaving", risk.pk])
    response, _ = _get(client)
    assert response[page_cache.HIT_HEADER] == "miss"
    html = response.content.decode()
    assert "Staff turnover in the hub" not in html
    assert ("Hub staff leaving" in html) is (how != "delete")


def test_nobody_is_answered_with_a_page_kept_for_someone_else(personas):
    RiskFactory(title="Staff turnover in the hub", impact=4, likelihood=4)
    admin, evaluator = Client(), Client()
    admin.force_login(personas.admin)
    evaluator.force_login(personas.evaluator)
    _get(admin)
    assert _get(admin)[0][page_cache.HIT_HEADER] == "hit"
    theirs, _ = _get(evaluator)
    assert theirs[page_cache.HIT_HEADER] == "miss"
    assert personas.evaluator.display_name in theirs.content.decode()
    assert personas.admin.display_name not in theirs.content.decode()


def test_the_address_its_query_and_an_htmx_request_are_kept_apart(client, personas):
    RiskFactory(title="Staff turnover in the hub", impact=4, likelihood=4)
    RiskFactory(title="Closed long ago", impact=1, likelihood=1, status="closed")
    client.force_login(personas.admin)
    _get(client)
    closed, _ = _get(client, RISKS + "?status=closed")
    assert closed[page_cache.HIT_HEADER] == "miss"
    assert "Closed long ago" in closed.content.decode()
    assert "Staff turnover in the hub" not in closed.content.decode()
    fragment, _ = _get(client, HTTP_HX_REQUEST="true")
    assert fragment[page_cache.HIT_HEADER] == "miss"


def test_a_kept_page_has_a_fresh_csrf_token_that_a_post_accepts(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.admin)
    client.get(reverse("home"))  # the CSRF cookie
    _get(client)
    kept, _ = _get(client)
    html = kept.content.decode()
    assert kept[page_cache.HIT_HEADER] == "hit"
    assert page_cache.PLACEHOLDER.decode() not in html
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert tokens, "the page has a form (sign out) whose token must be real"
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302  # 403 if the token were the placeholder or another person's


def test_a_page_with_a_flash_message_is_never_kept_nor_answered_from_the_cache(client, personas, rf):
    RiskFactory(title="Staff turnover in the hub", impact=4, likelihood=4)
    client.force_login(personas.admin)
    _get(client)
    assert _get(client)[0][page_cache.HIT_HEADER] == "hit"
    # A message waiting for the next page, as a view's redirect leaves it (in the messages cookie).
    storage = CookieStorage(rf.get("/"))
    storage.add(messages.SUCCESS, "Risk saved.")
    carrier = HttpResponse()
    storage.update(carrier)
    client.cookies[storage.cookie_name] = carrier.cookies[storage.cookie_name].value
    shown, _ = _get(client)
    assert "Risk saved." in shown.content.decode()
    assert page_cache.HIT_HEADER not in shown
    after, _ = _get(client)
    assert "Risk saved." not in after.content.decode()
    assert after[page_cache.HIT_HEADER] == "hit"  # the page kept before the message is still the page


def test_writes_to_the_session_table_forget_nothing():
    assert page_cache.is_write('UPDATE "core_groups_risk" SET "title" = %s')
    assert page_cache.is_write('INSERT INTO "growth_bids_bid" ("title") VALUES (%s)')
    assert page_cache.is_write('  DELETE FROM "procurement_task" WHERE id = 1')
    assert page_cache.is_write("update core_groups_risk set title = 'x'")
    assert not page_cache.is_write('UPDATE "django_session" SET "session_data" = %s')
    assert not page_cache.is_write('INSERT INTO "axes_accesslog" ("username") VALUES (%s)')
    assert not page_cache.is_write('SELECT "id" FROM "core_groups_risk" WHERE "title" = \'UPDATE\'')
    assert not page_cache.is_write("SELECT set_config(%s, %s, false)")
    # Columns no page shows: an UPDATE of those alone forgets nothing; with any other column, or as an INSERT,
    # or through an expression, it does.
    assert not page_cache.is_write('UPDATE "core_groups_user" SET "last_login" = %s WHERE "core_groups_user"."id" = %s')
    assert not page_cache.is_write(
        'UPDATE "foundation_notificationsettings" SET "visit_at" = %s, "previous_visit_at" = %s WHERE "id" = %s'
    )
    assert page_cache.is_write(
        'UPDATE "core_groups_user" SET "last_login" = %s, "first_name" = %s WHERE "core_groups_user"."id" = %s'
    )
    assert page_cache.is_write('UPDATE "core_groups_user" SET "first_name" = %s WHERE "core_groups_user"."id" = %s')
    assert page_cache.is_write('INSERT INTO "core_groups_user" ("last_login") VALUES (%s)')
    assert page_cache.is_write(
        'UPDATE "core_groups_user" SET "last_login" = (SELECT 1 FROM x WHERE y), "is_active" = %s WHERE "id" = %s'
    )
    assert not page_cache.is_write('UPDATE "foundation_outboxmessage" SET "status" = %s WHERE "id" = %s')


def test_signing_in_forgets_nothing(client, personas):
    client.force_login(personas.admin)
    _get(client)
    Client().force_login(personas.officer)  # last_login written
    assert _get(client)[0][page_cache.HIT_HEADER] == "hit"


def test_a_transaction_of_many_writes_renews_the_token_once_and_schedules_one_renewal_at_commit(personas):
    with transaction.atomic():
        RiskFactory(title="One")
        page_cache._renew()  # as if that first write had just renewed it, with no page kept since
        during = caching.version(page_cache.NAMESPACE)
        RiskFactory(title="Two")
        RiskFactory(title="Three")
        assert caching.version(page_cache.NAMESPACE) == during
        scheduled = [func for _sids, func, _robust in connection.run_on_commit if func is page_cache._renew]
        assert len(scheduled) == 1
        page_cache._state.kept = True  # a page read in this transaction was kept: the next write forgets it
        RiskFactory(title="Four")
        assert caching.version(page_cache.NAMESPACE) != during


def test_tomorrow_is_another_page(rf, personas, monkeypatch):
    request = rf.get(RISKS)
    request.user = personas.admin
    request.partnership = None
    today = page_cache.key(request, "token")
    tomorrow = page_cache.timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    assert page_cache.key(request, "token") != today


def test_switched_off_nothing_is_kept(client, personas, settings):
    settings.PAGE_CACHE = False
    client.force_login(personas.admin)
    first, _ = _get(client)
    second, _ = _get(client)
    assert page_cache.HIT_HEADER not in first and page_cache.HIT_HEADER not in second


def test_a_signed_out_visitor_is_sent_to_sign_in_and_nothing_is_kept(client):
    response = client.get(RISKS)
    assert response.status_code == 302 and page_cache.HIT_HEADER not in response


def test_a_kept_home_page_still_notes_each_visit(client, personas):
    from foundation import notifications
    from foundation.models import NotificationSettings

    client.force_login(personas.officer)
    home = reverse("home")
    _get(client, home)
    assert _get(client, home)[0][page_cache.HIT_HEADER] == "hit"
    noted = NotificationSettings.objects.get(user=personas.officer).visit_at
    # Ten minutes on, the visit is written again (at most once in five minutes), kept page or not.
    session = client.session
    visit = session[notifications.SESSION_VISIT]
    earlier = datetime.datetime.fromisoformat(visit["at"]) - datetime.timedelta(minutes=10)
    session[notifications.SESSION_VISIT] = {**visit, "at": earlier.isoformat()}
    session.save()
    response, _ = _get(client, home)
    assert NotificationSettings.objects.get(user=personas.officer).visit_at > noted
    # The same visit (pages within 30 minutes), so the same page: noting it forgot nothing.
    assert response[page_cache.HIT_HEADER] == "hit"
    # An hour on, a new visit begins: what is new is counted from the one before, so the page is made again.
    visit = client.session[notifications.SESSION_VISIT]
    NotificationSettings.objects.filter(user=personas.officer).update(
        visit_at=page_cache.timezone.now() - datetime.timedelta(hours=1)
    )
    session = client.session
    session[notifications.SESSION_VISIT] = {**visit, "at": earlier.isoformat()}
    session.save()
    assert _get(client, home)[0][page_cache.HIT_HEADER] == "miss"


def test_no_page_is_kept_past_the_next_close_of_a_round_window():
    from tests.growth_bids.helpers import make_round

    now = page_cache.timezone.now()
    assert page_cache.keep_for(now) == page_cache.TIMEOUT
    year = make_round(closes_at=now + datetime.timedelta(seconds=90)).financial_year
    # A draft round's close changes nothing shown.
    make_round(open_it=False, year=year - 1, closes_at=now + datetime.timedelta(seconds=30))
    assert 88 <= page_cache.keep_for(now) <= 90
    assert page_cache.keep_for(now + datetime.timedelta(seconds=91)) == page_cache.TIMEOUT


def test_a_write_that_changes_no_row_forgets_nothing(client, personas):
    client.force_login(personas.admin)
    _get(client)
    Risk.objects.filter(title="No such risk").update(title="Still none")
    assert _get(client)[0][page_cache.HIT_HEADER] == "hit"
