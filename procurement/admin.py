"""Django admin: the administrator's timetable editor, templates, policies and reminder settings."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import CharField, Exists, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Concat
from django.template.response import TemplateResponse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from core_groups.admin_scoping import (
    NationalReferenceAdminMixin,
    PartnershipScopedAdminMixin,
    PartnershipScopedInlineMixin,
)
from foundation import editing
from foundation.models import OutboxMessage

from . import scheduling, services
from .fast_widgets import fast_formset
from .forms import past_start_message
from .models import (
    Jurisdiction,
    ProcurementProject,
    ProjectPartner,
    Reminder,
    ReminderSettings,
    Task,
    TemplateStep,
    Timetable,
    TimetableTemplate,
    UnderspendPolicy,
)
from .selectors import SCOPE_PATHS


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete whose selected option's label comes from ``labels`` (filled once for a whole formset by
    TaskInline.get_formset), not from a query per row; a value it does not know falls back to Django's query."""

    labels: dict[str, str] | None = None

    def optgroups(self, name, value, attr=None):
        selected = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        if self.labels is None or not selected <= self.labels.keys():
            return super().optgroups(name, value, attr)
        options = [] if self.is_required else [self.create_option(name, "", "", False, 0)]
        for key in sorted(selected):
            options.append(self.create_option(name, key, self.labels[key], selected, len(options)))
        return [(None, options, 0)]


class ReferenceListFilter(admin.SimpleListFilter):
    """A list filter over a big relation (projects): a box for the project's reference, not a link per project
    (5,004 links and 535 KB at the bench's 10x volume)."""

    title = "project reference"
    parameter_name = "project_reference"
    template = "admin/procurement/reference_filter.html"
    path = "project__reference"

    def lookups(self, request, model_admin):
        return [(self.value() or "", self.value() or "")]  # one entry, so that the filter is shown

    def queryset(self, request, queryset):
        value = (self.value() or "").strip()
        return queryset.filter(**{f"{self.path}__iexact": value}) if value else queryset

    def choices(self, changelist):
        yield {
            "value": self.value() or "",
            "others": [(k, v) for k, v in changelist.params.items() if k != self.parameter_name],
            "clear_query_string": changelist.get_query_string(remove=[self.parameter_name]),
        }


class TaskProjectReferenceFilter(ReferenceListFilter):
    path = "timetable__project__reference"


# Links made before the reference boxes (?project__id__exact=, ?timetable__project__id__exact=) keep working.
PROJECT_ID_LOOKUPS = {"project__id__exact", "timetable__project__id__exact"}


class ProjectIdLookupMixin:
    def lookup_allowed(self, lookup, value, request=None):
        return lookup in PROJECT_ID_LOOKUPS or super().lookup_allowed(lookup, value, request)


def _messages_of(exc):
    return "; ".join(exc.messages) if hasattr(exc, "messages") else str(exc)


class UnderspendPolicyForm(forms.ModelForm):
    """Refuses a change to the figures of an adopted policy, naming the adoption and who made it
    (services.underspend_change_refusal)."""

    class Meta:
        model = UnderspendPolicy
        fields = [
            "programme",
            "name",
            "commissioning_pct",
            "discretion_pct",
            "discretion_floor",
            "effective_from",
            "is_active",
            "notes",
        ]

    def _post_clean(self):
        super()._post_clean()
        refusal = services.underspend_change_refusal(self.instance)
        if refusal:
            self.add_error(None, refusal)


class _AdoptionSave:
    """Saves through services.underspend_policy_save (inside the scoping mixin's checks): adopting a policy records a
    decision bound to its figures; making an adopted one inactive ends that decision, kept on record."""

    def save_model(self, request, obj, form, change):
        obj._history_user = request.user
        services.underspend_policy_save(user=request.user, policy=obj)


@admin.register(UnderspendPolicy)
class UnderspendPolicyAdmin(PartnershipScopedAdminMixin, _AdoptionSave, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[UnderspendPolicy],)
    form = UnderspendPolicyForm
    list_display = [
        "name",
        "programme",
        "effective_from",
        "is_active",
        "commissioning_pct",
        "discretion_pct",
        "discretion_floor",
    ]
    list_filter = ["programme", "effective_from", "is_active"]
    search_fields = ["name", "programme__name", "notes"]
    ordering = ["programme__name", "-effective_from", "-is_active", "name"]


class TemplateStepInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = TemplateStep
    extra = 0
    ordering = ["position"]
    fields = [
        "position",
        "stage",
        "activity",
        "responsible_role",
        "anchor",
        "offset_months",
        "offset_days",
        "offset_unit",
        "duration",
        "duration_unit",
        "precision",
        "milestone",
        "condition",
        "statutory_minimum",
        "statutory_unit",
        "statutory_rule",
        "kind",
        "numbered",
    ]


