"""Each event of the growth-bid process tells the right people once, in the app and by email, with the right
link, and nobody else (issue 15). The emails go through foundation.notifications and the outbox."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from foundation.models import Notification, OutboxMessage
from growth_bids import notifications, services
from growth_bids.models import Decision
from tests.factories import UserFactory
from tests.growth_bids.helpers import bid_data, close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db

SITE = "https://bids.example.gov.uk"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def told(kind):
    """{username: link} of the in-app notifications of ``kind``, and {address: body} of its emails."""
    in_app = dict(Notification.objects.filter(kind=kind.name).values_list("recipient__username", "link"))
    emails = dict(
        OutboxMessage.objects.filter(key__startswith=f"notifications.{kind.name}:").values_list("recipient", "payload")
    )
    assert len(in_app) == Notification.objects.filter(kind=kind.name).count(), "someone was told twice"
    return in_app, {address: payload["body"] for address, payload in emails.items()}


def assert_told(kind, people, link, extra_emails=()):
    in_app, emails = told(kind)
    assert in_app == {p.username: link for p in people}
    assert set(emails) == {p.email for p in people} | set(extra_emails)
    for body in emails.values():
        assert SITE + link in body
        assert "You got this email because" in body
    return emails


def test_submitting_a_bid_sends_a_receipt_to_the_applicants_officers(personas):
    colleague = UserFactory(username="colleague", organisation=personas.home, roles=["Officer"])
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data=bid_data(funding_round))
    assert not Notification.objects.filter(kind=notifications.BID_SUBMITTED.name).exists()
    services.bid_submit(bid=bid, by=personas.officer, version=bid.version)
    link = reverse("growth_bids:bid_detail", args=[bid.pk])
    emails = assert_told(notifications.BID_SUBMITTED, [personas.officer, colleague], link)
    assert bid.reference in emails[personas.officer.email]


def test_asking_for_support_tells_the_partners_officers_and_the_answer_tells_the_applicant(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data=bid_data(funding_round))
    request = services.support_ask(bid=bid, organisation=personas.other, by=personas.officer)
    emails = assert_told(
        notifications.SUPPORT_REQUESTED,
        [personas.other_officer],
        reverse("growth_bids:bid_detail", args=[bid.pk]) + "#support-h",
    )
    assert "asks Ashford Borough Council to support" in next(iter(emails.values()))
    services.support_answer(support_request=request, by=personas.other_officer, confirm=False, note="No capacity.")
    emails = assert_told(
        notifications.SUPPORT_ANSWERED, [personas.officer], reverse("growth_bids:bid_detail", args=[bid.pk])
    )
    assert "declined to support" in emails[personas.officer.email]
    assert "No capacity." in emails[personas.officer.email]


def _decided_round(personas, outcomes):
    funding_round = make_round()
    bids = [
        submitted_bid(
            funding_round,
            personas.officer,
            supporters=[(personas.other, personas.other_officer)] if n == 0 else (),
            annual_amount=Decimal(amount),
            title=f"Bid {n}",
        )
        for n, amount in enumerate(("200000", "180000", "150000"))
    ]
    close_round(funding_round)
    for bid in bids:
        moderate(bid, personas.evaluator)
    services.round_mark_evaluated(funding_round=funding_round)
    for bid, (outcome, amount, notes, reason) in zip(bids, outcomes, strict=True):
        services.decision_record(
            bid=bid,
            by=personas.body,
            outcome=outcome,
            amount=amount,
            meeting_date=dt.date(2010, 9, 20),
            minute_ref="CB/10/7",
            notes=notes,
            reason=reason,
        )
    return funding_round, bids


def test_published_decisions_carry_conditions_reasons_and_what_reserve_means(personas):
    funding_round, (funded, reserve, refused) = _decided_round(
        personas,
        [
            ("funded", Decimal("200000"), "Funded for one year; review at six months.", ""),
            ("reserve", None, "", ""),
            ("not_funded", None, "", "Duplicates an existing service in Ashford."),
        ],
    )
    services.round_publish_decisions(funding_round=funding_round, by=personas.body)
    kind = notifications.DECISION_PUBLISHED
    in_app = Notification.objects.filter(kind=kind.name)
    # The applicant's officer hears of each of its bids; the supporter's officer of the one it supports.
    assert sorted(in_app.values_list("recipient__username", "link")) == sorted(
        [("officer", reverse("growth_bids:bid_detail", args=[b.pk])) for b in (funded, reserve, refused)]
        + [("other_officer", reverse("growth_bids:bid_detail", args=[funded.pk]))]
    )
    bodies = {
        m.key.rsplit(":", 1)[0].split("growth_bids.bid:")[1]: m.payload["body"]
        for m in OutboxMessage.objects.filter(
            key__startswith=f"notifications.{kind.name}:", recipient="officer@example.gov.uk"
        )
    }
    assert "Funded for one year; review at six months." in bodies[f"{funded.pk}:decision"]
    assert 'What "Reserve" means' in bodies[f"{reserve.pk}:decision"]
    assert "Duplicates an existing service in Ashford." in bodies[f"{refused.pk}:decision"]
    assert "The Body's reason:" in bodies[f"{refused.pk}:decision"]
    assert "The Body's conditions:" in bodies[f"{funded.pk}:decision"]
    recipients = set(
        OutboxMessage.objects.filter(key__startswith=f"notifications.{kind.name}:").values_list("recipient", flat=True)
    )
    # The contact named on the bid (no account) is emailed too; nobody else is.
    assert recipients == {"officer@example.gov.uk", "other_officer@example.gov.uk", "olivia@example.gov.uk"}
    # Mandatory: choosing "in the app only" does not stop a decision about your own bid.
    assert notifications.DECISION_PUBLISHED.mandatory


def test_a_promoted_reserve_tells_its_applicant_and_supporters(personas):
    funding_round, (funded, reserve, _refused) = _decided_round(
        personas,
        [("funded", Decimal("200000"), "", ""), ("reserve", None, "", ""), ("not_funded", None, "", "Out of money.")],
    )
    services.round_publish_decisions(funding_round=funding_round, by=personas.body)
    Notification.objects.all().delete()
    OutboxMessage.objects.all().delete()
    services.decision_fall_through(bid=funded, by=personas.body, meeting_date=dt.date(2010, 11, 1))
    assert Decision.objects.get(bid=reserve).outcome == Decision.Outcome.FUNDED
    emails = assert_told(
        notifications.RESERVE_PROMOTED,
        [personas.officer],
        reverse("growth_bids:bid_detail", args=[reserve.pk]),
        extra_emails=["olivia@example.gov.uk"],
    )
    assert "is now funded" in emails[personas.officer.email]
    # The funded bid that fell through: its applicant and its supporter are told, and that the reserve moved up.
    emails = assert_told(
        notifications.FELL_THROUGH,
        [personas.officer, personas.other_officer],
        reverse("growth_bids:bid_detail", args=[funded.pk]),
        extra_emails=["olivia@example.gov.uk"],
    )
    assert f"funds the round's reserve, {reserve.reference}" in emails[personas.other_officer.email]
    kinds = {notifications.RESERVE_PROMOTED.name, notifications.FELL_THROUGH.name}
    assert not Notification.objects.exclude(kind__in=kinds).exists()


def test_opening_a_round_invites_every_commissioning_partners_officers(personas):
    from tests.factories import OrganisationFactory, PartnershipFactory

    elsewhere = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    far = OrganisationFactory(name="Far Away Council", partnerships=[elsewhere])
    UserFactory(username="far_officer", organisation=far, roles=["Officer"], partnership=elsewhere)
    funding_round = make_round(open_it=False)
    assert not Notification.objects.exists()
    services.round_open(funding_round=funding_round)
    emails = assert_told(
        notifications.ROUND_OPENED,
        [personas.officer, personas.other_officer],
        reverse("growth_bids:round_detail", args=[funding_round.pk]),
    )
    body = emails[personas.officer.email]
    assert "£450,000.00" in body  # £500,000 less the 10% holdback
    assert "Notices of intent" in body or "tell the programme team which bids" in body
    # The provider, the programme team, the Body, core group members and other partnerships are not invited.
    assert not Notification.objects.exclude(recipient__in=[personas.officer, personas.other_officer]).exists()


def test_each_event_is_told_once_however_often_it_is_told(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    before = (Notification.objects.count(), OutboxMessage.objects.count())
    notifications.tell_bid_submitted(bid)
    notifications.tell_round_opened(funding_round)
    assert (Notification.objects.count(), OutboxMessage.objects.count()) == before


def test_a_notice_of_intent_tells_the_programme_team(personas):
    funding_round = make_round()
    notice = services.notice_give(
        funding_round=funding_round, by=personas.other_officer, proposal="Handyperson scheme", writers="Ann Writer"
    )
    emails = assert_told(
        notifications.NOTICE_RECEIVED,
        [personas.evaluator],
        reverse("growth_bids:round_detail", args=[funding_round.pk]),
    )
    assert "Ashford Borough Council intends to bid" in emails[personas.evaluator.email]
    assert "Handyperson scheme" in Notification.objects.get(kind=notifications.NOTICE_RECEIVED.name).title
    assert notice.pk
