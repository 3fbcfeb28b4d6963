"""Form pieces every app shares: dates bounded to sensible years, the hidden version an editor started
from (an error the user sees when it is missing or tampered with), and bounded query-string numbers."""

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# One wording for a missing or tampered version, whether the form or the edit kit finds it.
from .editing import OUT_OF_DATE

EARLIEST_YEAR = 1990
LATEST_YEAR = 2100
DATE_RANGE_MESSAGE = f"Give a date between {EARLIEST_YEAR} and {LATEST_YEAR}."
# PostgreSQL's integer: anything bigger can be no row's id or version.
MAX_INT = 2**31 - 1


def validate_sensible_date(value: dt.date | dt.datetime | None) -> None:
    """Refuse dates no record of this service can have (0001-01-01, 9999-12-31): they overflow date arithmetic."""
    if value is not None and not (EARLIEST_YEAR <= value.year <= LATEST_YEAR):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_out_of_range")


def install_date_bounds() -> None:
    """Every date and date-time field of every form (admin's included) refuses years outside 1990-2100.

    Done once, at start-up, on the field classes themselves, so no form can forget it.
    """
    for field_class in (forms.DateField, forms.DateTimeField):
        if validate_sensible_date not in field_class.default_validators:
            field_class.default_validators = [*field_class.default_validators, validate_sensible_date]


class VersionField(forms.IntegerField):
    """The version of a record the editor started from, carried in a hidden input."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_INT)
        kwargs.setdefault("error_messages", {})
        for code in ("invalid", "min_value", "max_value", "required"):
            kwargs["error_messages"].setdefault(code, OUT_OF_DATE)
        super().__init__(**kwargs)


class HiddenErrorsMixin:
    """A hidden field (the version an editor started from) cannot show its error beside itself: show it on top.

    An edit form whose version comes back empty or tampered with says the page is out of date; it never
    saves silently over someone else's change.
    """

    version_fields = ("version", "expected_version")
    # True on forms that only ever edit an existing record (no instance or initial to tell by).
    version_required = False

    def _expects_version(self, name: str) -> bool:
        if self.version_required:
            return True
        field = self.fields[name]  # type: ignore[attr-defined]
        if field.initial is not None or self.initial.get(name) is not None:  # type: ignore[attr-defined]
            return True
        instance = getattr(self, "instance", None)
        return bool(instance is not None and instance.pk and hasattr(instance, name))

    def clean(self) -> Any:
        data = super().clean()  # type: ignore[misc]
        moved = False
        for name, field in self.fields.items():  # type: ignore[attr-defined]
            if field.widget.is_hidden and name in self._errors:  # type: ignore[attr-defined]
                self._errors.pop(name)  # type: ignore[attr-defined]
                moved = True
        for name in self.version_fields:
            if name in self.fields and self.cleaned_data.get(name) is None and self._expects_version(name):  # type: ignore[attr-defined]
                moved = True
        if moved:
            self.add_error(None, OUT_OF_DATE)  # type: ignore[attr-defined]
        return data


def query_int(params: Any, name: str) -> int | None:
    """A whole number from the query string, or None for anything else (``abc``, NUL, ``1e309``, 10**20)."""
    raw = params.get(name)
    if raw is None:
        return None
    raw = str(raw).strip()
    if not raw.isascii() or not raw.isdigit() or len(raw) > 10:
        return None
    value = int(raw)
    return value if 0 < value <= MAX_INT else None


def storable_text(raw: Any) -> str:
    """Text as typed, made storable: NUL characters removed (PostgreSQL's text and jsonb refuse them).

    For the paths that keep what was typed even when the form refused it (a draft saved with errors, an
    evaluation saved half done): the form's own error still tells the user; the rest of the text is kept.
    """
    return str(raw or "").replace("\x00", "")
