from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone

from core_groups.choices import PartnershipChoicesMixin
from core_groups.financial_year import current_fy, fy_choices
from core_groups.models import Commission, Organisation, Programme
from foundation.forms import HiddenErrorsMixin, VersionField

from .dates import Precision, snap
from .models import ConflictAssessment, Jurisdiction, Procedure, ProcurementProject, Task, TimetableTemplate
from .scheduling import Stage
from .services import PROJECT_FIELDS


class ContractStartForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.Form):
    contract_start = forms.DateField(
        label="New contract start date",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The open tasks are drawn again backwards from this date; finished tasks keep theirs.",
    )
    expected_version = VersionField(required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Re-plan the timetable"))


class UnderspendForm(PartnershipChoicesMixin, forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.order_by("name"), empty_label=None)
    year = forms.TypedChoiceField(label="Financial year", coerce=int, choices=())

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the partnership's programmes: another's is neither listed nor accepted.
        self.fields["programme"].queryset = Programme.objects.filter(partnership=partnership).order_by("name")
        self.fields["year"].choices = fy_choices(2005, current_fy() + 3)
        self.fields["year"].initial = current_fy()
        for field in self.fields.values():
            field.widget.attrs["data-autosubmit"] = ""


# --------------------------------------------------------------------------------------------------
# Pages where the programme team and project managers create and run projects


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def _no_tag_helper():
    helper = FormHelper()
    helper.form_tag = False
    helper.disable_csrf = True
    return helper


def past_start_message(contract_start, *, new):
    """A new project's contract start cannot be before today: its timetable would be over before it began."""
    today = timezone.localdate()
    if new and contract_start is not None and contract_start < today:
        return (
            f"A new project's contract start cannot be before today ({today:%d %B %Y}): {contract_start:%d %B %Y} has "
            "passed. Give the date the new contract will start."
        )
    return ""


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        org = getattr(obj, "organisation", None)
        return f"{obj.display_name} ({org})" if org else obj.display_name


class ProjectForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.ModelForm):
    """A project's own fields; on a new project also the template its timetable is drawn from.

    The service does the writing (and draws the timetable); this form only checks what was typed.
    """

    version = VersionField()
    money_fields = ["estimated_annual_value"]

    class Meta:
        model = ProcurementProject
        fields = [*PROJECT_FIELDS, "template"]
        widgets = {
            "contract_start": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "reference": "The procurement reference, e.g. 4092.",
            "contract_start": "The timetable is drawn backwards from this date.",
            "tupe": "Staff may transfer to the new provider: the timetable adds the TUPE lead-in.",
            "estimated_annual_value": "In pounds, e.g. 250000.",
            "commission": "Optional: the core group commission this procurement delivers.",
        }

    def __init__(self, *args, show_money=True, **kwargs):
        super().__init__(*args, **kwargs)
        from core_groups.models import User

        self.fields["project_manager"] = PersonChoiceField(
            queryset=User.objects.filter(is_active=True)
            .exclude(organisation__kind=Organisation.Kind.PROVIDER)
            .select_related("organisation"),
            required=False,
            label="Project manager",
            help_text="Reminders about overdue tasks go to this person.",
        )
        self.fields["lead_organisation"].queryset = Organisation.objects.exclude(
            kind=Organisation.Kind.PROVIDER
        ).order_by("name")
        self.fields["commission"].queryset = Commission.objects.select_related("core_group").order_by(
            "core_group__name", "title"
        )
        if self.instance.pk:
            # The timetable is already drawn; it changes through its own pages (and admin), not here.
            del self.fields["template"]
            if not self.is_bound:
                self.initial["version"] = self.instance.version
            self.fields[
                "contract_start"
            ].help_text = "Moving it re-plans the open tasks of the current timetable; finished tasks keep their dates."
        else:
            self.fields["template"].required = True
            self.fields["template"].queryset = TimetableTemplate.objects.filter(is_active=True).order_by("name")
            self.fields["template"].label = "Timetable template"
            self.fields[
                "template"
            ].help_text = (
                "The steps of the timetable, with their statutory minimum periods; drawn back from the contract start."
            )
            self.fields["template"].empty_label = "Choose a template"
            del self.fields["version"]
        self.fields["jurisdiction"].required = False
        self.fields["procedure"].choices = [("", "Choose a procedure"), *Procedure.choices]
        self.fields["lead_organisation"].empty_label = "Choose the lead organisation"
        self.fields["project_manager"].empty_label = "Not named yet"
        self.fields["commission"].empty_label = "None"
        self.fields["estimated_annual_value"].label = "Estimated annual value (£)"
        if not show_money:
            for name in self.money_fields:
                del self.fields[name]
        self.helper = _no_tag_helper()

    def clean_reference(self):
        return (self.cleaned_data.get("reference") or "").strip()

    def clean_jurisdiction(self):
        return self.cleaned_data.get("jurisdiction") or Jurisdiction.ENGLAND

    def clean(self):
        data = super().clean()
        message = past_start_message(data.get("contract_start"), new=self.instance.pk is None)
        if message:
            self.add_error("contract_start", message)
        template, procedure = data.get("template"), data.get("procedure")
        if template and procedure and template.procedure != procedure:
            self.add_error(
                "template",
                f"“{template}” is a template for the {template.get_procedure_display().lower()}; "
                f"this project uses the {dict(Procedure.choices)[procedure].lower()}.",
            )
        return data

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in PROJECT_FIELDS if name in self.fields}


