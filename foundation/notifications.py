"""Telling people: one in-app notification and at most one email per event and recipient.

An app registers each kind of event it tells people of (in its ``notifications.py``, which foundation imports at
start-up) and calls ``notify`` in the transaction of the change that is the event::

    from foundation import notifications

    BID_SUBMITTED = notifications.register(
        "growth_bids.bid_submitted", "A bid you made was submitted", template="growth_bids/email/bid_submitted"
    )

    notifications.notify(
        BID_SUBMITTED, bid, officers, context={"bid": bid}, link=reverse("growth_bids:bid_detail", args=[bid.pk]),
        reason="you are an officer of the applicant",
    )

``notify`` bulk-writes the in-app notifications (once per recipient, kind and object: calling it again adds
nothing) and, for each recipient who wants email at once (or whatever they want, for a mandatory kind), queues one
email in the outbox under ``notifications.<event>:<object>:<user>``. The outbox sends it after the commit, retries
a failed send and never sends it twice (docs/adr/0001-outbox.md). Recipients who chose the daily digest get one
email a day at 08:00 (``send_digest``, run by beat); those who chose "in the app only" get none.

The email is rendered once per event from the kind's subject/text/html trio, with a footer saying why the person
got it and where to change it; every link is absolute, built from ``settings.SITE_URL`` (foundation/links.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING, Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from . import links, mail, outbox
from .extensions import Person
from .models import Delivery, Notification, NotificationPreference, NotificationSettings

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.contrib.sessions.backends.base import SessionBase

    Recipient = AbstractBaseUser | str
else:
    Recipient = Any

KEY_PREFIX = "notifications"
FOOTER_TEMPLATE = "foundation/email/notification_footer"
DIGEST_TEMPLATE = "foundation/email/digest"


@dataclass(frozen=True)
class Kind:
    """A kind of event people are told of. ``mandatory`` kinds (reminders, decisions about a person's own bids)
    are emailed at once whatever the person chose; their in-app notification is written as for any other."""

    name: str
    label: str
    template: str
    mandatory: bool = False
    default: str = Delivery.EMAIL
    order: int = 50
    # The names the email's templates are given (besides link_url, reason, preferences_url): what a
    # partnership's own wording of it may use (core_groups.email_templates).
    fields: tuple[str, ...] = ()


_kinds: dict[str, Kind] = {}


def register(
    name: str,
    label: str,
    *,
    template: str,
    mandatory: bool = False,
    default: str = Delivery.EMAIL,
    order: int = 50,
    fields: Iterable[str] = (),
) -> Kind:
    """Register a kind of event (once per process; registering the same name again replaces it)."""
    if "." not in name or len(name) > 100:
        raise ValueError(f"A notification kind is '<app>.<event>', at most 100 characters: {name!r}")
    kind = Kind(
        name=name,
        label=label,
        template=template,
        mandatory=mandatory,
        default=default,
        order=order,
        fields=tuple(fields),
    )
    _kinds[name] = kind
    return kind


def kind_for(name: str | Kind) -> Kind:
    if isinstance(name, Kind):
        return name
    try:
        return _kinds[name]
    except KeyError:
        raise ImproperlyConfigured(f"No notification kind {name!r} is registered; known: {sorted(_kinds)}") from None


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: (kind.order, kind.label))


# The one kind foundation tells of itself: a background import (foundation/imports.py) that ended without
# importing anything. A finished one is told by the app that imported (with what it changed).
IMPORT_UNFINISHED = register(
    "foundation.import_unfinished",
    "An import you sent ended without importing anything",
    template="foundation/email/import_unfinished",
    order=72,
    fields=("job",),
)


def tell_import_unfinished(job: Any) -> Notified:
    """The person who sent a background import hears that it was refused (with its problems) or failed."""
    from django.urls import reverse

    return notify(
        IMPORT_UNFINISHED,
        job,
        [job.created_by],
        {"job": job, "problems": len(job.problems or [])},
        reverse("imports:job", args=[job.pk]),
        reason="you sent this file to be imported",
        key=f"foundation.importjob:{job.pk}:finished",
        partnership=job.partnership_id,
    )


# --------------------------------------------------------------------------------------------------
# Preferences


def delivery_for(kind: Kind, chosen: str | None) -> str:
    """What a person gets for ``kind`` given what they chose (None: nothing chosen)."""
    if kind.mandatory:
        return Delivery.EMAIL
    return chosen if chosen in Delivery.values else kind.default


def preferences(user: Person) -> dict[str, str]:
    """Each registered kind's delivery for ``user`` (one query)."""
    if user.pk is None:
        return {kind.name: delivery_for(kind, None) for kind in kinds()}
    chosen = dict(NotificationPreference.objects.filter(user_id=user.pk).values_list("kind", "delivery"))
    return {kind.name: delivery_for(kind, chosen.get(kind.name)) for kind in kinds()}


@transaction.atomic
def set_preferences(user: Person, choices: Mapping[str, str]) -> None:
    """Save ``user``'s choices (kind name -> delivery); mandatory and unknown kinds are left out."""
    if user.pk is None:
        raise ValueError("Only a signed-in person has notification preferences.")
    rows = [
        NotificationPreference(user_id=user.pk, kind=name, delivery=delivery)
        for name, delivery in choices.items()
        if name in _kinds and not _kinds[name].mandatory and delivery in Delivery.values
    ]
    NotificationPreference.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["delivery"]
    )


