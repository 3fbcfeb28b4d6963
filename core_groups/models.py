from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


class DeclaredInterestQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(declared_on__lte=on).filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=on))


class DeclaredInterest(models.Model):
    """A member's declared interest: in an organisation that is or may be a provider, or in one record.

    A person with an active interest may comment on and draft a specification, but never approves it,
    scores a bid or decides on it: see core_groups.conflicts.has_conflict.
    """

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
    declared_on = models.DateField(default=timezone.localdate)
    withdrawn_on = models.DateField(null=True, blank=True)
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
