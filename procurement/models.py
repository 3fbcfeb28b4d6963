"""Procurement projects, timetable templates, versioned timetables, underspend policies and reminders."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core_groups.financial_year import fy_label
from core_groups.models import Commission, Organisation, Programme, financial_year_field, partnership_field
from foundation.fields import MoneyField

from . import dates, scheduling
from .dates import Precision
from .scheduling import Condition, Kind, Stage, Unit

EARLIEST_DATE = dt.date(1990, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def date_out_of_range(day):
    """A message for a date a timetable cannot mean (a typing slip: 2206 for 2026), or ''."""
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        return f"{day:%d %B %Y} is not a date a timetable can use: give one from 1990 to 2100."
    return ""


PCT = {
    "max_digits": 5,
    "decimal_places": 2,
    "validators": [
        MinValueValidator(0, message="A percentage cannot be negative."),
        MaxValueValidator(100, message="A percentage cannot be more than 100."),
    ],
}


class Procedure(models.TextChoices):
    OPEN = "open", "Open procedure"
    COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible procedure"
    DIRECT_AWARD = "direct_award", "Direct award"
    GRANT = "grant", "Grant agreement"


class Regime(models.TextChoices):
    STANDARD = "standard", "Standard"
    LIGHT_TOUCH = "light_touch", "Light touch (social, health and other services)"
    PSR = "psr", "NHS Provider Selection Regime"


class Jurisdiction(models.TextChoices):
    """Where the contracting authority is: the Procurement Act 2023 covers England, Wales and Northern Ireland
    (and reserved or cross-border authorities); a Scottish devolved authority has its own regime."""

    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    SCOTLAND = "scotland", "Scotland (a Scottish devolved authority)"


SCOTTISH_REGIME = (
    "the Procurement Reform (Scotland) Act 2014 and the Public Contracts (Scotland) Regulations 2015, not the "
    "Procurement Act 2023"
)


class Approach(models.TextChoices):
    ALIGNED = "aligned", "Aligned budgets with a lead commissioner"
    STANDALONE = "standalone", "Stand-alone partnership"
    SINGLE = "single", "Single organisation"


# --------------------------------------------------------------------------------------------------
# Underspend policies (Rule 2)


class UnderspendPolicyQuerySet(models.QuerySet):
    def in_force(self, programme, year):
        """The policies of the latest year that has taken effect by ``year`` (active one first)."""
        latest = (
            self.filter(programme=programme, effective_from__lte=year)
            .order_by("-effective_from")
            .values_list("effective_from", flat=True)
            .first()
        )
        if latest is None:
            return self.none()
        return self.filter(programme=programme, effective_from=latest).order_by("-is_active", "name")


class UnderspendPolicy(models.Model):
    """How a programme splits a core group's underspend: data an administrator edits (DOMAIN Rule 2).

    A year may hold several options (the JCG compared 2.5%/£20k with 3.5%/£25k); exactly one of them
    may be active, and the page shows all of them side by side.
    """

    partnership = partnership_field(related_name="underspend_policies", editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="underspend_policies")
    name = models.CharField("option", max_length=120, help_text="e.g. 'Option 1: 2.5% or £20,000'")
    commissioning_pct = models.DecimalField(
        "commissioning costs (% of allocation)", default=1, help_text="The first tranche: 1 means 1%.", **PCT
    )
    discretion_pct = models.DecimalField("core group discretion (% of allocation)", **PCT)
    discretion_floor = MoneyField(
        "discretion floor (£)",
        help_text="Discretion is the percentage or this amount, whichever is larger.",
        non_negative=True,
    )
    effective_from = financial_year_field(verbose_name="takes effect from financial year")
    is_active = models.BooleanField(
        "active", default=False, help_text="The policy applied to this year; the others are shown alongside."
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = UnderspendPolicyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "underspend policies"
        ordering = ["programme__name", "-effective_from", "-is_active", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "effective_from"],
                condition=Q(is_active=True),
                name="one_active_underspend_policy_per_year",
                violation_error_message="That financial year already has an active policy for this programme.",
            ),
            models.UniqueConstraint(
                fields=["programme", "effective_from", "name"],
                name="unique_underspend_option_name",
                violation_error_message="That financial year already has a policy with this name.",
            ),
            models.CheckConstraint(
                condition=Q(commissioning_pct__gte=0) & Q(discretion_pct__gte=0),
                name="underspend_pct_not_negative",
                violation_error_message="A percentage cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(commissioning_pct__lte=100) & Q(discretion_pct__lte=100),
                name="underspend_pct_at_most_100",
                violation_error_message="A percentage cannot be more than 100.",
            ),
            models.CheckConstraint(
                condition=Q(discretion_floor__gte=0),
                name="underspend_floor_not_negative",
                violation_error_message="The discretion floor cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.programme}: {self.name} (from {fy_label(self.effective_from)})"

    def save(self, *args, **kwargs):
        if self.programme_id:
            self.partnership_id = self.programme.partnership_id
        super().save(*args, **kwargs)

    def validate_constraints(self, exclude=None):
        # Name the year and the policy that already holds it, so the administrator knows what to change.
        if self.is_active and self.programme_id and self.effective_from:
            other = (
                UnderspendPolicy.objects.filter(
                    programme_id=self.programme_id, effective_from=self.effective_from, is_active=True
                )
                .exclude(pk=self.pk)
                .first()
            )
            if other:
                raise ValidationError(
                    {
                        "is_active": (
                            f"{fy_label(self.effective_from)} already has an active policy for {self.programme}: "
                            f"'{other.name}'. Make that one inactive first, or save this one as an inactive option "
                            "beside it."
                        )
                    }
                )
        super().validate_constraints(exclude=exclude)


# --------------------------------------------------------------------------------------------------
# Templates


class TimetableTemplate(models.Model):
    partnership = partnership_field(
        related_name="timetable_templates",
        help_text="Blank: a national template shipped with the product, read-only to partnerships "
        "(they copy it to change it).",
    )
    name = models.CharField(max_length=120, unique=True)
    procedure = models.CharField(max_length=30, choices=Procedure.choices)
    regime = models.CharField(max_length=20, choices=Regime.choices, default=Regime.STANDARD)
    description = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def as_steps(self, steps=None):
        return [s.as_step() for s in (steps if steps is not None else self.steps.all())]


class TemplateStep(models.Model):
    template = models.ForeignKey(TimetableTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.CHOICES)
    activity = models.CharField(max_length=300)
    responsible_role = models.CharField(max_length=200, blank=True)
    anchor = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="The position of the step this one ends before; blank: the contract start."
    )
    offset_months = models.SmallIntegerField(default=0, help_text="Whole months before the anchor (negative: after).")
    offset_days = models.SmallIntegerField(default=0, help_text="Then this many days before (negative: after).")
    offset_unit = models.CharField(max_length=20, choices=Unit.CHOICES[:2], default=Unit.DAYS)
    duration = models.PositiveSmallIntegerField(default=0)
    duration_unit = models.CharField(max_length=20, choices=Unit.CHOICES, default=Unit.DAYS)
    precision = models.CharField(max_length=10, choices=Precision.CHOICES, default=Precision.DAY)
    milestone = models.BooleanField(default=False)
    condition = models.CharField(max_length=10, choices=Condition.CHOICES, blank=True, default=Condition.ALWAYS)
    statutory_minimum = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_unit = models.CharField(max_length=20, choices=Unit.CHOICES[:2], default=Unit.DAYS)
    statutory_rule = models.CharField(max_length=300, blank=True, help_text="The law that sets the minimum.")
    kind = models.CharField(
        max_length=30,
        choices=Kind.CHOICES,
        blank=True,
        default=Kind.NONE,
        help_text="What the step is in law (a notice, a deadline...): the Act's periods are measured between these.",
    )
    numbered = models.BooleanField(
        default=True, help_text="Untick for a row the timetable shows without a number (a closing review)."
    )
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="unique_template_step_position"),
            models.CheckConstraint(
                condition=Q(statutory_minimum__isnull=True) | ~Q(statutory_rule=""),
                name="statutory_minimum_names_its_rule",
                violation_error_message="Name the rule that sets a statutory minimum.",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.activity}"

    def as_step(self):
        return scheduling.Step(
            position=self.position,
            stage=self.stage,
            activity=self.activity,
            responsibility=self.responsible_role,
            anchor=self.anchor,
            offset_months=self.offset_months,
            offset_days=self.offset_days,
            offset_unit=self.offset_unit,
            duration=self.duration,
            duration_unit=self.duration_unit,
            precision=self.precision,
            milestone=self.milestone,
            condition=self.condition,
            statutory_minimum=self.statutory_minimum,
            statutory_unit=self.statutory_unit,
            statutory_rule=self.statutory_rule,
            notes=self.notes,
            kind=self.kind,
            numbered=self.numbered,
        )


# --------------------------------------------------------------------------------------------------
# Projects


class ProjectQuerySet(models.QuerySet):
    def with_overdue(self, today=None):
        """Each project's overdue tasks (current timetable) as a correlated subquery, not a join and GROUP BY.

        In the SELECT list, PostgreSQL evaluates it only for the rows a page returns (after ORDER BY/LIMIT), each
        time over the open-task index of one timetable; the paginator's COUNT strips it (Django drops annotations
        a count does not need), so neither grows with the number of tasks in the partnership.
        """
        today = today or timezone.localdate()
        overdue = (
            Task.objects.filter(timetable__project=OuterRef("pk"), timetable__is_current=True, due__lt=today)
            .exclude(status__in=Task.FINISHED)
            .order_by()
            .values("timetable__project")
            .annotate(n=models.Count("pk"))
            .values("n")
        )
        return self.annotate(overdue_count=Coalesce(Subquery(overdue, output_field=models.IntegerField()), Value(0)))


class ProcurementProject(models.Model):
    class Status(models.TextChoices):
        PLANNING = "planning", "Planning"
        TENDERING = "tendering", "Tendering"
        AWARDING = "awarding", "Awarding"
        MOBILISING = "mobilising", "Lead-in and mobilisation"
        LIVE = "live", "Contract live"
        CLOSED = "closed", "Closed"
        CANCELLED = "cancelled", "Cancelled"

    partnership = partnership_field(related_name="procurement_projects")
    reference = models.CharField(max_length=40, unique=True, help_text="e.g. 4092")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    procedure = models.CharField(max_length=30, choices=Procedure.choices)
    regime = models.CharField(max_length=20, choices=Regime.choices, default=Regime.STANDARD)
    approach = models.CharField(max_length=20, choices=Approach.choices, default=Approach.SINGLE)
    lead_organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="procurements_led")
    partners = models.ManyToManyField(
        Organisation, through="ProjectPartner", related_name="procurements_partnered", blank=True
    )
    estimated_annual_value = MoneyField(null=True, blank=True, non_negative=True)
    contract_years = models.PositiveSmallIntegerField(
        "contract length (years)", default=3, validators=[MinValueValidator(1), MaxValueValidator(25)]
    )
    tupe = models.BooleanField("TUPE applies", default=False)
    jurisdiction = models.CharField(
        "jurisdiction of the contracting authority",
        max_length=20,
        choices=Jurisdiction.choices,
        default=Jurisdiction.ENGLAND,
        help_text="Which part of the UK the contracting authority belongs to: it decides which law applies.",
    )
    contract_start = models.DateField()
    urgency = models.BooleanField(
        "a state of urgency is declared",
        default=False,
        help_text="Procurement Act 2023 s.54: the tendering period may then be 10 days.",
    )
    electronic_tenders = models.BooleanField(
        "tenders are submitted electronically",
        default=True,
        help_text="Procurement Act 2023 s.54: otherwise the tendering period is at least 30 days.",
    )
    project_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="procurements_managed"
    )
    commission = models.ForeignKey(
        Commission, null=True, blank=True, on_delete=models.SET_NULL, related_name="procurement_projects"
    )
    template = models.ForeignKey(
        TimetableTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="projects"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNING)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["contract_start", "reference"]
        # The project list's default order: a page is read off the index, not sorted from every project.
        indexes = [models.Index(fields=["contract_start", "reference"], name="project_list_order")]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_annual_value__isnull=True) | Q(estimated_annual_value__gte=0),
                name="procurement_value_not_negative",
                violation_error_message="The estimated annual value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(contract_years__gte=1),
                name="procurement_contract_years_positive",
                violation_error_message="A contract lasts at least one year.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def save(self, *args, **kwargs):
        # A project made from a commission belongs to that commission's partnership.
        if not self.partnership_id and self.commission_id:
            self.partnership_id = self.commission.core_group.partnership_id
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        message = date_out_of_range(self.contract_start)
        if message:
            errors["contract_start"] = message
        template = self.template if self.template_id else None
        if self.jurisdiction == Jurisdiction.SCOTLAND and template is not None and template.procedure != "grant":
            errors["jurisdiction"] = (
                f"A Scottish devolved authority procures under {SCOTTISH_REGIME}: “{template}” is a Procurement Act "
                "2023 template, and there are no templates for the Scottish regime yet."
            )
        if self.approach == Approach.ALIGNED and self.contract_years is not None and self.contract_years < 3:
            errors["contract_years"] = (
                f"A shared service commissioned under aligned budgets runs at least three years (the Staffordshire "
                f"Third Sector Commissioning Partnership, 5.6: three-year minimum contracts for stability), not "
                f"{self.contract_years}."
            )
        if self.regime == Regime.PSR and self.jurisdiction and self.jurisdiction != Jurisdiction.ENGLAND:
            errors.setdefault(
                "regime",
                "The NHS Provider Selection Regime applies in England only (Health Care Services (Provider Selection "
                "Regime) Regulations 2023, reg. 1): this contracting authority is in "
                f"{self.get_jurisdiction_display()}.",
            )
        if errors:
            raise ValidationError(errors)

    def conflict_organisation_ids(self):
        return [self.lead_organisation_id]

    def conflict_targets(self):
        return [self] + ([self.commission] if self.commission_id else [])


class ProjectPartner(models.Model):
    project = models.ForeignKey(ProcurementProject, on_delete=models.CASCADE, related_name="partner_links")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="procurement_partner_links")
    annual_contribution = MoneyField(default=0, non_negative=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["project", "organisation"], name="unique_project_partner"),
            models.CheckConstraint(
                condition=Q(annual_contribution__gte=0),
                name="partner_contribution_not_negative",
                violation_error_message="A contribution cannot be negative.",
            ),
        ]

    def __str__(self):
        return f"{self.organisation} in {self.project.reference}"


class ConflictAssessment(models.Model):
    """The conflicts assessment of a procurement (Procurement Act 2023 s.83): one person assessed, what was found
    and how any conflict is mitigated, by whom and when. Kept with the project, listed on its page and its report."""

    class Finding(models.TextChoices):
        NONE = "none", "No conflict found"
        POTENTIAL = "potential", "Potential conflict"
        ACTUAL = "actual", "Actual conflict"

    project = models.ForeignKey(ProcurementProject, on_delete=models.CASCADE, related_name="conflict_assessments")
    person = models.CharField("person assessed", max_length=200)
    role = models.CharField(
        "their part in the procurement", max_length=200, blank=True, help_text="e.g. evaluator, project manager"
    )
    finding = models.CharField("what was found", max_length=20, choices=Finding.choices)
    details = models.TextField(
        "details of what was found", blank=True, help_text="The interest, and why it is or is not a conflict."
    )
    mitigations = models.TextField(
        blank=True, help_text="The steps taken to avoid or mitigate it (required when a conflict is found)."
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assessed_on = models.DateField("assessed on", default=timezone.localdate)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-assessed_on", "person"]
        verbose_name = "conflicts assessment"

    def __str__(self):
        return f"{self.person}: {self.get_finding_display()} ({self.project.reference})"

    def clean(self):
        errors = {}
        message = date_out_of_range(self.assessed_on)
        if message:
            errors["assessed_on"] = message
        elif self.assessed_on and self.assessed_on > timezone.localdate():
            errors["assessed_on"] = "An assessment cannot be dated in the future: give the day it was made."
        if self.finding in (self.Finding.POTENTIAL, self.Finding.ACTUAL):
            if not self.details.strip():
                errors["details"] = "Say what was found: the interest and why it may be a conflict."
            if not self.mitigations.strip():
                errors["mitigations"] = "Say how the conflict is avoided or mitigated (Procurement Act 2023 s.83)."
        if errors:
            raise ValidationError(errors)


class Timetable(models.Model):
    """One numbered version of a project's timetable. The current one is live; earlier ones are kept."""

    project = models.ForeignKey(ProcurementProject, on_delete=models.CASCADE, related_name="timetables")
    number = models.PositiveIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    change_note = models.CharField(max_length=300, blank=True)
    contract_start = models.DateField(help_text="The contract start this version was drawn to.")
    lock_version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="unique_timetable_version"),
            models.UniqueConstraint(
                fields=["project"], condition=Q(is_current=True), name="one_current_timetable_per_project"
            ),
        ]

    def __str__(self):
        return f"{self.project.reference} timetable {self.label}"

    @property
    def label(self):
        return f"v{self.number}"


class TaskQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status__in=Task.FINISHED)

    def current(self):
        return self.filter(timetable__is_current=True)

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(due__lt=today)


class Task(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        NOT_NEEDED = "not_needed", "Not needed"

    FINISHED = [Status.DONE, Status.NOT_NEEDED]

    timetable = models.ForeignKey(Timetable, on_delete=models.CASCADE, related_name="tasks")
    number = models.PositiveSmallIntegerField()
    stage = models.CharField(max_length=20, choices=Stage.CHOICES)
    activity = models.CharField(max_length=300)
    responsibility = models.CharField(max_length=200, blank=True)
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="procurement_tasks"
    )
    starts_on = models.DateField(null=True, blank=True, help_text="For a period: its first day.")
    due = models.DateField("due date", null=True, blank=True, help_text="The last day; blank when to be decided.")
    precision = models.CharField(max_length=10, choices=Precision.CHOICES, default=Precision.DAY)
    milestone = models.BooleanField(default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    done_on = models.DateField("date done", null=True, blank=True)
    notes = models.TextField(blank=True)
    step_position = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    statutory_minimum = models.PositiveSmallIntegerField(null=True, blank=True)
    statutory_unit = models.CharField(max_length=20, choices=Unit.CHOICES[:2], default=Unit.DAYS)
    statutory_rule = models.CharField(max_length=300, blank=True)
    kind = models.CharField(
        max_length=30,
        choices=Kind.CHOICES,
        blank=True,
        default=Kind.NONE,
        help_text="What the task is in law (a notice, a deadline...): the Act's periods are measured between these.",
    )
    numbered = models.BooleanField(
        default=True, help_text="Untick for a row the timetable shows without a number (a closing review)."
    )
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["timetable", "number"]
        indexes = [
            models.Index(fields=["status", "due"]),
            # A project's open tasks by due date (the project list's overdue count, per row of the page).
            models.Index(
                fields=["timetable", "due"],
                condition=~Q(status__in=["done", "not_needed"]),
                name="task_open_by_timetable_due",
            ),
            # A person's open tasks by due date (the dashboard's next deadlines), without reading anyone else's.
            models.Index(
                fields=["responsible_user", "due"],
                condition=~Q(status__in=["done", "not_needed"]),
                name="task_open_by_user_due",
            ),
            # The timetables a person is responsible for a task in (who may see a project): read from the index
            # alone, not from every one of their tasks' rows (issue 17).
            models.Index(fields=["responsible_user", "timetable"], name="task_by_user_timetable"),
        ]
        constraints = [
            # Deferred: a reorder (swapping 13 and 14, inserting a task in the middle) renumbers several rows in one
            # transaction, and the numbers only have to be unique when it ends (services.timetable_renumber checks
            # them before returning).
            models.UniqueConstraint(
                fields=["timetable", "number"],
                name="unique_task_number_per_version",
                deferrable=models.Deferrable.DEFERRED,
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(due__isnull=True) | Q(due__gte=models.F("starts_on")),
                name="task_dates_ordered",
                violation_error_message="A task cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False),
                name="done_task_has_date",
                violation_error_message="Give the date a finished task was done.",
            ),
            models.CheckConstraint(
                condition=Q(due__isnull=False) | Q(precision="tbd"),
                name="task_due_unless_tbd",
                violation_error_message="Give a due date, or choose 'To be decided'.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.activity}"

    @property
    def label_number(self):
        """The number the timetable shows: blank for an un-numbered row (Leeds' closing review)."""
        return self.number if self.numbered else ""

    @property
    def is_finished(self):
        return self.status in self.FINISHED

    @property
    def done(self):
        return self.is_finished

    @property
    def date_label(self):
        return dates.label(self.precision, self.due, self.starts_on)

    def days_left(self, today=None):
        if self.due is None:
            return None
        return (self.due - (today or timezone.localdate())).days

    def urgency(self, today=None, amber_days=14):
        """'overdue', 'soon' (due within 14 days) or '' for the colours of the timetable."""
        left = self.days_left(today)
        if self.is_finished or left is None:
            return ""
        if left < 0:
            return "overdue"
        if left <= amber_days:
            return "soon"
        return ""

    def clean(self):
        errors = {}
        for name in ("starts_on", "due", "done_on"):
            message = date_out_of_range(getattr(self, name))
            if message:
                errors[name] = message
        if errors:
            raise ValidationError(errors)
        if self.precision == Precision.TBD:
            self.due = None
            self.starts_on = None
        elif self.due is None:
            errors["due"] = "Give a due date, or choose 'To be decided'."
        if self.status == self.Status.DONE and self.done_on is None:
            self.done_on = timezone.localdate()
        if self.starts_on and self.due and self.starts_on > self.due:
            errors["starts_on"] = "A task cannot end before it starts."
        if not errors:
            try:
                scheduling.check_statutory_period(self)
            except scheduling.StatutoryPeriodError as exc:
                errors[exc.field or "due"] = exc.message
        if errors:
            raise ValidationError(errors)


# --------------------------------------------------------------------------------------------------
# Reminders


class ReminderSettings(models.Model):
    """The thresholds of the deadline reminders; one row, edited in admin."""

    first_notice_days = models.PositiveSmallIntegerField(
        default=7, validators=[MinValueValidator(1)], help_text="Remind the person responsible this many days before."
    )
    final_notice_days = models.PositiveSmallIntegerField(
        default=1, validators=[MinValueValidator(0)], help_text="And again this many days before."
    )
    overdue_every_days = models.PositiveSmallIntegerField(
        default=7,
        validators=[MinValueValidator(1)],
        help_text="Tell the project manager about an overdue task this often.",
    )
    enabled = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "reminder settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(first_notice_days__gt=models.F("final_notice_days")),
                name="first_notice_before_final",
                violation_error_message="The first reminder must come before the final one.",
            )
        ]

    def __str__(self):
        return f"Reminders {self.first_notice_days} and {self.final_notice_days} days before; overdue weekly"

    @classmethod
    def current(cls):
        obj = cls.objects.order_by("pk").first()
        return obj or cls()


class Reminder(models.Model):
    """One reminder, claimed (inserted) once: the unique key makes each exist once. Its email is an outbox
    message (key ``procurement.reminder:<id>``) written in the same transaction, so it is sent once."""

    class Kind(models.TextChoices):
        FIRST = "first", "First notice"
        FINAL = "final", "Final notice"
        OVERDUE = "overdue", "Overdue"

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    due = models.DateField(help_text="The task's due date when the reminder was claimed.")
    sequence = models.PositiveSmallIntegerField(default=0, help_text="For overdue reminders: which week.")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    email = models.EmailField()
    claim = models.UUIDField(db_index=True)
    claimed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-claimed_at"]
        constraints = [
            models.UniqueConstraint(fields=["task", "kind", "due", "sequence"], name="one_reminder_per_task_kind_due")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.task} to {self.email}"

    @staticmethod
    def outbox_key(reminder_id):
        return f"procurement.reminder:{reminder_id}"
