"""Funding rounds, criteria, bids, supporters, evaluations and decisions (DOMAIN Rule 1, seed 004)."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core_groups.financial_year import fy_bounds, fy_label
from core_groups.models import Organisation, Programme, financial_year_field
from core_groups.money import to_money
from foundation.fields import MoneyField

# Appendix B of the Kent framework: each step of the timetable and its length in days, in order.
# The eighth step has no length in the source but a month: November. ``None`` marks it; see propose_timetable.
TIMETABLE_STEPS = [
    ("proposals_by", 14, "Partners choose proposals and secure a second partner's support"),
    ("intent_by", 7, "Partners tell the programme team which bids they intend and who will write them"),
    ("submissions_by", 28, "Submissions to the programme team"),
    ("evaluation_by", 14, "The programme team evaluates the bids"),
    ("pack_by", 7, "Pack and written evaluations to the Commissioning Body"),
    ("decision_by", 10, "The Commissioning Body decides"),
    ("told_by", 21, "Stakeholders are told of the decisions"),
    ("plans_by", None, "Outcomes go into procurement plans and the next annual plan (November)"),
]


def end_of_november_after(day):
    """30 November on or after the day after ``day``: when Appendix B puts outcomes into the plans."""
    after = day + dt.timedelta(days=1)
    november = dt.date(after.year, 11, 30)
    return november if november >= after else dt.date(after.year + 1, 11, 30)


def propose_timetable(opens_on):
    """Each step's date, counted on from the opening date by the lengths of Appendix B; the last step
    falls at the end of the November that follows (the source gives it a month, not a length)."""
    dates, day = {}, opens_on
    for name, days, _label in TIMETABLE_STEPS:
        day = day + dt.timedelta(days=days) if days is not None else end_of_november_after(day)
        dates[name] = day
    return dates


def end_of_day(day):
    """23:59:59 Europe/London on ``day``: the moment a window that closes 'on' that day closes."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))


