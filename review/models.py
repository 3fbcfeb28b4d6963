"""Review, the fourth step of the commissioning cycle: measures with baselines and targets, providers'
returns against them, the meetings of boards and steering groups, and engagement events.

Every top-level record belongs to a core_groups.Programme, so that whatever scopes a programme (a
partnership, later) scopes these too; a measure or a return may also name the commissioned service
(core_groups.Commission) it is about.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core_groups.models import Commission, Programme

from . import rules

NO_BASELINE = "No baseline set"


class Measure(models.Model):
    """A performance measure in the Results Based Accountability sense, with a baseline and targets."""

    class Kind(models.TextChoices):
        HOW_MUCH = "how_much", "How much did we do?"
        HOW_WELL = "how_well", "How well did we do it?"
        BETTER_OFF = "better_off", "Is anyone better off?"

    class Unit(models.TextChoices):
        NUMBER = "number", "Number"
        PERCENTAGE = "percentage", "Percentage"
        MONEY = "money", "Pounds"

    class Direction(models.TextChoices):
        HIGHER = "higher", "Higher is better"
        LOWER = "lower", "Lower is better"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="measures")
    commission = models.ForeignKey(
        Commission,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measures",
        help_text="The commissioned service this measures; blank for a measure of the whole programme.",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField("RBA question", max_length=20, choices=Kind.choices, default=Kind.HOW_MUCH)
    unit = models.CharField(max_length=20, choices=Unit.choices, default=Unit.NUMBER)
    unit_label = models.CharField(
        max_length=60, blank=True, help_text="What is counted, e.g. 'carers supported'; blank for the unit alone."
    )
    direction = models.CharField(max_length=10, choices=Direction.choices, default=Direction.HIGHER)
    baseline_value = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_date = models.DateField(null=True, blank=True)
    baseline_source = models.CharField(
        max_length=200, blank=True, help_text="Where the baseline comes from, e.g. the CVCs' sector survey."
    )
    turn_the_curve = models.TextField("turn-the-curve note", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "commission__title", "kind", "title"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "commission", "title"], name="unique_measure_title"),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_date__isnull=True)
                | Q(baseline_value__isnull=False, baseline_date__isnull=False),
                name="measure_baseline_value_with_date",
                violation_error_message="A baseline needs both a value and the date it was measured.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.baseline_value is not None and self.baseline_date is None:
            errors["baseline_date"] = "Give the date the baseline was measured."
        if self.baseline_date is not None and self.baseline_value is None:
            errors["baseline_value"] = "Give the baseline's value, or clear its date."
        problem = rules.value_problem(self.unit, self.baseline_value)
        if problem:
            errors["baseline_value"] = problem
        if self.commission_id and self.programme_id and self.commission.core_group.programme_id != self.programme_id:
            errors["commission"] = "That service belongs to another programme."
        if errors:
            raise ValidationError(errors)

    @property
    def has_baseline(self):
        return self.baseline_value is not None

    def format_value(self, value):
        return rules.format_value(self.unit, value, self.unit_label)

    @property
    def baseline_label(self):
        """The baseline in words, everywhere it is shown: 'No baseline set' when there is none."""
        if not self.has_baseline:
            return NO_BASELINE
        text = f"{self.format_value(self.baseline_value)} at {self.baseline_date:%d %B %Y}".replace(" 0", " ", 1)
        return f"{text} ({self.baseline_source})" if self.baseline_source else text


class Target(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="targets")
    period_label = models.CharField(max_length=40, help_text="e.g. 2011-12 Q1")
    period_start = models.DateField()
    period_end = models.DateField()
    value = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["measure", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period_start"],
                name="one_target_per_measure_period",
                violation_error_message="This measure already has a target for that period.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="target_period_ordered",
                violation_error_message="A target's period cannot end before it starts.",
            ),
        ]

    def __str__(self):
        return f"{self.measure}: {self.period_label}"

    def clean(self):
        super().clean()
        problem = rules.value_problem(self.measure.unit, self.value) if self.measure_id else None
        if problem:
            raise ValidationError({"value": problem})


class ReturnQuerySet(models.QuerySet):
    def for_organisation(self, organisation_id):
        return self.filter(commission__provider_id=organisation_id)


class Return(models.Model):
    """A provider's return for one period of one commissioned service, and the programme team's review."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        REVIEWED = "reviewed", "Reviewed"

    class Rag(models.TextChoices):
        NONE = "", "Not rated"
        RED = "red", "Red"
        AMBER = "amber", "Amber"
        GREEN = "green", "Green"

    commission = models.ForeignKey(Commission, on_delete=models.PROTECT, related_name="returns")
    period_start = models.DateField()
    period_end = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField("provider's notes", blank=True)
    rag = models.CharField("RAG rating", max_length=10, choices=Rag.choices, blank=True, default="")
    review_comment = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    # Optimistic concurrency: every edit states the version it started from.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ReturnQuerySet.as_manager()

    class Meta:
        ordering = ["commission", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["commission", "period_start"],
                name="one_return_per_service_period",
                violation_error_message="This service already has a return for that period.",
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="return_period_ordered",
                violation_error_message="A return's period cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=~Q(status="reviewed") | ~Q(rag=""),
                name="reviewed_return_is_rated",
                violation_error_message="A reviewed return has a RAG rating.",
            ),
        ]

    def __str__(self):
        return f"{self.commission}: {self.period_label}"

    @property
    def period_label(self):
        return rules.period_label(self.period_start, self.period_end)

    def clean(self):
        super().clean()
        if self.commission_id and self.period_start and self.period_end:
            problem = rules.period_problem(
                self.period_start, self.period_end, self.commission.indicative_start, self.commission.indicative_end
            )
            if problem:
                raise ValidationError({"period_start": problem})


