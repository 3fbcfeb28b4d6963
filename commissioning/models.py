from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from core_groups.models import financial_year_field, partnership_field


class WorkerHeartbeat(models.Model):
    """Written by the Celery heartbeat task; /healthz reports the last one so a stalled worker shows."""

    name = models.CharField(max_length=60, unique=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = "worker heartbeat"

    def __str__(self):
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M}"


class BoardReport(models.Model):
    """A report to a board, written by the programme team: its cover details, narrative and chosen sections.

    The figures are not stored here: each Rendering takes a frozen snapshot of the data when it is made,
    so the PDF a board saw can be found again however the data changes afterwards.
    """

    class Kind(models.TextChoices):
        HIGHLIGHT = "highlight", "Highlight report"
        BODY_PACK = "body_pack", "Commissioning Body's pack"
        TIMETABLE = "timetable", "Procurement timetable"

    class Edition(models.TextChoices):
        INTERNAL = "internal", "Internal (with confidential figures)"
        PUBLIC = "public", "Public (confidential figures left out)"

    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HIGHLIGHT)
    partnership = partnership_field(related_name="board_reports", editable=False)
    programme = models.ForeignKey("core_groups.Programme", on_delete=models.PROTECT, related_name="board_reports")
    title = models.CharField("project title", max_length=200)
    senior_responsible_officer = models.CharField(max_length=200, blank=True)
    project_manager = models.CharField(max_length=200, blank=True)
    period_start = models.DateField("period covered from", null=True, blank=True)
    period_end = models.DateField("period covered to", null=True, blank=True)
    financial_year = financial_year_field(
        null=True,
        blank=True,
        help_text="The financial year whose money and work plan the report shows, e.g. 2010 for 2010-11. "
        "Blank: the year the period ends in.",
    )
    board = models.CharField("board", max_length=200, blank=True, help_text="e.g. CYPP Board")
    meeting_date = models.DateField(null=True, blank=True)
    classification = models.CharField(max_length=60, default="Unrestricted")
    # Narrative typed by an officer. Shown as text: HTML typed here is never run, only displayed.
    background = models.TextField(blank=True)
    issues = models.TextField("issues: description and impact", blank=True)
    actions = models.TextField("actions on the issues", blank=True)
    equity_and_transparency = models.TextField(blank=True)
    recent_achievements = models.TextField("recent achievements / for information", blank=True)
    next_steps = models.TextField(blank=True)
    # What a committee paper carries (the Commissioning Body's pack). Blank recommendations: drafted from the
    # ranking when the pack is rendered; the programme team edits them here before rendering.
    recommendations = models.TextField(
        "recommendations",
        blank=True,
        help_text="What the Body is asked to do, one per line starting '- '. Blank: drafted from the ranking "
        "(fund the recommended bids, agree the reserve).",
    )
    financial_implications = models.TextField(blank=True)
    legal_implications = models.TextField(blank=True)
    equality_implications = models.TextField(blank=True)
    contact_officer = models.TextField(
        blank=True, help_text="Name, job title, telephone and email of the officer who answers questions."
    )
    background_papers = models.TextField(blank=True, help_text="One a line. Blank: none.")
    funding_round = models.ForeignKey(
        "growth_bids.FundingRound",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="board_reports",
        help_text="The growth round a Commissioning Body's pack is for.",
    )
    projects = models.ManyToManyField(
        "procurement.ProcurementProject",
        blank=True,
        related_name="board_reports",
        verbose_name="procurement timetables",
        help_text="The timetables to show (a timetable report needs one). None: the programme's own projects.",
    )
    sections = models.JSONField(default=list, help_text="The sections chosen for the report, in order.")
    edition = models.CharField(max_length=10, choices=Edition.choices, default=Edition.INTERNAL)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-meeting_date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__isnull=True)
                | Q(period_end__isnull=True)
                | Q(period_end__gte=F("period_start")),
                name="board_report_period_ordered",
                violation_error_message="The end of the period cannot be before its start.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.get_kind_display()})"

    def save(self, *args, **kwargs):
        if self.programme_id:
            self.partnership_id = self.programme.partnership_id
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    def clean(self):
        from .reports.catalogue import section_choices

        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = "The end of the period cannot be before its start."
        if self.kind == self.Kind.HIGHLIGHT and not (self.period_start and self.period_end):
            errors.setdefault("period_end", "A highlight report covers a period: give its start and end.")
        if self.kind == self.Kind.BODY_PACK and not self.funding_round_id:
            errors["funding_round"] = "Choose the growth round the pack is for."
        if self.funding_round_id and self.programme_id and self.funding_round.programme_id != self.programme_id:
            errors["funding_round"] = "That growth round belongs to another programme."
        allowed = {key for key, _label in section_choices(self.kind)}
        chosen = list(self.sections or [])
        if not chosen:
            errors["sections"] = "Choose at least one section."
        elif unknown := [s for s in chosen if s not in allowed]:
            errors["sections"] = f"Not a section of a {self.get_kind_display().lower()}: {', '.join(unknown)}."
        if errors:
            raise ValidationError(errors)


class RenderingQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status__in=Rendering.ACTIVE)

    def ready(self):
        return self.filter(status=Rendering.Status.READY)


def rendering_upload_to(instance, filename):
    return f"reports/{instance.report_id}/{filename}"


class Rendering(models.Model):
    """One render of a report to PDF: kept for good, with its file, checksum and the data it was made from."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RENDERING = "rendering", "Rendering"
        READY = "ready", "Ready"
        FAILED = "failed", "Failed"

    ACTIVE = [Status.QUEUED, Status.RENDERING]

    report = models.ForeignKey(BoardReport, on_delete=models.CASCADE, related_name="renderings")
    edition = models.CharField(max_length=10, choices=BoardReport.Edition.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    reason = models.TextField(blank=True, help_text="Why the render failed, in words a user can act on.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.FileField(upload_to=rendering_upload_to, max_length=300, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True, help_text="Bytes.")
    sha256 = models.CharField("SHA-256 checksum", max_length=64, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    report_version = models.PositiveIntegerField(default=1, help_text="The report's version when it was rendered.")
    snapshot = models.JSONField(default=dict, blank=True, help_text="The data the PDF was made from, frozen.")
    # A big pack is rendered in parts: how many are done, of how many (0 of 0 for a render in one go).
    parts_done = models.PositiveIntegerField(default=0)
    parts_total = models.PositiveIntegerField(default=0)

    objects = RenderingQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-id"]
        constraints = [
            # A render asked twice at once joins the first: only one queued-or-rendering per report and edition.
            models.UniqueConstraint(
                fields=["report", "edition"],
                condition=Q(status__in=["queued", "rendering"]),
                name="one_active_rendering_per_report_edition",
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(size__isnull=False) & ~Q(sha256="")),
                name="ready_rendering_has_file",
            ),
        ]

    def __str__(self):
        return f"{self.report} · {self.get_edition_display()} · {self.get_status_display()}"

    @property
    def is_active(self):
        return self.status in self.ACTIVE

    @property
    def is_ready(self):
        return self.status == self.Status.READY

    @property
    def download_name(self):
        from django.utils.text import slugify

        stamp = timezone.localtime(self.finished_at or self.requested_at).strftime("%Y-%m-%d-%H%M")
        return f"{slugify(self.report.title) or 'report'}-{self.edition}-{stamp}.pdf"