class PartnerForm(PartnershipChoicesMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.exclude(kind=Organisation.Kind.PROVIDER).order_by("name"),
        required=False,
        label="Partner organisation",
        empty_label="No partner",
    )
    annual_contribution = forms.DecimalField(
        label="Annual contribution (£)",
        required=False,
        max_digits=14,
        decimal_places=2,
        min_value=0,
        error_messages={"min_value": "A contribution cannot be negative."},
    )

    def clean(self):
        data = super().clean()
        if data.get("annual_contribution") is not None and not data.get("organisation"):
            self.add_error("organisation", "Choose the partner that makes this contribution, or clear the amount.")
        return data


class BasePartnerFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            org = form.cleaned_data.get("organisation")
            if not org:
                continue
            if org.pk in seen:
                form.add_error("organisation", f"{org} is listed twice: give each partner one row.")
            seen.add(org.pk)

    def partners(self):
        """(organisation, contribution) for the rows that name a partner."""
        return [
            (f.cleaned_data["organisation"], f.cleaned_data.get("annual_contribution") or Decimal("0"))
            for f in self.forms
            if f.cleaned_data.get("organisation")
        ]


def partner_formset(*, data=None, project=None, extra=3):
    initial = (
        [
            {"organisation": link.organisation, "annual_contribution": link.annual_contribution}
            for link in project.partner_links.all()
        ]
        if project is not None
        else []
    )
    factory = forms.formset_factory(PartnerForm, formset=BasePartnerFormSet, extra=extra, max_num=30)
    formset = factory(data=data, initial=initial, prefix="partners")
    for number, form in enumerate(formset.forms, 1):
        # Distinct labels, so that each row reads on its own (and to a screen reader).
        form.fields["organisation"].label = f"Partner {number}"
        form.fields["annual_contribution"].label = f"Partner {number}: annual contribution (£)"
    return formset


class TaskForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.Form):
    """What the person responsible records (status, date done, notes); managers also move the due date."""

    status = forms.ChoiceField(choices=Task.Status.choices)
    done_on = forms.DateField(
        label="Date done",
        required=False,
        widget=DateInput(),
        help_text="Blank when marked done: today.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))
    precision = forms.ChoiceField(
        choices=Precision.CHOICES,
        help_text="How the date is written: a day, early/mid/end of a month, a month, a span, or to be decided.",
    )
    starts_on = forms.DateField(
        label="Starts on",
        required=False,
        widget=DateInput(),
        help_text="For a period (a span, or a task with a statutory minimum): its first day.",
    )
    due = forms.DateField(
        label="Due date",
        required=False,
        widget=DateInput(),
        help_text="The last day; for early/mid/end or a month, any day of that month.",
    )
    version = VersionField()

    PLANNING = ["precision", "starts_on", "due"]

    def __init__(self, *args, task, can_plan=False, **kwargs):
        from . import services

        kwargs.setdefault(
            "initial",
            {
                "status": task.status,
                "done_on": task.done_on,
                "notes": task.notes,
                "precision": task.precision,
                "starts_on": task.starts_on,
                "due": task.due,
                "version": services.task_version(task),
            },
        )
        super().__init__(*args, **kwargs)
        self.task = task
        if not can_plan:
            for name in self.PLANNING:
                del self.fields[name]
        self.helper = _no_tag_helper()

    def clean_done_on(self):
        done_on = self.cleaned_data.get("done_on")
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError("The date done cannot be in the future.")
        return done_on

    def clean(self):
        data = super().clean()
        status = data.get("status")
        if data.get("done_on") and status and status not in Task.FINISHED:
            self.add_error(
                "done_on", "Only a finished task has a date done: set the status to Done, or clear the date."
            )
        if "precision" in self.fields and data.get("precision"):
            precision = data["precision"]
            if precision == Precision.TBD:
                data["due"] = data["starts_on"] = None
            elif data.get("due") is None and "due" not in self.errors:
                self.add_error("due", "Give a due date, or choose 'To be decided'.")
            else:
                data["due"] = snap(precision, data.get("due"))
        return data

    def service_fields(self):
        fields = {name: self.cleaned_data[name] for name in ("status", "notes")}
        fields["done_on"] = self.cleaned_data.get("done_on")
        if fields["status"] not in Task.FINISHED:
            fields["done_on"] = None
        for name in self.PLANNING:
            if name in self.fields:
                fields[name] = self.cleaned_data.get(name)
        return fields


class PublishForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.Form):
    change_note = forms.CharField(
        label="What changed",
        max_length=300,
        required=False,
        help_text="Kept with the version, e.g. 'Soft market testing moved to June'.",
    )
    expected_number = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = _no_tag_helper()


class ConflictAssessmentForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.ModelForm):
    """One person's conflicts assessment on a project (Procurement Act 2023 s.83)."""

    version = VersionField()

    class Meta:
        model = ConflictAssessment
        fields = ["person", "role", "finding", "details", "mitigations", "assessed_on"]
        widgets = {
            "details": forms.Textarea(attrs={"rows": 3}),
            "mitigations": forms.Textarea(attrs={"rows": 3}),
            "assessed_on": DateInput(),
            "finding": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", "Save the assessment"))


class TaskArrangeForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.Form):
    """Move a task of the current version up, down or to a number, or remove it; the whole timetable is checked."""

    UP, DOWN, TO, REMOVE = "up", "down", "to", "remove"
    action = forms.ChoiceField(
        choices=[(UP, "Move up one"), (DOWN, "Move down one"), (TO, "Move to number"), (REMOVE, "Remove the task")],
        widget=forms.HiddenInput,
    )
    number = forms.IntegerField(
        label="Move it to number",
        required=False,
        min_value=1,
        max_value=999,
        help_text="The tasks between move up or down one.",
    )
    expected_lock = VersionField(required=True)

    def __init__(self, *args, task, highest, **kwargs):
        kwargs.setdefault("initial", {"number": task.number, "expected_lock": task.timetable.lock_version})
        super().__init__(*args, **kwargs)
        self.task, self.highest = task, highest
        self.fields["number"].widget.attrs["max"] = highest
        self.helper = _no_tag_helper()

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == self.TO and data.get("number") is None and "number" not in self.errors:
            self.add_error("number", f"Give a number from 1 to {self.highest}.")
        if action in (self.UP, self.DOWN, self.TO):
            wanted = {self.UP: self.task.number - 1, self.DOWN: self.task.number + 1}.get(action, data.get("number"))
            if wanted is not None and not 1 <= wanted <= self.highest:
                where = "first" if action == self.UP else "last" if action == self.DOWN else ""
                self.add_error(
                    "number",
                    f"Task {self.task.number} is already the {where} task."
                    if where
                    else f"Choose a number from 1 to {self.highest}.",
                )
            data["to_number"] = wanted
        return data


class TaskInsertForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.Form):
    """A new task of the current version at a number; the tasks from that number on move down one."""

    number = forms.IntegerField(
        label="Number", min_value=1, max_value=999, help_text="It goes in before the task of this number."
    )
    stage = forms.ChoiceField(choices=Stage.CHOICES)
    activity = forms.CharField(max_length=300)
    responsibility = forms.CharField(max_length=200, required=False)
    precision = forms.ChoiceField(choices=Precision.CHOICES, initial=Precision.DAY)
    starts_on = forms.DateField(label="Starts on", required=False, widget=DateInput())
    due = forms.DateField(label="Due date", required=False, widget=DateInput())
    milestone = forms.BooleanField(required=False)
    expected_lock = VersionField(required=True)

    def __init__(self, *args, timetable, highest, **kwargs):
        kwargs.setdefault("initial", {"number": highest + 1, "expected_lock": timetable.lock_version})
        super().__init__(*args, **kwargs)
        self.highest = highest
        self.fields["number"].widget.attrs["max"] = highest + 1
        self.helper = _no_tag_helper()

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is not None and number > self.highest + 1:
            raise forms.ValidationError(f"Choose a number from 1 to {self.highest + 1}.")
        return number

    def clean(self):
        data = super().clean()
        precision = data.get("precision")
        if precision == Precision.TBD:
            data["due"] = data["starts_on"] = None
        elif precision and data.get("due") is None and "due" not in self.errors:
            self.add_error("due", "Give a due date, or choose 'To be decided'.")
        elif precision:
            data["due"] = snap(precision, data.get("due"))
        return data

    def service_fields(self):
        names = ["stage", "activity", "responsibility", "precision", "starts_on", "due", "milestone"]
        return {name: self.cleaned_data.get(name) for name in names}