class ReturnValue(models.Model):
    """One measure's actual figure in a return."""

    return_record = models.ForeignKey(Return, on_delete=models.CASCADE, related_name="values", db_column="return_id")
    measure = models.ForeignKey(Measure, on_delete=models.PROTECT, related_name="actuals")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["return_record", "measure"]
        constraints = [
            models.UniqueConstraint(fields=["return_record", "measure"], name="one_value_per_return_measure"),
        ]

    def __str__(self):
        return f"{self.measure}: {self.value}"

    def clean(self):
        super().clean()
        if not self.measure_id:
            return
        problem = rules.value_problem(self.measure.unit, self.value)
        if problem:
            raise ValidationError({"value": problem})
        if self.return_record_id and self.measure.commission_id != self.return_record.commission_id:
            raise ValidationError({"measure": "That measure is not one of this service's measures."})


class Meeting(models.Model):
    """A meeting of a board or steering group, who was invited and who came."""

    class Body(models.TextChoices):
        COMMISSIONING_BODY = "commissioning_body", "Commissioning Body"
        JCG = "jcg", "Joint Commissioning Group"
        STEERING_GROUP = "steering_group", "Steering Group"
        COMPACT_BOARD = "compact_board", "Compact Board"
        LOCAL_SERVICE_BOARD = "lsb", "Local Service Board"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="meetings")
    body = models.CharField(max_length=30, choices=Body.choices)
    body_name = models.CharField(
        max_length=200, blank=True, help_text="The body's own name, e.g. 'Project Steering Group'."
    )
    held_on = models.DateField()
    invited = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Attendance", related_name="meetings_invited", blank=True
    )
    papers_url = models.URLField("papers (link)", blank=True)
    minutes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "body"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "body", "held_on"], name="one_meeting_per_body_day"),
        ]

    def __str__(self):
        return f"{self.name}, {self.held_on:%d %B %Y}"

    @property
    def name(self):
        return self.body_name or self.get_body_display()


class Attendance(models.Model):
    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        APOLOGIES = "apologies", "Sent apologies"
        ABSENT = "absent", "Absent"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ABSENT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "user__last_name"]
        verbose_name_plural = "attendance"
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_member")]

    def __str__(self):
        return f"{self.user}: {self.get_status_display()}"


class Event(models.Model):
    """A training, consultation or launch event, its attendance by sector and how it was rated."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(max_length=200)
    held_on = models.DateField()
    places = models.PositiveIntegerField(null=True, blank=True)
    attended_public = models.PositiveIntegerField("attended from the public sector", default=0)
    attended_third = models.PositiveIntegerField("attended from the third sector", default=0)
    waiting_list = models.PositiveIntegerField(default=0)
    share_very_good_or_excellent = models.DecimalField(
        "share rating it very good or excellent (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
    )
    share_good = models.DecimalField("share rating it good (%)", max_digits=5, decimal_places=2, null=True, blank=True)
    rating_note = models.CharField(max_length=300, blank=True, help_text="e.g. 'all scores 4 or 5'")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-held_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_very_good_or_excellent__isnull=True)
                | Q(share_very_good_or_excellent__gte=0, share_very_good_or_excellent__lte=100),
                name="event_share_is_percentage",
                violation_error_message="A share is a percentage from 0 to 100.",
            ),
            models.CheckConstraint(
                condition=Q(share_good__isnull=True) | Q(share_good__gte=0, share_good__lte=100),
                name="event_share_good_is_percentage",
                violation_error_message="A share is a percentage from 0 to 100.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def attended(self):
        return self.attended_public + self.attended_third

    def clean(self):
        super().clean()
        shares = [s for s in (self.share_very_good_or_excellent, self.share_good) if s is not None]
        if sum(shares, Decimal(0)) > 100:
            raise ValidationError({"share_good": "The shares of ratings add up to more than 100%."})
