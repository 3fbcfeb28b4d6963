from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import FormView, ListView, TemplateView, View

from core_groups.models import Commission, Organisation, Programme, User
from foundation import editing, imports
from foundation.spreadsheets import csv_response

from . import charts, permissions, selectors, services
from .exceptions import NotAllowed
from .forms import (
    ActionFilterForm,
    ActionForm,
    ContractFilterForm,
    ContractForm,
    ImportForm,
    MeasureForm,
    MinuteItemForm,
    PeriodForm,
    ReturnForm,
    ReviewForm,
    TargetForm,
)
from .import_runners import RETURNS as RETURNS_IMPORT
from .models import Measure, Meeting, MinuteItem
from .returns_io import COLUMNS, ImportRefused


class PermissionMixin(LoginRequiredMixin):
    """Signed-in users only; ``permission(user)`` decides the rest (403 when it says no)."""

    permission = None
    refusal = "You do not have access to this page."

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).permission(request.user):
            raise PermissionDenied(self.refusal)
        return super().dispatch(request, *args, **kwargs)


def chart_rows(trends):
    return [
        {
            "trend": trend,
            "chart": charts.trend_chart(
                trend.points,
                title=trend.measure.title,
                baseline=trend.measure.baseline_value,
                baseline_label=trend.measure.baseline_label,
            ),
        }
        for trend in trends
    ]


class ReviewIndexView(PermissionMixin, TemplateView):
    permission = staticmethod(lambda user: user.is_authenticated)
    template_name = "review/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        mine = selectors.scoped(Programme, self.request.partnership)
        context["programmes"] = mine if permissions.can_view_programme_review(user) else []
        context["can_view_returns"] = permissions.can_view_returns(user)
        return context


class ProgrammeReviewView(PermissionMixin, TemplateView):
    """Every measure of the programme: baseline, targets, latest actual and its trend chart with a table."""

    permission = staticmethod(permissions.can_view_programme_review)
    refusal = "A provider's user sees the figures of their own services only, on the returns page."
    template_name = "review/programme_review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = get_object_or_404(selectors.scoped(Programme, self.request.partnership), pk=self.kwargs["pk"])
        context["programme"] = programme
        context["rows"] = chart_rows(selectors.programme_trends(programme))
        context["can_edit"] = permissions.can_edit_measures(self.request.user)
        return context


