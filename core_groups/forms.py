"""Forms validate what was typed; the services do the writing. Rendered with crispy-forms (Bootstrap 5)."""

import copy

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from foundation.forms import HiddenErrorsMixin, VersionField
from foundation.once import OneTimeFormMixin

from . import conflicts, permissions
from .choices import PartnershipChoicesMixin
from .financial_year import fy_choices
from .models import Commission, Organisation, Risk, SpendEntry, User


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def _helper(label):
    helper = FormHelper()
    helper.form_tag = False
    helper.add_input(Submit("submit", label))
    return helper


def clean_positive_money(value, *, allow_zero=True, field_label="amount"):
    if value is None:
        return value
    if value < 0:
        raise forms.ValidationError(f"The {field_label} cannot be negative.")
    if not allow_zero and value == 0:
        raise forms.ValidationError(f"The {field_label} must be more than £0.")
    return value


class InterestConfirmationForm(forms.Form):
    """The two fields a scoring or decision form asks first: no interest in this item, or an interest declared.

    Mixed into the evaluation and decision forms; the view hands the answer to conflicts.confirm_interest."""

    interest = forms.ChoiceField(
        label="Your interest in this",
        choices=conflicts.ANSWER_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Confirm that you have no interest in this, or declare the interest you have."},
    )
    interest_description = forms.CharField(
        label="The interest you declare",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Only when you declare one: what it is. It is recorded, and you then take no part.",
    )

    def clean(self):
        data = super().clean()
        if data.get("interest") == conflicts.DECLARE and not (data.get("interest_description") or "").strip():
            self.add_error("interest_description", "Say what your interest is.")
        return data

    def confirm(self, *, user, obj, step):
        """Record the answer on ``obj`` (conflicts.confirm_interest); a refusal goes beside the field.

        True when the step may go ahead. Call it inside the step's transaction: the confirmation is then kept
        only with what it confirmed, while a declaration (which refuses the step) is kept."""
        if not self.cleaned_data.get("interest"):
            self.add_error("interest", self.fields["interest"].error_messages["required"])
            return False
        refusal = conflicts.confirm_interest(
            user=user,
            obj=obj,
            step=step,
            answer=self.cleaned_data["interest"],
            description=self.cleaned_data.get("interest_description") or "",
        )
        if refusal:
            self.add_error("interest", refusal)
            return False
        return True


class VersionedForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.ModelForm):
    """Carries the version the editor started from, so a second editor is told instead of overwriting."""

    version = VersionField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version


