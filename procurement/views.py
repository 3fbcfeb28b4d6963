from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import FormView, ListView, TemplateView

from core_groups.models import Programme
from core_groups.permissions import can_see_money

from . import selectors, services
from .forms import ContractStartForm, UnderspendForm
from .gantt import gantt_svg
from .models import ProcurementProject, Timetable
from .permissions import can_change_project, can_view_project, can_view_underspend


class ProjectListView(LoginRequiredMixin, ListView):
    template_name = "procurement/project_list.html"
    context_object_name = "projects"
    paginate_by = 25

    def get_queryset(self):
        self.filterset = selectors.project_list(user=self.request.user, filters=self.request.GET or None)
        qs = self.filterset.qs
        if not self.request.GET.get("sort"):
            qs = qs.order_by("contract_start", "reference")
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class ProjectMixin(LoginRequiredMixin):
    def get_project(self):
        try:
            project = selectors.project_detail(self.kwargs["pk"])
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
        for task in tasks:
            task.css = task.urgency(today)
        context.update(
            project=project,
            timetable=timetable,
            stages=selectors.tasks_by_stage(tasks),
            versions=selectors.versions(project),
            overdue=selectors.overdue_count(tasks, today),
            can_change=can_change_project(self.request.user, project),
            show_money=can_see_money(self.request.user),
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
            for message in exc.messages:
                form.add_error("contract_start", message)
            return self.form_invalid(form)
        messages.success(self.request, "The contract start moved and the open tasks were re-planned.")
        return redirect("procurement:project_detail", pk=self.project.pk)


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
            first = Programme.objects.filter(name="Cymorth").first() or Programme.objects.order_by("name").first()
            if first:
                data["programme"] = str(first.pk)
        form = UnderspendForm(data)
        context["form"] = form
        if form.is_valid():
            programme, year = form.cleaned_data["programme"], form.cleaned_data["year"]
            context.update(programme=programme, year=year, **selectors.underspend_table(programme, year))
        return context
