"""One edit kit for every app: "someone else saved first", the version check, a versioned save, and one way to
put a service's error on a form.

A record edited from a page carries an integer ``version``. The page sends back the version it was opened at;
the service locks the row, checks the version, applies the allow-listed fields, bumps the version, validates
and saves::

    from foundation import editing

    @transaction.atomic
    def thing_update(*, user, thing, expected_version, **fields):
        locked = Thing.objects.select_for_update().get(pk=thing.pk)
        editing.check_version(locked, expected_version, noun="thing")
        return editing.save_version(locked, fields, fields=THING_FIELDS)

and the view::

    try:
        services.thing_update(..., expected_version=form.cleaned_data.get("version"), **data)
    except ValidationError as exc:           # StaleEdit is one
        editing.errors_to_form(form, exc)
        return self.form_invalid(form)

A missing or garbled version has one meaning everywhere: the page is out of date (or was changed in transit),
so nothing is saved and the person is asked to reload (``StaleEdit`` with ``OUT_OF_DATE``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

OUT_OF_DATE = "This page is out of date: reload it and make your change again."
STALE_CODE = "stale"

M = TypeVar("M", bound=models.Model)


class StaleEdit(ValidationError):
    """Someone else saved the record after this person opened it; nothing was saved.

    ``who`` (a display name, or None when unknown) and ``when`` (an aware datetime, or None) name the save that
    came first. A ValidationError, so a view puts it on the form like any other refusal (``errors_to_form``).
    """

    who: str | None
    when: dt.datetime | None

    def __init__(
        self,
        message: str | None = None,
        *,
        noun: str = "record",
        who: str | None = None,
        when: dt.datetime | None = None,
    ) -> None:
        if message is None:
            message = stale_message(noun, who=who, when=when)
        super().__init__(message, code=STALE_CODE)
        self.who, self.when = who, when


def stale_message(noun: str, *, who: str | None = None, when: dt.datetime | None = None) -> str:
    """ "Sam Jones changed this risk at 03 March 2026 14:05 while you were editing it. ..." """
    at = f" at {timezone.localtime(when):%d %B %Y %H:%M}" if when else ""
    return (
        f"{who or 'Someone else'} changed this {noun}{at} while you were editing it. Your changes have not been "
        "saved: reload the page to see theirs, then make yours again."
    )


def last_change(obj: models.Model) -> tuple[str | None, dt.datetime | None]:
    """Who saved ``obj`` last and when, from its change history (django-simple-history), or (None, None)."""
    history = getattr(obj, "history", None)
    if history is None:
        return None, None
    last = history.select_related("history_user").order_by("-history_date").first()
    if last is None:
        return None, None
    user = last.history_user
    who = (getattr(user, "display_name", None) or str(user)) if user is not None else None
    return who, last.history_date


def stale_edit(obj: models.Model, *, noun: str = "record", message: str | None = None) -> StaleEdit:
    """The StaleEdit for ``obj``, naming who saved it last and when (from its history, when it keeps one).

    ``message`` replaces the wording; who and when are kept either way.
    """
    who, when = last_change(obj)
    return StaleEdit(message, noun=noun, who=who, when=when)


def parse_version(submitted: object) -> int:
    """The submitted version as an int; a missing or non-integer one is the page out of date (StaleEdit)."""
    if submitted is None or isinstance(submitted, bool) or submitted == "":
        raise StaleEdit(OUT_OF_DATE)
    try:
        return int(submitted)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise StaleEdit(OUT_OF_DATE) from None


def check_version(
    obj: models.Model,
    submitted_version: object,
    *,
    noun: str = "record",
    current: int | None = None,
    message: str | None = None,
) -> None:
    """Refuse (StaleEdit) unless ``submitted_version`` is the version ``obj`` is at now.

    ``obj`` should be the row locked for update. ``current`` is the version to compare with when it is not
    ``obj.version`` (a timetable's number, a task's latest history id). ``message`` replaces the default wording.
    """
    version = parse_version(submitted_version)
    now = getattr(obj, "version") if current is None else current  # noqa: B009 - any model with a version
    if version != now:
        raise stale_edit(obj, noun=noun, message=message)


def apply_fields(obj: models.Model, data: Mapping[str, Any], *, fields: Iterable[str]) -> None:
    """Set the allow-listed ``fields`` from ``data``; any other key is a programming error (ValueError)."""
    unknown = set(data) - set(fields)
    if unknown:
        raise ValueError(f"Unknown fields: {', '.join(sorted(unknown))}")
    for name, value in data.items():
        setattr(obj, name, value)


def save_version(
    obj: M,
    data: Mapping[str, Any] | None = None,
    *,
    fields: Iterable[str] = (),
    clean: bool = True,
    clean_exclude: Iterable[str] | None = None,
) -> M:
    """Apply the allow-listed ``fields`` from ``data``, bump ``version``, ``full_clean`` and save (the
    Styleguide's ``model_update`` with a version). Returns ``obj``. ``clean=False`` is for a service that has just
    validated the whole record itself."""
    apply_fields(obj, data or {}, fields=fields)
    obj.version += 1  # type: ignore[attr-defined]
    if clean:
        obj.full_clean(exclude=list(clean_exclude) if clean_exclude is not None else None)
    obj.save()
    return obj


def errors_to_form(
    form: forms.BaseForm,
    exc: ValidationError | PermissionDenied,
    *,
    default_field: str | Callable[[str], str | None] | None = None,
) -> None:
    """Put a service's ValidationError on ``form``: each message beside the field it names, and the rest beside
    ``default_field`` (a field name, or a function of the message returning one) or at the top of the form.
    A refusal (PermissionDenied, e.g. an app's NotAllowed) goes at the top of the form."""

    def place(field: str | None, message: str) -> None:
        if field not in form.fields:
            field = default_field(message) if callable(default_field) else default_field
        form.add_error(field if field in form.fields else None, message)

    if isinstance(exc, PermissionDenied):
        form.add_error(None, str(exc))
        return
    if hasattr(exc, "error_dict"):
        for field, messages in exc.message_dict.items():
            for message in messages:
                place(field, message)
        return
    for message in exc.messages:
        place(None, message)