@admin.register(TimetableTemplate)
class TimetableTemplateAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = ("partnership",)
    national_rows = True
    list_display = ["name", "procedure", "regime", "is_active"]
    list_filter = ["procedure", "regime", "is_active"]
    search_fields = ["name", "description"]
    inlines = [TemplateStepInline]


class PartnerInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = ProjectPartner
    extra = 0
    autocomplete_fields = ["organisation"]


class OverdueProjectFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Has overdue tasks"), ("no", "Nothing overdue")]

    def queryset(self, request, queryset):
        overdue = Task.objects.overdue().current().filter(timetable__project=OuterRef("pk"))
        if self.value() == "yes":
            return queryset.filter(Exists(overdue))
        if self.value() == "no":
            return queryset.exclude(Exists(overdue))
        return queryset


class ProjectAdminForm(forms.ModelForm):
    class Meta:
        model = ProcurementProject
        fields = [
            "reference",
            "title",
            "description",
            "procedure",
            "regime",
            "approach",
            "lead_organisation",
            "estimated_annual_value",
            "contract_years",
            "tupe",
            "jurisdiction",
            "urgency",
            "electronic_tenders",
            "contract_start",
            "project_manager",
            "commission",
            "template",
            "status",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["jurisdiction"].required = False

    def clean_jurisdiction(self):
        return self.cleaned_data.get("jurisdiction") or Jurisdiction.ENGLAND

    def clean(self):
        data = super().clean()
        message = past_start_message(data.get("contract_start"), new=self.instance.pk is None)
        if message:
            self.add_error("contract_start", message)
        # A new project's timetable is drawn from its template: refuse one that would not hold together.
        if self.instance.pk is None and not self.errors and data.get("template") and data.get("contract_start"):
            probe = ProcurementProject(
                contract_start=data["contract_start"],
                template=data["template"],
                tupe=data.get("tupe", False),
                regime=data.get("regime") or "standard",
                procedure=data.get("procedure") or "",
                urgency=data.get("urgency", False),
                electronic_tenders=data.get("electronic_tenders", True),
            )
            if data.get("jurisdiction"):
                probe.jurisdiction = data["jurisdiction"]
            services.plan_for(probe)
        return data


@admin.register(ProcurementProject)
class ProcurementProjectAdmin(PartnershipScopedAdminMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[ProcurementProject],)
    form = ProjectAdminForm
    list_display = [
        "reference",
        "title",
        "procedure",
        "status",
        "lead_organisation",
        "contract_start",
        "tupe",
        "project_manager",
    ]
    list_filter = ["status", "procedure", "regime", "approach", "tupe", "lead_organisation", OverdueProjectFilter]
    search_fields = ["reference", "title", "description", "lead_organisation__name"]
    list_select_related = ["lead_organisation", "project_manager"]
    autocomplete_fields = ["lead_organisation", "project_manager"]
    inlines = [PartnerInline]
    date_hierarchy = "contract_start"

    def save_model(self, request, obj, form, change):
        if change and "contract_start" in form.changed_data:
            old = ProcurementProject.objects.get(pk=obj.pk).contract_start
            try:
                services._replan(obj, old, obj.contract_start)
            except ValidationError as exc:
                messages.error(request, f"The open tasks were not re-planned: {_messages_of(exc)}")
                raise
        super().save_model(request, obj, form, change)
        if not change and obj.template_id:
            services.timetable_draw(project=obj, user=request.user)
            today = timezone.localdate()
            feasible = services.project_feasibility(obj, today)
            if not feasible.feasible:
                messages.warning(request, feasible.message(today))


class TaskInlineFormSet(forms.BaseInlineFormSet):
    """The tasks of one version. The numbers typed are read as the wanted order: swapping 13 and 14 swaps
    them, a new task numbered 14 goes in before the old 14, a removed task closes its gap. The tasks are then
    numbered 1..n in that order (services.timetable_renumber), in the same transaction as the edit."""

    def _kept_forms(self):
        return [
            f
            for f in self.forms
            if getattr(f, "cleaned_data", None) and not f.cleaned_data.get("DELETE") and f.instance.activity
        ]

    def wanted_order(self):
        """The kept forms in the order their numbers ask for; a moved or new task goes before one left alone."""

        def key(form):
            number = form.cleaned_data.get("number") or 0
            moved = form.instance.pk is None or "number" in form.changed_data
            return (number, 0 if moved else 1, form.initial.get("number") or 0)

        return sorted(self._kept_forms(), key=key)

    def validate_unique(self):
        # Equal numbers are read as an order (see the class), not refused; nothing else here is unique.
        return

    def clean(self):
        super().clean()
        if any(self.errors) or self.instance.pk is None:
            return
        ordered = self.wanted_order()
        for number, form in enumerate(ordered, 1):
            form.instance.number = number
        tasks = [f.instance for f in ordered]
        project = self.instance.project
        problems = scheduling.timetable_problems(tasks, project.contract_start, **scheduling.rules_of(project))
        # Each problem beside the fields of the tasks it names, and all of them above the table.
        by_number = {f.instance.number: f for f in ordered}
        for problem in problems:
            for number in problem.numbers:
                form = by_number.get(number)
                if form is not None:
                    form.add_error(problem.field if problem.field in form.fields else None, problem.message)
        if problems:
            raise ValidationError([p.message for p in problems])

    def save(self, commit=True):
        saved = super().save(commit=commit)
        if commit and self.instance.pk is not None:
            order = [f.instance for f in self.wanted_order() if f.instance.pk]
            services.timetable_renumber(timetable=self.instance, order=order)
        return saved


class TaskInline(PartnershipScopedInlineMixin, admin.TabularInline):
    model = Task
    formset = TaskInlineFormSet
    # tabular.html with its rows written in Python (procurement/templatetags/task_inline.py): no template render
    # per cell or per empty error list.
    template = "admin/procurement/timetable/task_inline.html"
    extra = 0
    ordering = ["number"]
    fields = [
        "number",
        "stage",
        "activity",
        "responsibility",
        "responsible_user",
        "starts_on",
        "due",
        "precision",
        "milestone",
        "kind",
        "numbered",
        "status",
        "done_on",
        "notes",
    ]
    autocomplete_fields = ["responsible_user"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("responsible_user")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "responsible_user":
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_formset(self, request, obj=None, **kwargs):
        # 13 widgets a row and 36 rows or more: the plain ones rendered in Python, not through templates.
        formset = fast_formset(super().get_formset(request, obj, **kwargs))
        field = formset.form.base_fields.get("responsible_user")
        widget = getattr(getattr(field, "widget", None), "widget", getattr(field, "widget", None))
        if obj is not None and isinstance(widget, PreloadedAutocompleteSelect):
            # The people named on this version's tasks, in one query, for every row's selected option.
            people = field.queryset.filter(pk__in=Task.objects.filter(timetable=obj).values("responsible_user"))
            widget.labels = {str(person.pk): field.label_from_instance(person) for person in people}
        return formset

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request, obj) and (obj is None or obj.is_current)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.is_current)


