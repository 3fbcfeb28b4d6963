from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core_groups.admin_scoping import (
    NationalReferenceAdminMixin,
    PartnershipScopedAdminMixin,
    PartnershipScopedInlineMixin,
)

from .models import (
    Attachment,
    Bid,
    BidRevision,
    BidStatement,
    ClientGroup,
    Criterion,
    Decision,
    District,
    Evaluation,
    EvaluationMark,
    FundingRound,
    NoticeOfIntent,
    Outcome,
    SupportRequest,
)
from .selectors import SCOPE_PATHS


@admin.register(ClientGroup, District, Outcome)
class ReferenceAdmin(NationalReferenceAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "active"]
    list_filter = ["active"]
    list_editable = ["active"]
    search_fields = ["name"]


class CriterionInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "code", "question", "guidance", "weight", "mandatory", "system_rule"]

    def _locked(self, obj):
        return obj is not None and obj.criteria_locked

    # Criteria are editable until the round opens and locked after: a bid is scored against what it was written for.
    def has_add_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._locked(obj) and super().has_delete_permission(request, obj)


@admin.register(FundingRound)
class FundingRoundAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[FundingRound],)
    list_display = ["__str__", "programme", "financial_year", "growth_money", "holdback_pct", "status", "closes_at"]
    list_filter = ["status", "programme", "financial_year"]
    search_fields = ["title", "programme__name"]
    inlines = [CriterionInline]
    readonly_fields = ["decisions_published_at", "version"]


@admin.register(Criterion)
class CriterionAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("funding_round__programme__partnership",)
    list_display = ["funding_round", "code", "question", "weight", "mandatory", "system_rule"]
    list_filter = ["funding_round", "mandatory"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.funding_round.criteria_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.funding_round.criteria_locked:
            return False
        return super().has_delete_permission(request, obj)


class StatementInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = BidStatement
    extra = 0


class SupportInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = SupportRequest
    extra = 0
    fields = ["organisation", "status", "answered_by", "answered_at"]
    readonly_fields = ["answered_by", "answered_at"]


@admin.register(Bid)
class BidAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Bid],)
    list_display = [
        "reference",
        "title",
        "applicant",
        "status",
        "annual_amount",
        "score",
        "eligible",
        "procurement_project",
    ]
    list_filter = ["funding_round", "status", "client_group", "districts"]
    search_fields = ["reference", "title", "applicant__name", "summary"]
    list_select_related = ["applicant", "procurement_project"]
    readonly_fields = ["reference", "number", "score", "eligible", "submitted_at", "withdrawn_at", "version"]
    raw_id_fields = ["procurement_project"]
    filter_horizontal = ["districts", "outcomes"]
    inlines = [StatementInline, SupportInline]


@admin.register(BidRevision)
class BidRevisionAdmin(PartnershipScopedAdminMixin, admin.ModelAdmin):
    partnership_paths = ("bid__funding_round__programme__partnership",)
    list_display = ["bid", "number", "created_by", "created_at"]
    readonly_fields = ["bid", "number", "data", "created_by", "created_at"]


@admin.register(SupportRequest)
class SupportRequestAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[SupportRequest],)
    list_display = ["bid", "organisation", "status", "answered_at"]
    list_filter = ["status"]


@admin.register(NoticeOfIntent)
class NoticeOfIntentAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[NoticeOfIntent],)
    list_display = ["funding_round", "organisation", "proposal", "writers", "created_at"]
    list_filter = ["funding_round"]


@admin.register(Attachment)
class AttachmentAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Attachment],)
    list_display = ["bid", "original_name", "kind", "size", "uploaded_at"]
    readonly_fields = ["file", "kind", "content_type", "size"]


class MarkInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = EvaluationMark
    extra = 0


@admin.register(Evaluation)
class EvaluationAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("bid__funding_round__programme__partnership",)
    list_display = ["bid", "evaluator", "moderated", "score", "eligible", "updated_at"]
    list_filter = ["moderated", "bid__funding_round"]
    inlines = [MarkInline]


@admin.register(Decision)
class DecisionAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Decision],)
    list_display = ["bid", "outcome", "amount", "meeting_date", "minute_ref", "decided_by"]
    list_filter = ["funding_round", "outcome"]
