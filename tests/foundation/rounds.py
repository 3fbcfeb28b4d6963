"""A growth-bid round ready to publish, with eight decision emails to send (the finding's eight)."""

from decimal import Decimal

from django.core import mail
from django.db import connection
from django.utils import timezone

from core_groups import roles
from foundation import outbox
from growth_bids import services
from tests.factories import UserFactory
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid


def round_ready_to_publish(personas):
    """Two decided bids, each told to four people: its author, its contact, another officer of the
    applicant and the supporter's officer. Returns (round, the eight (bid, email) pairs)."""
    UserFactory(username="second_officer", organisation=personas.home, roles=[roles.OFFICER])
    funding_round = make_round()
    support = [(personas.other, personas.other_officer)]
    a, b = (
        submitted_bid(funding_round, personas.officer, supporters=support, title=title, annual_amount=Decimal(amount))
        for title, amount in (("A", "200000"), ("B", "90000"))
    )
    close_round(funding_round)
    for bid in (a, b):
        moderate(bid, personas.evaluator)
    funding_round = services.round_mark_evaluated(funding_round=funding_round)
    meeting = {"meeting_date": timezone.localdate(), "minute_ref": "CB/10/7"}
    services.decision_record(
        reason="As minuted by the Body.", bid=a, by=personas.body, outcome="funded", amount=Decimal("200000"), **meeting
    )
    services.decision_record(reason="As minuted by the Body.", bid=b, by=personas.body, outcome="not_funded", **meeting)
    funding_round.refresh_from_db()
    emails = {personas.officer.email, a.contact_email, "second_officer@example.gov.uk", personas.other_officer.email}
    settle_outbox()
    return funding_round, [(bid, email) for bid in (a, b) for email in sorted(emails)]


# The outbox keys of the decision emails (foundation.notifications: notifications.<kind>:<object>:<who>).
DECISION_KEYS = "notifications.growth_bids.decision:"


def settle_outbox():
    """Send what building the round queued (the invitations, the receipts, the support requests) as the
    commits would have, so the tests see the decision emails alone. In a test that never commits, the
    setup's nudges would wait for ever, and the outbox adds no second nudge while one waits."""
    if connection.in_atomic_block:
        for _savepoints, callback, _robust in connection.run_on_commit:
            if isinstance(callback, outbox._NudgeAfterCommit):
                callback.fired = True
    outbox.dispatch()
    if hasattr(mail, "outbox"):
        del mail.outbox[:]
