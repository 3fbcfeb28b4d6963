"""The admin timetable's forms share their choice fields' choices (procurement/fast_widgets.share_choices): a copy
per form, as Django makes, but not a deep copy of the choices for every row of the inline."""

from django import forms

from procurement.fast_widgets import share_choices


class RowForm(forms.Form):
    stage = forms.ChoiceField(choices=[("plan", "Plan"), ("tender", "Tender")])
    status = forms.TypedChoiceField(choices=[("open", "Open"), ("done", "Done")], coerce=str)
    note = forms.CharField(required=False)


def test_each_form_shares_the_choices_yet_owns_its_field_and_widget():
    for field in RowForm.base_fields.values():
        share_choices(field)
    share_choices(RowForm.base_fields["stage"])  # twice is once
    first, second = RowForm(), RowForm(data={"stage": "tender", "status": "done"})
    assert first.fields["stage"] is not second.fields["stage"]
    assert first.fields["stage"].widget is not second.fields["stage"].widget
    assert first.fields["stage"].choices is second.fields["stage"].choices  # shared, not copied
    assert isinstance(first.fields["status"], forms.TypedChoiceField)
    # A form that sets its own choices replaces the list: the other forms keep theirs.
    first.fields["stage"].choices = [("plan", "Plan")]
    assert [c for c, _ in second.fields["stage"].choices] == ["plan", "tender"]
    assert second.is_valid() and second.cleaned_data["stage"] == "tender"
    assert 'value="tender" selected' in str(second["stage"])
    first.fields["note"].widget.attrs["class"] = "wide"
    assert "class" not in second.fields["note"].widget.attrs
