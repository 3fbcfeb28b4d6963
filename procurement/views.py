from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from core_groups import services as core_services
from core_groups.exceptions import NotAllowed
from core_groups.forms import RiskForm
from core_groups.models import Programme
from core_groups.permissions import can_see_money, is_provider_user
from foundation import editing, once

from . import scheduling, selectors, services
from .forms import (
    ConflictAssessmentForm,
    ContractStartForm,
    ProjectForm,
    PublishForm,
    TaskArrangeForm,
    TaskForm,
    TaskInsertForm,
    UnderspendForm,
    partner_formset,
)
from .gantt import gantt_svg
from .models import ConflictAssessment, ProcurementProject, Task, Timetable
from .permissions import (
    can_add_project_risk,
    can_assess_conflicts,
    can_change_project,
    can_create_project,
    can_plan_task,
    can_publish_timetable,
    can_update_task,
    can_view_project,
    can_view_underspend,
)


class ProjectListView(LoginRequiredMixin, ListView):
    template_name = "procurement/project_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = selectors.project_list(
            user=self.request.user, filters=self.request.GET or None, partnership=self.request.partnership
        )
        qs = self.filterset.qs
        if not self.request.GET.get("sort"):
            qs = qs.order_by("contract_start", "reference")
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["can_create"] = can_create_project(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class ProjectMixin(LoginRequiredMixin):
    def get_project(self):
        try:
            project = selectors.project_detail(self.kwargs["pk"], self.request.partnership)
        except ProcurementProject.DoesNotExist as exc:
            raise Http404 from exc
        if not can_view_project(self.request.user, project):
            # Never leak that a project exists to someone who may not read it.
            raise Http404
        return project


class ProjectDetailView(ProjectMixin, TemplateView):
    template_name = "procurement/project_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        timetable = selectors.current_timetable(project)
        tasks = selectors.timetable_tasks(timetable)
        today = timezone.localdate()
        user = self.request.user
        can_change = can_change_project(user, project)
        may_update = timetable is not None and not is_provider_user(user)
        for task in tasks:
            task.css = task.urgency(today)
            task.can_update = may_update and (can_change or task.responsible_user_id == user.pk)
        publication, publication_applies = services.publication_standing(timetable) if timetable else (None, False)
        context.update(
            project=project,
            timetable=timetable,
            publication=publication,
            publication_applies=publication_applies,
            stages=selectors.tasks_by_stage(tasks),
            versions=selectors.versions(project),
            overdue=selectors.overdue_count(tasks, today),
            can_change=can_change,
            can_arrange=timetable is not None and can_plan_task(user, project),
            can_publish=timetable is not None and can_publish_timetable(user, project),
            publish_form=PublishForm(initial={"expected_number": timetable.number}) if timetable else None,
            risks=selectors.project_risks(project),
            can_add_risk=can_add_project_risk(user, project),
            conflict_assessments=selectors.conflict_assessments(project),
            can_assess_conflicts=can_assess_conflicts(user, project),
            show_money=can_see_money(user),
            unchecked=scheduling.statutory_problems(tasks, **scheduling.rules_of(project))[1],
        )
        return context


class ProjectGanttView(ProjectMixin, TemplateView):
    template_name = "procurement/project_gantt.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        timetable = selectors.current_timetable(project)
        tasks = selectors.timetable_tasks(timetable)
        context.update(
            project=project,
            timetable=timetable,
            chart=gantt_svg(
                tasks,
                timezone.localdate(),
                f"{project.reference} {project.title}: timetable {timetable.label if timetable else ''}",
            ),
        )
        return context


class TimetableCompareView(ProjectMixin, TemplateView):
    template_name = "procurement/timetable_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.get_project()
        versions = selectors.versions(project)
        numbers = [v.number for v in versions]
        try:
            a = int(self.request.GET.get("a") or (numbers[1] if len(numbers) > 1 else numbers[0]))
            b = int(self.request.GET.get("b") or numbers[0])
        except (TypeError, ValueError, IndexError):
            a = b = None
        old = Timetable.objects.filter(project=project, number=a).first()
        new = Timetable.objects.filter(project=project, number=b).first()
        context.update(project=project, versions=versions, a=a, b=b, old=old, new=new)
        if old and new:
            diffs = selectors.compare_versions(old, new)
            context["diffs"] = diffs
            context["changed"] = [d for d in diffs if d.change != "same"]
        else:
            context["error"] = "Choose two versions of this timetable to compare."
        return context


class ContractStartView(ProjectMixin, FormView):
    template_name = "procurement/project_contract_start.html"
    form_class = ContractStartForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = self.get_project()
        if not can_change_project(request.user, self.project):
            raise PermissionDenied("Only the programme team or the project manager can re-plan this timetable.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"contract_start": self.project.contract_start, "expected_version": self.project.version}

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)

    def form_valid(self, form):
        try:
            services.project_move_contract_start(
                project=self.project,
                contract_start=form.cleaned_data["contract_start"],
                expected_version=form.cleaned_data["expected_version"],
                user=self.request.user,
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc, default_field="contract_start")
            return self.form_invalid(form)
        messages.success(self.request, "The contract start moved and the open tasks were re-planned.")
        return redirect("procurement:project_detail", pk=self.project.pk)


def _plan_field(message):
    """Where a timetable problem found while drawing a new project belongs on its form."""
    return "contract_start" if "contract start" in message.lower() else "template"


class ProjectCreateView(LoginRequiredMixin, View):
    """The programme team creates a project; its timetable is drawn from the chosen template."""

    template_name = "procurement/project_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_create_project(request.user):
            raise PermissionDenied("Only the programme team can create procurement projects.")
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, formset):
        return render(
            self.request,
            self.template_name,
            {"form": form, "formset": formset, "title": "New procurement project", "creating": True},
        )

    def get(self, request):
        form = ProjectForm(show_money=can_see_money(request.user), initial={"project_manager": request.user.pk})
        return self.render(form, partner_formset())

    def post(self, request):
        form = ProjectForm(request.POST, show_money=can_see_money(request.user))
        formset = partner_formset(data=request.POST)
        if form.is_valid() and formset.is_valid():
            try:
                project = services.project_create(
                    **form.service_fields(),
                    template=form.cleaned_data["template"],
                    partners=formset.partners(),
                    created_by=request.user,
                    partnership=getattr(request, "partnership", None),
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc, default_field=_plan_field)
            else:
                timetable = project.timetables.get(is_current=True)
                today = timezone.localdate()
                feasible = services.project_feasibility(project, today)
                if not feasible.feasible:
                    messages.warning(request, feasible.message(today))
                messages.success(
                    request,
                    f"Created {project.reference} {project.title} with its timetable {timetable.label} "
                    f"({timetable.tasks.count()} tasks) drawn from “{project.template}”.",
                )
                return redirect("procurement:project_detail", pk=project.pk)
        return self.render(form, formset)


