"""Validation only; rendered with crispy-forms (Bootstrap 5). Services do the writing."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from django import forms
from django.conf import settings

from core_groups import conflicts
from core_groups.choices import PartnershipChoicesMixin
from core_groups.financial_year import fy_bounds
from core_groups.forms import InterestConfirmationForm
from core_groups.models import Organisation, User
from foundation.fields import MoneyFormField
from foundation.forms import HiddenErrorsMixin, VersionField, storable_text
from foundation.once import OneTimeFormMixin
from foundation.uploads import DOCUMENTS, upload_validator
from procurement.models import TimetableTemplate

from .models import Bid, ClientGroup, Criterion, Decision, District, FundingRound, NoticeOfIntent, Outcome
from .services import over_word_limit
from .services import section_progress as services_sections


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlainFormMixin(HiddenErrorsMixin):
    """Crispy renders the fields; the template supplies the <form> tag and buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True


class RoundForm(PartnershipChoicesMixin, PlainFormMixin, forms.ModelForm):
    version = VersionField()
    reason = forms.CharField(
        label="Reason for moving the close",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Required when the round is open and its close moves (only later): it is recorded and sent "
        "to every partner with a draft, a notice of intent or a support request in the round.",
    )

    class Meta:
        model = FundingRound
        fields = [
            "programme",
            "financial_year",
            "title",
            "growth_money",
            "holdback_pct",
            "opens_on",
            "proposals_by",
            "intent_by",
            "submissions_by",
            "closes_at",
            "evaluation_by",
            "pack_by",
            "decision_by",
            "told_by",
            "plans_by",
        ]
        widgets = {
            name: DateInput()
            for name in [
                "opens_on",
                "proposals_by",
                "intent_by",
                "submissions_by",
                "evaluation_by",
                "pack_by",
                "decision_by",
                "told_by",
                "plans_by",
            ]
        } | {"closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, creating=False, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["growth_money"].min_value = Decimal("0")
        if "programme" in self.fields:
            # Only the partnership's own programmes: another partnership's is neither shown nor accepted.
            self.fields["programme"].queryset = self.fields["programme"].queryset.filter(partnership=partnership)
        if creating:
            # A new round's timetable is proposed from the invitation date; each step is editable afterwards.
            for name in list(self.fields):
                if name not in ("programme", "financial_year", "title", "growth_money", "holdback_pct", "opens_on"):
                    del self.fields[name]
            self.fields["opens_on"].help_text = "The timetable's steps are proposed from this date (Appendix B)."
        elif self.instance.pk and self.instance.status != FundingRound.Status.DRAFT:
            for name in ("programme", "financial_year", "growth_money", "holdback_pct"):
                self.fields[name].disabled = True

    def clean_growth_money(self):
        value = self.cleaned_data["growth_money"]
        if value is not None and value < 0:
            raise forms.ValidationError("Growth money cannot be negative.")
        return value


class BidForm(PartnershipChoicesMixin, OneTimeFormMixin, PlainFormMixin, forms.ModelForm):
    """Appendix A. Every field is optional for a draft; the submit service says what is still missing."""

    version = VersionField()

    class Meta:
        model = Bid
        fields = [
            "title",
            "contact_names",
            "contact_email",
            "contact_phone",
            "summary",
            "client_group",
            "districts",
            "service_users",
            "hours_per_week",
            "annual_amount",
            "start_date",
            "outcomes",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "districts": forms.CheckboxSelectMultiple,
            "outcomes": forms.CheckboxSelectMultiple,
            "start_date": DateInput(),
        }

    def __init__(self, *args, funding_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.funding_round = funding_round
        # The model's own rules (Bid.clean: the start date within the round's year) need the round.
        if not self.instance.funding_round_id:
            self.instance.funding_round = funding_round
        for field in self.fields.values():
            field.required = False
        self.fields["client_group"].queryset = ClientGroup.objects.filter(active=True)
        self.fields["districts"].queryset = District.objects.filter(active=True)
        self.fields["outcomes"].queryset = Outcome.objects.filter(active=True)
        self.fields["hours_per_week"].help_text = "The hours in a full year are worked out from this (52 weeks)."
        self.fields["annual_amount"].help_text = "In pounds, e.g. 150000."
        start, _end = fy_bounds(funding_round.financial_year)
        self.fields["start_date"].help_text = f"On or after {start:%d %B %Y} (the start of {funding_round.fy})."
        statements = {}
        if self.instance.pk:
            statements = {s.criterion_id: s.text for s in self.instance.statements.all()}
        self.criteria = list(funding_round.criteria.all())
        for criterion in self.criteria:
            attrs = {"rows": 4, "data-word-count": ""}
            help_text = criterion.guidance
            if criterion.word_limit:
                attrs["data-word-limit"] = str(criterion.word_limit)
                help_text = f"{help_text} No more than {criterion.word_limit} words.".strip()
            self.fields[f"statement_{criterion.code}"] = forms.CharField(
                label=f"{criterion.code}) {criterion.question}",
                help_text=help_text,
                required=False,
                widget=forms.Textarea(attrs=attrs),
                initial=statements.get(criterion.pk, ""),
            )
        self.fields["summary"].widget.attrs["data-word-count"] = ""

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            name = f"statement_{criterion.code}"
            message = over_word_limit(criterion, data.get(name))
            if message:
                self.add_error(name, message)
        return data

    def sections(self):
        """Appendix A's sections with their bound fields and whether each is complete (``missing``: the
        fields a submission still needs, as ``services.missing_for_submission`` says)."""
        bid = self.instance if self.instance.pk else None
        result = services_sections(bid, self.funding_round)
        for section in result:
            section["bound"] = [self[name] for name in section["fields"] if name in self.fields]
            section["complete"] = not section["missing"]
            section["started"] = bid is not None and len(section["missing"]) < len(section["fields"])
        return result

    def draft_data(self):
        """What can be kept of a form with errors: ``service_data`` without the fields that could not be read.

        A statement is always kept as typed, even over its word limit (the error says so; the text is not lost)."""
        data = self.service_data()
        for name in self.errors:
            data.pop(name, None)
        data["statements"] = {
            c.pk: self.cleaned_data.get(
                f"statement_{c.code}", storable_text(self.data.get(f"statement_{c.code}")).strip()
            )
            for c in self.criteria
        }
        return data

    def service_data(self):
        data = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        data["districts"] = list(self.cleaned_data.get("districts") or [])
        data["outcomes"] = list(self.cleaned_data.get("outcomes") or [])
        data["statements"] = {c.pk: self.cleaned_data.get(f"statement_{c.code}", "") for c in self.criteria}
        return data


class SupportAskForm(PartnershipChoicesMixin, PlainFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Ask this commissioning partner to support the bid"
    )

    def __init__(self, *args, bid, **kwargs):
        super().__init__(*args, **kwargs)
        asked = bid.support_requests.values_list("organisation_id", flat=True)
        self.fields["organisation"].queryset = (
            # Only partners of the bid's own partnership: another partnership's partners are not listed or accepted.
            Organisation.objects.filter(
                is_commissioning_partner=True, partnerships=bid.funding_round.programme.partnership_id
            )
            .exclude(kind=Organisation.Kind.PROVIDER)
            .exclude(pk=bid.applicant_id)
            .exclude(pk__in=asked)
        )


class AttachmentForm(PartnershipChoicesMixin, PlainFormMixin, forms.Form):
    file = forms.FileField(
        label="Supporting document",
        help_text=f"PDF, Word or Excel, up to {settings.MAX_UPLOAD_SIZE // (1024 * 1024)} MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx"}),
        validators=[upload_validator(DOCUMENTS)],
        error_messages={"required": "Choose a document to attach.", "empty": "The file is empty."},
    )


