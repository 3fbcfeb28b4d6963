"""Django admin scoped to the partnership (issue 12 item 4).

A site administrator (superuser) sees and edits everything, as before. A partnership administrator (staff, holding
the Partnership administrator role in one or more partnerships) sees and edits only the rows of the partnerships
they administer: querysets, foreign-key and many-to-many choices, list filters, actions (which act on the scoped
changelist) and history all go through the same scope; another partnership's row answers 404. Reference data that
is national (a row whose path to a partnership is empty, or a model that belongs to no partnership) is read-only to
them.

Every partnership-owned ModelAdmin of every app mixes in ``PartnershipScopedAdminMixin`` (first, before the Django
or simple-history base) and names its path(s) to the owning partnership, normally the app's selectors'
``SCOPE_PATHS`` entry, so that admin and pages scope through the same path.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from . import tenancy
from .models import Partnership, PartnershipRole


def is_site_administrator(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_active and user.is_superuser)


def administered_partnership_ids(request: HttpRequest) -> set[int]:
    """The partnerships the signed-in staff member administers (holds the Partnership administrator role in)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active or not user.is_staff:
        return set()
    return {pid for pid, role in tenancy.role_pairs(user) if role == PartnershipRole.Role.ADMINISTRATOR}


def is_partnership_administrator(request: HttpRequest) -> bool:
    return not is_site_administrator(request) and bool(administered_partnership_ids(request))


def _scoped_admin_for(admin_site: admin.AdminSite, model: type[Model]) -> Any:
    model_admin = admin_site._registry.get(model)
    return model_admin if isinstance(model_admin, _ScopeMixin) else None


def limit_choices(request: HttpRequest, admin_site: admin.AdminSite, model: type[Model], qs: QuerySet) -> QuerySet:
    """``qs`` (choices of a foreign key or many-to-many to ``model``) limited to what the person may pick."""
    if is_site_administrator(request):
        return qs
    if model is Partnership:
        return qs.filter(pk__in=administered_partnership_ids(request))
    related = _scoped_admin_for(admin_site, model)
    if related is None:
        return qs
    return related.scope_queryset(request, qs, national=True)


class _ScopeMixin:
    """What a scoped ModelAdmin and a national reference ModelAdmin share: permissions and choices."""

    #: Paths from the model to the owning Partnership, OR'ed (a row is owned when any path leads to one of the
    #: administered partnerships). Empty for a model that belongs to no partnership (national reference data).
    partnership_paths: tuple[str, ...] = ()
    #: Whether a row whose every path is empty (NULL) is national: shown read-only to partnership administrators.
    national_rows: bool = False
    #: Whether a partnership administrator may add, change and delete rows (False: read-only to them).
    partnership_may_edit: bool = True

    admin_site: admin.AdminSite
    model: type[Model]

    # -- the scope -----------------------------------------------------------------------------------------------

    def _owned_q(self, ids: set[int]) -> Q:
        q = Q(pk__in=[])
        for path in self.partnership_paths:
            q |= Q(**{f"{path}__in": ids})
        return q

    def _national_q(self) -> Q:
        q = Q()
        for path in self.partnership_paths:
            q &= Q(**{f"{path}__isnull": True})
        return q

    def _through_many(self) -> bool:
        for path in self.partnership_paths:
            try:
                fields = get_fields_from_path(self.model, path)
            except FieldDoesNotExist:
                continue
            if any(getattr(f, "many_to_many", False) or getattr(f, "one_to_many", False) for f in fields):
                return True
        return False

    def scope_queryset(self, request: HttpRequest, qs: QuerySet, *, national: bool = True) -> QuerySet:
        """``qs`` limited to the administered partnerships' rows (and national rows when ``national``)."""
        if is_site_administrator(request):
            return qs
        if not self.partnership_paths:
            return qs if self._may_read_national(request) else qs.none()
        rule = self._owned_q(administered_partnership_ids(request))
        if national and self.national_rows:
            rule |= self._national_q()
        qs = qs.filter(rule)
        return qs.distinct() if self._through_many() else qs

    def _may_read_national(self, request: HttpRequest) -> bool:
        return is_partnership_administrator(request)

    def owns(self, request: HttpRequest, obj: Model) -> bool:
        """Whether ``obj`` belongs to a partnership the person administers (a national row does not)."""
        if is_site_administrator(request):
            return True
        if not self.partnership_paths or obj.pk is None:
            return False
        ids = administered_partnership_ids(request)
        return self.model._default_manager.filter(pk=obj.pk).filter(self._owned_q(ids)).exists()

    def readable(self, request: HttpRequest, obj: Model) -> bool:
        if is_site_administrator(request):
            return True
        if not self.partnership_paths:
            return self._may_read_national(request)
        return self.scope_queryset(request, self.model._default_manager.filter(pk=obj.pk)).exists()

    # -- permissions ---------------------------------------------------------------------------------------------

    def has_module_permission(self, request):
        if is_partnership_administrator(request):
            return True
        return super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request, obj=None):
        if is_partnership_administrator(request):
            return obj is None or self.readable(request, obj)
        return super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request, *args):
        if is_partnership_administrator(request):
            return self.partnership_may_edit and bool(self.partnership_paths) and self._parent_ok(request, *args)
        return super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request, obj=None):
        if is_partnership_administrator(request):
            if not self.partnership_may_edit or not self.partnership_paths:
                return False
            return obj is None or self.owns(request, obj)
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def _parent_ok(self, request: HttpRequest, *args: Any) -> bool:
        return True

    # -- choices and filters ------------------------------------------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not is_site_administrator(request):
            model = db_field.related_model
            base = kwargs.get("queryset")
            if base is None:
                base = model._default_manager.using(kwargs.get("using"))
            kwargs["queryset"] = limit_choices(request, self.admin_site, model, base)
            if model is Partnership:
                # A partnership administrator cannot make a row national.
                kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if not is_site_administrator(request):
            model = db_field.remote_field.model
            base = kwargs.get("queryset")
            if base is None:
                base = model._default_manager.using(kwargs.get("using"))
            kwargs["queryset"] = limit_choices(request, self.admin_site, model, base)
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]