# --------------------------------------------------------------------------------------------------
# Telling people


@dataclass
class Notified:
    """What one ``notify`` call did: notifications written, emails queued, digests awaited."""

    in_app: int = 0
    emailed: int = 0
    digest: int = 0
    emails: list[str] = field(default_factory=list)


def object_key(obj: models.Model | str) -> str:
    if isinstance(obj, str):
        return obj
    meta = obj._meta
    return f"{meta.app_label}.{meta.model_name}:{obj.pk}"


def email_key(kind: Kind, key: str, who: str | int) -> str:
    full = f"{KEY_PREFIX}.{kind.name}:{key}:{who}"
    if len(full) > 200:
        raise ValueError(f"A notification's outbox key is at most 200 characters: {full!r}")
    return full


def preferences_url() -> str:
    return links.absolute_reverse("notifications:preferences")


# A partnership's own wording of an event's email (core_groups keeps them, edited in admin): a function of
# (kind, partnership id, language, context) giving the email, or None for the product's own. It reports a template
# that fails and answers None, so a broken template never stops an email.
TemplateSource = Callable[[Kind, int, str, Mapping[str, Any]], "mail.EmailContent | None"]
_template_sources: list[TemplateSource] = []


def template_source(function: TemplateSource) -> TemplateSource:
    """Register where partnerships' own email templates come from (an app above registers one at start-up)."""
    if function not in _template_sources:
        _template_sources.append(function)
    return function


def language_of(user_ids: Iterable[int]) -> dict[int, str]:
    """Each person's email language (one query); a person with no settings reads the default, English."""
    chosen = dict(NotificationSettings.objects.filter(user_id__in=list(user_ids)).values_list("user_id", "language"))
    return {pk: chosen.get(pk) or mail.DEFAULT_LANGUAGE for pk in user_ids}


def partnership_id_of(partnership: Any) -> int | None:
    if partnership is None or isinstance(partnership, int):
        return partnership
    return getattr(partnership, "pk", None)


def render(
    kind: Kind,
    context: Mapping[str, Any],
    *,
    link: str,
    reason: str,
    language: str = mail.DEFAULT_LANGUAGE,
    partnership: Any = None,
) -> mail.EmailContent:
    """The email of one event, rendered once for all its recipients of one language, with the footer: the
    partnership's own wording when it has one that works, else the product's own templates."""
    url = links.absolute_url(link) if link and not link.startswith(("http://", "https://")) else link
    full = {**context, "link_url": url, "kind": kind, "reason": reason, "preferences_url": preferences_url()}
    content = None
    partnership_id = partnership_id_of(partnership)
    if partnership_id is not None:
        for source in _template_sources:
            content = source(kind, partnership_id, language, full)
            if content is not None:
                break
    if content is None:
        content = mail.render_email(kind.template, full, language=language)
    footer = mail.render_plain(f"{FOOTER_TEMPLATE}.txt", full)
    html = f"{content.html}\n{render_to_string(f'{FOOTER_TEMPLATE}.html', full)}" if content.html else ""
    return mail.EmailContent(subject=content.subject, body=f"{content.body.rstrip()}\n\n{footer.strip()}\n", html=html)


