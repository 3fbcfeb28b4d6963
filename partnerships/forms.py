from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms

from core_groups.choices import PartnershipChoicesMixin
from core_groups.models import Organisation
from foundation.forms import HiddenErrorsMixin, VersionField
from foundation.uploads import SPREADSHEETS, validate_upload

from . import register_io
from .models import FundingArrangement, PartnerPreference, ServiceArea, SharedOption


class ImportForm(PartnershipChoicesMixin, forms.Form):
    file = forms.FileField(
        label="Register file (CSV or Excel .xlsx)",
        help_text="Use the template's columns. Nothing is saved unless every row is right.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # The content must be what the name says (a renamed executable or PDF is refused), and a workbook
        # must be safe to open (no million-row sheet or zip bomb) before the import parses it.
        validate_upload(upload, allowed=SPREADSHEETS, max_size=register_io.MAX_BYTES, parse=True)
        return upload


class MapForm(PartnershipChoicesMixin, forms.Form):
    threshold = forms.DecimalField(
        label="Threshold (annual value, £)",
        min_value=0,
        max_digits=14,
        decimal_places=2,
        required=False,
        initial=Decimal("10000"),
        help_text="Arrangements at or above this value that were never openly procured or end soon are listed.",
    )
    as_at = forms.DateField(
        label="As at", required=False, widget=forms.DateInput(attrs={"type": "date"}), help_text="Defaults to today."
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class SavingsForm(PartnershipChoicesMixin, forms.Form):
    """Every input of the savings model, in the URL: the result is reproducible from the link."""

    partners = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.none(), widget=forms.CheckboxSelectMultiple, required=False
    )
    service_areas = forms.ModelMultipleChoiceField(
        queryset=ServiceArea.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Service areas",
    )
    current_cost = forms.DecimalField(
        label="Today's resource cost (three years, £)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="Leave blank to use the register's cost for the chosen partners and services.",
    )
    project_cost = forms.DecimalField(
        label="The project's cost (£)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="For the return on investment; leave blank to skip it.",
    )
    years = forms.DecimalField(
        label="Years", min_value=Decimal("0.5"), max_value=30, decimal_places=1, initial=Decimal("5.5"), required=False
    )
    development_years = forms.DecimalField(
        label="Development phase before savings (years)",
        min_value=0,
        max_value=30,
        decimal_places=1,
        initial=Decimal("2.5"),
        required=False,
    )

    def __init__(self, *args, partner_queryset, areas, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_queryset
        self.areas = list(areas)
        for area in self.areas:
            self.fields[f"cost_{area.code}"] = forms.DecimalField(
                label=f"{area.name}: cost per contract (£)",
                required=False,
                max_digits=14,
                decimal_places=2,
                initial=area.shared_cost_per_contract,
            )
            self.fields[f"contracts_{area.code}"] = forms.IntegerField(
                label=f"{area.name}: number of contracts", required=False, min_value=0, max_value=100, initial=1
            )

    def area_fields(self):
        return [(area, self[f"cost_{area.code}"], self[f"contracts_{area.code}"]) for area in self.areas]


class PreferenceForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.ModelForm):
    version = VersionField()

    class Meta:
        model = PartnerPreference
        fields = [
            "partner",
            "service_area",
            "option",
            "cabinet_decision_needed",
            "decision_date",
            "annual_contribution",
            "notes",
        ]
        widgets = {"decision_date": forms.DateInput(attrs={"type": "date"}), "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners
        self.fields["partner"].empty_label = "Choose a partner"
        self.fields["service_area"].empty_label = "Choose a service area"
        self.fields["option"].queryset = SharedOption.objects.all()
        self.fields["option"].empty_label = "Choose an option"
        self.helper = FormHelper()
        self.helper.form_tag = False

    def validate_unique(self):
        # A partner's preference for a service is changed in place by the service, not duplicated.
        pass


class ArrangementForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.ModelForm):
    """One funding arrangement, edited on its page. ``version`` is the version the editor opened."""

    version = VersionField()

    class Meta:
        model = FundingArrangement
        fields = [
            "title",
            "funder",
            "provider",
            "arrangement_type",
            "service_area",
            "annual_value",
            "start_date",
            "end_date",
            "rolls_over",
            "last_openly_procured",
            *register_io.costing.STAGE_FIELDS,
            "notes",
        ]
        labels = {"annual_value": "Annual value (£)", "title": "What is funded"}
        help_texts = {"title": "In a few words, e.g. “Debt advice outreach”."}
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "last_openly_procured": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.fields["funder"].queryset = Organisation.objects.filter(is_commissioning_partner=True).order_by("name")
        self.fields["provider"].queryset = Organisation.objects.filter(kind=Organisation.Kind.PROVIDER).order_by("name")
        self.fields["annual_value"].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0"})
        for name in register_io.costing.STAGE_FIELDS:
            self.fields[name].widget.attrs.update({"inputmode": "decimal", "step": "0.01", "min": "0"})
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(
            Fieldset(
                "The arrangement",
                "title",
                "funder",
                "provider",
                "arrangement_type",
                "service_area",
                "annual_value",
            ),
            Fieldset("Dates", "start_date", "end_date", "rolls_over", "last_openly_procured"),
            Fieldset("Staff hours over the life of the arrangement", *register_io.costing.STAGE_FIELDS),
            "notes",
            "version",
        )

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ServiceProcurementForm(PartnershipChoicesMixin, forms.Form):
    """What the programme team chooses when the partners in aligned budgets for a service start a procurement."""

    reference = forms.CharField(label="Project reference", max_length=40)
    title = forms.CharField(label="Project title", max_length=200)
    lead_organisation = forms.ModelChoiceField(
        label="Lead commissioner",
        queryset=Organisation.objects.none(),
        empty_label="Choose the lead commissioner",
        help_text="Procures for every partner; the contributions are transferred to it annually in advance.",
    )
    template = forms.ModelChoiceField(
        label="Timetable template",
        queryset=None,
        empty_label="Choose a template",
        help_text="The procedure and regime come from the template; the timetable is drawn backwards from the "
        "contract start.",
    )
    contract_start = forms.DateField(label="Contract start date", widget=forms.DateInput(attrs={"type": "date"}))
    contract_years = forms.IntegerField(label="Contract length (years)", min_value=1, max_value=25, initial=3)
    tupe = forms.BooleanField(label="TUPE applies (the timetable adds the lead-in)", required=False)
    project_manager = forms.ModelChoiceField(
        label="Project manager", queryset=None, required=False, empty_label="Not named yet"
    )

    def __init__(self, *args, **kwargs):
        from core_groups.models import User
        from procurement.models import TimetableTemplate

        super().__init__(*args, **kwargs)
        self.fields["lead_organisation"].queryset = Organisation.objects.filter(is_commissioning_partner=True)
        self.fields["template"].queryset = TimetableTemplate.objects.filter(is_active=True).order_by("name")
        self.fields["project_manager"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(organisation__kind=Organisation.Kind.PROVIDER)
            .select_related("organisation")
        )
        self.fields["project_manager"].label_from_instance = lambda u: (
            f"{u.display_name}, {u.organisation.label}" if u.organisation_id else u.display_name
        )
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