class PartnershipScopedAdminMixin(_ScopeMixin):
    """For every partnership-owned ModelAdmin: put it first, and set ``partnership_paths``."""

    def get_queryset(self, request):
        return self.scope_queryset(request, super().get_queryset(request))  # type: ignore[misc]

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)  # type: ignore[misc]
        if obj is None and not is_site_administrator(request):
            # Another partnership's row is simply not there: 404, never "exists but not yours".
            raise Http404
        return obj

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))  # type: ignore[misc]
        if is_site_administrator(request):
            return filters
        scoped: list[Any] = []
        for item in filters:
            if isinstance(item, str):
                try:
                    field = get_fields_from_path(self.model, item)[-1]
                except FieldDoesNotExist:
                    field = None
                if field is not None and field.is_relation:
                    # Offer only the related rows the scoped changelist refers to.
                    item = (item, admin.RelatedOnlyFieldListFilter)
            scoped.append(item)
        return scoped

    def save_model(self, request, obj, form, change):
        if not is_site_administrator(request) and change and not self.owns(request, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)  # type: ignore[misc]
        if not is_site_administrator(request) and not self.owns(request, obj):
            # Saved into another partnership (or made national): the admin's transaction undoes it.
            raise PermissionDenied

    def delete_model(self, request, obj):
        if not self.owns(request, obj):
            raise PermissionDenied
        super().delete_model(request, obj)  # type: ignore[misc]

    def delete_queryset(self, request, queryset):
        if not is_site_administrator(request):
            queryset = self.scope_queryset(request, queryset, national=False)
        super().delete_queryset(request, queryset)  # type: ignore[misc]


class NationalReferenceAdminMixin(PartnershipScopedAdminMixin):
    """For reference data shipped with the product (no partnership): read-only to partnership administrators."""

    partnership_paths = ()
    partnership_may_edit = False


class PartnershipScopedInlineMixin(_ScopeMixin):
    """For an inline of a scoped ModelAdmin: a partnership administrator may do what they may do to the parent."""

    parent_model: type[Model]

    def _parent_admin(self) -> Any:
        return _scoped_admin_for(self.admin_site, self.parent_model)

    def _parent_ok(self, request: HttpRequest, *args: Any) -> bool:
        obj = args[0] if args else None
        parent = self._parent_admin()
        return parent is not None and parent.has_change_permission(request, obj)

    def has_view_permission(self, request, obj=None):
        if is_partnership_administrator(request):
            parent = self._parent_admin()
            return parent is not None and parent.has_view_permission(request, obj)
        return super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        if is_partnership_administrator(request):
            return self._parent_ok(request, obj)
        return super().has_change_permission(request, obj)

    def has_add_permission(self, request, *args):
        if is_partnership_administrator(request):
            return self._parent_ok(request, *args)
        return super().has_add_permission(request, *args)