class NoticeForm(PartnershipChoicesMixin, PlainFormMixin, forms.ModelForm):
    class Meta:
        model = NoticeOfIntent
        fields = ["proposal", "writers", "contact_email"]


MET_CHOICES = [("yes", "Met"), ("no", "Not met")]


class EvaluationForm(PartnershipChoicesMixin, PlainFormMixin, InterestConfirmationForm):
    """One evaluator's marks (or the moderated ones), criterion by criterion beside the applicant's statement.

    Every field is optional here: "Save and finish later" keeps a half-done evaluation as typed (a draft), and
    the service says what a completed one still needs. ``draft`` (an EvaluationDraft) fills the form with what
    was typed last time; ``others`` (criterion id -> [(name, met, reason)]) are the evaluators' marks shown
    beside a moderation, whose departures from them need a reason."""

    version = VersionField()
    draft_version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, bid, evaluation=None, draft=None, moderated=False, others=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.bid = bid
        self.moderated = moderated
        self.others = others or {}
        marks = {m.criterion_id: m for m in evaluation.marks.all()} if evaluation else {}
        typed = draft.data if draft else {}
        self.criteria = list(bid.funding_round.criteria.all())
        self.fields["version"].initial = evaluation.version if evaluation else None
        self.fields["draft_version"].initial = draft.version if draft else ""
        for criterion in self.criteria:
            if criterion.system_rule:
                continue
            mark = marks.get(criterion.pk)
            met_initial = ("yes" if mark.met else "no") if mark else None
            if mark is None and moderated:
                # The moderation starts from the evaluators' marks where they all agree.
                theirs = {met for _name, met, _reason in self.others.get(criterion.pk, [])}
                if len(theirs) == 1:
                    met_initial = "yes" if theirs.pop() else "no"
            self.fields[f"met_{criterion.code}"] = forms.ChoiceField(
                label=f"{criterion.code}) {criterion.question}",
                choices=MET_CHOICES,
                widget=forms.RadioSelect,
                required=False,
                initial=typed.get(f"met_{criterion.code}", met_initial),
            )
            self.fields[f"reason_{criterion.code}"] = forms.CharField(
                label=f"Reason for {criterion.code}",
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                initial=typed.get(f"reason_{criterion.code}", mark.reason if mark else ""),
            )
            if moderated:
                self.fields[f"departure_{criterion.code}"] = forms.CharField(
                    label=f"Why the moderated mark for {criterion.code} departs from an evaluator's",
                    help_text="Needed only where the moderated mark differs from an evaluator's.",
                    widget=forms.Textarea(attrs={"rows": 2}),
                    required=False,
                    initial=typed.get(f"departure_{criterion.code}", mark.departure_reason if mark else ""),
                )
        self.fields["written_evaluation"] = forms.CharField(
            label="Written evaluation",
            widget=forms.Textarea(attrs={"rows": 6}),
            required=False,
            initial=typed.get("written_evaluation", evaluation.written_evaluation if evaluation else ""),
        )

    def rows(self, statements, system_marks):
        """Criterion by criterion: the applicant's statement, the evaluators' marks (when moderating), the fields."""
        result = []
        for criterion in self.criteria:
            code = criterion.code
            result.append(
                {
                    "criterion": criterion,
                    "statement": statements.get(criterion.pk, ""),
                    "system": system_marks.get(code),
                    "others": self.others.get(criterion.pk, []),
                    "met": self[f"met_{code}"] if f"met_{code}" in self.fields else None,
                    "reason": self[f"reason_{code}"] if f"reason_{code}" in self.fields else None,
                    "departure": self[f"departure_{code}"] if f"departure_{code}" in self.fields else None,
                }
            )
        return result

    def typed(self):
        """What was typed, as the draft keeps it (field name -> text)."""
        names = [n for n in self.fields if n.startswith(("met_", "reason_", "departure_")) or n == "written_evaluation"]
        return {name: text for name in names if (text := storable_text(self.data.get(name)))}

    def marks(self):
        result = {}
        for criterion in self.criteria:
            if criterion.system_rule:
                continue
            met = self.cleaned_data.get(f"met_{criterion.code}")
            result[criterion.pk] = (
                None if not met else met == "yes",
                self.cleaned_data.get(f"reason_{criterion.code}", ""),
            )
        return result

    def departures(self):
        return {
            c.pk: self.cleaned_data.get(f"departure_{c.code}", "")
            for c in self.criteria
            if f"departure_{c.code}" in self.fields
        }


