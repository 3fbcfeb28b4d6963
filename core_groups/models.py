from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from foundation.fields import MoneyField


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COUNTY = "county", "County council"
        DISTRICT = "district", "District or borough council"
        UNITARY = "unitary", "Unitary council"
        HEALTH = "health", "Health board, NHS trust or PCT"
        PROVIDER = "provider", "Third-sector provider"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=60, blank=True, help_text="Used in tables, e.g. 'KCC'.")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    is_commissioning_partner = models.BooleanField(
        default=False,
        help_text="Only commissioning partners (public bodies) may make growth bids; providers never do.",
    )
    identifier = models.CharField(
        "open-data identifier",
        max_length=40,
        blank=True,
        help_text="An org-id.guide identifier such as GB-LAE-KEN.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["identifier"], condition=~Q(identifier=""), name="unique_org_identifier"),
            models.CheckConstraint(
                condition=~(Q(kind="provider") & Q(is_commissioning_partner=True)),
                name="provider_is_not_commissioning_partner",
                violation_error_message="A third-sector provider cannot be a commissioning partner.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_provider(self):
        return self.kind == self.Kind.PROVIDER

    @property
    def label(self):
        return self.short_name or self.name


class User(AbstractUser):
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        full = self.get_full_name()
        return f"{full} ({self.username})" if full else self.username

    @property
    def display_name(self):
        return self.get_full_name() or self.username


class Partnership(models.Model):
    """The boundary of everything: a commissioning partnership with its programmes, groups, rounds and registers.

    One installation serves several partnerships (Kent's Supporting People, Cardiff's CYPP, ...). Every
    programme, core group, procurement project, register and report belongs to exactly one of them, directly
    or through its parent, and a person sees only the partnerships they hold a role in (PartnershipRole).
    """

    name = models.CharField(max_length=200, unique=True)
    short_name = models.SlugField(max_length=60, unique=True, help_text="Used in addresses and lists, e.g. 'kent-sp'.")
    reports_to = models.CharField("board it reports to", max_length=200, blank=True, help_text="e.g. CYPP Board")
    decided_by = models.CharField(
        "body that decides", max_length=200, blank=True, help_text="e.g. Commissioning Body, JCG"
    )
    organisations = models.ManyToManyField(
        Organisation,
        related_name="partnerships",
        blank=True,
        verbose_name="member organisations",
        help_text="The commissioning partners and providers the partnership works with.",
    )
    identifier_prefix = models.CharField(
        "open-data identifier prefix", max_length=40, blank=True, help_text="e.g. GB-LAE-KEN"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class PartnershipRole(models.Model):
    """A role a person holds in one partnership; a person may hold different roles in several."""

    class Role(models.TextChoices):
        OFFICER = "Officer", "Officer"
        PROGRAMME_TEAM = "Programme team", "Programme team"
        COMMISSIONING_BODY = "Commissioning Body", "Commissioning Body"
        CORE_GROUP_MEMBER = "Core group member", "Core group member"
        ADMINISTRATOR = "Partnership administrator", "Partnership administrator"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partnership_roles")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=40, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership__name", "user__last_name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "partnership", "role"], name="unique_partnership_role"),
        ]

    def __str__(self):
        return f"{self.user}: {self.role} in {self.partnership}"


_PARENTS = ("core_group", "programme", "funding_round", "bid", "project", "commission", "timetable", "report")


def partnership_id_of(obj):
    """The id of the partnership that owns ``obj``, directly or through its parent; None when national or unknown."""
    seen = 0
    while obj is not None and seen < 8:
        if isinstance(obj, Partnership):
            return obj.pk
        if hasattr(obj, "partnership_id"):
            return obj.partnership_id
        obj = next((getattr(obj, name) for name in _PARENTS if getattr(obj, f"{name}_id", None) is not None), None)
        seen += 1
    return None


def partnership_field(*, null=True, related_name="+", **kwargs):
    """The owning partnership of a top-level object (nullable while old rows and factories catch up)."""
    return models.ForeignKey(
        "core_groups.Partnership",
        null=null,
        blank=null,
        on_delete=models.PROTECT,
        related_name=related_name,
        **kwargs,
    )


class DeclaredInterestQuerySet(models.QuerySet):
    def active(self, on=None):
        """Interests in force on ``on`` (today by default).

        An interest is in force from the date it takes effect until the date it ends (exclusive). A declaration
        can no longer be dated in the future (services.interest_declare), but one that was (an older row, the
        admin) counts from the day it was made: whoever declared it knew of the interest then.
        """
        return self.in_force(on or timezone.localdate())

    def in_force(self, *dates):
        """Interests in force on any of ``dates`` (each a date)."""
        q = Q(pk__in=[])
        for on in dates:
            started = Q(declared_on__lte=on) | Q(created_at__date__lte=on)
            q |= started & (Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))
        return self.filter(q)


class DeclaredInterest(models.Model):
    """A member's declared interest: in an organisation that is or may be a provider, or in one record.

    A person with an active interest may comment on and draft a specification, but never approves it,
    scores a bid or decides on it: see core_groups.conflicts.has_conflict.
    """

    partnership = partnership_field(related_name="declared_interests")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interests")
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="interests_declared",
        help_text="An organisation that is, or may be, a provider.",
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    description = models.TextField()
    declared_on = models.DateField("takes effect on", default=timezone.localdate)
    withdrawn_on = models.DateField("ends on", null=True, blank=True, help_text="Leave blank while it lasts.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    objects = DeclaredInterestQuerySet.as_manager()

    class Meta:
        ordering = ["-declared_on", "user__last_name"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(organisation__isnull=False) | Q(object_id__isnull=False),
                name="interest_names_org_or_record",
                violation_error_message="Name the organisation or the record the interest is in.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("declared_on")),
                name="interest_withdrawn_after_declared",
                violation_error_message="An interest cannot be withdrawn before it was declared.",
            ),
        ]

    def __str__(self):
        what = self.organisation or self.subject
        return f"{self.user.display_name}: {what}"

    def save(self, *args, **kwargs):
        if not self.partnership_id and self.object_id:
            self.partnership_id = partnership_id_of(self.subject)
        super().save(*args, **kwargs)


class InterestConfirmation(models.Model):
    """One person's answer on one item before scoring or deciding it: "I have no interest in this", or an
    interest declared there and then (the DeclaredInterest it made, which blocks them: core_groups.conflicts).

    Written by core_groups.conflicts.confirm_interest only; shown on the item's page, never edited.
    """

    class Answer(models.TextChoices):
        NO_INTEREST = "no_interest", "No interest in this"
        DECLARED = "declared", "Declared an interest"

    class Step(models.TextChoices):
        EVALUATION = "evaluation", "Evaluation"
        MODERATION = "moderation", "Moderated evaluation"
        FUNDING = "funding", "Funding decision"
        BUSINESS_CASE = "business_case", "Business case decision"
        SPECIFICATION = "specification", "Specification decision"

    partnership = partnership_field(related_name="interest_confirmations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="interest_confirmations")
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    step = models.CharField(max_length=30, choices=Step.choices)
    answer = models.CharField(max_length=20, choices=Answer.choices)
    interest = models.ForeignKey(
        DeclaredInterest, null=True, blank=True, on_delete=models.RESTRICT, related_name="confirmations"
    )
    confirmed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-confirmed_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(answer="no_interest", interest__isnull=True) | Q(answer="declared", interest__isnull=False),
                name="confirmation_declared_names_interest",
                violation_error_message="A declared interest names the declaration it made.",
            ),
        ]

    def __str__(self):
        return f"{self.user.display_name}: {self.get_answer_display()} ({self.get_step_display()})"

    def save(self, *args, **kwargs):
        if not self.partnership_id:
            self.partnership_id = partnership_id_of(self.subject)
        super().save(*args, **kwargs)