class ProjectChangeMixin(ProjectMixin):
    """Readable but not changeable: 403; not readable: 404 (existence is never leaked)."""

    denied = "Only the programme team or the project manager can change this project."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.project = self.get_project()
        if not self.allowed(request.user):
            raise PermissionDenied(self.denied)
        return super().dispatch(request, *args, **kwargs)

    def allowed(self, user):
        return can_change_project(user, self.project)


class ProjectUpdateView(ProjectChangeMixin, View):
    template_name = "procurement/project_form.html"

    def render(self, form, formset):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "formset": formset,
                "project": self.project,
                "title": f"Edit {self.project.reference} {self.project.title}",
                "creating": False,
            },
        )

    def form(self, data=None):
        # The form validates a copy, so the page keeps the project as saved until the service changes it.
        instance = ProcurementProject.objects.get(pk=self.project.pk)
        return ProjectForm(data, instance=instance, show_money=can_see_money(self.request.user))

    def formset(self, data=None):
        if not can_see_money(self.request.user):
            return None
        return partner_formset(data=data, project=self.project, extra=2)

    def get(self, request, pk):
        return self.render(self.form(), self.formset())

    def post(self, request, pk):
        form, formset = self.form(request.POST), self.formset(request.POST)
        if form.is_valid() and (formset is None or formset.is_valid()):
            try:
                services.project_update(
                    project=self.project,
                    expected_version=form.cleaned_data.get("version"),
                    user=request.user,
                    partners=formset.partners() if formset is not None else None,
                    **form.service_fields(),
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc, default_field=None)
            else:
                messages.success(request, f"Saved the changes to {self.project.reference}.")
                return redirect("procurement:project_detail", pk=self.project.pk)
        return self.render(form, formset)