class MeasureCreateView(PermissionMixin, FormView):
    """The programme team sets a measure, with its baseline (or none yet, said in words)."""

    permission = staticmethod(permissions.can_edit_measures)
    refusal = "The programme team sets the measures."
    template_name = "review/measure_form.html"
    form_class = MeasureForm

    @cached_property
    def programme(self):
        # Looked up after the permission check (PermissionMixin.dispatch), so a refusal reveals nothing.
        return get_object_or_404(selectors.scoped(Programme, self.request.partnership), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "programme": self.programme}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "programme": self.programme}

    def form_valid(self, form):
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("title", "commission")}
        try:
            measure = services.measure_create(
                programme=self.programme,
                title=form.cleaned_data["title"],
                commission=form.cleaned_data.get("commission"),
                **fields,
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Added the measure “{measure.title}”.")
        return redirect("review:programme", pk=self.programme.pk)


class TargetSetView(PermissionMixin, FormView):
    permission = staticmethod(permissions.can_edit_measures)
    refusal = "The programme team sets the targets."
    template_name = "review/target_form.html"
    form_class = TargetForm

    @cached_property
    def measure(self):
        return get_object_or_404(
            selectors.scoped(Measure.objects.select_related("programme"), self.request.partnership),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "measure": self.measure}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.target_set(
                measure=self.measure,
                period_start=data["period_start"],
                period_end=data["period_end"],
                value=data["value"],
                label=data.get("period_label", ""),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Set the target for “{self.measure.title}”.")
        return redirect("review:programme", pk=self.measure.programme_id)


class ReturnListView(PermissionMixin, TemplateView):
    permission = staticmethod(permissions.can_view_returns)
    refusal = "Returns are made by providers and reviewed by the programme team."
    template_name = "review/return_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        services = selectors.services_for(user)
        context["services"] = services
        context["returns"] = selectors.returns_for(user).order_by("-period_start", "commission__title")[:200]
        context["overdue"] = selectors.overdue_returns(services)
        context["is_keeper"] = permissions.is_review_keeper(user)
        return context


class ReturnSubmitView(LoginRequiredMixin, FormView):
    """A provider's user makes the quarterly return for one of their own services; others' services are 404."""

    template_name = "review/return_form.html"
    form_class = ReturnForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not (permissions.can_view_returns(request.user)):
            raise PermissionDenied("Returns are made by the service's provider.")
        self.commission = get_object_or_404(
            selectors.scoped(Commission.objects.select_related("provider"), request.partnership), pk=kwargs["pk"]
        )
        if not permissions.can_submit_return(request.user, self.commission):
            # Another provider's service does not exist for this user.
            raise Http404("No such service.")
        self.measures = list(Measure.objects.filter(commission=self.commission).order_by("kind", "title"))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "commission": self.commission,
            "measures": self.measures,
            "today": timezone.localdate(),
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["commission"] = self.commission
        context["trends"] = chart_rows(selectors.service_trends(self.commission))
        return context

    def form_valid(self, form):
        if not form.cleaned_data.get("period"):
            form.add_error("period", "Choose the quarter this return is for.")
            return self.form_invalid(form)
        start, end = form.period_dates()
        submit = self.request.POST.get("action") != "draft"
        try:
            ret = services.return_submit(
                user=self.request.user,
                commission=self.commission,
                period_start=start,
                period_end=end,
                values=form.values(),
                notes=form.cleaned_data.get("notes", ""),
                submit=submit,
                expected_version=form.cleaned_data.get("version"),
            )
        except (NotAllowed, ValidationError) as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        verb = "Submitted" if submit else "Saved the draft of"
        messages.success(self.request, f"{verb} the return for {ret.period_label}.")
        return redirect("review:return_detail", pk=ret.pk)


class ReturnDetailView(LoginRequiredMixin, FormView):
    """A return's figures and history; the programme team rates it here (POST)."""

    template_name = "review/return_detail.html"
    form_class = ReviewForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.can_view_returns(request.user):
            raise PermissionDenied("Returns are read by their provider and the programme team.")
        self.ret = get_object_or_404(selectors.returns_for(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if not permissions.can_review_return(request.user, self.ret):
            raise PermissionDenied("Only the programme team reviews returns.")
        return super().post(request, *args, **kwargs)

    def get_initial(self):
        return {"rag": self.ret.rag, "comment": self.ret.review_comment, "version": self.ret.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["ret"] = self.ret
        context["values"] = self.ret.values.select_related("measure").order_by("measure__kind", "measure__title")
        context["history"] = self.ret.history.select_related("history_user")[:20]
        context["can_review"] = permissions.can_review_return(self.request.user, self.ret)
        context["can_edit"] = permissions.can_submit_return(self.request.user, self.ret.commission)
        return context

    def form_valid(self, form):
        try:
            services.return_review(
                user=self.request.user,
                return_record=self.ret,
                rag=form.cleaned_data["rag"],
                comment=form.cleaned_data["comment"],
                expected_version=form.cleaned_data.get("version"),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Rated the return for {self.ret.period_label}.")
        return redirect("review:return_detail", pk=self.ret.pk)


class ReturnImportView(PermissionMixin, FormView):
    """Returns from a file: the provider's user for their own services, the programme team for any."""

    permission = staticmethod(permissions.can_view_returns)
    refusal = "Returns are made by providers and the programme team."
    template_name = "review/return_import.html"
    form_class = ImportForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = [label for _key, label in COLUMNS]
        context["services"] = selectors.services_for(self.request.user).prefetch_related("measures")
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        if imports.in_background(data):
            # A big file is imported by a worker; the person watches its progress (foundation/imports.py).
            partnership = getattr(self.request, "partnership", None)
            job = imports.start(
                kind=RETURNS_IMPORT,
                name=upload.name,
                data=data,
                user=self.request.user,
                partnership_id=partnership.pk if partnership is not None else None,
                return_url=reverse("review:returns"),
            )
            return redirect("imports:job", pk=job.pk)
        try:
            saved = services.returns_import(user=self.request.user, name=upload.name, data=data)
        except ImportRefused as refused:
            return self.render_to_response(
                self.get_context_data(form=form, problems=refused.problems, uploaded=upload.name)
            )
        messages.success(self.request, f"Imported {saved} return{'s' if saved != 1 else ''}.")
        return redirect("review:returns")


class _PeriodMixin:
    def period(self):
        form = PeriodForm(self.request.GET or None)
        if form.is_bound and form.is_valid():
            return form, form.cleaned_data.get("start"), form.cleaned_data.get("end")
        return form, None, None


class MeetingListView(PermissionMixin, _PeriodMixin, TemplateView):
    permission = staticmethod(permissions.can_view_meetings)
    template_name = "review/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, start, end = self.period()
        context["form"] = form
        context["summary"] = selectors.attendance_summary(
            selectors.scoped(selectors.meetings_between(start, end), self.request.partnership)
        )
        return context


class MeetingDetailView(PermissionMixin, TemplateView):
    permission = staticmethod(permissions.can_view_meetings)
    template_name = "review/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = get_object_or_404(
            selectors.scoped(Meeting.objects.select_related("programme"), self.request.partnership),
            pk=self.kwargs["pk"],
        )
        context["meeting"] = meeting
        context["attendances"] = meeting.attendances.select_related("user__organisation").order_by(
            "user__organisation__name", "user__last_name"
        )
        context["items"] = selectors.minute_items(meeting)
        context["can_record"] = permissions.can_record_meetings(self.request.user, meeting)
        return context


class _MinuteMixin:
    request: Any
    kwargs: Any

    def meeting_url(self, meeting, item=None):
        from django.urls import reverse

        return reverse("review:meeting", args=[meeting.pk]) + (f"#minute-{item.pk}" if item else "#minutes")


class MinuteItemCreateView(PermissionMixin, _MinuteMixin, FormView):
    """The programme team adds the next numbered item to a meeting's minutes."""

    permission = staticmethod(permissions.can_record_meetings)
    refusal = "The programme team keeps the minutes."
    template_name = "review/minute_form.html"
    form_class = MinuteItemForm

    @cached_property
    def meeting(self):
        # Looked up after the permission check (PermissionMixin.dispatch): another partnership's is not found.
        return get_object_or_404(
            selectors.scoped(Meeting.objects.select_related("programme"), self.request.partnership),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.meeting}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "meeting": self.meeting, "item": None}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            item = services.minute_item_add(
                user=self.request.user,
                meeting=self.meeting,
                title=data["title"],
                text=data.get("text", ""),
                decisions=data.get("decisions") or [],
            )
        except (NotAllowed, ValidationError) as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Added {item.label}: {item.title}.")
        return redirect(self.meeting_url(self.meeting, item))


class MinuteItemEditView(PermissionMixin, _MinuteMixin, FormView):
    """Change a minute item and the decisions taken under it; the version it was opened at is checked."""

    permission = staticmethod(permissions.can_record_meetings)
    refusal = "The programme team keeps the minutes."
    template_name = "review/minute_form.html"
    form_class = MinuteItemForm

    @cached_property
    def item(self):
        return get_object_or_404(
            selectors.scoped(MinuteItem.objects.select_related("meeting__programme"), self.request.partnership),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "meeting": self.item.meeting}

    def get_initial(self):
        return {
            "title": self.item.title,
            "text": self.item.text,
            "decisions": [link.decision_id for link in self.item.decision_links.all()],
            "version": self.item.version,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = self.item.meeting
        context["item"] = self.item
        context["history"] = self.item.history.select_related("history_user").order_by("-history_date")[:20]
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            item = services.minute_item_update(
                user=self.request.user,
                item=self.item,
                expected_version=data.get("version"),
                title=data["title"],
                text=data.get("text", ""),
                decisions=data.get("decisions") or [],
            )
        except (NotAllowed, ValidationError) as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {item.label}: {item.title}.")
        return redirect(self.meeting_url(item.meeting, item))


class MinuteItemMoveView(PermissionMixin, _MinuteMixin, View):
    """POST: move a minute item up or down one place (it swaps numbers with its neighbour)."""

    permission = staticmethod(permissions.can_record_meetings)
    refusal = "The programme team keeps the minutes."

    def post(self, request, *args, **kwargs):
        item = get_object_or_404(
            selectors.scoped(MinuteItem.objects.select_related("meeting"), request.partnership), pk=kwargs["pk"]
        )
        try:
            moved = services.minute_item_move(user=request.user, item=item, direction=request.POST.get("direction"))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect(self.meeting_url(item.meeting, item))
        messages.success(request, f"Moved “{moved.title}” to {moved.label}.")
        return redirect(self.meeting_url(item.meeting, moved))


class EventListView(PermissionMixin, _PeriodMixin, TemplateView):
    permission = staticmethod(permissions.can_view_events)
    template_name = "review/event_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form, start, end = self.period()
        events = list(selectors.events_between(start, end))
        context["form"] = form
        context["events"] = events
        context["totals"] = selectors.event_totals(events)
        return context


# ---------------------------------------------------------------- action plans


class ActionListView(PermissionMixin, ListView):
    """The partnership's action plan: filters (status, owner, overdue), sorting and pages."""

    permission = staticmethod(permissions.can_view_actions)
    refusal = "The action plan is read by the partnership's people."
    template_name = "review/action_list.html"
    context_object_name = "actions"
    paginate_by = 25

    @cached_property
    def filters(self):
        base = selectors.actions_for(self.request.partnership)
        owners = User.objects.filter(pk__in=base.exclude(owner=None).values("owner")).order_by("last_name")
        return ActionFilterForm(self.request.GET or None, owners=owners)

    def get_queryset(self):
        data = self.filters.cleaned_data if self.filters.is_bound and self.filters.is_valid() else {}
        return selectors.filter_actions(
            selectors.actions_for(self.request.partnership),
            status=data.get("status") or "",
            owner=data.get("owner"),
            overdue=bool(data.get("overdue")),
            sort=data.get("sort") or "due",
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        context["form"] = self.filters
        context["today"] = timezone.localdate()
        context["can_add"] = permissions.can_add_action(self.request.user)
        return context


class ActionCreateView(PermissionMixin, FormView):
    permission = staticmethod(permissions.can_add_action)
    refusal = "The programme team keeps the action plan."
    template_name = "review/action_form.html"
    form_class = ActionForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("programme", "version")}
        try:
            action = services.action_create(user=self.request.user, programme=form.cleaned_data["programme"], **data)
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Added “{action.title}” to the action plan.")
        return redirect("review:actions")


class ActionEditView(LoginRequiredMixin, FormView):
    """Change an action and record progress; another partnership's action is not found."""

    template_name = "review/action_form.html"
    form_class = ActionForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not permissions.can_view_actions(request.user):
            raise PermissionDenied("The action plan is read by the partnership's people.")
        self.action = get_object_or_404(selectors.actions_for(request.partnership), pk=kwargs["pk"])
        if not permissions.can_edit_action(request.user, self.action):
            raise PermissionDenied("The programme team and the action's owner update an action.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.request.partnership, "instance": self.action}

    def get_initial(self):
        return {"version": self.action.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["action"] = self.action
        context["history"] = self.action.history.select_related("history_user").order_by("-history_date")[:20]
        return context

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("programme", "version")}
        try:
            services.action_update(
                user=self.request.user,
                action=self.action,
                expected_version=self.request.POST.get("version"),
                **data,
            )
        except (NotAllowed, ValidationError) as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved “{self.action.title}”.")
        return redirect("review:actions")


# ---------------------------------------------------------------- contracts register


class _ContractFilterMixin:
    request: Any

    @cached_property
    def contract_filters(self):
        base = selectors.contracts_for(self.request.partnership)
        suppliers = Organisation.objects.filter(pk__in=base.values("supplier")).order_by("name")
        programmes = Programme.objects.filter(pk__in=base.values("programme")).order_by("name")
        return ContractFilterForm(self.request.GET or None, suppliers=suppliers, programmes=programmes)

    def filtered_contracts(self):
        form = self.contract_filters
        data = form.cleaned_data if form.is_bound and form.is_valid() else {}
        return selectors.filter_contracts(
            selectors.contracts_for(self.request.partnership),
            state=data.get("state") or "",
            supplier=data.get("supplier"),
            programme=data.get("programme"),
            q=(data.get("q") or "").strip(),
        )


class ContractListView(PermissionMixin, _ContractFilterMixin, ListView):
    permission = staticmethod(permissions.can_view_contracts)
    refusal = "The contracts register is for the partnership's commissioners."
    template_name = "review/contract_list.html"
    context_object_name = "contracts"
    paginate_by = 25

    def get_queryset(self):
        return self.filtered_contracts()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        context["form"] = self.contract_filters
        context["can_add"] = permissions.can_add_contract(self.request.user)
        return context


class ContractExportView(PermissionMixin, _ContractFilterMixin, View):
    permission = staticmethod(permissions.can_view_contracts)
    refusal = "The contracts register is for the partnership's commissioners."

    def get(self, request, *args, **kwargs):
        contracts = self.filtered_contracts()
        return csv_response("contracts.csv", selectors.CONTRACT_COLUMNS, selectors.contract_rows(contracts), bom=True)


class ContractCreateView(PermissionMixin, FormView):
    permission = staticmethod(permissions.can_add_contract)
    refusal = "The programme team keeps the contracts register."
    template_name = "review/contract_form.html"
    form_class = ContractForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.request.partnership}

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("programme", "measures", "version")}
        try:
            contract = services.contract_create(
                user=self.request.user,
                programme=form.cleaned_data["programme"],
                measures=form.cleaned_data.get("measures") or [],
                **data,
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Entered the contract “{contract.title}” in the register.")
        return redirect("review:contracts")


class ContractEditView(PermissionMixin, FormView):
    """Change a contract of the register (an extension taken, a new manager, its KPIs); the version it was opened
    at is checked, and another partnership's contract is not found."""

    permission = staticmethod(permissions.can_edit_contract)
    refusal = "The programme team keeps the contracts register."
    template_name = "review/contract_form.html"
    form_class = ContractForm

    @cached_property
    def contract(self):
        return get_object_or_404(selectors.contracts_for(self.request.partnership), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "partnership": self.request.partnership, "instance": self.contract}

    def get_initial(self):
        return {"version": self.contract.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contract"] = self.contract
        context["alerts"] = self.contract.alerts.order_by("-months")
        context["history"] = self.contract.history.select_related("history_user").order_by("-history_date")[:20]
        return context

    def form_valid(self, form):
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("programme", "measures", "version")}
        try:
            contract = services.contract_update(
                user=self.request.user,
                contract=self.contract,
                expected_version=form.cleaned_data.get("version"),
                measures=form.cleaned_data.get("measures") or [],
                **data,
            )
        except (NotAllowed, ValidationError) as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved the contract “{contract.title}”.")
        return redirect("review:contracts")
