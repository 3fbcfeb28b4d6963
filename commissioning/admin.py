from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core_groups.admin_scoping import PartnershipScopedAdminMixin, PartnershipScopedInlineMixin

from .models import BoardReport, Rendering, WorkerHeartbeat


@admin.register(WorkerHeartbeat)
class WorkerHeartbeatAdmin(admin.ModelAdmin):
    list_display = ["name", "beat_at"]
    readonly_fields = ["name", "beat_at"]
    ordering = ["name"]


class RenderingInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = Rendering
    extra = 0
    can_delete = False
    fields = ["requested_at", "edition", "status", "reason", "requested_by", "finished_at", "page_count", "size"]
    readonly_fields = fields
    show_change_link = True


@admin.register(BoardReport)
class BoardReportAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("partnership",)
    list_display = ["title", "kind", "programme", "board", "meeting_date", "classification", "updated_at"]
    list_filter = ["kind", "programme", "classification"]
    search_fields = ["title", "board", "senior_responsible_officer", "project_manager"]
    date_hierarchy = "meeting_date"
    inlines = [RenderingInline]
    readonly_fields = ["created_by", "created_at", "updated_at", "version"]


@admin.register(Rendering)
class RenderingAdmin(PartnershipScopedAdminMixin, admin.ModelAdmin):
    partnership_paths = ("report__partnership",)
    partnership_may_edit = False
    list_display = ["report", "edition", "status", "requested_by", "requested_at", "finished_at", "page_count"]
    list_filter = ["status", "edition", "report__kind"]
    search_fields = ["report__title", "sha256"]
    date_hierarchy = "requested_at"
    readonly_fields = [f.name for f in Rendering._meta.fields]
    actions = ["mark_failed"]

    @admin.action(description="Mark stuck renders as failed (so they can be retried)")
    def mark_failed(self, request, queryset):
        from django.utils import timezone

        n = queryset.filter(status__in=Rendering.ACTIVE).update(
            status=Rendering.Status.FAILED, reason="Marked failed by an administrator.", finished_at=timezone.now()
        )
        self.message_user(request, f"{n} render(s) marked failed.")