class ReferenceData(models.Model):
    """A named item of reference data that administrators edit in admin; inactive items stay on old bids."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class ClientGroup(ReferenceData):
    """A Supporting People primary client group (reference data)."""


class District(ReferenceData):
    """A district or borough where spending would be incurred (reference data: Kent's twelve)."""


class Outcome(ReferenceData):
    """A Supporting People outcome that spending may deliver (reference data)."""

    name = models.CharField(max_length=200, unique=True)


class FundingRound(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        OPEN = "open", "Open for bids"
        CLOSED = "closed", "Closed, being evaluated"
        EVALUATED = "evaluated", "Evaluated, with the Body"
        DECIDED = "decided", "Decided"

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="funding_rounds")
    financial_year = financial_year_field()
    title = models.CharField(max_length=200, blank=True)
    growth_money = MoneyField(
        "growth money in the Annual Plan", help_text="The money the Annual Plan says is available for growth."
    )
    holdback_pct = models.DecimalField(
        "emergency holdback (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="The share held back for sudden and urgent need, e.g. 10 for 10%.",
    )
    opens_on = models.DateField("invitation date", help_text="The date partners are invited to bid.")
    proposals_by = models.DateField("proposals chosen and supported by")
    intent_by = models.DateField("notices of intent by")
    submissions_by = models.DateField("submissions by")
    closes_at = models.DateTimeField(
        "submission window closes at", help_text="Nothing can be submitted or changed after this moment."
    )
    evaluation_by = models.DateField("evaluation by")
    pack_by = models.DateField("pack to the Body by")
    decision_by = models.DateField("Body decides by")
    told_by = models.DateField("stakeholders told by")
    plans_by = models.DateField("outcomes in plans by")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    decisions_published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    # The round's life, one way: each status it can move to, the one status it moves from, and what a refused move
    # says. ``advance_to`` is the only place a round's status changes (the services add each move's own checks).
    TRANSITIONS = {
        Status.OPEN: (Status.DRAFT, "Only a draft round can be opened."),
        Status.CLOSED: (Status.OPEN, "Only an open round can be closed."),
        Status.EVALUATED: (Status.CLOSED, "Only a closed round can be marked as evaluated."),
        Status.DECIDED: (Status.EVALUATED, "Decisions are published once, after the Body has decided every bid."),
    }

    class Meta:
        ordering = ["-financial_year", "programme__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "financial_year"],
                name="one_round_per_programme_year",
                violation_error_message="This programme already has a funding round for that financial year.",
            ),
            models.CheckConstraint(
                condition=Q(growth_money__gte=0),
                name="round_growth_money_not_negative",
                violation_error_message="Growth money cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(holdback_pct__gte=0) & Q(holdback_pct__lte=100),
                name="round_holdback_between_0_and_100",
                violation_error_message="The holdback is a percentage between 0 and 100.",
            ),
            models.CheckConstraint(
                condition=Q(submissions_by__gte=models.F("opens_on")),
                name="round_submissions_after_opening",
                violation_error_message="Submissions cannot close before the round opens.",
            ),
        ]

    def __str__(self):
        return self.title or f"{self.programme} growth bids {fy_label(self.financial_year)}"

    @property
    def fy(self):
        return fy_label(self.financial_year)

    @property
    def holdback(self):
        return to_money(to_money(self.growth_money or 0) * (self.holdback_pct or 0) / Decimal(100))

    @property
    def available(self):
        """available = growth money - holdback % x growth money (DOMAIN Rule 1.2)."""
        return to_money(self.growth_money or 0) - self.holdback

    def timetable(self):
        return [(label, getattr(self, name)) for name, _days, label in TIMETABLE_STEPS]

    def window_open(self, now=None):
        now = now or timezone.now()
        return self.status == self.Status.OPEN and now < self.closes_at

    def advance_to(self, status):
        """Move to ``status`` when the table allows it from the status now (not saved: the caller saves); else
        a BidError (a ValidationError) saying why. Call it before the move's other checks, inside the
        transaction that saves, so a later refusal leaves nothing changed."""
        from .exceptions import BidError

        source, refusal = self.TRANSITIONS.get(status, (None, f"A round cannot be moved to “{status}”."))
        if source is None or self.status != source:
            raise BidError(refusal)
        self.status = status

    @property
    def criteria_locked(self):
        return self.status != self.Status.DRAFT

    def clean(self):
        from django.core.exceptions import ValidationError

        errors = {}
        # A year the field's own validators refuse (e.g. 99999999999999999999) has no bounds to compare with.
        if self.financial_year and 2000 <= self.financial_year <= 2100 and self.opens_on:
            start, end = fy_bounds(self.financial_year)
            if not (start <= self.opens_on <= end):
                errors["opens_on"] = f"The invitation date must fall in {fy_label(self.financial_year)}."
        previous = self.opens_on
        for name, _days, label in TIMETABLE_STEPS:
            value = getattr(self, name)
            if previous and value and value < previous:
                errors[name] = f"This step ({label.lower()}) cannot be before the step before it."
            previous = value or previous
        if errors:
            raise ValidationError(errors)


class Criterion(models.Model):
    class SystemRule(models.TextChoices):
        NONE = "", "Decided by the evaluator"
        TWO_PARTNERS = "two_partners", "Met when the applicant and confirmed supporters number two or more"

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField(max_length=5)
    question = models.TextField()
    guidance = models.TextField(blank=True)
    weight = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1), MaxValueValidator(100)])
    mandatory = models.BooleanField(default=False, help_text="A bid that fails a mandatory criterion is never funded.")
    system_rule = models.CharField(max_length=20, choices=SystemRule.choices, blank=True, default="")
    order = models.PositiveSmallIntegerField(default=0)
    word_limit = models.PositiveSmallIntegerField(
        "word limit",
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text="The most words the applicant's statement may have; empty for no limit.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["funding_round", "order", "code"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(fields=["funding_round", "code"], name="unique_criterion_code"),
            models.CheckConstraint(condition=Q(weight__gte=1), name="criterion_weight_positive"),
        ]

    def __str__(self):
        return f"{self.code}) {self.question[:60]}"

    @property
    def system_decided(self):
        return bool(self.system_rule)


class BidQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=Bid.Status.SUBMITTED)

    def visible_to(self, user):
        from . import permissions

        return permissions.visible_bids(self, user)


HOURS_MESSAGE = "Support hours per week must be more than 0 and no more than 168."


class Bid(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SUBMITTED = "submitted", "Submitted"
        WITHDRAWN = "withdrawn", "Withdrawn"

    funding_round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="bids")
    number = models.PositiveIntegerField(editable=False)
    reference = models.CharField(max_length=20, unique=True, editable=False)
    applicant = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="growth_bids")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="growth_bids")
    title = models.CharField("title of the proposal", max_length=200, blank=True)
    contact_names = models.CharField("main contact names", max_length=300, blank=True)
    contact_email = models.EmailField("contact email", blank=True)
    contact_phone = models.CharField("contact phone", max_length=40, blank=True)
    summary = models.TextField("summary of the proposal", blank=True)
    client_group = models.ForeignKey(
        ClientGroup,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bids",
        verbose_name="primary client group",
    )
    districts = models.ManyToManyField(District, blank=True, related_name="bids", verbose_name="district(s)")
    # The value rules live here only: the bid form (a ModelForm) and the services (full_clean) both run them.
    service_users = models.PositiveIntegerField(
        "service users supported at any one time",
        null=True,
        blank=True,
        validators=[MinValueValidator(1, message="At least one service user must be supported.")],
    )
    hours_per_week = models.DecimalField(
        "support hours per service user per week",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[
            MinValueValidator(Decimal("0.01"), message=HOURS_MESSAGE),
            MaxValueValidator(Decimal("168"), message=HOURS_MESSAGE),
        ],
    )
    annual_amount = MoneyField(
        "annual amount (£)",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"), message="The annual amount must be more than £0.")],
    )
    start_date = models.DateField("proposed start date", null=True, blank=True)
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="bids", verbose_name="outcomes delivered")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    # Filled from the moderated evaluation so that lists filter and sort on them in the database.
    score = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    eligible = models.BooleanField(null=True, blank=True, editable=False)
    # A funded bid becomes a procurement project (issue 5 item 8). The link lives here, on the growth-bid
    # side, because procurement must not depend on growth bids; the project reaches back by ``growth_bids``.
    procurement_project = models.ForeignKey(
        "procurement.ProcurementProject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="growth_bids",
        help_text="The procurement project this funded bid became.",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(m2m_fields=[districts, outcomes])

    objects = BidQuerySet.as_manager()

    class Meta:
        ordering = ["funding_round", "number"]
        indexes = [
            # The decision queues' oldest submitted bid: read in this order, the first row that is the partnership's
            # and undecided ends the scan, instead of sorting every submitted bid (issue 17).
            models.Index(fields=["submitted_at", "id"], condition=Q(status="submitted"), name="bid_submitted_oldest"),
            # An organisation's latest bids on its officers' dashboards, read a round's worth at a time.
            models.Index(fields=["applicant", "funding_round", "number"], name="bid_by_applicant_round"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["funding_round", "number"], name="unique_bid_number_in_round"),
            models.CheckConstraint(
                condition=Q(annual_amount__isnull=True) | Q(annual_amount__gt=0),
                name="bid_amount_positive",
                violation_error_message="The annual amount must be more than £0.",
            ),
            models.CheckConstraint(
                condition=Q(service_users__isnull=True) | Q(service_users__gte=1),
                name="bid_service_users_at_least_one",
                violation_error_message="At least one service user.",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True) | (Q(hours_per_week__gt=0) & Q(hours_per_week__lte=168)),
                name="bid_hours_within_a_week",
                violation_error_message="Support hours per week are between 0 and 168.",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}".strip()

    def clean(self):
        super().clean()
        if self.start_date and self.funding_round_id:
            year = self.funding_round.financial_year
            fy_start, _ = fy_bounds(year)
            if self.start_date < fy_start:
                from django.core.exceptions import ValidationError

                raise ValidationError(
                    {
                        "start_date": f"The start date cannot be before the financial year {fy_label(year)} "
                        f"(1 April {year})."
                    }
                )

    @property
    def hours_per_year(self):
        """Support hours per service user in a full year (52 weeks)."""
        if self.hours_per_week is None:
            return None
        return (self.hours_per_week * 52).quantize(Decimal("0.01"))

    @property
    def cost_per_service_user(self):
        if not self.annual_amount or not self.service_users:
            return None
        return to_money(self.annual_amount / self.service_users)

    @property
    def status_label(self):
        """The status as people should read it: a draft left when the window closed was not submitted."""
        funding_round = self.funding_round
        if (
            self.status == self.Status.DRAFT
            and funding_round.status != FundingRound.Status.DRAFT
            and timezone.now() >= funding_round.closes_at
        ):
            closed = timezone.localtime(funding_round.closes_at)
            return f"Not submitted: window closed on {closed.day} {closed:%B %Y at %H:%M}"
        return self.get_status_display()

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    def confirmed_supporter_ids(self):
        return [s.organisation_id for s in self.support_requests.all() if s.status == SupportRequest.Status.CONFIRMED]

    def partners_in_support(self):
        """The applicant plus confirmed supporters (criterion d)."""
        return 1 + len(set(self.confirmed_supporter_ids()) - {self.applicant_id})

    def conflict_organisation_ids(self):
        ids = [self.applicant_id]
        ids += [
            s.organisation_id
            for s in self.support_requests.all()
            if s.status in (SupportRequest.Status.ASKED, SupportRequest.Status.CONFIRMED)
        ]
        return ids

    def conflict_targets(self):
        return [self]


class BidStatement(models.Model):
    """The applicant's short statement for one criterion."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="statements")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "criterion__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["bid", "criterion"], name="one_statement_per_criterion")]

    def __str__(self):
        return f"{self.bid.reference} {self.criterion.code}"


class BidRevision(models.Model):
    """A snapshot of a submitted bid, kept each time it is submitted or changed after submission."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    data = models.JSONField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["bid", "-number"]
        constraints = [models.UniqueConstraint(fields=["bid", "number"], name="unique_bid_revision_number")]

    def __str__(self):
        return f"{self.bid.reference} revision {self.number}"


class SupportRequest(models.Model):
    class Status(models.TextChoices):
        ASKED = "asked", "Asked"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Declined"

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="support_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="support_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ASKED)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    asked_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "organisation"],
                name="one_support_request_per_org",
                violation_error_message="That partner has already been asked to support this bid.",
            )
        ]

    def __str__(self):
        return f"{self.organisation} on {self.bid.reference}: {self.get_status_display()}"


