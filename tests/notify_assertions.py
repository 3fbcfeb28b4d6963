"""Shared checks of the per-event notification tests (issue 15): who got an in-app notification, who got an
email, and that each email carries the right absolute link and the footer."""

from foundation.models import Notification, OutboxMessage

SITE = "https://bids.example.gov.uk"


def told(kind):
    """{username: link} of the in-app notifications of ``kind``, and {address: body} of its emails."""
    in_app = dict(Notification.objects.filter(kind=kind.name).values_list("recipient__username", "link"))
    emails = dict(
        OutboxMessage.objects.filter(key__startswith=f"notifications.{kind.name}:").values_list("recipient", "payload")
    )
    assert len(in_app) == Notification.objects.filter(kind=kind.name).count(), "someone was told twice"
    count = OutboxMessage.objects.filter(key__startswith=f"notifications.{kind.name}:").count()
    assert len(emails) == count, "someone was emailed twice"
    return in_app, {address: payload["body"] for address, payload in emails.items()}


def assert_told(kind, people, link, extra_emails=()):
    """Exactly ``people`` got one in-app notification linking to ``link`` and one email with its absolute link
    (``extra_emails``: addresses without an account, emailed too)."""
    in_app, emails = told(kind)
    assert in_app == {p.username: link for p in people}
    assert set(emails) == {p.email for p in people} | set(extra_emails)
    for body in emails.values():
        assert SITE + link in body
        assert "You got this email because" in body
    return emails