def financial_year_field(**kwargs):
    """A financial year stored as the year it starts (2010 means 2010-11)."""
    from django.core.validators import MaxValueValidator, MinValueValidator

    kwargs.setdefault("validators", [MinValueValidator(2000), MaxValueValidator(2100)])
    kwargs.setdefault("help_text", "The year the financial year starts: 2010 means 2010-11 (April to March).")
    return models.PositiveSmallIntegerField(**kwargs)


class Programme(models.Model):
    """A funded programme run by a partnership, e.g. Cardiff's Cymorth or Kent's Supporting People."""

    partnership = partnership_field(related_name="programmes")
    name = models.CharField(max_length=200, unique=True)
    funder = models.CharField(max_length=200, blank=True, help_text="e.g. Welsh Assembly Government")
    reports_to = models.CharField("board it reports to", max_length=200, blank=True, help_text="e.g. CYPP Board")
    decided_by = models.CharField(
        "body that decides", max_length=200, blank=True, help_text="e.g. Joint Commissioning Group (JCG)"
    )
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="programmes_led"
    )
    length_years = models.PositiveSmallIntegerField("rolling programme length (years)", default=3)
    first_year = financial_year_field(verbose_name="first financial year")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(length_years__gte=1), name="programme_length_positive"),
        ]

    def __str__(self):
        return self.name