class NoticeOfIntent(models.Model):
    """Appendix B step 2: a partner tells the programme team which bid it intends and who will write it."""

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="notices")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="notices_of_intent")
    proposal = models.CharField("the bid you intend to make", max_length=200)
    writers = models.CharField("who will write it", max_length=300)
    contact_email = models.EmailField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["funding_round", "organisation__name", "created_at"]
        verbose_name_plural = "notices of intent"

    def __str__(self):
        return f"{self.organisation}: {self.proposal}"


def attachment_path(instance, filename):
    import uuid

    # Never the uploader's name: a generated one, with the extension of the type we recognised.
    return f"growth_bids/{instance.bid_id}/{uuid.uuid4().hex}.{instance.kind}"


class Attachment(models.Model):
    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    kind = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "uploaded_at"]

    def __str__(self):
        return self.original_name


class Evaluation(models.Model):
    """One evaluator's assessment of one bid, or the bid's single moderated (final) evaluation."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations")
    moderated = models.BooleanField(default=False)
    written_evaluation = models.TextField(blank=True)
    score = models.PositiveSmallIntegerField(default=0)
    eligible = models.BooleanField(default=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "-moderated", "evaluator__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid"], condition=Q(moderated=True), name="one_moderated_evaluation_per_bid"
            ),
            models.UniqueConstraint(
                fields=["bid", "evaluator"], condition=Q(moderated=False), name="one_evaluation_per_evaluator"
            ),
        ]

    def __str__(self):
        kind = "moderated" if self.moderated else self.evaluator.display_name
        return f"{self.bid.reference} ({kind})"


class EvaluationMark(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="marks")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="marks")
    met = models.BooleanField()
    reason = models.TextField(blank=True)
    # A moderated mark that differs from an evaluator's says why (the evaluators' own marks are kept as they were).
    departure_reason = models.TextField("why the moderated mark departs from the evaluators'", blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "criterion__order", "criterion__code"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"], name="one_mark_per_criterion")]

    def __str__(self):
        return f"{self.criterion.code}: {'met' if self.met else 'not met'}"


class EvaluationDraft(models.Model):
    """A half-done evaluation (or moderation): what the evaluator has typed so far, kept until it is completed.

    The marks stay out of the bid's score and the Body's papers until the evaluation is completed (an
    ``Evaluation``); completing it deletes the draft."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="evaluation_drafts")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    moderated = models.BooleanField(default=False)
    data = models.JSONField(default=dict)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "evaluator"]
        constraints = [
            models.UniqueConstraint(fields=["bid", "evaluator", "moderated"], name="one_evaluation_draft_per_person")
        ]

    def __str__(self):
        return f"{self.bid.reference}: draft evaluation by {self.evaluator}"


