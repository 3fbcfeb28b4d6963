from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from foundation import editing

from .admin_scoping import PartnershipScopedAdminMixin, PartnershipScopedInlineMixin
from .models import (
    Allocation,
    Commission,
    CoreGroup,
    CoreGroupMembership,
    Decision,
    DeclaredInterest,
    EmailTemplate,
    Organisation,
    Programme,
    Risk,
    SpendEntry,
    User,
)
from .selectors import SCOPE_PATHS


class VersionCheckedAdminForm(forms.ModelForm):
    """An admin form for a model with a ``version`` field: it carries the version the administrator opened and
    refuses the save when someone else has saved since, so that the admin never silently overwrites a page edit
    (or the other way round)."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["expected_version"] = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk:
            model = type(self.instance)
            # The admin saves inside a transaction: the row stays locked from this check until the save.
            current = (
                model._default_manager.select_for_update()
                .filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None:
                editing.check_version(
                    self.instance,
                    cleaned.get("expected_version"),
                    current=current,
                    noun=str(self.instance._meta.verbose_name),
                )
        return cleaned


class VersionCheckedAdminMixin:
    """Use with VersionCheckedAdminForm: adds the hidden version to declared fieldsets and counts each save."""

    form = VersionCheckedAdminForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if "expected_version" not in flatten_fieldsets(fieldsets):
            fieldsets = [*fieldsets, (None, {"fields": ["expected_version"]})]
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change:
            # The admin saves (with its history user) and its form has cleaned: only the bump is left to do here.
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(Organisation)
class OrganisationAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("partnerships",)
    partnership_may_edit = False
    list_display = ["name", "short_name", "kind", "is_commissioning_partner", "identifier", "user_count"]
    list_filter = ["kind", "is_commissioning_partner"]
    search_fields = ["name", "short_name", "identifier"]
    ordering = ["name"]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_users=Count("users"))

    @admin.display(description="users", ordering="_users")
    def user_count(self, obj):
        return obj._users


@admin.register(User)
class UserAdmin(PartnershipScopedAdminMixin, DjangoUserAdmin):
    partnership_paths = ("partnership_roles__partnership", "organisation__partnerships")
    partnership_may_edit = False
    list_display = ["username", "first_name", "last_name", "email", "organisation", "roles", "is_active"]
    list_filter = ["groups", "organisation__kind", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "email", "organisation__name"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Organisation", {"fields": ("organisation", "job_title", "phone")}),)
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (
        ("Organisation", {"fields": ("first_name", "last_name", "email", "organisation", "groups")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description="roles")
    def roles(self, obj):
        return ", ".join(g.name for g in obj.groups.all())


class DeclaredInterestAdminForm(forms.ModelForm):
    class Meta:
        model = DeclaredInterest
        fields = [
            "partnership",
            "user",
            "organisation",
            "content_type",
            "object_id",
            "description",
            "declared_on",
            "withdrawn_on",
        ]

    def clean_declared_on(self):
        # As in services.interest_declare: a new declaration never takes effect in the future.
        value = self.cleaned_data.get("declared_on")
        if value and not self.instance.pk and value > timezone.localdate():
            raise ValidationError("An interest cannot take effect in the future: declare it from today or earlier.")
        return value


@admin.register(DeclaredInterest)
class DeclaredInterestAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[DeclaredInterest],)
    form = DeclaredInterestAdminForm
    list_display = ["user", "organisation", "subject", "declared_on", "withdrawn_on"]
    list_filter = ["declared_on", "withdrawn_on", "organisation"]
    search_fields = ["user__username", "user__last_name", "organisation__name", "description"]
    list_select_related = ["user", "organisation", "content_type"]
    autocomplete_fields = ["user", "organisation"]
    date_hierarchy = "declared_on"


class CoreGroupInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = CoreGroup
    extra = 0
    fields = ["name", "lead_support_officer"]
    autocomplete_fields = ["lead_support_officer"]
    show_change_link = True


@admin.register(Programme)
class ProgrammeAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Programme],)
    list_display = ["name", "funder", "reports_to", "decided_by", "first_year", "length_years"]
    search_fields = ["name", "funder", "reports_to", "decided_by"]
    list_filter = ["first_year"]
    autocomplete_fields = ["lead_organisation"]
    inlines = [CoreGroupInline]


class MembershipInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = CoreGroupMembership
    extra = 0
    autocomplete_fields = ["user"]


class AllocationInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = Allocation
    extra = 0
    fields = ["financial_year", "amount", "forecast_outturn", "decided_on", "notes"]


@admin.register(CoreGroup)
class CoreGroupAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[CoreGroup],)
    list_display = ["name", "programme", "lead_support_officer", "member_count"]
    list_filter = ["programme"]
    search_fields = ["name", "remit", "programme__name"]
    list_select_related = ["programme", "lead_support_officer"]
    autocomplete_fields = ["lead_support_officer"]
    inlines = [MembershipInline, AllocationInline]

    def get_queryset(self, request):
        from django.db.models import Count

        return super().get_queryset(request).annotate(_members=Count("memberships"))

    @admin.display(description="members", ordering="_members")
    def member_count(self, obj):
        return obj._members


@admin.register(CoreGroupMembership)
class CoreGroupMembershipAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[CoreGroupMembership],)
    list_display = ["user", "core_group", "role", "joined_on"]
    list_filter = ["core_group__programme"]  # not a link per core group (1,000 at 10x): search by its name
    search_fields = ["user__username", "user__last_name", "core_group__name", "role"]
    list_select_related = ["user", "core_group"]
    autocomplete_fields = ["user", "core_group"]


@admin.register(Commission)
class CommissionAdmin(PartnershipScopedAdminMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Commission],)
    list_display = [
        "title",
        "core_group",
        "phase",
        "route",
        "status",
        "specification_state",
        "business_case_decision",
        "annual_value",
    ]
    # Not a link per core group (1,000 at the bench's 10x): search finds a core group by its name.
    list_filter = ["phase", "route", "status", "specification_state", "business_case_decision"]
    search_fields = ["title", "service_area", "core_group__name", "provider__name"]
    list_select_related = ["core_group"]
    autocomplete_fields = ["core_group", "lead_officer", "provider", "specification_decided_by"]
    readonly_fields = ["version", "created_at", "updated_at"]
    ordering = ["core_group__name", "phase", "title"]

    def get_readonly_fields(self, request, obj=None):
        # The same rule as the pages and the services: core_groups.editing, via commission_locked_fields.
        from .permissions import commission_locked_fields

        locked = commission_locked_fields(request.user, obj)
        return [*self.readonly_fields, *sorted(name for name in locked if name not in self.readonly_fields)]

    def save_model(self, request, obj, form, change):
        # An administrator's change to what the JCG decided reopens the decision, as on the pages.
        if change:
            from .services import business_case_reopen_if_changed

            decision = business_case_reopen_if_changed(user=request.user, commission=obj)
            if decision is not None:
                self.message_user(
                    request, f"The business case's decision no longer applies. {decision.superseded_reason}"
                )
        super().save_model(request, obj, form, change)


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    """Decisions are read here, never edited: they are written by the decision services and superseded by a
    change to what they decided."""

    list_display = ["kind", "subject", "outcome", "decided_on", "decided_by", "deciding_body", "superseded_at"]
    list_filter = ["kind", "outcome", "deciding_body", "decided_on"]
    search_fields = ["meeting", "minute", "conditions", "decided_by__last_name"]
    list_select_related = ["decided_by", "content_type"]
    date_hierarchy = "decided_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Allocation)
class AllocationAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Allocation],)
    list_display = ["core_group", "financial_year", "amount", "forecast_outturn", "decided_on"]
    list_filter = ["financial_year", "core_group__programme"]
    search_fields = ["core_group__name"]
    list_select_related = ["core_group"]
    autocomplete_fields = ["core_group"]


@admin.register(SpendEntry)
class SpendEntryAdmin(PartnershipScopedAdminMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[SpendEntry],)
    list_display = ["spent_on", "core_group", "description", "amount", "financial_year", "commission", "recorded_by"]
    list_filter = ["financial_year", "core_group"]
    search_fields = ["description", "core_group__name", "commission__title"]
    list_select_related = ["core_group", "commission", "recorded_by"]
    autocomplete_fields = ["core_group", "commission", "recorded_by"]
    date_hierarchy = "spent_on"
    readonly_fields = ["financial_year", "version", "created_at"]


@admin.register(Risk)
class RiskAdmin(PartnershipScopedAdminMixin, VersionCheckedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Risk],)
    list_display = [
        "title",
        "programme",
        "core_group",
        "impact",
        "likelihood",
        "score",
        "rating",
        "status",
        "review_on",
    ]
    list_filter = ["status", "programme", "core_group", "impact", "likelihood"]
    search_fields = ["title", "description", "mitigation", "owner_role"]
    list_select_related = ["programme", "core_group"]
    autocomplete_fields = ["programme", "core_group", "owner"]
    readonly_fields = ["score", "version", "created_at", "updated_at"]
    ordering = ["-score", "title"]

    @admin.display(description="rating")
    def rating(self, obj):
        return obj.rating


class EmailTemplateForm(forms.ModelForm):
    """The event is one of the kinds people are told of; a subject or body that is not a usable template is
    refused here, beside its field (the sandbox: core_groups.email_templates)."""

    class Meta:
        model = EmailTemplate
        fields = ["partnership", "kind", "language", "subject", "body", "active"]

    def __init__(self, *args, **kwargs):
        from foundation import notifications
        from foundation.models import Language

        super().__init__(*args, **kwargs)
        self.fields["kind"] = forms.ChoiceField(
            label="Event",
            choices=[(kind.name, kind.label) for kind in notifications.kinds()],
            help_text="The email of this event is written in your words instead of the product's own.",
        )
        self.fields["language"] = forms.ChoiceField(choices=Language.choices, initial=Language.ENGLISH)

    def clean(self):
        from . import email_templates

        cleaned = super().clean()
        for field, problem in email_templates.check(cleaned.get("subject") or "", cleaned.get("body") or "").items():
            self.add_error(field, problem)
        return cleaned


@admin.register(EmailTemplate)
class EmailTemplateAdmin(PartnershipScopedAdminMixin, admin.ModelAdmin):
    """A partnership administrator writes the partnership's own emails, sees a preview with each field shown by
    name, and sees the last failure (the product's own wording was sent instead)."""

    partnership_paths = ("partnership",)
    form = EmailTemplateForm
    list_display = ["kind", "language", "partnership", "active", "has_problem", "updated_at"]
    list_filter = ["active", "language", "kind"]
    search_fields = ["kind", "subject", "body"]
    readonly_fields = ["fields_available", "preview", "problem", "updated_at"]
    fieldsets = [
        (None, {"fields": ["partnership", "kind", "language", "active", "subject", "body"]}),
        ("Preview", {"fields": ["fields_available", "preview", "problem", "updated_at"]}),
    ]

    @admin.display(boolean=True, description="problem")
    def has_problem(self, obj):
        return bool(obj.problem)

    @admin.display(description="fields you may use")
    def fields_available(self, obj):
        from django.utils.html import format_html_join

        from foundation import notifications

        from . import email_templates

        try:
            names = notifications.kind_for(obj.kind).fields if obj and obj.kind else ()
        except Exception:  # noqa: BLE001 - an unknown kind lists the common fields only
            names = ()
        every = (*email_templates.COMMON_FIELDS, *names)
        return format_html_join(", ", "<code>{{{{ {} }}}}</code>", ((n,) for n in every))

    @admin.display(description="preview (each field shown by its name)")
    def preview(self, obj):
        from django.utils.html import format_html

        from . import email_templates

        if obj is None or obj.pk is None:
            return "Save the template to see its preview."
        content, problem = email_templates.preview(obj)
        if content is None:
            return format_html('<p class="errornote">{}</p>', problem)
        return format_html("<p><strong>Subject:</strong> {}</p><pre>{}</pre>", content.subject, content.body)
