from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from core_groups.models import Organisation, partnership_field
from foundation.fields import MoneyField

from . import costing


class ServiceArea(models.Model):
    """Reference data an administrator edits: the services partners fund (debt advice, advocacy, ...)."""

    name = models.CharField(max_length=200, unique=True)
    code = models.SlugField(max_length=60, unique=True, help_text="Short code used in import files, e.g. 'advocacy'.")
    description = models.TextField(blank=True)
    shared_cost_per_contract = MoneyField(
        "cost per contract under aligned budgets",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="Estimated resource cost of one contract over three years with a lead commissioner; "
        "the savings model starts from it.",
    )
    lead_commissioner = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="services_led",
        limit_choices_to={"is_commissioning_partner": True},
        help_text="The partner that procures this service for everyone under aligned budgets.",
    )
    # The procurement project the partners in aligned budgets started for this service (issue 7 item 5). The
    # link lives here because procurement must not depend on shared commissioning.
    procurement_project = models.ForeignKey(
        "procurement.ProcurementProject",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="shared_services",
        help_text="The procurement project of the partners in aligned budgets for this service.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class FundingArrangementQuerySet(models.QuerySet):
    def with_parties(self):
        return self.select_related("funder", "provider", "service_area", "funder__hourly_cost")


class FundingArrangement(models.Model):
    """One contract, SLA or grant between a commissioning partner and a provider (the seed's map has 100)."""

    class Type(models.TextChoices):
        CONTRACT = "contract", "Contract"
        SLA = "sla", "Service level agreement"
        GRANT = "grant", "Grant"

    partnership = partnership_field(related_name="funding_arrangements")
    reference = models.CharField(max_length=40, unique=True, help_text="The register's key, e.g. 'TSC-001'.")
    funder = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="arrangements_funded",
        limit_choices_to={"is_commissioning_partner": True},
    )
    provider = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="arrangements_provided",
        limit_choices_to={"kind": Organisation.Kind.PROVIDER},
    )
    arrangement_type = models.CharField("type", max_length=20, choices=Type.choices)
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="arrangements")
    title = models.CharField(max_length=200, blank=True, help_text="What is funded, in a few words.")
    annual_value = MoneyField(validators=[MinValueValidator(0)])
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True, help_text="Blank for a rolling arrangement with no end.")
    rolls_over = models.BooleanField(default=False, help_text="Renewed each year without a new procurement.")
    last_openly_procured = models.DateField(
        null=True, blank=True, help_text="When it last went through an open procurement; blank means never."
    )
    hours_confirming_budget = models.DecimalField(
        "confirming the budget (hours)", max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    hours_formulating_idea = models.DecimalField(
        "formulating the idea (hours)", max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    hours_developing_specification = models.DecimalField(
        "developing the specification (hours)",
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    hours_commissioning_procurement = models.DecimalField(
        "commissioning and procurement (hours)",
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    hours_agreeing_contract = models.DecimalField(
        "agreeing the contract (hours)", max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    hours_monitoring = models.DecimalField(
        "performance and contract monitoring (hours)",
        max_digits=8,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    hours_processing_payments = models.DecimalField(
        "processing payments (hours)", max_digits=8, decimal_places=2, default=0, validators=[MinValueValidator(0)]
    )
    notes = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = FundingArrangementQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        indexes = [models.Index(fields=["provider"]), models.Index(fields=["funder"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(annual_value__gte=0),
                name="arrangement_value_not_negative",
                violation_error_message="The annual value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="arrangement_dates_ordered",
                violation_error_message="The end date cannot be before the start date.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=False) | Q(rolls_over=True),
                name="arrangement_ends_or_rolls",
                violation_error_message="Give an end date, or mark the arrangement as rolling over.",
            ),
            *[
                models.CheckConstraint(condition=Q(**{f"{name}__gte": 0}), name=f"arrangement_{name}_not_negative")
                for name in costing.STAGE_FIELDS
            ],
        ]

    def __str__(self):
        return f"{self.reference}: {self.funder.label} – {self.provider.label}"

    def clean(self):
        super().clean()
        errors = {}
        if self.funder_id and not self.funder.is_commissioning_partner:
            errors["funder"] = "The funder must be a commissioning partner."
        if self.provider_id and not self.provider.is_provider:
            errors["provider"] = "The provider must be a third-sector provider."
        if errors:
            raise ValidationError(errors)

    @property
    def hours(self):
        return {name: getattr(self, name) for name in costing.STAGE_FIELDS}

    @property
    def total_hours(self):
        return costing.total_hours(self.hours)

    @property
    def life_months(self):
        return costing.contract_life_months(self.start_date, self.end_date, rolls_over=self.rolls_over)

    @property
    def never_openly_procured(self):
        return self.last_openly_procured is None

    def resource_cost(self):
        """The costing over the life and adjusted to three years, or None when the funder has no hourly cost."""
        hourly = getattr(self.funder, "hourly_cost", None) if self.funder_id else None
        if hourly is None:
            return None
        return costing.resource_cost(self.hours, hourly.hourly_cost, life_months=self.life_months)

    def conflict_organisation_ids(self):
        return [self.provider_id]

    def conflict_targets(self):
        return [self]


class FunderHourlyCost(models.Model):
    """What an hour of a funder's staff time costs (salary and on-costs), for the resource cost."""

    funder = models.OneToOneField(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hourly_cost",
        limit_choices_to={"is_commissioning_partner": True},
    )
    hourly_cost = MoneyField(validators=[MinValueValidator(0)])
    notes = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["funder__name"]
        verbose_name = "funder's hourly staff cost"
        constraints = [
            models.CheckConstraint(
                condition=Q(hourly_cost__gte=0),
                name="hourly_cost_not_negative",
                violation_error_message="An hourly cost cannot be negative.",
            )
        ]

    def __str__(self):
        return f"{self.funder.label}: £{self.hourly_cost}/hour"


class SharedOption(models.Model):
    """An option for shared commissioning (seed 4.1 and Appendix D), with its advantages and disadvantages."""

    class Kind(models.TextChoices):
        ALIGNED_BUDGETS = "aligned_budgets", "Aligned budgets with a lead commissioner"
        STAND_ALONE = "stand_alone", "Stand-alone partnership arrangements"
        DO_NOTHING = "do_nothing", "Do nothing"

    kind = models.CharField(max_length=30, choices=Kind.choices, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    advantages = models.TextField(blank=True, help_text="One per line.")
    disadvantages = models.TextField(blank=True, help_text="One per line.")
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    @property
    def advantage_list(self):
        return [line.strip() for line in self.advantages.splitlines() if line.strip()]

    @property
    def disadvantage_list(self):
        return [line.strip() for line in self.disadvantages.splitlines() if line.strip()]

    @property
    def is_aligned_budgets(self):
        return self.kind == self.Kind.ALIGNED_BUDGETS


class PartnerPreference(models.Model):
    """A partner's preferred option for one service, its cabinet decision and, for aligned budgets, what it
    transfers to the lead commissioner each year."""

    partner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="shared_preferences",
        limit_choices_to={"is_commissioning_partner": True},
    )
    service_area = models.ForeignKey(ServiceArea, on_delete=models.PROTECT, related_name="preferences")
    option = models.ForeignKey(SharedOption, on_delete=models.PROTECT, related_name="preferences")
    cabinet_decision_needed = models.BooleanField("the partner's cabinet must decide", default=False)
    decision_date = models.DateField(null=True, blank=True)
    annual_contribution = MoneyField(
        "annual contribution to the lead commissioner",
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="For aligned budgets only: transferred each year, in advance, for the life of the contract.",
    )
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service_area__name", "partner__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["partner", "service_area"],
                name="one_preference_per_partner_service",
                violation_error_message="This partner already has a preference for that service.",
            ),
            models.CheckConstraint(
                condition=Q(annual_contribution__isnull=True) | Q(annual_contribution__gt=0),
                name="contribution_positive",
                violation_error_message="An annual contribution must be more than £0.",
            ),
        ]

    def __str__(self):
        return f"{self.partner.label}: {self.service_area} – {self.option}"

    def clean(self):
        super().clean()
        if not self.option_id:
            return
        if self.option.is_aligned_budgets and self.annual_contribution is None:
            raise ValidationError(
                {"annual_contribution": "Aligned budgets need the annual contribution the partner transfers."}
            )
        if not self.option.is_aligned_budgets and self.annual_contribution is not None:
            raise ValidationError(
                {"annual_contribution": "Only partners in aligned budgets transfer a contribution; leave it blank."}
            )
        if self.partner_id and not self.partner.is_commissioning_partner:
            raise ValidationError({"partner": "Only commissioning partners record a preference."})