class CommissionForm(VersionedForm):
    money_fields = ["annual_value"]

    class Meta:
        model = Commission
        fields = [
            "title",
            "service_area",
            "phase",
            "route",
            "status",
            "lead_officer",
            "provider",
            "indicative_start",
            "indicative_end",
            "annual_value",
            "business_case",
            "notes",
        ]
        widgets = {
            "indicative_start": DateInput(),
            "indicative_end": DateInput(),
            "business_case": forms.Textarea(attrs={"rows": 4}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"annual_value": "Annual value (£)"}

    def __init__(self, *args, user=None, core_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        if core_group is not None:
            self.instance.core_group = core_group
        self.fields["lead_officer"].queryset = User.objects.filter(is_active=True).select_related("organisation")
        self.fields["provider"].queryset = Organisation.objects.order_by("name")
        self.fields["annual_value"].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0"})
        if not permissions.can_see_money(user):
            for name in self.money_fields:
                self.fields.pop(name, None)
        # The fields this user may not change are shown disabled, with the reason (core_groups.editing).
        self.refused = False
        self.locked = permissions.commission_locked_fields(user, self.instance if self.instance.pk else None)
        for name, reason in self.locked.items():
            if name in self.fields:
                self.fields[name].disabled = True
                self.fields[name].help_text = reason
        self.helper = _helper("Save commission")

    def clean(self):
        cleaned = super().clean()
        # A disabled field ignores what is posted; a forged change is refused out loud rather than dropped.
        for name in self.locked:
            field = self.fields.get(name)
            if field is None or self.add_prefix(name) not in self.data:
                continue
            probe = copy.copy(field)
            probe.disabled = False
            raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            if probe.has_changed(self.get_initial_for_field(field, name), raw):
                self.add_error(name, f"You may not change this field. {self.locked[name]}")
                self.refused = True
        return cleaned

    def clean_annual_value(self):
        return clean_positive_money(self.cleaned_data.get("annual_value"), field_label="annual value")

    # A single tender without a business case is refused by Commission.clean(), which the form runs.


class SpecificationForm(PartnershipChoicesMixin, HiddenErrorsMixin, InterestConfirmationForm):
    specification_state = forms.ChoiceField(label="Specification state", choices=Commission.SpecificationState.choices)
    version = VersionField()
    version_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked only of a decision (approving, or sending an approved one back): the view checks it then.
        self.fields["interest"].required = False
        self.fields["interest"].help_text = "Asked when you approve it, or send an approved one back."
        self.helper = _helper("Record specification state")


class BusinessCaseDecisionForm(PartnershipChoicesMixin, HiddenErrorsMixin, InterestConfirmationForm):
    business_case_decision = forms.ChoiceField(
        label="JCG decision on the business case",
        choices=[("approved", "Approved by the JCG"), ("rejected", "Rejected by the JCG")],
    )
    business_case_decided_on = forms.DateField(label="Date of the decision", widget=DateInput())
    meeting = forms.CharField(label="Meeting", max_length=200, required=False, help_text="e.g. JCG, 20 January 2010")
    minute = forms.CharField(label="Minute", max_length=60, required=False, help_text="e.g. 7.2")
    conditions = forms.CharField(
        label="Conditions or reasons", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = VersionField()
    version_required = True

    def __init__(self, *args, **kwargs):
        # Shown on the same page as the specification form: its own ids keep every id unique.
        kwargs.setdefault("auto_id", "bc_%s")
        super().__init__(*args, **kwargs)
        # Asked of whoever may decide (the view confirms it); anyone else is refused by the service, with the reason.
        self.fields["interest"].required = False
        self.helper = _helper("Record decision")


class SpendForm(OneTimeFormMixin, VersionedForm):
    class Meta:
        model = SpendEntry
        fields = ["spent_on", "amount", "description", "commission"]
        widgets = {"spent_on": DateInput()}
        labels = {"amount": "Amount (£)", "spent_on": "Date spent"}

    def __init__(self, *args, core_group=None, **kwargs):
        super().__init__(*args, **kwargs)
        core_group = core_group or self.instance.core_group
        self.instance.core_group = core_group
        self.fields["commission"].queryset = Commission.objects.filter(core_group=core_group).order_by("title")
        self.fields["commission"].empty_label = "Not against a particular commission"
        self.fields["amount"].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0.01"})
        self.helper = _helper("Save spend entry" if self.instance.pk else "Record spend")

    def spend_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def clean_amount(self):
        return clean_positive_money(self.cleaned_data.get("amount"), allow_zero=False, field_label="amount spent")


class AllocationForm(PartnershipChoicesMixin, forms.Form):
    financial_year = forms.TypedChoiceField(coerce=int, choices=())
    amount = forms.DecimalField(label="Allocation (£)", max_digits=14, decimal_places=2)
    forecast_outturn = forms.DecimalField(label="Forecast outturn (£)", max_digits=14, decimal_places=2, required=False)
    decided_on = forms.DateField(label="Date the JCG set it", required=False, widget=DateInput())
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["financial_year"].choices = fy_choices(2005)
        self.helper = _helper("Set allocation")

    def clean_amount(self):
        return clean_positive_money(self.cleaned_data.get("amount"), field_label="allocation")

    def clean_forecast_outturn(self):
        return clean_positive_money(self.cleaned_data.get("forecast_outturn"), field_label="forecast")


class ForecastForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.Form):
    forecast_outturn = forms.DecimalField(
        label="Forecast outturn (£)",
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text="What the group expects to have spent by 31 March. Leave blank to clear the forecast.",
    )
    version = VersionField()
    version_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _helper("Save forecast")

    def clean_forecast_outturn(self):
        return clean_positive_money(self.cleaned_data.get("forecast_outturn"), field_label="forecast")


class RiskForm(OneTimeFormMixin, VersionedForm):
    class Meta:
        model = Risk
        fields = [
            "title",
            "description",
            "impact",
            "likelihood",
            "mitigation",
            "owner",
            "owner_role",
            "status",
            "review_on",
        ]
        widgets = {
            "review_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
            "mitigation": forms.Textarea(attrs={"rows": 3}),
            "impact": forms.Select(choices=[(n, str(n)) for n in range(1, 6)]),
            "likelihood": forms.Select(choices=[(n, str(n)) for n in range(1, 6)]),
        }

    def __init__(self, *args, core_group=None, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.instance.core_group = core_group
            self.instance.programme = programme or (core_group.programme if core_group else None)
        self.fields["owner"].queryset = User.objects.filter(is_active=True).select_related("organisation")
        self.helper = _helper("Save risk")


class InterestForm(PartnershipChoicesMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text="An organisation that is, or may be, a provider and that you are connected with.",
    )
    commission = forms.ModelChoiceField(
        queryset=Commission.objects.select_related("core_group").order_by("core_group__name", "title"),
        required=False,
        help_text="Or a particular commission you have an interest in.",
    )
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="What the interest is.")
    declared_on = forms.DateField(
        label="Takes effect on",
        widget=DateInput(),
        required=False,
        help_text="Today or the date the interest began (never a future date). Leave blank for today.",
    )
    ends_on = forms.DateField(
        label="Ends on", widget=DateInput(), required=False, help_text="Leave blank while the interest lasts."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].empty_label = "No particular organisation"
        self.fields["commission"].empty_label = "No particular commission"
        self.helper = _helper("Declare interest")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("organisation") and not cleaned.get("commission"):
            self.add_error("organisation", "Name the organisation or the commission your interest is in.")
        start, end = cleaned.get("declared_on"), cleaned.get("ends_on")
        if end and end < (start or timezone.localdate()):
            self.add_error("ends_on", "An interest cannot end before it takes effect.")
        return cleaned