class CoreGroup(models.Model):
    """A thematic working group with members from several organisations and an allocation from the JCG."""

    partnership = partnership_field(related_name="core_groups", editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="core_groups")
    name = models.CharField(max_length=200)
    remit = models.TextField(blank=True)
    lead_support_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="core_groups_supported",
        verbose_name="Lead Support Officer",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="CoreGroupMembership", related_name="core_groups", blank=True
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme__name", "name"]
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="unique_core_group_name")]
        # The work plan's first page (commissions by group name) walks the groups in name order and stops at 25
        # rows, where it sorted every commission of the partnership (10,000 at ten times the bench: 4.9 -> 0.2 ms).
        indexes = [models.Index(fields=["partnership", "name"], name="core_group_by_partnership_name")]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # A core group belongs to its programme's partnership; stored too so that scoping is one join-free filter.
        if self.programme_id:
            self.partnership_id = self.programme.partnership_id
        super().save(*args, **kwargs)


class CoreGroupMembership(models.Model):
    core_group = models.ForeignKey(CoreGroup, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="core_group_memberships")
    role = models.CharField("role in the group", max_length=120, blank=True, help_text="e.g. Chair, member")
    joined_on = models.DateField(default=timezone.localdate)
    history = HistoricalRecords()

    class Meta:
        ordering = ["core_group", "user__last_name"]
        constraints = [models.UniqueConstraint(fields=["core_group", "user"], name="unique_core_group_member")]

    def __str__(self):
        return f"{self.user.display_name} in {self.core_group}"


