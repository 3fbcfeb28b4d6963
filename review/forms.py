from crispy_forms.helper import FormHelper
from django import forms

from core_groups.choices import PartnershipChoicesMixin
from core_groups.forms import DateInput
from foundation.forms import HiddenErrorsMixin, VersionField

from . import rules
from .models import Return


class _Helper:
    def _helper(self):
        self.helper = FormHelper()
        self.helper.form_tag = False


class ReturnForm(PartnershipChoicesMixin, _Helper, forms.Form):
    """A return's period (one of the service's quarters) and a figure per measure; the service checks them all."""

    period = forms.ChoiceField(label="Quarter")
    notes = forms.CharField(
        label="Notes for the programme team", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, commission, measures, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.measures = list(measures)
        choices = []
        if commission.indicative_start:
            end = min(commission.indicative_end or today, today)
            for start, last in reversed(
                rules.quarters(commission.indicative_start, max(end, commission.indicative_start))
            ):
                choices.append((start.isoformat(), rules.period_label(start, last)))
        self.fields["period"].choices = choices or [("", "The service has no start date: no quarter to return")]
        for measure in self.measures:
            unit = measure.get_unit_display().lower()
            self.fields[f"value_{measure.pk}"] = forms.CharField(
                label=measure.title,
                required=False,
                help_text=f"{measure.get_kind_display()} In {unit}"
                + (f" ({measure.unit_label})" if measure.unit_label else "")
                + f"; baseline: {measure.baseline_label}.",
            )
        self._helper()

    def period_dates(self):
        from datetime import date

        start = date.fromisoformat(self.cleaned_data["period"])
        return start, rules.quarter_end(rules.quarter_start(start))

    def values(self):
        return {m.pk: self.cleaned_data.get(f"value_{m.pk}") for m in self.measures}


class ReviewForm(PartnershipChoicesMixin, _Helper, forms.Form):
    rag = forms.ChoiceField(
        label="RAG rating", choices=[c for c in Return.Rag.choices if c[0]], widget=forms.RadioSelect
    )
    comment = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text="Required for red or amber."
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()


class PeriodForm(PartnershipChoicesMixin, forms.Form):
    start = forms.DateField(label="From", required=False, widget=DateInput())
    end = forms.DateField(label="To", required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", "The end of the period cannot be before its start.")
        return cleaned


class ImportForm(PartnershipChoicesMixin, forms.Form):
    file = forms.FileField(
        label="Returns file (CSV or Excel .xlsx)",
        help_text="Columns: Service, Quarter, Measure, Value; one row per figure. Nothing is saved unless every "
        "row is right.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def clean_file(self):
        from foundation.uploads import SPREADSHEETS, validate_upload

        upload = self.cleaned_data["file"]
        validate_upload(upload, allowed=SPREADSHEETS, max_size=2 * 1024 * 1024, parse=True)
        return upload


class MeasureForm(PartnershipChoicesMixin, forms.ModelForm):
    class Meta:
        from .models import Measure

        model = Measure
        fields = [
            "title",
            "commission",
            "kind",
            "unit",
            "unit_label",
            "direction",
            "baseline_value",
            "baseline_date",
            "baseline_source",
            "turn_the_curve",
        ]
        widgets = {
            "baseline_date": DateInput(),
            "turn_the_curve": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, programme, **kwargs):
        super().__init__(*args, **kwargs)
        from core_groups.models import Commission

        self.instance.programme = programme
        self.fields["commission"].queryset = Commission.objects.filter(core_group__programme=programme).order_by(
            "title"
        )
        self.fields["commission"].label = "Service"
        self.fields["baseline_value"].help_text = "Leave blank if there is no baseline yet: it will say so."
        self.helper = FormHelper()
        self.helper.form_tag = False


class TargetForm(PartnershipChoicesMixin, _Helper, forms.Form):
    period_start = forms.DateField(widget=DateInput(), required=False)
    period_end = forms.DateField(widget=DateInput(), required=False)
    period_label = forms.CharField(required=False, help_text="Blank: worked out, e.g. 2011-12 Q1.")
    value = forms.DecimalField(max_digits=14, decimal_places=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._helper()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if not start:
            self.add_error("period_start", "A target needs the period it is for: give its first day.")
        if not end:
            self.add_error("period_end", "Give the period's last day.")
        if start and end and end < start:
            self.add_error("period_end", "The period cannot end before it starts.")
        return cleaned


class ActionForm(PartnershipChoicesMixin, forms.ModelForm):
    """An action or obstacle of the plan; the choices are the partnership's own programmes, people and risks."""

    version = VersionField()

    class Meta:
        from .models import Action

        model = Action
        fields = [
            "programme",
            "kind",
            "title",
            "owner",
            "organisation",
            "due_on",
            "status",
            "progress",
            "measure",
            "risk",
            "reported_to",
        ]
        widgets = {
            "due_on": DateInput(),
            "progress": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from core_groups.models import Organisation, Programme, Risk, User

        from .models import Measure

        self.fields["programme"].queryset = Programme.objects.filter(partnership=partnership).order_by("name")
        self.fields["owner"].queryset = (
            User.objects.filter(is_active=True)
            .filter(Q(partnership_roles__partnership=partnership) | Q(organisation__partnerships=partnership))
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["measure"].queryset = Measure.objects.filter(programme__partnership=partnership).order_by("title")
        self.fields["measure"].label = "Aim (measure)"
        self.fields["risk"].queryset = Risk.objects.filter(partnership=partnership).order_by("pk")
        if self.instance.pk:
            self.fields["programme"].disabled = True
        self.helper = FormHelper()
        self.helper.form_tag = False


class ActionFilterForm(PartnershipChoicesMixin, forms.Form):
    status = forms.ChoiceField(required=False, choices=[("", "Any status")])
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None, choices=[("", "Anyone")])
    overdue = forms.BooleanField(required=False, label="Overdue only")
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("due", "Due date, soonest first"),
            ("-due", "Due date, latest first"),
            ("title", "Title"),
            ("status", "Status"),
            ("owner", "Owner"),
        ],
    )

    def __init__(self, *args, owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Action

        self.fields["status"].choices = [("", "Any status"), *Action.Status.choices]
        self.fields["owner"].choices = [("", "Anyone")] + [(u.pk, u.get_full_name() or u.username) for u in owners]


class ContractFilterForm(PartnershipChoicesMixin, forms.Form):
    q = forms.CharField(label="Search", required=False)
    state = forms.ChoiceField(label="Status", required=False)
    supplier = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    programme = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)

    def __init__(self, *args, suppliers=(), programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import CONTRACT_STATES

        self.fields["state"].choices = [("", "Any"), *CONTRACT_STATES]
        self.fields["supplier"].choices = [("", "Any supplier")] + [(o.pk, o.name) for o in suppliers]
        self.fields["programme"].choices = [("", "Any programme")] + [(p.pk, p.name) for p in programmes]


class ContractForm(HiddenErrorsMixin, PartnershipChoicesMixin, forms.ModelForm):
    version = VersionField()

    class Meta:
        from .models import Contract

        model = Contract
        fields = [
            "programme",
            "procurement_project",
            "reference",
            "title",
            "supplier",
            "value",
            "start_on",
            "end_on",
            "extension_options",
            "kpis",
            "measures",
            "manager",
        ]
        widgets = {
            "start_on": DateInput(),
            "end_on": DateInput(),
            "extension_options": forms.Textarea(attrs={"rows": 2}),
            "kpis": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from django.db.models import Q

        from core_groups.models import Organisation, Programme, User
        from procurement.models import ProcurementProject

        from .models import Measure

        self.fields["programme"].queryset = Programme.objects.filter(partnership=partnership).order_by("name")
        self.fields["procurement_project"].queryset = ProcurementProject.objects.filter(
            partnership=partnership
        ).order_by("reference")
        self.fields["supplier"].queryset = Organisation.objects.order_by("name")
        self.fields["measures"].queryset = Measure.objects.filter(programme__partnership=partnership).order_by("title")
        if self.instance.pk:
            self.fields["programme"].disabled = True
        self.fields["manager"].queryset = (
            User.objects.filter(is_active=True)
            .filter(Q(partnership_roles__partnership=partnership) | Q(organisation__partnerships=partnership))
            .distinct()
            .order_by("last_name", "first_name")
        )
        self.helper = FormHelper()
        self.helper.form_tag = False


class DecisionChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        from .selectors import decision_label

        return decision_label(obj)


class MinuteItemForm(HiddenErrorsMixin, PartnershipChoicesMixin, forms.Form):
    """A numbered item of a meeting's minutes and the decisions taken under it (the meeting's programme's)."""

    title = forms.CharField(max_length=200, help_text="e.g. 'Carers' SLAs: performance measures'.")
    text = forms.CharField(label="Minute", required=False, widget=forms.Textarea(attrs={"rows": 5}))
    decisions = DecisionChoiceField(
        label="Decisions taken under this item",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Decisions on this programme's services, from the decision register. A decision is recorded at "
        "one minute only.",
    )
    version = VersionField()

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        from .selectors import decisions_for_meeting

        self.fields["decisions"].queryset = decisions_for_meeting(meeting)
        self.helper = FormHelper()
        self.helper.form_tag = False
