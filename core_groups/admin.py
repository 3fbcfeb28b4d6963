from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import DeclaredInterest, Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
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
class UserAdmin(DjangoUserAdmin):
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


@admin.register(DeclaredInterest)
class DeclaredInterestAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "subject", "declared_on", "withdrawn_on"]
    list_filter = ["declared_on", "withdrawn_on", "organisation"]
    search_fields = ["user__username", "user__last_name", "organisation__name", "description"]
    list_select_related = ["user", "organisation", "content_type"]
    autocomplete_fields = ["user", "organisation"]
    date_hierarchy = "declared_on"