def notify(
    event: str | Kind,
    obj: models.Model | str,
    recipients: Iterable[Recipient],
    context: Mapping[str, Any] | None = None,
    link: str = "",
    *,
    reason: str = "",
    key: str | None = None,
    attachments: Iterable[Mapping[str, Any]] = (),
    partnership: Any = None,
) -> Notified:
    """Tell ``recipients`` of ``event`` about ``obj``, in the caller's transaction.

    ``recipients`` are users (an in-app notification each, and email as they chose) or plain email addresses
    (someone named on the object without an account: email only). ``link`` is the object's page (a path);
    ``reason`` finishes "You got this email because ..."; ``key`` replaces the object's key for an event that
    may happen again about the same object (say ``growth_bids.fundinground:3:close-moved:2``). ``attachments``
    go with each email sent at once (foundation.mail.payload: a stored file, or a renderer run at send time).
    ``partnership`` (the event's, an id or object) picks the partnership's own wording of the email, if any;
    each email is rendered in its recipient's language (NotificationSettings), once per language.

    Once per recipient, kind and key: a second call writes and queues nothing new."""
    kind = kind_for(event)
    key = key or object_key(obj)
    attached = [dict(attachment) for attachment in attachments]
    context = dict(context or {})
    users: dict[int, AbstractBaseUser] = {}
    addresses: set[str] = set()
    for recipient in recipients:
        if isinstance(recipient, str):
            if recipient:
                addresses.add(recipient.strip().lower())
        elif recipient.is_active and recipient.pk is not None:
            users.setdefault(int(recipient.pk), recipient)
    result = Notified()
    if not users and not addresses:
        return result
    with transaction.atomic():
        told = set(
            Notification.objects.filter(kind=kind.name, object_key=key, recipient_id__in=list(users)).values_list(
                "recipient_id", flat=True
            )
        )
        chosen = dict(
            NotificationPreference.objects.filter(kind=kind.name, user_id__in=list(users)).values_list(
                "user_id", "delivery"
            )
        )
        language = language_of(users)
        rendered: dict[str, mail.EmailContent] = {}

        def content_in(lang: str) -> mail.EmailContent:
            if lang not in rendered:
                rendered[lang] = render(kind, context, link=link, reason=reason, language=lang, partnership=partnership)
            return rendered[lang]

        content_type, object_id = _reference(obj)
        now = timezone.now()
        rows: list[Notification] = []
        emails: list[tuple[str, str, str]] = []
        user_addresses = set()
        for pk, user in users.items():
            address = (getattr(user, "email", "") or "").strip()
            user_addresses.add(address.lower())
            if pk in told:
                continue
            delivery = delivery_for(kind, chosen.get(pk))
            state = Notification.Email.NONE
            if address and delivery == Delivery.EMAIL:
                state = Notification.Email.QUEUED
                emails.append((email_key(kind, key, pk), address, language[pk]))
            elif address and delivery == Delivery.DIGEST:
                state = Notification.Email.DIGEST
                result.digest += 1
            rows.append(
                Notification(
                    recipient_id=pk,
                    kind=kind.name,
                    title=content_in(language[pk]).subject[:300],
                    link=link[:500],
                    content_type=content_type,
                    object_id=object_id,
                    object_key=key,
                    email=state,
                    created_at=now,
                )
            )
        # An address that is also a recipient's account is that person's: they are told once, as they chose.
        for address in sorted(addresses - user_addresses):
            emails.append((email_key(kind, key, address), address, mail.DEFAULT_LANGUAGE))
        Notification.objects.bulk_create(rows, ignore_conflicts=True)
        messages = [
            outbox.email_message(
                key=message_key,
                to=to,
                subject=content_in(lang).subject,
                body=content_in(lang).body,
                html=content_in(lang).html,
                attachments=attached,
            )
            for message_key, to, lang in emails
        ]
        queued = outbox.enqueue_many(messages)
    result.in_app = len(rows)
    result.emailed = len(queued)
    result.emails = sorted(message.recipient for message in queued)
    return result


def _reference(obj: models.Model | str) -> tuple[ContentType | None, int | None]:
    if isinstance(obj, str) or not isinstance(obj.pk, int):
        return None, None
    return ContentType.objects.get_for_model(obj, for_concrete_model=False), obj.pk


# --------------------------------------------------------------------------------------------------
# Reading and marking


def unread_count(user: Person) -> int:
    return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()


def mark_read(user: Person, pk: int | None = None) -> int:
    """Mark one of ``user``'s notifications read (or all of them, without ``pk``). Returns how many changed."""
    unread = Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True)
    if pk is not None:
        unread = unread.filter(pk=pk)
    return unread.update(read_at=timezone.now())


# --------------------------------------------------------------------------------------------------
# New since the last visit

# Pages opened within this long of each other are one visit: what was new when it began stays shown.
VISIT_GAP = dt.timedelta(minutes=30)
NEW_SHOWN = 10


