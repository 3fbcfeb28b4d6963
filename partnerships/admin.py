from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core_groups.admin import VersionCheckedAdminMixin
from core_groups.admin_scoping import NationalReferenceAdminMixin, PartnershipScopedAdminMixin

from . import costing
from .models import FunderHourlyCost, FundingArrangement, PartnerPreference, ServiceArea, SharedOption


@admin.register(ServiceArea)
class ServiceAreaAdmin(NationalReferenceAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "code", "shared_cost_per_contract", "lead_commissioner"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"code": ["name"]}


@admin.register(FundingArrangement)
class FundingArrangementAdmin(PartnershipScopedAdminMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("partnership",)
    list_display = [
        "reference",
        "funder",
        "provider",
        "arrangement_type",
        "service_area",
        "annual_value",
        "start_date",
        "end_date",
        "rolls_over",
        "last_openly_procured",
    ]
    list_filter = ["arrangement_type", "service_area", "provider", "rolls_over", "funder"]
    search_fields = ["reference", "title", "funder__name", "provider__name"]
    date_hierarchy = "start_date"
    list_select_related = ["funder", "provider", "service_area"]
    autocomplete_fields = []
    readonly_fields = ["version", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["reference", "funder", "provider", "arrangement_type", "service_area", "title"]}),
        (
            "Money and dates",
            {"fields": ["annual_value", "start_date", "end_date", "rolls_over", "last_openly_procured"]},
        ),
        ("Staff hours over the life of the arrangement", {"fields": costing.STAGE_FIELDS}),
        (None, {"fields": ["notes", "version", "created_at", "updated_at", "expected_version"]}),
    ]


@admin.register(FunderHourlyCost)
class FunderHourlyCostAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("funder__partnerships",)
    partnership_may_edit = False
    list_display = ["funder", "hourly_cost"]
    search_fields = ["funder__name"]


@admin.register(SharedOption)
class SharedOptionAdmin(NationalReferenceAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "kind", "order"]
    ordering = ["order"]


@admin.register(PartnerPreference)
class PartnerPreferenceAdmin(PartnershipScopedAdminMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("partner__partnerships",)
    list_display = [
        "partner",
        "service_area",
        "option",
        "cabinet_decision_needed",
        "decision_date",
        "annual_contribution",
    ]
    list_filter = ["service_area", "option", "cabinet_decision_needed"]
    search_fields = ["partner__name"]
    readonly_fields = ["version", "updated_at", "recorded_by"]

    def save_model(self, request, obj, form, change):
        # The mixin counts the version; a stale edit was already refused by its form.
        obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