class Commission(models.Model):
    """An item of a core group's work plan: a service to commission, in a phase, by a route."""

    class Phase(models.TextChoices):
        PHASE_1 = "phase_1", "Phase 1"
        PHASE_2 = "phase_2", "Phase 2"
        FURTHER = "further", "Further development needed"

    class Route(models.TextChoices):
        OPEN_TENDER = "open_tender", "Open tender"
        COMPETITIVE_FLEXIBLE = "competitive_flexible", "Competitive flexible"
        SINGLE_TENDER = "single_tender", "Single tender or direct award (business case)"
        GRANT = "grant", "Grant"
        CONTINUE = "continue", "Continue current arrangement"
        DECOMMISSION = "decommission", "Decommission"

    class Status(models.TextChoices):
        SCOPING = "scoping", "Scoping"
        SPECIFICATION = "specification", "Specification"
        READY = "ready", "Ready to tender"
        TENDERING = "tendering", "Tendering"
        AWARDED = "awarded", "Awarded"
        LIVE = "live", "Live"
        ENDED = "ended", "Ended"

    class SpecificationState(models.TextChoices):
        DRAFT = "draft", "Draft"
        WITH_JCG = "with_jcg", "With the JCG"
        APPROVED = "approved", "Approved"

    class BusinessCaseDecision(models.TextChoices):
        PENDING = "", "Not yet decided"
        APPROVED = "approved", "Approved by the JCG"
        REJECTED = "rejected", "Rejected by the JCG"

    core_group = models.ForeignKey(CoreGroup, on_delete=models.PROTECT, related_name="commissions")
    title = models.CharField(max_length=200)
    service_area = models.CharField(max_length=200, blank=True)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.PHASE_1)
    route = models.CharField(max_length=30, choices=Route.choices, default=Route.OPEN_TENDER)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCOPING)
    lead_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="commissions_led"
    )
    provider = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="commissions_provided",
        help_text="The current or intended provider, where known.",
    )
    indicative_start = models.DateField(null=True, blank=True)
    indicative_end = models.DateField(null=True, blank=True)
    annual_value = MoneyField(null=True, blank=True)
    business_case = models.TextField(blank=True, help_text="Required for a single tender or direct award.")
    business_case_decision = models.CharField(
        max_length=20, choices=BusinessCaseDecision.choices, blank=True, default=""
    )
    business_case_decided_on = models.DateField(null=True, blank=True)
    specification_state = models.CharField(
        max_length=20, choices=SpecificationState.choices, default=SpecificationState.DRAFT
    )
    specification_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="specifications_decided",
    )
    specification_decided_at = models.DateTimeField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Optimistic concurrency: every edit states the version it started from (see services.commission_update).
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["core_group", "phase", "title"]
        indexes = [
            # The decision queues (commissioning/decision_queue.py), oldest first: a few rows each, found without
            # reading every commission of the partnership (10,000 at ten times the bench's volumes).
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(route="single_tender", business_case_decision="") & ~Q(business_case=""),
                name="commission_case_awaiting",
            ),
            models.Index(
                fields=["updated_at", "id"],
                condition=Q(specification_state="with_jcg"),
                name="commission_spec_awaiting",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_value__isnull=True) | Q(annual_value__gte=0),
                name="commission_value_not_negative",
                violation_error_message="The annual value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(indicative_end__isnull=True)
                | Q(indicative_start__isnull=True)
                | Q(indicative_end__gte=models.F("indicative_start")),
                name="commission_dates_ordered",
                violation_error_message="The indicative end cannot be before the start.",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if self.route == self.Route.SINGLE_TENDER and not (self.business_case or "").strip():
            errors["business_case"] = "A single tender or direct award needs a business case for the JCG to decide."
        if self.business_case_decision and not self.business_case_decided_on:
            errors["business_case_decided_on"] = "Give the date the JCG decided the business case."
        if self.business_case_decision and self.route != self.Route.SINGLE_TENDER:
            errors["business_case_decision"] = "Only a single tender or direct award has a business case to decide."
        if errors:
            raise ValidationError(errors)

    @property
    def is_single_tender(self):
        return self.route == self.Route.SINGLE_TENDER

    def business_case_values(self):
        """The decided fields of the business case, as plain values (core_groups.decisions)."""
        from .decisions import BUSINESS_CASE_FIELDS, decided_values

        return decided_values(self, BUSINESS_CASE_FIELDS)

    def business_case_standing(self):
        """(the decision in force on the business case, whether it applies to what the record says now).

        (None, False) when nothing is decided. A decision whose digest differs from the record's does not
        apply: the page shows the item as awaiting a new decision, never the old approval."""
        from .decisions import digest

        decision = Decision.objects.for_subject(self).current().filter(kind=Decision.Kind.BUSINESS_CASE).first()
        if decision is None:
            return None, False
        return decision, decision.digest == digest(self.business_case_values())

    def specification_values(self):
        """The fields an approved specification is about, as plain values (core_groups.decisions)."""
        from .decisions import SPECIFICATION_FIELDS, decided_values

        return decided_values(self, SPECIFICATION_FIELDS)

    def specification_decision(self):
        """The JCG's approval of the specification in force (kept superseded when the commission changed), or None."""
        return (
            Decision.objects.for_subject(self)
            .current()
            .filter(kind=Decision.Kind.SPECIFICATION)
            .select_related("decided_by")
            .first()
        )

    def conflict_organisation_ids(self):
        return [self.provider_id]

    def conflict_targets(self):
        return [self]


