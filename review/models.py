"""Review, the fourth step of the commissioning cycle: measures with baselines and targets, providers'
returns against them, the meetings of boards and steering groups, and engagement events.

Every top-level record belongs to a core_groups.Programme, so that whatever scopes a programme (a
partnership, later) scopes these too; a measure or a return may also name the commissioned service
(core_groups.Commission) it is about.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from core_groups.models import Commission, Programme
from foundation.fields import MoneyField

from . import rules

NO_BASELINE = "No baseline set"


# Digits of a measure's values (a count, a percentage, hours): wider than money's 14, and not money.
MEASURE_DIGITS = 16


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
    # Measure values are counts, percentages and hours, not money: their own precision (MEASURE_DIGITS).
    baseline_value = models.DecimalField(max_digits=MEASURE_DIGITS, decimal_places=2, null=True, blank=True)
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
    value = models.DecimalField(max_digits=MEASURE_DIGITS, decimal_places=2)
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
    value = models.DecimalField(max_digits=MEASURE_DIGITS, decimal_places=2)
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


class MinuteItem(models.Model):
    """A numbered item of a meeting's minutes; decisions taken under it are linked (DecisionMinute).

    Numbers run 1, 2, 3 ... within the meeting; reordering swaps them inside one transaction (the uniqueness is
    checked at commit, so a swap never trips over itself).
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="minute_items")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    text = models.TextField("minute", blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"],
                name="one_minute_item_per_number",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]

    def __str__(self):
        return f"{self.label}: {self.title}"

    @property
    def label(self):
        return f"Minute {self.number}"


class DecisionMinute(models.Model):
    """A decision of the decisions register (core_groups.Decision) taken at a meeting, under one minute item.

    The link lives here, in the layer above core_groups, so that core_groups never imports review: a decision is
    recorded at one minute item at most.
    """

    decision = models.OneToOneField(
        "core_groups.Decision", on_delete=models.CASCADE, related_name="review_minute", verbose_name="decision"
    )
    minute_item = models.ForeignKey(MinuteItem, on_delete=models.CASCADE, related_name="decision_links")
    history = HistoricalRecords()

    class Meta:
        ordering = ["minute_item", "decision__decided_on"]

    def __str__(self):
        return f"{self.decision} at {self.minute_item.meeting}, {self.minute_item.label}"


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


class ActionQuerySet(models.QuerySet):
    def open(self):
        return self.exclude(status=Action.Status.DONE)

    def overdue(self, today):
        """Not done and past its due date."""
        return self.open().filter(due_on__lt=today)


class Action(models.Model):
    """An entry of a partnership's action plan: an action with an owner, or an obstacle reported to a board."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        BLOCKED = "blocked", "Blocked"

    class Kind(models.TextChoices):
        ACTION = "action", "Action"
        OBSTACLE = "obstacle", "Obstacle"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ACTION)
    title = models.CharField(max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="review_actions"
    )
    organisation = models.ForeignKey(
        "core_groups.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="review_actions"
    )
    due_on = models.DateField("due date", null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    progress = models.TextField(
        "progress notes", blank=True, help_text="What has happened so far; earlier notes are kept in the history."
    )
    measure = models.ForeignKey(
        Measure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
        help_text="The aim it serves.",
    )
    risk = models.ForeignKey(
        "core_groups.Risk", null=True, blank=True, on_delete=models.SET_NULL, related_name="review_actions"
    )
    reported_to = models.CharField(
        "reported to (board)",
        max_length=30,
        choices=Meeting.Body.choices,
        blank=True,
        help_text="For an obstacle: the board it is reported to.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="obstacle") | ~Q(reported_to=""),
                name="obstacle_reported_to_a_board",
                violation_error_message="An obstacle is reported to a board: name it.",
            ),
        ]

    def __str__(self):
        return self.title

    def is_overdue(self, today):
        return self.status != self.Status.DONE and self.due_on is not None and self.due_on < today

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.OBSTACLE and not self.reported_to:
            errors["reported_to"] = "An obstacle is reported to a board: name the board."
        if self.measure_id and self.programme_id and self.measure.programme_id != self.programme_id:
            errors["measure"] = "That measure belongs to another programme."
        if self.risk_id and self.programme_id and self.risk.partnership_id and self.programme.partnership_id:
            if self.risk.partnership_id != self.programme.partnership_id:
                errors["risk"] = "That risk belongs to another partnership."
        if errors:
            raise ValidationError(errors)


class ContractQuerySet(models.QuerySet):
    def live_on(self, day):
        return self.filter(start_on__lte=day, end_on__gte=day)


class Contract(models.Model):
    """A contract entered into (the "do" that review looks at): supplier, value, term, KPIs and measures."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="contracts")
    procurement_project = models.ForeignKey(
        "procurement.ProcurementProject",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contracts",
        help_text="The procurement project that led to the contract, if any.",
    )
    reference = models.CharField(max_length=60, blank=True)
    title = models.CharField(max_length=200)
    supplier = models.ForeignKey("core_groups.Organisation", on_delete=models.PROTECT, related_name="contracts_held")
    value = MoneyField("total value (£)", validators=[MinValueValidator(Decimal("0"))])
    start_on = models.DateField("start date")
    end_on = models.DateField("end date")
    extension_options = models.TextField(blank=True, help_text="e.g. 'Two optional extensions of 12 months'.")
    kpis = models.TextField(
        "key performance indicators",
        blank=True,
        help_text="One a line. At least three for a contract worth more than £5 million (Procurement Act 2023).",
    )
    measures = models.ManyToManyField(Measure, blank=True, related_name="contracts")
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contracts_managed",
        help_text="Told of the contract's expiry, with the programme team.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["end_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_on__gte=F("start_on")),
                name="contract_ends_after_start",
                violation_error_message="A contract cannot end before it starts.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="contract_value_not_negative",
                violation_error_message="A value is 0 or more.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def kpi_list(self):
        return rules.kpi_lines(self.kpis)

    def clean(self):
        super().clean()
        errors = {}
        if self.start_on and self.end_on and self.end_on < self.start_on:
            errors["end_on"] = "The contract cannot end before it starts."
        problem = rules.kpi_problem(self.value, self.kpis)
        if problem:
            errors["kpis"] = problem
        if self.procurement_project_id and self.programme_id:
            project_partnership = self.procurement_project.partnership_id
            if project_partnership and project_partnership != self.programme.partnership_id:
                errors["procurement_project"] = "That procurement project belongs to another partnership."
        if errors:
            raise ValidationError(errors)


class ContractAlert(models.Model):
    """An expiry alert sent for a contract: each of the 9, 6 and 3 months alerts once."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="alerts")
    months = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        ordering = ["contract", "-months"]
        constraints = [models.UniqueConstraint(fields=["contract", "months"], name="one_alert_per_contract_months")]

    def __str__(self):
        return f"{self.contract}: {self.months} months"
