from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core_groups.admin import VersionCheckedAdminMixin
from core_groups.admin_scoping import PartnershipScopedAdminMixin, PartnershipScopedInlineMixin

from .models import Action, Attendance, Contract, ContractAlert, Event, Measure, Meeting, Return, ReturnValue, Target


class TargetInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = Target
    extra = 0


@admin.register(Measure)
class MeasureAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("programme__partnership", "commission__core_group__partnership")
    national_rows = True
    list_display = ["title", "programme", "commission", "kind", "unit", "direction", "baseline_value", "baseline_date"]
    list_filter = ["programme", "kind", "unit", "direction"]
    search_fields = ["title", "commission__title", "baseline_source"]
    list_select_related = ["programme", "commission"]
    inlines = [TargetInline]


class ReturnValueInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = ReturnValue
    extra = 0


@admin.register(Return)
class ReturnAdmin(PartnershipScopedAdminMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("commission__core_group__partnership",)
    list_display = ["commission", "period_start", "period_end", "due_on", "status", "rag", "submitted_at"]
    list_filter = ["status", "rag", "commission__core_group__programme"]
    search_fields = ["commission__title", "commission__provider__name"]
    date_hierarchy = "period_start"
    list_select_related = ["commission"]
    readonly_fields = ["version", "submitted_by", "submitted_at", "reviewed_by", "reviewed_at"]
    inlines = [ReturnValueInline]


class AttendanceInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Meeting)
class MeetingAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("programme__partnership",)
    list_display = ["held_on", "body", "body_name", "programme"]
    list_filter = ["body", "programme"]
    search_fields = ["body_name", "minutes"]
    date_hierarchy = "held_on"
    inlines = [AttendanceInline]


@admin.register(Event)
class EventAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("programme__partnership",)
    list_display = [
        "title",
        "held_on",
        "places",
        "attended_public",
        "attended_third",
        "waiting_list",
        "share_very_good_or_excellent",
    ]
    list_filter = ["programme"]
    search_fields = ["title"]
    date_hierarchy = "held_on"


@admin.register(Action)
class ActionAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "kind", "programme", "owner", "organisation", "due_on", "status", "reported_to"]
    list_filter = ["kind", "status", "programme"]
    search_fields = ["title", "progress"]
    date_hierarchy = "due_on"
    list_select_related = ["programme", "owner", "organisation"]
    readonly_fields = ["version"]
    raw_id_fields = ["owner", "measure", "risk"]


class ContractAlertInline(admin.TabularInline):
    model = ContractAlert
    extra = 0
    readonly_fields = ["months", "sent_on"]


@admin.register(Contract)
class ContractAdmin(VersionCheckedAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "reference", "supplier", "value", "start_on", "end_on", "programme"]
    list_filter = ["programme"]
    search_fields = ["title", "reference", "supplier__name"]
    date_hierarchy = "end_on"
    list_select_related = ["programme", "supplier"]
    readonly_fields = ["version"]
    raw_id_fields = ["procurement_project", "manager"]
    filter_horizontal = ["measures"]
    inlines = [ContractAlertInline]
