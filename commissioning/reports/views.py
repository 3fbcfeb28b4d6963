"""Pages for board reports: thin views, each checking who is asking; records a user may not read are 404."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django.views.generic import DetailView, FormView, ListView

from foundation import editing, outbox
from foundation.forms import query_int

from ..models import BoardReport, Rendering
from . import catalogue, permissions, selectors, services
from .exceptions import ReportError
from .filters import ReportFilter
from .forms import BoardReportForm, RenderForm

# Shown when the broker could not be reached: the render waits in the outbox and starts when it is back.
RENDERER_UNAVAILABLE = (
    "the rendering service is not available just now. Your render starts as soon as it is back; "
    "you can leave this page and come back to it."
)


class ReportListView(LoginRequiredMixin, ListView):
    template_name = "commissioning/reports/report_list.html"
    paginate_by = 25
    context_object_name = "reports"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_list_reports(request.user):
            raise PermissionDenied("Board reports are for the programme team, the Body and core group members.")
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        self.filterset = ReportFilter(
            self.request.GET or None, queryset=selectors.reports_for(self.request.user), user=self.request.user
        )
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["can_create"] = permissions.can_create_report(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        return context


class ReportFormMixin(LoginRequiredMixin):
    form_class = BoardReportForm
    template_name = "commissioning/reports/report_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programmes"] = selectors.visible_programmes(self.request.user)
        return kwargs

    def save(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            report = self.save(form)
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "The report is saved.")
        return redirect(report)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["catalogue"] = catalogue
        return context


class ReportCreateView(ReportFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_create_report(request.user):
            raise PermissionDenied("Only the programme team writes board reports.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        initial = super().get_initial()
        # Only a whole number can name a programme: anything else (abc, NUL, 1e309) starts an empty form.
        programme = selectors.visible_programmes(self.request.user).filter(
            pk=query_int(self.request.GET, "programme") or 0
        )
        chosen = programme.first()
        if chosen is not None:
            initial["programme"] = chosen
            initial["board"] = chosen.reports_to
        return initial

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        return services.report_create(user=self.request.user, **data)


class ReportUpdateView(ReportFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.report = get_object_or_404(selectors.reports_for(request.user), pk=kwargs["pk"])
        if not permissions.can_edit_report(request.user, self.report):
            raise PermissionDenied("Only the programme team edits board reports.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.report
        return kwargs

    def save(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        # A missing version is the page out of date (foundation.editing), never "whatever is saved now".
        version = form.cleaned_data.get("version")
        return services.report_update(report=self.report, user=self.request.user, version=version, **data)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["report"] = self.report
        return context


def status_context(user, report):
    services.rendering_sweep_stale(report=report)
    latest = services.mark_waiting(selectors.latest_renderings(user, report))
    history = list(selectors.visible_renderings(user, report)[:50])
    return {
        "report": report,
        "latest": latest,
        "history": history,
        "polling": any(r.is_active for r in latest),
        "can_render": permissions.can_render_report(user, report),
        "editions": [
            (value, label) for value, label in BoardReport.Edition.choices if permissions.can_read_edition(user, value)
        ],
    }


class ReportDetailView(LoginRequiredMixin, DetailView):
    template_name = "commissioning/reports/report_detail.html"
    context_object_name = "report"

    def get_queryset(self):
        return selectors.reports_for(self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report = self.object
        context.update(status_context(self.request.user, report))
        context["can_edit"] = permissions.can_edit_report(self.request.user, report)
        context["chosen_sections"] = catalogue.ordered(report.kind, report.sections)
        if report.kind == BoardReport.Kind.BODY_PACK and report.funding_round_id:
            from .pack import recommendations

            # What the pack will ask of the Body: the team's words, or the draft from the ranking they may edit.
            context["paper"] = recommendations(report.funding_round, report)
        return context


class RenderingStatusView(LoginRequiredMixin, View):
    """The part of the report page that htmx polls while a render is queued or under way."""

    def get(self, request, pk):
        from django.shortcuts import render

        report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
        return render(request, "commissioning/reports/_rendering_status.html", status_context(request.user, report))


class RenderRequestView(LoginRequiredMixin, View):
    def post(self, request, pk):
        report = get_object_or_404(selectors.reports_for(request.user), pk=pk)
        if not permissions.can_render_report(request.user, report):
            raise PermissionDenied("Only the programme team renders board reports.")
        form = RenderForm(request.POST)
        edition = form.cleaned_data["edition"] if form.is_valid() else report.edition
        try:
            # No broker (make run): the render runs in a thread after the response, the page polls it.
            with outbox.delivery(background=True) as delivery:
                _rendering, joined = services.rendering_request(report=report, user=request.user, edition=edition)
        except ReportError as exc:
            messages.error(request, str(exc))
            return redirect(report)
        label = BoardReport.Edition(edition).label.split(" (")[0].lower()
        if joined:
            messages.info(request, f"A render of the {label} edition is already under way: this page shows it.")
        elif delivery.delayed:
            messages.warning(request, f"The {label} edition is waiting: {RENDERER_UNAVAILABLE}")
        else:
            messages.success(request, f"The {label} edition is queued. This page updates itself when it is ready.")
        return redirect(report)


class RenderingRetryView(LoginRequiredMixin, View):
    def post(self, request, pk):
        rendering = get_object_or_404(Rendering.objects.filter(report__in=selectors.reports_for(request.user)), pk=pk)
        if not permissions.can_read_edition(request.user, rendering.edition):
            raise Http404("No such render.")  # the internal edition does not exist for a provider's user
        if not permissions.can_render_report(request.user, rendering.report):
            raise PermissionDenied("Only the programme team renders board reports.")
        try:
            with outbox.delivery(background=True) as delivery:
                services.rendering_retry(rendering=rendering, user=request.user)
        except ReportError as exc:
            messages.error(request, str(exc))
        else:
            if delivery.delayed:
                messages.warning(request, f"Trying again, but it is waiting: {RENDERER_UNAVAILABLE}")
            else:
                messages.success(request, "Trying again. This page updates itself when it is ready.")
        return redirect(rendering.report)


class RenderingDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        rendering = get_object_or_404(Rendering.objects.select_related("report__programme"), pk=pk)
        if not permissions.can_download_rendering(request.user, rendering):
            raise Http404("No such report.")
        try:
            handle = default_storage.open(rendering.file.name, "rb")
        except FileNotFoundError as exc:
            raise Http404("The file of this render is missing.") from exc
        response = FileResponse(
            handle, as_attachment=True, filename=rendering.download_name, content_type="application/pdf"
        )
        response["X-Content-SHA256"] = rendering.sha256
        response["Cache-Control"] = "private, no-store"
        return response
