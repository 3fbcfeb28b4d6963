"""The edit kit: one stale-edit error, one version check, one versioned save, one way onto a form."""

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django import forms
from django.core.exceptions import ValidationError

from foundation import editing


class Record(SimpleNamespace):
    """Enough of a model for the kit: a version, full_clean and save."""

    def full_clean(self, exclude=None):
        if self.title == "":
            raise ValidationError({"title": "Give it a title."})
        self.cleaned = True

    def save(self):
        self.saved = True


def test_stale_edit_is_a_validation_error_naming_who_and_when():
    when = dt.datetime(2026, 3, 3, 14, 5, tzinfo=ZoneInfo("Europe/London"))
    exc = editing.StaleEdit(noun="risk", who="Sam Jones", when=when)
    assert isinstance(exc, ValidationError) and exc.code == "stale"
    assert exc.who == "Sam Jones" and exc.when == when
    assert exc.messages[0].startswith("Sam Jones changed this risk at 03 March 2026 14:05 while you were editing it.")


@pytest.mark.parametrize("submitted", [None, "", "abc", "1.5", [], True])
def test_a_missing_or_garbled_version_is_the_page_out_of_date(submitted):
    with pytest.raises(editing.StaleEdit) as exc:
        editing.check_version(Record(version=1), submitted)
    assert exc.value.messages == [editing.OUT_OF_DATE]


def test_check_version_passes_the_current_version_and_refuses_another():
    editing.check_version(Record(version=3), "3")
    editing.check_version(Record(version=3), 7, current=7)
    with pytest.raises(editing.StaleEdit, match="Someone else changed this thing"):
        editing.check_version(Record(version=3), 2, noun="thing")
    with pytest.raises(editing.StaleEdit, match="Told"):
        editing.check_version(Record(version=3), 2, message="Told")


def test_save_version_applies_allowed_fields_bumps_cleans_and_saves():
    record = Record(version=4, title="Old")
    assert editing.save_version(record, {"title": "New"}, fields={"title"}) is record
    assert (record.title, record.version, record.cleaned, record.saved) == ("New", 5, True, True)
    with pytest.raises(ValueError, match="Unknown fields: secret"):
        editing.save_version(record, {"secret": 1}, fields={"title"})
    with pytest.raises(ValidationError):
        editing.save_version(Record(version=1, title="x"), {"title": ""}, fields={"title"})


class ThingForm(forms.Form):
    title = forms.CharField()
    start = forms.DateField()


def test_errors_to_form_puts_each_message_beside_its_field_or_on_top():
    form = ThingForm(data={"title": "t", "start": "2026-01-01"})
    assert form.is_valid()
    editing.errors_to_form(form, ValidationError({"title": "Too long.", "elsewhere": "Not a field."}))
    editing.errors_to_form(form, editing.StaleEdit("Reload."))
    assert form.errors["title"] == ["Too long."]
    assert form.non_field_errors() == ["Not a field.", "Reload."]


def test_errors_to_form_default_field_may_depend_on_the_message():
    form = ThingForm(data={"title": "t", "start": "2026-01-01"})
    assert form.is_valid()
    editing.errors_to_form(
        form, ValidationError(["The start moved.", "Other."]), default_field=lambda m: "start" if "start" in m else None
    )
    assert form.errors["start"] == ["The start moved."] and form.non_field_errors() == ["Other."]