class DecisionForm(PartnershipChoicesMixin, PlainFormMixin, InterestConfirmationForm):
    outcome = forms.ChoiceField(
        choices=[
            (Decision.Outcome.FUNDED, "Funded"),
            (Decision.Outcome.RESERVE, "Reserve"),
            (Decision.Outcome.NOT_FUNDED, "Not funded"),
        ],
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label="Amount funded a year (£)", max_digits=14, decimal_places=2, required=False, help_text="Only when funded."
    )
    meeting_date = forms.DateField(label="Date of the Body's meeting", widget=DateInput())
    minute_ref = forms.CharField(label="Minute reference", max_length=60, required=False)
    reason = forms.CharField(
        label="Reason given to the applicant",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Required when not funded, or funded at less than the amount asked. The applicant sees it.",
    )
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Decision.Outcome.NOT_FUNDED and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the reason the bid is not funded: the applicant sees it.")
        if data.get("outcome") == Decision.Outcome.FUNDED:
            amount = data.get("amount")
            if amount is None or amount <= 0:
                self.add_error("amount", "Give the amount funded (more than £0).")
        return data


class DecisionMeetingForm(PlainFormMixin, forms.Form):
    """The meeting every decision of a batch was taken at."""

    meeting_date = forms.DateField(label="Date of the Body's meeting", widget=DateInput())
    minute_ref = forms.CharField(label="Minute reference", max_length=60, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"


class DecisionRowForm(forms.Form):
    """One bid's row of the Body's batch of decisions; an empty outcome leaves the bid as it is."""

    bid = forms.IntegerField(widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        choices=[("", "Leave as it is"), *DecisionForm.base_fields["outcome"].choices],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    amount = MoneyFormField(label="Amount funded a year (£)", required=False)
    reason = forms.CharField(
        label="Reason given to the applicant",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    notes = forms.CharField(
        label="Conditions and notes",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    # Asked of every bid decided here, before its decision (conflicts.confirm_interest records the answer).
    interest = forms.ChoiceField(
        label="Your interest",
        choices=[
            ("", "Confirm…"),
            (conflicts.NO_INTEREST, "I have no interest in this bid"),
            (conflicts.DECLARE, "I have an interest in it: declare it"),
        ],
        required=False,
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].widget.attrs["class"] = "form-control form-control-sm"

    def clean(self):
        data = super().clean()
        if data.get("outcome") and not data.get("interest"):
            self.add_error(
                "interest", "Confirm that you have no interest in this bid, or declare the interest you have."
            )
        return data


DecisionRowFormSet = forms.formset_factory(DecisionRowForm, extra=0)


class CriterionForm(forms.ModelForm):
    """One criterion of a draft round, as the programme team words it."""

    class Meta:
        model = Criterion
        fields = ["code", "question", "guidance", "weight", "word_limit", "mandatory", "order"]
        labels = {"question": "Does the proposed spending…", "order": "Order"}
        widgets = {
            "question": forms.Textarea(attrs={"rows": 2}),
            "guidance": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "mandatory":
                field.widget.attrs["class"] = "form-control form-control-sm"
        self.fields["code"].widget.attrs["size"] = 3
        self.fields["order"].required = False
        self.fields["word_limit"].required = False


CriterionFormSet = forms.modelformset_factory(Criterion, form=CriterionForm, extra=1, can_delete=True)


class CriteriaCopyForm(forms.Form):
    KENT = "kent"

    source = forms.ChoiceField(label="Copy the criteria of")

    def __init__(self, *args, rounds=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rounds = {str(r.pk): r for r in (rounds if rounds is not None else FundingRound.objects.none())}
        choices = [(pk, str(r)) for pk, r in self.rounds.items()]
        self.fields["source"].choices = [*choices, (self.KENT, "The Kent set (Appendix A)")]
        self.fields["source"].widget.attrs["class"] = "form-select"

    def clean_source(self):
        """The round to copy from, or None for the Kent set."""
        value = self.cleaned_data["source"]
        return None if value == self.KENT else self.rounds[value]


class FallThroughForm(PartnershipChoicesMixin, PlainFormMixin, forms.Form):
    meeting_date = forms.DateField(label="Date it was reported", widget=DateInput())
    minute_ref = forms.CharField(label="Minute reference", max_length=60, required=False)


class BidProcurementForm(PartnershipChoicesMixin, PlainFormMixin, forms.Form):
    """What the programme team chooses when a funded bid becomes a procurement project."""

    reference = forms.CharField(
        label="Project reference", max_length=40, help_text="The bid's reference unless you change it."
    )
    template = forms.ModelChoiceField(
        label="Timetable template",
        queryset=TimetableTemplate.objects.none(),
        help_text="The procedure and regime come from the template; the timetable is drawn backwards from the "
        "contract start.",
    )
    contract_start = forms.DateField(label="Contract start date", widget=DateInput())
    contract_years = forms.IntegerField(label="Contract length (years)", min_value=1, max_value=25, initial=3)
    tupe = forms.BooleanField(label="TUPE applies (the timetable adds the lead-in)", required=False)
    project_manager = forms.ModelChoiceField(
        label="Project manager", queryset=User.objects.none(), required=False, empty_label="Not named yet"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = TimetableTemplate.objects.filter(is_active=True).order_by("name")
        self.fields["project_manager"].queryset = (
            User.objects.filter(is_active=True)
            .exclude(organisation__kind=Organisation.Kind.PROVIDER)
            .select_related("organisation")
        )
        self.fields["project_manager"].label_from_instance = lambda u: (
            f"{u.display_name}, {u.organisation.label}" if u.organisation_id else u.display_name
        )
