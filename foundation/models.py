"""The outbox: every message that must reach a worker (an email, a render) is a row written in the same
transaction as the change that needs it. See foundation/outbox.py for the API and docs/adr/ for why.

Notifications: what each person was told, in the app, and how they want to be told (foundation/notifications.py)."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone


class OutboxMessage(models.Model):
    """One thing to hand to a worker, at most once per (key, recipient).

    ``status`` moves queued -> sending -> sent, or back to queued (with ``next_attempt_at`` pushed out by
    the backoff) when the handler fails, or to failed after the last attempt. Claiming a row for sending
    sets ``next_attempt_at`` to the end of the claim's lease: a row still ``sending`` after that belongs
    to a worker that died, and is due again.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        SKIPPED = "skipped", "Skipped"

    kind = models.CharField(max_length=100, help_text="Which handler sends it, e.g. email.")
    key = models.CharField(
        max_length=200,
        help_text="What the message is about, namespaced by app (growth_bids.decision:bid:12); "
        "with the recipient it is unique, so the same message is never queued twice.",
    )
    recipient = models.CharField(max_length=254, blank=True, help_text="The email address, for an email.")
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveIntegerField(default=0, help_text="Sends started, including any cut short.")
    max_attempts = models.PositiveIntegerField(default=12)
    next_attempt_at = models.DateTimeField(
        default=timezone.now,
        help_text="When it is due; while sending, when the claim lapses should its worker have died.",
    )
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "outbox message"
        constraints = [
            models.UniqueConstraint(fields=["key", "recipient"], name="outbox_one_message_per_key_recipient"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_message_has_sent_at"
            ),
        ]
        indexes = [
            # The dispatcher's query: due rows among the few that are not finished.
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=Q(status__in=["queued", "sending"]),
            ),
            models.Index(fields=["status", "kind"], name="outbox_status_kind_idx"),
        ]

    def __str__(self) -> str:
        to = f" to {self.recipient}" if self.recipient else ""
        return f"{self.kind} {self.key}{to} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SENT, self.Status.SKIPPED)


class Delivery(models.TextChoices):
    """How a person wants to hear of one kind of event (the in-app notification is always written)."""

    EMAIL = "email", "Email me at once"
    DIGEST = "digest", "A daily digest email (08:00)"
    IN_APP = "app", "In the app only"


class Notification(models.Model):
    """One person told of one event about one object, in the app (and, as ``email`` says, by email).

    Unique per (recipient, kind, object_key): an event told twice is written once. The object is a content
    type and id when it is a model row, and always ``object_key`` (``growth_bids.bid:12``, or a key the
    caller chose for events that repeat, such as ``growth_bids.bid:12:v3``)."""

    class Email(models.TextChoices):
        QUEUED = "queued", "Queued in the outbox"
        DIGEST = "digest", "Waiting for the daily digest"
        DIGESTED = "digested", "Sent in a daily digest"
        NONE = "none", "Not emailed"

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=100, help_text="The event, e.g. growth_bids.bid_submitted.")
    title = models.CharField(max_length=300)
    link = models.CharField(max_length=500, blank=True, help_text="The path of the object's page in the app.")
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_key = models.CharField(max_length=200)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "object_key"], name="notification_once_per_event"),
        ]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            # The bell's count: the few unread rows of one person.
            models.Index(fields=["recipient"], name="notification_unread_idx", condition=Q(read_at__isnull=True)),
            # The digest's query: the rows waiting for it.
            models.Index(
                fields=["recipient", "created_at"], name="notification_digest_idx", condition=Q(email="digest")
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (to {self.recipient_id})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(models.Model):
    """A person's choice for one kind of event; without a row the kind's default applies."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=100)
    delivery = models.CharField(max_length=10, choices=Delivery.choices, default=Delivery.EMAIL)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.delivery}"


class Language(models.TextChoices):
    """The languages an email can be written in (English today; Welsh follows: add "cy" and its templates)."""

    ENGLISH = "en", "English"


class NotificationSettings(models.Model):
    """A person's settings for being told, beside their choices per kind (NotificationPreference): the language
    of their emails, and when they last visited the home page (what is new since then is shown there)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_settings"
    )
    language = models.CharField(
        "language of your emails", max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    visit_at = models.DateTimeField(null=True, blank=True, help_text="The latest visit to the home page.")
    previous_visit_at = models.DateTimeField(
        null=True, blank=True, help_text="The visit before: the home page shows what is new since then."
    )

    class Meta:
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"{self.user_id}: {self.language}"


class FormToken(models.Model):
    """A create form's one-time token, claimed by the first post that carries it.

    The claim is written in the same transaction as the record the form makes, and the token is unique per
    person: of five simultaneous posts of one form (a double click, a resubmit) one makes the record and the
    others wait on the unique index, then find the claim and are sent to what was made. A post that fails
    validation rolls its claim back with it, so the corrected form can be sent again.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64)
    made_url = models.CharField(max_length=500, blank=True, help_text="Where the record the form made is shown.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_token_once_per_user")]

    def __str__(self) -> str:
        return f"{self.token} ({self.made_url or 'claimed'})"


class ImportJob(models.Model):
    """A spreadsheet import too big to run while a person waits (foundation/imports.py): the file, who sent it,
    how far the worker has got, and at the end every problem by line and column or what was saved.

    ``status`` moves queued -> running -> done, refused (the file had problems: nothing was saved) or failed (an
    unexpected error: nothing was saved either). The file itself is dropped once the import has run."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Running"
        DONE = "done", "Imported"
        REFUSED = "refused", "Nothing imported: the file has problems"
        FAILED = "failed", "Nothing imported: the import failed"

    FINISHED = (Status.DONE, Status.REFUSED, Status.FAILED)

    kind = models.CharField(max_length=100, help_text="Which import runs it, e.g. partnerships.register.")
    name = models.CharField(max_length=255, help_text="The uploaded file's name.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    partnership_id = models.PositiveIntegerField(null=True, blank=True)
    params = models.JSONField(default=dict, blank=True)
    data = models.BinaryField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[{line, column, message, value}, ...]")
    message = models.TextField(blank=True, help_text="What was imported, or why nothing was.")
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "import job"

    def __str__(self) -> str:
        return f"{self.kind} {self.name} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(100, int(100 * self.rows_done / self.rows_total)) if self.rows_total else 0
