import json
from typing import Any

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.safestring import SafeString

from . import outbox
from .models import Notification, NotificationPreference, OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Where the administrator sees what was sent, what waits and what failed for good, and sends it again.

    Read-only: a message is what the app decided to send; the only change is "Retry now"."""

    list_display = ["created_at", "kind", "key", "recipient", "status", "attempts", "next_attempt_at", "short_error"]
    list_filter = ["status", "kind"]
    search_fields = ["key", "recipient"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    readonly_fields = [
        "kind",
        "key",
        "recipient",
        "status",
        "attempts",
        "max_attempts",
        "next_attempt_at",
        "created_at",
        "sent_at",
        "last_error",
        "payload_pretty",
    ]
    exclude = ["payload"]

    @admin.display(description="Last error")
    def short_error(self, obj: OutboxMessage) -> str:
        return (obj.last_error[:80] + "…") if len(obj.last_error) > 80 else obj.last_error

    @admin.display(description="Payload")
    def payload_pretty(self, obj: OutboxMessage) -> SafeString:
        return format_html("<pre>{}</pre>", json.dumps(obj.payload, indent=2, ensure_ascii=False))

    @admin.action(description="Retry now (failed or waiting messages)", permissions=["change"])
    def retry_now(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        with transaction.atomic():
            count = outbox.retry_now(queryset)
        self.message_user(
            request, f"{count} message{'s' if count != 1 else ''} queued to be sent again now.", messages.SUCCESS
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A sent row is the record that stops the same email going twice: it is never deleted by hand.
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """What each person was told in the app (read-only: a notification records what happened)."""

    list_display = ["created_at", "recipient", "kind", "title", "email", "read_at"]
    list_filter = ["kind", "email"]
    search_fields = ["title", "object_key", "recipient__username", "recipient__email"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "kind", "delivery"]
    list_filter = ["kind", "delivery"]
    search_fields = ["user__username", "user__email"]
    list_select_related = ["user"]
