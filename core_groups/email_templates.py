"""A partnership's own wording of an event's email, edited by its administrator in admin (issue 15).

The subject and body are Django template text over the event's fields (``{{ bid.reference }}``, ``{{ round }}``,
``{{ link_url }}`` ...), rendered in a sandbox:

- a template engine of its own, with the built-in tags and filters but for those that reach outside the text
  (``load``, ``include``, ``extends``, ``debug``, ``csrf_token``, ``url``, ``ssi``): no library, no file, no dump;
- the objects of the event seen through a read-only view: a model's own fields, its choices' labels and its
  name, nothing else, so no method of a model is ever called from a template;
- whatever goes wrong (a syntax error, a failure while rendering, an empty subject) falls back to the product's
  own templates and is reported on the template (``problem``) and in the log; the email is always sent.

foundation.notifications asks ``render_override`` (registered in core_groups/notifications.py) for each event.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import models
from django.template import Context, Engine, Library, TemplateSyntaxError, defaultfilters, defaulttags
from django.utils import timezone
from django.utils.html import escape, linebreaks

from foundation import mail

log = logging.getLogger(__name__)

BLOCKED_TAGS = {"load", "include", "extends", "block", "debug", "csrf_token", "url", "ssi", "templatetag", "lorem"}
# Fields a template never sees, on any object: secrets, and what only an administrator should know of a person.
HIDDEN_FIELDS = frozenset({"password", "last_login", "is_superuser", "is_staff", "token", "secret", "data"})
# Of a person, a template sees the name and the email address only.
PERSON_FIELDS = frozenset({"first_name", "last_name", "username", "email"})
# Names every event's email knows, besides its own fields.
COMMON_FIELDS = ("link_url", "reason", "preferences_url", "partnership")


def _engine() -> Engine:
    engine = Engine(loaders=[("django.template.loaders.locmem.Loader", {})], libraries={}, builtins=[], debug=False)
    library = Library()
    library.tags = {name: tag for name, tag in defaulttags.register.tags.items() if name not in BLOCKED_TAGS}
    library.filters = dict(defaultfilters.register.filters)
    engine.template_builtins = [library]
    return engine


ENGINE = _engine()


class ReadOnly:
    """What a partnership's template sees of an object: its fields and choice labels, never its methods."""

    __slots__ = ("_obj",)

    def __init__(self, obj: Any) -> None:
        object.__setattr__(self, "_obj", obj)

    def __getattr__(self, name: str) -> Any:
        obj = object.__getattribute__(self, "_obj")
        if name.startswith("_"):
            raise AttributeError(name)
        meta = obj._meta
        names = {f.name for f in meta.concrete_fields} - HIDDEN_FIELDS
        if isinstance(obj, AbstractBaseUser):
            names &= PERSON_FIELDS
        if name in names:
            return sandboxed(getattr(obj, name))
        if name.startswith("get_") and name.endswith("_display") and name[4:-8] in names:
            field = meta.get_field(name[4:-8])
            if field.choices:
                return getattr(obj, name)()
        raise AttributeError(name)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.__getattr__(name)
        except AttributeError:
            raise KeyError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("read-only")

    def __str__(self) -> str:
        return str(object.__getattribute__(self, "_obj"))

    def __repr__(self) -> str:
        return f"<{type(object.__getattribute__(self, '_obj')).__name__}>"


SAFE = (str, int, float, Decimal, bool, dt.date, dt.datetime, dt.time, type(None))


def sandboxed(value: Any) -> Any:
    """``value`` as a partnership's template may see it."""
    if isinstance(value, (*SAFE, Placeholder)):
        return value
    if isinstance(value, models.Model):
        return ReadOnly(value)
    if isinstance(value, Mapping):
        return {str(k): sandboxed(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [sandboxed(v) for v in value]
    return str(value)


def compile_text(text: str) -> Any:
    """Compile a partnership's template text (raises TemplateSyntaxError)."""
    return ENGINE.from_string(text)


def render_text(text: str, context: Mapping[str, Any]) -> str:
    safe = {key: sandboxed(value) for key, value in context.items()}
    return str(compile_text(text).render(Context(safe, autoescape=False)))


def check(subject: str, body: str) -> dict[str, str]:
    """Syntax problems of a template's subject and body, by field (empty when both compile)."""
    problems = {}
    for name, text in (("subject", subject), ("body", body)):
        try:
            compile_text(text)
        except TemplateSyntaxError as exc:
            problems[name] = f"This is not a template that can be used: {exc}"
    return problems


def render_content(subject: str, body: str, context: Mapping[str, Any]) -> mail.EmailContent:
    """The email from a partnership's subject and body (raises whatever fails); its html is the text's."""
    rendered_subject = mail.one_line(render_text(subject, context))
    if not rendered_subject:
        raise ValueError("The subject comes out empty.")
    rendered_body = render_text(body, context)
    return mail.EmailContent(subject=rendered_subject, body=rendered_body, html=linebreaks(escape(rendered_body)))


class Placeholder:
    """A field's name standing in for its value in the admin's preview: ``{{ bid.reference }}`` shows
    ``[bid.reference]``."""

    def __init__(self, path: str) -> None:
        self.path = path

    def __getattr__(self, name: str) -> Placeholder:
        if name.startswith("_"):
            raise AttributeError(name)
        return Placeholder(f"{self.path}.{name}")

    def __getitem__(self, name: str) -> Placeholder:
        return Placeholder(f"{self.path}.{name}")

    def __str__(self) -> str:
        return f"[{self.path}]"


def preview(template: Any) -> tuple[mail.EmailContent | None, str]:
    """(the email with each field shown by name, the problem) of an EmailTemplate, for the admin."""
    from foundation import notifications

    try:
        kind = notifications.kind_for(template.kind)
    except Exception:  # noqa: BLE001 - an unknown kind is shown as the problem, never a 500
        return None, f"No kind of event is called {template.kind!r}."
    names = (*COMMON_FIELDS, *kind.fields)
    context = {name: Placeholder(name) for name in names}
    context["partnership"] = template.partnership
    try:
        return render_content(template.subject, template.body, context), ""
    except Exception as exc:  # noqa: BLE001 - shown to the administrator, never a 500
        return None, f"{type(exc).__name__}: {exc}"


def render_override(kind: Any, partnership_id: int, language: str, context: Mapping[str, Any]) -> Any:
    """foundation.notifications' template source: the partnership's own email for ``kind`` in ``language``,
    or None (none written, switched off, or failing: then reported and the product's own is used)."""
    from .models import EmailTemplate

    template = (
        EmailTemplate.objects.filter(partnership_id=partnership_id, kind=kind.name, language=language, active=True)
        .select_related("partnership")
        .only("pk", "subject", "body", "partnership__name", "partnership__short_name")
        .first()
    )
    if template is None:
        return None
    try:
        return render_content(template.subject, template.body, {"partnership": template.partnership, **context})
    except Exception as exc:  # noqa: BLE001 - a partnership's template never stops an email
        problem = f"{timezone.localtime():%d %B %Y %H:%M}: {type(exc).__name__}: {exc}"[:1000]
        log.warning("Email template %s (%s) failed; the product's own was sent: %s", template.pk, kind.name, exc)
        EmailTemplate.objects.filter(pk=template.pk).update(problem=problem)
        return None
