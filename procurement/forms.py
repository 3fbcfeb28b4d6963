from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from core_groups.financial_year import current_fy, fy_choices
from core_groups.models import Programme


class ContractStartForm(forms.Form):
    contract_start = forms.DateField(
        label="New contract start date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The open tasks are drawn again backwards from this date; finished tasks keep theirs.",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Re-plan the timetable"))


class UnderspendForm(forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.order_by("name"), empty_label=None)
    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = fy_choices(2005, current_fy() + 3)
        self.fields["year"].initial = current_fy()
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""