class Allocation(models.Model):
    """The money the JCG allocates to one core group for one financial year (one row per group and year)."""

    core_group = models.ForeignKey(CoreGroup, on_delete=models.PROTECT, related_name="allocations")
    financial_year = financial_year_field()
    amount = MoneyField()
    forecast_outturn = MoneyField(
        null=True,
        blank=True,
        help_text="Expected spend by 31 March; leave blank until there is a forecast.",
    )
    decided_on = models.DateField("date the JCG set it", null=True, blank=True)
    notes = models.TextField(blank=True)
    # Raised by every change, so that an editor working from an older forecast is told, not overwritten.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["core_group", "-financial_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["core_group", "financial_year"],
                name="one_allocation_per_group_year",
                violation_error_message="This core group already has an allocation for that financial year.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="allocation_not_negative",
                violation_error_message="An allocation cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(forecast_outturn__isnull=True) | Q(forecast_outturn__gte=0),
                name="forecast_not_negative",
                violation_error_message="A forecast cannot be negative.",
            ),
        ]

    def __str__(self):
        from .financial_year import fy_label

        return f"{self.core_group} {fy_label(self.financial_year)}"


class SpendEntry(models.Model):
    """Money actually spent by a core group; the financial year follows from the date."""

    core_group = models.ForeignKey(CoreGroup, on_delete=models.PROTECT, related_name="spend_entries")
    # Derived from spent_on in save(); blank so that full_clean() before save does not ask for it.
    financial_year = financial_year_field(editable=False, blank=True)
    spent_on = models.DateField()
    amount = MoneyField()
    description = models.CharField(max_length=300)
    commission = models.ForeignKey(
        Commission, null=True, blank=True, on_delete=models.SET_NULL, related_name="spend_entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Optimistic concurrency, as for commissions and risks: see services.spend_update.
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-spent_on", "-id"]
        verbose_name_plural = "spend entries"
        indexes = [models.Index(fields=["core_group", "financial_year"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gt=0),
                name="spend_positive",
                violation_error_message="Spend must be more than £0.",
            ),
        ]

    def __str__(self):
        return f"{self.description} ({self.amount})"

    def save(self, *args, **kwargs):
        from .financial_year import fy_for_date

        if self.spent_on:
            self.financial_year = fy_for_date(self.spent_on)
        super().save(*args, **kwargs)

    def clean(self):
        from .financial_year import fy_for_date, fy_label

        super().clean()
        if self.spent_on and self.core_group_id:
            year = fy_for_date(self.spent_on)
            if not Allocation.objects.filter(core_group_id=self.core_group_id, financial_year=year).exists():
                raise ValidationError(
                    {
                        "spent_on": f"{self.core_group} has no allocation for {fy_label(year)}: "
                        "the JCG must set one before spend can be recorded against that year."
                    }
                )
        if self.commission_id and self.core_group_id and self.commission.core_group_id != self.core_group_id:
            raise ValidationError({"commission": "That commission belongs to another core group."})


class RiskQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=Risk.Status.OPEN)

    def for_object(self, obj):
        """Risks owned by any record through the generic scope, e.g. a procurement project."""
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=obj.pk)

    def rated(self, rating):
        from .risk import score_range

        low, high = score_range(rating)
        return self.filter(score__gte=low, score__lte=high)