class EvaluatorAssignment(models.Model):
    """The programme team's choice of who evaluates which bid."""

    bid = models.ForeignKey(Bid, on_delete=models.CASCADE, related_name="assignments")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["bid", "evaluator__last_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["bid", "evaluator"],
                name="one_assignment_per_evaluator",
                violation_error_message="That evaluator is already assigned to this bid.",
            )
        ]

    def __str__(self):
        return f"{self.bid.reference}: {self.evaluator}"


class Decision(models.Model):
    class Outcome(models.TextChoices):
        FUNDED = "funded", "Funded"
        RESERVE = "reserve", "Reserve"
        NOT_FUNDED = "not_funded", "Not funded"
        FELL_THROUGH = "fell_through", "Funded, but fell through"

    bid = models.OneToOneField(Bid, on_delete=models.PROTECT, related_name="decision")
    funding_round = models.ForeignKey(FundingRound, on_delete=models.PROTECT, related_name="decisions")
    outcome = models.CharField(max_length=20, choices=Outcome.choices)
    amount = MoneyField(null=True, blank=True)
    meeting_date = models.DateField("date of the Body's meeting")
    minute_ref = models.CharField("minute reference", max_length=60, blank=True)
    reason = models.TextField(
        "reason given to the applicant",
        blank=True,
        help_text="Required when the bid is not funded, or funded at less than asked; the applicant sees it.",
    )
    notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    RESERVE_MEANING = (
        "Reserve: not funded now, but first in line if a funded scheme in this round does not come off and the "
        "money left covers it. It lapses when the round's money is spent."
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["funding_round", "bid__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["funding_round"],
                condition=Q(outcome="reserve"),
                name="one_reserve_per_round",
                violation_error_message="This round already has a reserve bid.",
            ),
            models.CheckConstraint(
                condition=(Q(outcome="funded") & Q(amount__gt=0)) | (~Q(outcome="funded")),
                name="funded_decision_has_amount",
                violation_error_message="A funded bid needs an amount of more than £0.",
            ),
        ]

    def __str__(self):
        return f"{self.bid.reference}: {self.get_outcome_display()}"


class WindowMove(models.Model):
    """A move of an open round's close: always later, with the reason partners were sent (services.round_update)."""

    funding_round = models.ForeignKey(FundingRound, on_delete=models.CASCADE, related_name="window_moves")
    moved_from = models.DateTimeField()
    moved_to = models.DateTimeField()
    reason = models.TextField()
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    moved_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["funding_round", "moved_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(moved_to__gt=models.F("moved_from")),
                name="window_moves_only_later",
                violation_error_message="An open round's close may only move later.",
            ),
        ]

    def __str__(self):
        return f"{self.funding_round}: close moved to {self.moved_to:%Y-%m-%d %H:%M}"
