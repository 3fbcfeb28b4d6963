"""Notification figures (a benchmark, not a timed test): `python bench/notifications_bench.py`, run by `make bench`.

Builds a throwaway test database (PostgreSQL when DATABASE_URL names one), then prints:
- opening a round, through its page's button (one POST), for a partnership of 100 commissioning partners with
  5 officers each: the emails queued (a bulk insert into the outbox, nothing sent in the request), the request's
  time and its queries; goal: 500 emails queued in under 1 s of request time;
- the daily digest over 10,000 unread notifications waiting for it, and over 1,000: its queries (a fixed number,
  the same for both, but for the outbox's insert batches of 500 people) and time.
"""

import datetime as dt
import os
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")
# The outbox's nudges go to an in-memory broker that no worker reads: the bench times queuing, not sending.
os.environ["CELERY_BROKER_URL"] = "memory://"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bench.procurement_bench import QueryCounter  # noqa: E402

PARTNERS = 100
OFFICERS = 5
DIGEST_NOTIFICATIONS = 10_000
DIGEST_PEOPLE = 500


def build_partnership():
    from django.contrib.auth.models import Group

    from core_groups import roles
    from core_groups.models import Organisation, Partnership, PartnershipRole, Programme, User

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)
    partnership = Partnership.objects.create(short_name="bench-notify", name="Bench notifications partnership")
    organisations = Organisation.objects.bulk_create(
        Organisation(name=f"Bench Council {i}", kind="district", is_commissioning_partner=True) for i in range(PARTNERS)
    )
    partnership.organisations.add(*organisations)
    officers = User.objects.bulk_create(
        User(username=f"officer{i}-{n}", email=f"officer{i}-{n}@example.gov.uk", organisation=org)
        for i, org in enumerate(organisations)
        for n in range(OFFICERS)
    )
    team = User.objects.create(username="bench-team", email="team@example.gov.uk", organisation=organisations[0])
    PartnershipRole.objects.bulk_create(
        [PartnershipRole(user=u, partnership=partnership, role=PartnershipRole.Role.OFFICER) for u in officers]
        + [PartnershipRole(user=team, partnership=partnership, role=PartnershipRole.Role.PROGRAMME_TEAM)]
    )
    programme = Programme.objects.create(
        name="Bench programme",
        funder="Bench",
        decided_by="Commissioning Body",
        first_year=2026,
        partnership=partnership,
    )
    return partnership, programme, team, officers


def bench_round_open():
    from django.test import Client
    from django.utils import timezone

    from core_groups.financial_year import fy_for_date
    from foundation.models import OutboxMessage
    from growth_bids import services
    from growth_bids.defaults import ensure_reference_data

    ensure_reference_data()
    partnership, programme, team, _officers = build_partnership()
    today = timezone.localdate()
    year = fy_for_date(today)
    funding_round = services.round_create(
        programme=programme,
        financial_year=year,
        growth_money=Decimal("500000"),
        holdback_pct=Decimal("10"),
        opens_on=max(dt.date(year, 4, 1), min(today, dt.date(year + 1, 3, 1))),
        closes_at=timezone.now() + dt.timedelta(days=30),
    )
    client = Client()
    client.force_login(team)
    session = client.session
    session["partnership_id"] = partnership.pk
    session.save()
    # Warm up as a running server is: URLs, templates and the email's templates loaded once (not timed).
    client.get(f"/bids/rounds/{funding_round.pk}/", HTTP_HOST="testserver")
    from foundation import notifications as told
    from growth_bids import notifications as bid_events

    told.render(
        bid_events.ROUND_OPENED,
        {"round": funding_round, "criteria": list(funding_round.criteria.all())},
        link="/",
        reason="warm-up",
    )
    url = f"/bids/rounds/{funding_round.pk}/do/open/"
    before = OutboxMessage.objects.count()
    with QueryCounter() as queries:
        started = time.perf_counter()
        response = client.post(url, HTTP_HOST="testserver")
        seconds = time.perf_counter() - started
    queued = OutboxMessage.objects.count() - before
    funding_round.refresh_from_db()
    opened = funding_round.status == "open"
    inserts = [q for q in queries.statements if q.lstrip().upper().startswith('INSERT INTO "FOUNDATION_OUTBOXMESSAGE"')]
    goal = "met" if queued == PARTNERS * OFFICERS and seconds < 1 and opened else "NOT met"
    print(
        f"Opening a round for {PARTNERS} partners x {OFFICERS} officers: {queued} emails queued in "
        f"{seconds * 1000:.0f} ms of request time, {len(queries)} queries ({len(inserts)} outbox inserts), "
        f"status {response.status_code}, round {'open' if opened else 'NOT open'} (goal: 500 in under 1 s: {goal})"
    )


def bench_digest():
    from django.utils import timezone

    from core_groups.models import User
    from foundation import notifications
    from foundation.models import Notification

    people = User.objects.bulk_create(
        User(username=f"reader{i}", email=f"reader{i}@example.gov.uk") for i in range(DIGEST_PEOPLE)
    )
    figures = []
    for total in (1_000, DIGEST_NOTIFICATIONS):
        Notification.objects.all().delete()
        now = timezone.now()
        Notification.objects.bulk_create(
            (
                Notification(
                    recipient=people[n % DIGEST_PEOPLE],
                    kind="growth_bids.round_opened",
                    title=f"Something happened {n}",
                    link=f"/bids/{n}/",
                    object_key=f"bench.thing:{n}",
                    email=Notification.Email.DIGEST,
                    created_at=now - dt.timedelta(minutes=n % 600),
                )
                for n in range(total)
            ),
            batch_size=5000,
        )
        with QueryCounter() as queries:
            started = time.perf_counter()
            result = notifications.send_digest(now=now + dt.timedelta(hours=1, days=len(figures)))
            seconds = time.perf_counter() - started
        figures.append((total, len(queries), seconds, result))
    for total, count, seconds, result in figures:
        print(
            f"Daily digest over {total:,} unread notifications for {result.people} people: {count} queries, "
            f"{seconds:.2f}s, {result.notifications:,} marked digested"
        )
    fixed = "the same" if figures[0][1] == figures[1][1] else "NOT the same"
    print(f"  queries for 1,000 and for 10,000 notifications: {fixed} ({figures[0][1]} and {figures[1][1]})")


def main():
    settings.ALLOWED_HOSTS = ["testserver", *settings.ALLOWED_HOSTS]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.DEBUG = False
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        bench_round_open()
        bench_digest()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
