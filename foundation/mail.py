"""Emails: rendered from a subject/text/html trio, queued in the outbox, sent by its "email" handler.

Subjects and text bodies are plain text: they are rendered with autoescaping off, so "Terms & Conditions"
never arrives as "Terms &amp; Conditions"; a subject is one line. HTML bodies are escaped as usual.
Links in emails come from foundation.links (``{% load site_links %}{% absolute_url 'name' pk %}``), built
from settings.SITE_URL and never from a request's Host header.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

from . import outbox
from .models import OutboxMessage

AttachmentRenderer = Callable[[Mapping[str, Any]], bytes]
_renderers: dict[str, AttachmentRenderer] = {}


def attachment_renderer(name: str) -> Callable[[AttachmentRenderer], AttachmentRenderer]:
    """Register a function that makes an attachment's bytes when the email is sent (in the worker), so that a
    request queues ``{"render": name, ...}`` and never renders a PDF itself. An app registers its renderers in a
    module foundation imports at start-up (its ``notifications.py`` or ``outbox_handlers.py``)."""

    def register(function: AttachmentRenderer) -> AttachmentRenderer:
        _renderers[name] = function
        return function

    return register


def attachment_content(attachment: Mapping[str, Any]) -> bytes:
    """The bytes of one attachment of a payload: rendered by its renderer, or read from default storage."""
    if attachment.get("render"):
        try:
            renderer = _renderers[attachment["render"]]
        except KeyError:
            raise LookupError(f"No attachment renderer {attachment['render']!r} is registered.") from None
        return renderer(attachment)
    with default_storage.open(attachment["path"], "rb") as handle:
        content: bytes = handle.read()
    return content


@dataclass(frozen=True)
class EmailContent:
    subject: str
    body: str
    html: str = ""


def render_plain(template_name: str, context: Mapping[str, Any]) -> str:
    """Render a Django template as plain text (no HTML escaping)."""
    template: Any = get_template(template_name)  # the Django backend's wrapper; .template is the engine's own
    return template.template.render(Context(dict(context), autoescape=False))


def one_line(text: str) -> str:
    return " ".join(text.split())


DEFAULT_LANGUAGE = "en"


def language_template(template: str, language: str) -> str:
    """The trio of ``template`` in ``language``: ``<template>.<language>`` when the app ships one (a Welsh
    ``bid_submitted.cy_subject.txt`` ...), else ``template`` itself (English, the product's own)."""
    if not language or language == DEFAULT_LANGUAGE:
        return template
    try:
        get_template(f"{template}.{language}_subject.txt")
    except TemplateDoesNotExist:
        return template
    return f"{template}.{language}"


def render_email(template: str, context: Mapping[str, Any], *, language: str = DEFAULT_LANGUAGE) -> EmailContent:
    """``template`` is a prefix: ``<template>_subject.txt``, ``<template>.txt`` and, if present, ``.html``;
    rendered in ``language`` (its own trio when there is one, and Django's translations switched to it)."""
    from django.utils import translation

    template = language_template(template, language)
    with translation.override(language or DEFAULT_LANGUAGE):
        subject = one_line(render_plain(f"{template}_subject.txt", context))
        body = render_plain(f"{template}.txt", context)
        try:
            html: str = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            html = ""
    return EmailContent(subject=subject, body=body, html=html)


def payload(
    *,
    to: str,
    subject: str,
    body: str,
    html: str = "",
    from_email: str | None = None,
    reply_to: Iterable[str] = (),
    headers: Mapping[str, str] | None = None,
    attachments: Iterable[Mapping[str, str]] = (),
) -> dict[str, Any]:
    """The JSON an email message keeps in the outbox. ``attachments`` name files in Django's default
    storage (``{"path": ..., "filename": ..., "mimetype": ...}``), read when the email is sent, or a registered
    renderer (``{"render": ..., "filename": ..., "mimetype": ..., <its arguments>}``) run when it is sent."""
    return {
        "to": to,
        "subject": one_line(subject),
        "body": body,
        "html": html,
        "from_email": from_email or "",
        "reply_to": list(reply_to),
        "headers": dict(headers or {}),
        "attachments": [dict(a) for a in attachments],
    }


def message_id(msg: OutboxMessage) -> str:
    # The same Message-ID on every try: should a crash ever repeat a send, mail clients show it once.
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{msg.pk}.{msg.created_at:%Y%m%d%H%M%S}@{domain}>"


def build(data: Mapping[str, Any], *, message_id: str | None = None) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=data["subject"],
        body=data["body"],
        from_email=data.get("from_email") or settings.DEFAULT_FROM_EMAIL,
        to=[data["to"]],
        reply_to=data.get("reply_to") or None,
        headers={**({"Message-ID": message_id} if message_id else {}), **(data.get("headers") or {})},
    )
    if data.get("html"):
        email.attach_alternative(data["html"], "text/html")
    for attachment in data.get("attachments") or ():
        name = attachment.get("filename") or str(attachment.get("path", "attachment")).rsplit("/", 1)[-1]
        email.attach(name, attachment_content(attachment), attachment.get("mimetype"))
    return email


def send(data: Mapping[str, Any], *, message_id: str | None = None) -> None:
    """Hand one email to the mail server now; raises when the server does not take it."""
    build(data, message_id=message_id).send(fail_silently=False)


@outbox.handler(outbox.EMAIL)
def send_queued_email(msg: OutboxMessage) -> None:
    send(msg.payload, message_id=message_id(msg))