class TaskUpdateView(ProjectChangeMixin, View):
    """The person responsible records progress; the project manager and programme team also move the date."""

    template_name = "procurement/task_form.html"
    denied = "Only the person responsible for this task, the project manager or the programme team can update it."

    def get_task(self):
        return get_object_or_404(
            Task.objects.select_related("timetable", "responsible_user"),
            pk=self.kwargs["task_pk"],
            timetable__project=self.project,
        )

    def allowed(self, user):
        self.task = self.get_task()
        return can_update_task(user, self.task, self.project)

    def render(self, form):
        return render(self.request, self.template_name, {"form": form, "project": self.project, "task": self.task})

    def form(self, data=None):
        return TaskForm(data, task=self.task, can_plan=can_plan_task(self.request.user, self.project))

    def get(self, request, pk, task_pk):
        return self.render(self.form())

    def post(self, request, pk, task_pk):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                task = services.task_update(
                    task=self.task,
                    user=request.user,
                    expected_version=form.cleaned_data.get("version"),
                    **form.service_fields(),
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc, default_field="due")
            else:
                note = " It will send no more reminders." if task.is_finished else ""
                messages.success(request, f"Task {task.number} updated: {task.get_status_display().lower()}.{note}")
                url = reverse("procurement:project_detail", args=[self.project.pk])
                return redirect(f"{url}#task-{task.number}")
        return self.render(form)


class TaskArrangeView(ProjectChangeMixin, View):
    """Move a task of the current version up or down, to a number, or remove it. The whole timetable is checked
    on each change (services.task_move / task_remove); a problem names both tasks and nothing is saved."""

    template_name = "procurement/task_arrange.html"
    denied = "Only the project manager or the programme team can reorder or remove the tasks of this timetable."

    def allowed(self, user):
        return can_plan_task(user, self.project)

    def get_task(self):
        return get_object_or_404(
            Task.objects.select_related("timetable"),
            pk=self.kwargs["task_pk"],
            timetable__project=self.project,
            timetable__is_current=True,
        )

    def form(self, task, data=None):
        highest = Task.objects.filter(timetable_id=task.timetable_id).count()
        return TaskArrangeForm(data, task=task, highest=highest)

    def render(self, form, task):
        return render(self.request, self.template_name, {"form": form, "project": self.project, "task": task})

    def get(self, request, pk, task_pk):
        task = self.get_task()
        return self.render(self.form(task), task)

    def post(self, request, pk, task_pk):
        task = self.get_task()
        form = self.form(task, request.POST)
        url = reverse("procurement:project_detail", args=[self.project.pk])
        if form.is_valid():
            action, lock = form.cleaned_data["action"], form.cleaned_data["expected_lock"]
            try:
                if action == TaskArrangeForm.REMOVE:
                    services.task_remove(task=task, user=request.user, expected_lock=lock)
                    messages.success(
                        request, f"Task {task.number} '{task.activity}' removed; the tasks after it moved up."
                    )
                    return redirect(url)
                to_number = form.cleaned_data["to_number"]
                if to_number != task.number:
                    services.task_move(task=task, to_number=to_number, user=request.user, expected_lock=lock)
                    messages.success(request, f"Task '{task.activity}' is now task {to_number}.")
                else:
                    messages.info(request, f"Task {task.number} stays where it is.")
                return redirect(f"{url}#task-{to_number}")
            except ValidationError as exc:
                editing.errors_to_form(form, exc, default_field=None)
        return self.render(form, task)


class TaskInsertView(ProjectChangeMixin, View):
    """A new task at a number of the current version; the tasks from there on move down one. The whole timetable
    is checked first (services.task_insert); a problem names both tasks and nothing is saved."""

    template_name = "procurement/task_insert.html"
    denied = "Only the project manager or the programme team can add tasks to this timetable."

    def allowed(self, user):
        return can_plan_task(user, self.project)

    def form(self, data=None):
        self.timetable = get_object_or_404(Timetable, project=self.project, is_current=True)
        highest = self.timetable.tasks.count()
        return TaskInsertForm(data, timetable=self.timetable, highest=highest)

    def render(self, form):
        return render(
            self.request, self.template_name, {"form": form, "project": self.project, "timetable": self.timetable}
        )

    def get(self, request, pk):
        return self.render(self.form())

    def post(self, request, pk):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                task = services.task_insert(
                    timetable=self.timetable,
                    number=form.cleaned_data["number"],
                    user=request.user,
                    expected_lock=form.cleaned_data["expected_lock"],
                    **form.service_fields(),
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc, default_field=None)
            else:
                messages.success(request, f"Task {task.number} '{task.activity}' added; the tasks after it moved down.")
                url = reverse("procurement:project_detail", args=[self.project.pk])
                return redirect(f"{url}#task-{task.number}")
        return self.render(form)