class TimetableForm(forms.ModelForm):
    seen_lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    seen_number = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_new_version = forms.BooleanField(
        required=False,
        label="Publish these changes as a new version",
        help_text="The version as it stands now is kept, and the timetable moves on to the next number.",
    )

    class Meta:
        model = Timetable
        fields = ["change_note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_lock_version"].initial = self.instance.lock_version
            self.fields["seen_number"].initial = self.instance.number

    def clean(self):
        data = super().clean()
        if self.instance.pk:
            fresh = Timetable.objects.filter(pk=self.instance.pk).values("lock_version", "number").first()
            seen_lock, seen_number = data.get("seen_lock_version"), data.get("seen_number")
            if fresh:
                editing.check_version(
                    self.instance,
                    seen_number,
                    current=fresh["number"],
                    message=(
                        f"Someone else published v{fresh['number']} while you were editing v{seen_number}. "
                        "Your changes were not saved: reload the timetable and make them again."
                    ),
                )
                editing.check_version(
                    self.instance,
                    seen_lock,
                    current=fresh["lock_version"],
                    message=(
                        "Someone else changed this timetable while you were editing it. Your changes were not "
                        "saved: reload the timetable and make them again."
                    ),
                )
        return data


class ShiftDatesForm(forms.Form):
    months = forms.IntegerField(initial=0, min_value=-36, max_value=36, help_text="Negative moves dates earlier.")
    days = forms.IntegerField(initial=0, min_value=-365, max_value=365)


class CurrentFilter(admin.SimpleListFilter):
    title = "version"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "Current version"), ("no", "Earlier versions")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(is_current=True)
        if self.value() == "no":
            return queryset.filter(is_current=False)
        return queryset


class OverdueTimetableFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Has overdue tasks")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Exists(Task.objects.overdue().filter(timetable=OuterRef("pk"))))
        return queryset


