"""The report form: validation only; the service saves."""

from django import forms

from core_groups.choices import PartnershipChoicesMixin
from foundation.forms import HiddenErrorsMixin, VersionField

from ..models import BoardReport
from . import catalogue

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def section_field_choices():
    kinds = dict(BoardReport.Kind.choices)
    return [
        (str(kinds[kind]), [(s.key, s.title + (" (confidential)" if s.confidential else "")) for s in sections])
        for kind, sections in catalogue.BY_KIND.items()
    ]


class BoardReportForm(PartnershipChoicesMixin, HiddenErrorsMixin, forms.ModelForm):
    sections = forms.MultipleChoiceField(
        choices=section_field_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Choose at least one, from the sections of the kind of report chosen above.",
        required=False,
    )
    version = VersionField()

    class Meta:
        model = BoardReport
        fields = [
            "kind",
            "programme",
            "title",
            "senior_responsible_officer",
            "project_manager",
            "period_start",
            "period_end",
            "financial_year",
            "board",
            "meeting_date",
            "classification",
            "edition",
            "sections",
            "funding_round",
            "projects",
            "background",
            "issues",
            "actions",
            "equity_and_transparency",
            "recent_achievements",
            "next_steps",
            "recommendations",
            "financial_implications",
            "legal_implications",
            "equality_implications",
            "contact_officer",
            "background_papers",
        ]
        widgets = {
            "period_start": DATE,
            "period_end": DATE,
            "meeting_date": DATE,
            "projects": forms.CheckboxSelectMultiple,
            "background": forms.Textarea(attrs={"rows": 4}),
            "issues": forms.Textarea(attrs={"rows": 6}),
            "actions": forms.Textarea(attrs={"rows": 6}),
            "equity_and_transparency": forms.Textarea(attrs={"rows": 5}),
            "recent_achievements": forms.Textarea(attrs={"rows": 5}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "recommendations": forms.Textarea(attrs={"rows": 5}),
            "financial_implications": forms.Textarea(attrs={"rows": 4}),
            "legal_implications": forms.Textarea(attrs={"rows": 4}),
            "equality_implications": forms.Textarea(attrs={"rows": 4}),
            "contact_officer": forms.Textarea(attrs={"rows": 3}),
            "background_papers": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "background": "Plain text. Start a line with '- ' for a bullet or '1. ' for a numbered list.",
            "classification": "Printed at the top of every page, e.g. Unrestricted.",
            "edition": "The edition the Render button makes; the other can be rendered too.",
            "financial_implications": "Commissioning Body's pack: printed after the money committed, which the "
            "pack states itself.",
            "legal_implications": "Commissioning Body's pack. Blank: 'None to report'.",
            "equality_implications": "Commissioning Body's pack. Blank: 'None to report'.",
        }

    def __init__(self, *args, programmes=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programmes is not None:
            self.fields["programme"].queryset = programmes
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["sections"].initial = self.instance.sections
        else:
            self.fields["sections"].initial = catalogue.DEFAULTS["highlight"]

    def clean_sections(self):
        sections = self.cleaned_data.get("sections") or []
        if not sections:
            raise forms.ValidationError("Choose at least one section.")
        return sections

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period cannot be before its start.")
        if cleaned.get("kind") == BoardReport.Kind.TIMETABLE and not cleaned.get("projects"):
            self.add_error("projects", "Choose the procurement timetable to print.")
        return cleaned


class RenderForm(PartnershipChoicesMixin, forms.Form):
    edition = forms.ChoiceField(choices=BoardReport.Edition.choices)