class TimetablePublishView(ProjectChangeMixin, View):
    """Keep the current timetable as it stands and move on to the next version number."""

    template_name = "procurement/timetable_publish.html"
    denied = "Only the programme team or the project manager can publish this timetable."

    def allowed(self, user):
        return can_publish_timetable(user, self.project)

    def render(self, form, timetable):
        return render(self.request, self.template_name, {"form": form, "project": self.project, "timetable": timetable})

    def get(self, request, pk):
        timetable = get_object_or_404(Timetable, project=self.project, is_current=True)
        return self.render(PublishForm(initial={"expected_number": timetable.number}), timetable)

    def post(self, request, pk):
        timetable = get_object_or_404(Timetable, project=self.project, is_current=True)
        form = PublishForm(request.POST)
        if form.is_valid():
            try:
                current = services.timetable_publish(
                    timetable=timetable,
                    user=request.user,
                    change_note=form.cleaned_data["change_note"],
                    expected_number=form.cleaned_data["expected_number"],
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
                timetable.refresh_from_db()
            else:
                messages.success(request, f"Published {current.label}; v{current.number - 1} is kept as it was.")
                return redirect("procurement:project_detail", pk=self.project.pk)
        return self.render(form, timetable)


class ProjectRiskCreateView(ProjectChangeMixin, FormView):
    """A risk of this project, kept in the core groups' risk register with the project as its scope."""

    template_name = "procurement/risk_form.html"
    form_class = RiskForm
    denied = "Only the programme team (or the commission's core group) can add risks to this project."

    def allowed(self, user):
        return can_add_project_risk(user, self.project)

    def core_group(self):
        return self.project.commission.core_group if self.project.commission_id else None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "core_group": self.core_group()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(project=self.project, **kwargs)

    def form_valid(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            with transaction.atomic():
                claim = once.claim(self.request.user, form.cleaned_data.get("form_token"))
                risk = core_services.risk_create(
                    user=self.request.user, core_group=self.core_group(), scope_object=self.project, **fields
                )
                once.made(claim, reverse("procurement:project_detail", args=[self.project.pk]) + "#risks")
        except once.AlreadySent as exc:
            messages.info(self.request, str(exc))
            return redirect(exc.url or reverse("procurement:project_detail", args=[self.project.pk]))
        except NotAllowed as exc:
            raise PermissionDenied(str(exc)) from exc
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Risk “{risk}” added ({risk.rating}, score {risk.score}).")
        return redirect(reverse("procurement:project_detail", args=[self.project.pk]) + "#risks")


class ConflictAssessmentView(ProjectChangeMixin, View):
    """Add (no ``assessment_pk``) or change one person's conflicts assessment (Procurement Act 2023 s.83)."""

    template_name = "procurement/conflict_assessment_form.html"
    denied = "Only the programme team or the project manager can record this project's conflicts assessment."

    def allowed(self, user):
        return can_assess_conflicts(user, self.project)

    def assessment(self):
        if "assessment_pk" not in self.kwargs:
            return None
        return get_object_or_404(ConflictAssessment, pk=self.kwargs["assessment_pk"], project=self.project)

    def render(self, form, assessment):
        context = {"form": form, "project": self.project, "assessment": assessment}
        return render(self.request, self.template_name, context, status=400 if form.errors else 200)

    def get(self, request, pk, **kwargs):
        assessment = self.assessment()
        return self.render(ConflictAssessmentForm(instance=assessment), assessment)

    def post(self, request, pk, **kwargs):
        assessment = self.assessment()
        form = ConflictAssessmentForm(request.POST, instance=assessment)
        if form.is_valid():
            fields = {name: form.cleaned_data[name] for name in services.ASSESSMENT_FIELDS}
            try:
                services.conflict_assessment_save(
                    user=request.user,
                    project=self.project,
                    assessment=assessment,
                    expected_version=form.cleaned_data.get("version"),
                    **fields,
                )
            except NotAllowed as exc:
                raise PermissionDenied(str(exc)) from exc
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                messages.success(request, f"Conflicts assessment of {fields['person']} saved.")
                return redirect(reverse("procurement:project_detail", args=[self.project.pk]) + "#conflicts")
        return self.render(form, assessment)


class UnderspendView(LoginRequiredMixin, TemplateView):
    template_name = "procurement/underspend.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not can_view_underspend(request.user):
            raise PermissionDenied("Underspend is financial detail for the programme team, the JCG and core groups.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET.copy()
        if "programme" not in data:
            first = Programme.objects.filter(partnership=self.request.partnership).order_by("name").first()
            if first:
                data["programme"] = str(first.pk)
        form = UnderspendForm(data, partnership=self.request.partnership)
        context["form"] = form
        if form.is_valid():
            programme, year = form.cleaned_data["programme"], form.cleaned_data["year"]
            context.update(programme=programme, year=year, **selectors.underspend_table(programme, year))
        return context