@admin.register(Timetable)
class TimetableAdmin(PartnershipScopedAdminMixin, ProjectIdLookupMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Timetable],)
    form = TimetableForm
    inlines = [TaskInline]
    list_display = ["__str__", "project", "label", "is_current", "published_at", "published_by", "change_note"]
    list_filter = [CurrentFilter, ReferenceListFilter, OverdueTimetableFilter]
    search_fields = ["project__reference", "project__title", "change_note", "tasks__activity"]
    list_select_related = ["project", "published_by"]
    readonly_fields = ["project", "label", "is_current", "contract_start", "published_at", "published_by"]
    fieldsets = [
        (None, {"fields": ["project", "label", "is_current", "contract_start", "published_at", "published_by"]}),
        ("Publishing", {"fields": ["change_note", "publish_new_version", "seen_lock_version", "seen_number"]}),
    ]
    actions = ["publish_new_version", "shift_dates"]

    def has_add_permission(self, request):
        # Timetables are drawn from a template when a project is created.
        return False

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.is_current)

    def get_fieldsets(self, request, obj=None):
        # A superseded version is shown read-only, and Django shows every field as a value: the publishing
        # controls are form fields, not the timetable's, and "publish_new_version" would be looked up as the
        # admin action of that name and called with the timetable (a 500). Only the change note is shown.
        if obj is not None and not obj.is_current:
            return [self.fieldsets[0], ("Publishing", {"fields": ["change_note"]})]
        return super().get_fieldsets(request, obj)

    def get_search_results(self, request, queryset, search_term):
        qs, dupes = super().get_search_results(request, queryset, search_term)
        if not search_term:
            # No search, no join through tasks: DISTINCT over every timetable cost the list (and its count) a sort
            # of all of them before the page's 100 (9 ms of 12 at ten times the bench's volumes).
            return qs, dupes
        return qs.distinct(), False

    def save_model(self, request, obj, form, change):
        if change and form.cleaned_data.get("publish_new_version"):
            current = services.timetable_publish(
                timetable=obj,
                user=request.user,
                change_note=form.cleaned_data.get("change_note", ""),
                expected_number=form.cleaned_data.get("seen_number"),
            )
            obj.number = current.number
            obj.published_at = current.published_at
            obj.published_by = request.user
            obj.lock_version = current.lock_version + 1
            messages.success(request, f"Published {obj.label}; v{obj.number - 1} is kept as it was.")
        elif change:
            obj.lock_version = (obj.lock_version or 0) + 1
        super().save_model(request, obj, form, change)

    @admin.action(description="Publish a new version of the selected timetables")
    def publish_new_version(self, request, queryset):
        for timetable in queryset.select_related("project"):
            try:
                current = services.timetable_publish(
                    timetable=timetable,
                    expected_number=timetable.number,  # the number the list showed: published as it stands
                    user=request.user,
                    change_note="Published from the timetable list",
                )
            except ValidationError as exc:
                self.message_user(request, f"{timetable}: {_messages_of(exc)}", messages.ERROR)
            else:
                self.message_user(request, f"{timetable.project.reference}: published {current.label}.")

    @admin.action(description="Shift the open tasks' dates of the selected timetables")
    def shift_dates(self, request, queryset):
        if "apply" in request.POST:
            form = ShiftDatesForm(request.POST)
            if form.is_valid():
                for timetable in queryset:
                    try:
                        with transaction.atomic():
                            services.timetable_shift(timetable=timetable, user=request.user, **form.cleaned_data)
                    except ValidationError as exc:
                        self.message_user(request, f"{timetable}: not shifted. {_messages_of(exc)}", messages.ERROR)
                    else:
                        self.message_user(request, f"{timetable}: open tasks shifted.")
                return None
        else:
            form = ShiftDatesForm()
        return TemplateResponse(
            request,
            "admin/procurement/timetable/shift_dates.html",
            {
                **self.admin_site.each_context(request),
                "title": "Shift the dates of open tasks",
                "form": form,
                "queryset": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )


class OverdueTaskFilter(admin.SimpleListFilter):
    title = "overdue"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Overdue"), ("soon", "Due within 14 days")]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "yes":
            return queryset.overdue(today)
        if self.value() == "soon":
            return queryset.open().filter(due__gte=today, due__lte=today + timezone.timedelta(days=14))
        return queryset


class TaskAdminForm(forms.ModelForm):
    seen_history = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Task
        fields = [
            "number",
            "stage",
            "activity",
            "responsibility",
            "responsible_user",
            "starts_on",
            "due",
            "precision",
            "milestone",
            "kind",
            "status",
            "done_on",
            "notes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            latest = self.instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
            self.fields["seen_history"].initial = latest

    def _post_clean(self):
        super()._post_clean()
        if not self.instance.pk or self.errors:
            return
        latest = self.instance.history.order_by("-history_id").values_list("history_id", flat=True).first()
        seen = self.cleaned_data.get("seen_history")
        try:
            editing.check_version(
                self.instance,
                seen,
                current=latest,
                message=(
                    "Someone else changed this task while you were editing it. Your changes were not "
                    "saved: reload the task and make them again."
                ),
            )
        except editing.StaleEdit as exc:
            editing.errors_to_form(self, exc)
            return
        timetable = self.instance.timetable
        # A new number moves the task there, the tasks between moving up or down one (services.task_move).
        others = [t for t in timetable.tasks.order_by("number", "pk") if t.pk != self.instance.pk]
        wanted = self.cleaned_data.get("number")
        if wanted is not None and not 1 <= wanted <= len(others) + 1:
            self.add_error("number", f"Choose a number from 1 to {len(others) + 1}.")
            return
        position = (wanted or self.instance.number) - 1
        tasks = others[:position] + [self.instance] + others[position:]
        for number, task in enumerate(tasks, 1):
            task.number = number
        project = timetable.project
        for problem in scheduling.timetable_problems(tasks, project.contract_start, **scheduling.rules_of(project)):
            mine = self.instance.number in problem.numbers and problem.field in self.fields
            self.add_error(problem.field if mine else None, problem.message)

    def validate_unique(self):
        # The number is a position: taking another task's number moves that task along (TaskAdmin.save_model).
        try:
            self.instance.validate_unique(exclude=set(self._get_validation_exclusions()) | {"number"})
        except ValidationError as exc:
            self._update_errors(exc)


@admin.register(Task)
class TaskAdmin(PartnershipScopedAdminMixin, ProjectIdLookupMixin, SimpleHistoryAdmin):
    partnership_paths = (SCOPE_PATHS[Task],)
    form = TaskAdminForm
    list_display = [
        "number",
        "activity",
        "project_reference",
        "version",
        "stage",
        "date_label",
        "status",
        "responsibility",
        "responsible_user",
    ]
    list_filter = [
        TaskProjectReferenceFilter,
        "status",
        OverdueTaskFilter,
        "stage",
        "timetable__is_current",
        "milestone",
    ]
    search_fields = [
        "activity",
        "responsibility",
        "notes",
        "timetable__project__reference",
        "timetable__project__title",
    ]
    list_select_related = ["timetable__project", "responsible_user"]
    autocomplete_fields = ["responsible_user"]
    ordering = ["timetable__project__reference", "-timetable__number", "number"]

    @admin.display(description="project", ordering="timetable__project__reference")
    def project_reference(self, obj):
        return obj.timetable.project.reference

    @admin.display(description="version")
    def version(self, obj):
        return obj.timetable.label

    @admin.display(description="due")
    def date_label(self, obj):
        return obj.date_label

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.timetable.is_current)

    def save_model(self, request, obj, form, change):
        wanted = obj.number
        if change and "number" in form.changed_data:
            obj.number = form.initial["number"]
        super().save_model(request, obj, form, change)
        if change and wanted != obj.number:
            services.task_move(task=obj, to_number=wanted, user=request.user)
            obj.refresh_from_db()


@admin.register(ReminderSettings)
class ReminderSettingsAdmin(NationalReferenceAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "first_notice_days", "final_notice_days", "overdue_every_days", "enabled"]

    def has_add_permission(self, request):
        return not ReminderSettings.objects.exists()


@admin.register(Reminder)
class ReminderAdmin(PartnershipScopedAdminMixin, admin.ModelAdmin):
    """Which reminders were claimed; whether each email went is its outbox message (Foundation -> Outbox)."""

    partnership_paths = ("task__timetable__project__partnership",)
    partnership_may_edit = False

    list_display = ["task", "kind", "due", "sequence", "email", "claimed_at", "email_status"]
    list_filter = ["kind"]
    search_fields = ["email", "task__activity", "task__timetable__project__reference"]
    list_select_related = ["task"]
    readonly_fields = [f.name for f in Reminder._meta.fields]

    def get_queryset(self, request):
        key = Concat(Value(Reminder.outbox_key("")), Cast(OuterRef("pk"), CharField()))
        status = OutboxMessage.objects.filter(key=key).values("status")[:1]
        return super().get_queryset(request).annotate(email_status=Subquery(status))

    @admin.display(description="Email")
    def email_status(self, obj):
        return obj.email_status or "–"

    def has_add_permission(self, request):
        return False