# The visit is written at most this often per session: a reload of the home page within it is no database write.
VISIT_WRITE_EVERY = dt.timedelta(minutes=5)
SESSION_VISIT = "_notifications_visit"  # in the session: {"user", "at": when written, "since": the previous visit}


def record_visit(
    user: Person, *, now: dt.datetime | None = None, session: SessionBase | dict[str, Any] | None = None
) -> dt.datetime | None:
    """Note that ``user`` is on the home page; returns when their previous visit was (None: the first visit).

    With their ``session`` (the view's ``request.session``), the visit is written at most once a
    ``VISIT_WRITE_EVERY``: in between, the session answers (no query), with the same previous visit, so what was
    new when the visit began stays shown. (A visit then ends 30 minutes after the last page that was written,
    at most five minutes before the last page opened.)"""
    if user.pk is None:
        return None
    now = now or timezone.now()
    if session is not None:
        remembered = _remembered_visit(session.get(SESSION_VISIT), user.pk, now)
        if remembered is not None:
            return remembered[0]
    with transaction.atomic():
        row, _ = NotificationSettings.objects.select_for_update().get_or_create(user_id=user.pk)
        if row.visit_at is None or now - row.visit_at > VISIT_GAP:
            row.previous_visit_at = row.visit_at
        row.visit_at = now
        row.save(update_fields=["visit_at", "previous_visit_at"])
    if session is not None:
        since = row.previous_visit_at.isoformat() if row.previous_visit_at else None
        session[SESSION_VISIT] = {"user": user.pk, "at": now.isoformat(), "since": since}
    return row.previous_visit_at


def _remembered_visit(stored: Any, user_id: int, now: dt.datetime) -> tuple[dt.datetime | None] | None:
    """(the previous visit,) from what the session remembers, if it was written recently for this person; else None."""
    if not isinstance(stored, dict) or stored.get("user") != user_id:
        return None
    try:
        written = dt.datetime.fromisoformat(stored["at"])
        since = dt.datetime.fromisoformat(stored["since"]) if stored.get("since") else None
    except (KeyError, TypeError, ValueError):
        return None
    if not dt.timedelta(0) <= now - written < VISIT_WRITE_EVERY:
        return None
    return (since,)


@dataclass
class NewSince:
    since: dt.datetime | None
    count: int
    items: list[Notification]


def new_since(user: Person, since: dt.datetime | None) -> NewSince:
    """``user``'s notifications since ``since`` (the last visit): how many, and the latest few (two queries)."""
    if since is None or user.pk is None:
        return NewSince(since=since, count=0, items=[])
    rows = Notification.objects.filter(recipient_id=user.pk, created_at__gt=since)
    items = list(rows.only("id", "title", "link", "created_at", "read_at", "kind")[:NEW_SHOWN])
    count = len(items) if len(items) < NEW_SHOWN else rows.count()
    return NewSince(since=since, count=count, items=items)


# --------------------------------------------------------------------------------------------------
# The daily digest


@dataclass
class Digest:
    people: int = 0
    notifications: int = 0


def send_digest(*, now: dt.datetime | None = None) -> Digest:
    """Queue one email per person with notifications waiting for the digest, and mark them digested.

    A fixed number of queries however many notifications wait: one read (with the recipients), the outbox's
    bulk insert (a query per 500 people) and one update. A second run the same day sends nothing twice: what
    was digested is marked so, and the outbox key carries the date."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    result = Digest()
    with transaction.atomic():
        waiting = list(
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(email=Notification.Email.DIGEST, created_at__lte=now)
            .select_related("recipient")
            .order_by("recipient_id", "created_at", "id")
        )
        if not waiting:
            return result
        messages = []
        settings_url = preferences_url()
        list_url = links.absolute_reverse("notifications:list")
        for _, group in groupby(waiting, key=lambda n: n.recipient_id):
            items = list(group)
            person = items[0].recipient
            address = (getattr(person, "email", "") or "").strip()
            if not address or not person.is_active:
                continue
            context = {
                "person": person,
                "day": day,
                "items": [(n, links.absolute_url(n.link) if n.link else list_url) for n in items],
                "list_url": list_url,
                "preferences_url": settings_url,
            }
            content = mail.render_email(DIGEST_TEMPLATE, context)
            messages.append(
                outbox.email_message(
                    key=f"{KEY_PREFIX}.digest:{day.isoformat()}:{person.pk}",
                    to=address,
                    subject=content.subject,
                    body=content.body,
                    html=content.html,
                )
            )
            result.people += 1
        outbox.enqueue_many(messages)
        result.notifications = Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
            email=Notification.Email.DIGESTED
        )
    return result