def _one_to_five():
    return [MinValueValidator(1), MaxValueValidator(5)]


class Risk(models.Model):
    """An entry of a risk register, scoped to a programme, a core group or any other record.

    The generic scope (content_type/object_id) lets a later app (procurement projects) own risks
    without this app importing it. A risk may carry its programme as well, so that the programme's
    register shows every risk beneath it.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATED = "mitigated", "Mitigated"
        CLOSED = "closed", "Closed"

    # Stored from the programme, the core group or the record the risk is about (see save), for scoping.
    partnership = partnership_field(related_name="risks", editable=False)
    programme = models.ForeignKey(Programme, null=True, blank=True, on_delete=models.PROTECT, related_name="risks")
    core_group = models.ForeignKey(CoreGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="risks")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    scope_object = GenericForeignKey("content_type", "object_id")
    title = models.CharField(max_length=200)
    description = models.TextField(help_text="What might happen and what it would do.")
    impact = models.PositiveSmallIntegerField(validators=_one_to_five(), help_text="1 (minimal) to 5 (severe)")
    likelihood = models.PositiveSmallIntegerField(validators=_one_to_five(), help_text="1 (rare) to 5 (almost certain)")
    # Stored so that the register can sort and filter on it in the database; always impact x likelihood.
    score = models.PositiveSmallIntegerField(editable=False, default=1)
    mitigation = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="risks_owned"
    )
    owner_role = models.CharField(
        "owner's role", max_length=120, blank=True, help_text="e.g. Joint Commissioning Officer"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    review_on = models.DateField("next review", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "title"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            # A programme page's ten highest open risks, read in order (a programme of 1,500 open risks sorted them).
            models.Index(
                fields=["programme", "-score", "title"], condition=Q(status="open"), name="risk_open_by_programme"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(impact__gte=1, impact__lte=5),
                name="risk_impact_1_to_5",
                violation_error_message="Impact is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_likelihood_1_to_5",
                violation_error_message="Likelihood is from 1 to 5.",
            ),
            models.CheckConstraint(
                condition=Q(score=models.F("impact") * models.F("likelihood")),
                name="risk_score_is_product",
            ),
            models.CheckConstraint(
                condition=Q(programme__isnull=False) | Q(core_group__isnull=False) | Q(object_id__isnull=False),
                name="risk_has_a_scope",
                violation_error_message="A risk belongs to a programme, a core group or another record.",
            ),
            models.CheckConstraint(
                condition=Q(content_type__isnull=True, object_id__isnull=True)
                | Q(content_type__isnull=False, object_id__isnull=False),
                name="risk_generic_scope_complete",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if self.core_group_id and not self.programme_id:
            self.programme_id = self.core_group.programme_id
        self.score = (self.impact or 0) * (self.likelihood or 0)
        if self.programme_id:
            self.partnership_id = self.programme.partnership_id
        elif self.object_id and self.scope_object is not None:
            self.partnership_id = partnership_id_of(self.scope_object)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.impact and self.likelihood:
            self.score = self.impact * self.likelihood
        if self.core_group_id and not self.programme_id:
            self.programme_id = self.core_group.programme_id
        if self.core_group_id and self.programme_id and self.core_group.programme_id != self.programme_id:
            raise ValidationError({"core_group": "That core group belongs to another programme."})

    @property
    def rating(self):
        from .risk import rating

        return rating(self.score) if self.score else None

    @property
    def scope_label(self):
        if self.object_id and self.scope_object is not None:
            return str(self.scope_object)
        if self.core_group_id:
            return str(self.core_group)
        return str(self.programme) if self.programme_id else ""


class DecisionQuerySet(models.QuerySet):
    def for_subject(self, obj):
        ct = ContentType.objects.get_for_model(obj)
        return self.filter(content_type=ct, object_id=obj.pk)

    def current(self):
        return self.filter(superseded_at__isnull=True)

    def superseded(self):
        return self.filter(superseded_at__isnull=False)


class Decision(models.Model):
    """One decision of the JCG, the Body or the programme team, bound to the exact version it decided.

    It records who decided, on what date, at which meeting and minute, with what conditions or reasons,
    and the version and digest (core_groups.decisions) of the decided fields. A change to those fields
    reopens it: the decision stays on record, marked superseded, and the record awaits a new one.
    """

    class Kind(models.TextChoices):
        BUSINESS_CASE = "business_case", "Business case"
        SPECIFICATION = "specification", "Specification"
        FUNDING = "funding", "Funding decision"
        ROUND_OPENING = "round_opening", "Round opening"
        TIMETABLE = "timetable", "Timetable version publication"
        UNDERSPEND_POLICY = "underspend_policy", "Underspend policy adoption"

    class Outcome(models.TextChoices):
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        FUNDED = "funded", "Funded"
        RESERVE = "reserve", "Reserve"
        NOT_FUNDED = "not_funded", "Not funded"
        FELL_THROUGH = "fell_through", "Funded, but fell through"
        OPENED = "opened", "Opened"
        PUBLISHED = "published", "Published"
        ADOPTED = "adopted", "Adopted"

    kind = models.CharField(max_length=30, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    outcome = models.CharField(max_length=30, choices=Outcome.choices)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions_made"
    )
    deciding_body = models.CharField(max_length=200, blank=True, help_text="e.g. Joint Commissioning Group")
    decided_on = models.DateField()
    meeting = models.CharField(max_length=200, blank=True, help_text="e.g. JCG, 20 January 2010")
    minute = models.CharField(max_length=60, blank=True, help_text="e.g. minute 7.2")
    conditions = models.TextField("conditions or reasons", blank=True)
    subject_version = models.PositiveIntegerField(help_text="The version of the record that was decided.")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the decided fields (core_groups.decisions).")
    decided_values = models.JSONField(default=dict, help_text="The decided fields as they were decided.")
    recorded_at = models.DateTimeField(auto_now_add=True)
    superseded_at = models.DateTimeField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    superseded_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    objects = DecisionQuerySet.as_manager()

    class Meta:
        ordering = ["-decided_on", "-recorded_at"]
        indexes = [models.Index(fields=["content_type", "object_id", "kind"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id"],
                condition=Q(superseded_at__isnull=True),
                name="one_current_decision_per_subject",
                violation_error_message="This record already has a decision in force: supersede it first.",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.get_outcome_display()} on {self.decided_on:%d %B %Y}"

    @property
    def is_superseded(self):
        return self.superseded_at is not None

    @property
    def decider_label(self):
        who = self.decided_by.display_name if self.decided_by_id else ""
        body = self.deciding_body
        return f"{body} ({who})" if body and who else (body or who or "an unrecorded decider")


class EmailTemplate(models.Model):
    """A partnership's own wording of one kind of event's email, in one language (core_groups.email_templates).

    Written by the partnership's administrator in admin, with a preview; without one, or when it fails (the
    failure is kept in ``problem``), the product's own templates are used."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="email_templates")
    kind = models.CharField("event", max_length=100)
    language = models.CharField(max_length=10, default="en")
    subject = models.CharField(max_length=300, help_text="One line; Django template syntax, e.g. {{ bid.reference }}.")
    body = models.TextField(help_text="Plain text; Django template syntax over the event's fields.")
    active = models.BooleanField(default=True, help_text="Off: the product's own wording is used.")
    problem = models.TextField(blank=True, help_text="The last failure when an email was made from it.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["partnership", "kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind", "language"], name="one_email_template_per_event")
        ]

    def __str__(self):
        return f"{self.kind} ({self.language})"
