"""Thin views: each checks who is asking, then calls one selector or one service."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, TemplateView

from foundation import editing, once
from foundation.paging import IdsFirstPaginator
from foundation.spreadsheets import csv_response

from . import charts, conflicts, permissions, selectors, services
from .exceptions import FieldsLocked
from .financial_year import current_fy, fy_label
from .forms import (
    AllocationForm,
    BusinessCaseDecisionForm,
    CommissionForm,
    ForecastForm,
    InterestForm,
    RiskForm,
    SpecificationForm,
    SpendForm,
)
from .models import (
    Allocation,
    Commission,
    CoreGroup,
    Decision,
    DeclaredInterest,
    InterestConfirmation,
    Programme,
    Risk,
    SpendEntry,
)

PAGE_SIZE = 25


def _year(request, programme):
    """The financial year asked for (?year=2010), else the current one if in the programme, else its first."""
    years = selectors.programme_years(programme)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is None or not 2000 <= year <= 2100:
        now = current_fy()
        year = now if now in years else programme.first_year
    return year, years


def _page(request, queryset):
    return IdsFirstPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _querystring_without_page(request):
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class MoneyContextMixin:
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_money"] = permissions.can_see_money(self.request.user)
        return context


# --- Programmes and core groups ----------------------------------------------------------------------


class ProgrammeListView(LoginRequiredMixin, MoneyContextMixin, TemplateView):
    template_name = "core_groups/programme_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["programmes"] = selectors.programme_list(self.request.partnership).prefetch_related("core_groups")
        context["my_groups"] = selectors.groups_of(self.request.user, self.request.partnership)
        return context


class ProgrammeDetailView(LoginRequiredMixin, MoneyContextMixin, TemplateView):
    template_name = "core_groups/programme_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        programme = get_object_or_404(
            selectors.for_partnership(Programme, self.request.partnership), pk=self.kwargs["pk"]
        )
        year, years = _year(self.request, programme)
        position, page = selectors.programme_year_page(programme, year, self.request.GET.get("page"))
        context.update(
            programme=programme,
            year=year,
            years=[(y, fy_label(y)) for y in years],
            position=position,
            page_obj=page,
            querystring=_querystring_without_page(self.request),
            programme_risks=selectors.risks_queryset(self.request.user)
            .filter(programme=programme)
            .open()
            .order_by("-score", "title")[:10],
            can_add_risk=permissions.can_add_programme_risk(self.request.user, programme),
        )
        if context["can_money"]:
            title = f"Allocation against spend, {fy_label(year)}"
            if page.paginator.num_pages > 1:
                title += f", groups {page.start_index()} to {page.end_index()} of {page.paginator.count}"
            context["chart"] = charts.bar_chart_allocation_vs_spend(position.rows, title=title)
        return context


class CoreGroupDetailView(LoginRequiredMixin, MoneyContextMixin, TemplateView):
    template_name = "core_groups/group_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        try:
            group = selectors.group_detail(self.kwargs["pk"], self.request.partnership)
        except CoreGroup.DoesNotExist as exc:
            raise Http404 from exc
        user = self.request.user
        year, years = _year(self.request, group.programme)
        context.update(
            group=group,
            year=year,
            years=[(y, fy_label(y)) for y in years],
            members=selectors.group_members(group),
            work_plan=selectors.work_plan_by_phase(group),
            open_risks=selectors.open_risks_for_group(group, user),
            can_edit=permissions.can_edit_group(user, group),
            can_spend=permissions.can_record_spend(user, group),
            can_allocate=permissions.can_set_allocation(user, group),
            deleted_commissions=selectors.deleted_records(Commission, core_group_id=group.pk)[:10],
            deleted_risks=selectors.deleted_records(Risk, core_group_id=group.pk)[:10],
        )
        if context["can_money"]:
            context["position"] = selectors.group_year_position(group, year)
            context["spend_entries"] = group.spend_entries.filter(financial_year=year).select_related(
                "commission", "recorded_by"
            )[:25]
        return context


# --- Commissions -------------------------------------------------------------------------------------


class RefusalStatusMixin:
    """A form refused because the user may not change a field answers 400 (a refused write), not 200."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if getattr(form, "refused", False):
            response.status_code = 400
        return response


def _commission_fields(form):
    return {name: form.cleaned_data[name] for name in form.fields if name != "version" and name in form.cleaned_data}


class CommissionCreateView(LoginRequiredMixin, RefusalStatusMixin, FormView):
    form_class = CommissionForm
    template_name = "core_groups/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.group = get_object_or_404(
            selectors.for_partnership(CoreGroup.objects.select_related("programme"), request.partnership),
            pk=kwargs["pk"],
        )
        if request.user.is_authenticated and not permissions.can_edit_group(request.user, self.group):
            raise PermissionDenied("Only members of this core group or the programme team may add to its work plan.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "core_group": self.group}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Add a commission to {self.group}",
            back_url=reverse("core_groups:group", args=[self.group.pk]),
            back_label=str(self.group),
        )
        return context

    def form_valid(self, form):
        try:
            commission = services.commission_create(
                user=self.request.user, core_group=self.group, **_commission_fields(form)
            )
        except ValidationError as exc:
            form.refused = isinstance(exc, FieldsLocked)
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Added “{commission}” to the work plan.")
        return redirect("core_groups:commission", pk=commission.pk)


class CommissionUpdateView(LoginRequiredMixin, RefusalStatusMixin, FormView):
    form_class = CommissionForm
    template_name = "core_groups/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.commission = get_object_or_404(
            selectors.for_partnership(selectors.commissions_queryset(), request.partnership), pk=kwargs["pk"]
        )
        if request.user.is_authenticated and not permissions.can_edit_commission(request.user, self.commission):
            raise PermissionDenied("Only members of this core group or the programme team may change its work plan.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.commission}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Edit {self.commission}",
            back_url=reverse("core_groups:commission", args=[self.commission.pk]),
            back_label=str(self.commission),
        )
        return context

    def form_valid(self, form):
        try:
            saved = services.commission_update(
                user=self.request.user,
                commission=self.commission,
                expected_version=form.cleaned_data.get("version"),
                **_commission_fields(form),
            )
        except ValidationError as exc:
            form.refused = isinstance(exc, FieldsLocked)
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Commission saved.")
        reopened = getattr(saved, "reopened_decision", None)
        if reopened is not None:
            messages.warning(
                self.request,
                f"The {reopened.get_outcome_display().lower()} decision on the business case "
                f"({reopened.decider_label}, {reopened.decided_on:%d %B %Y}) no longer applies: "
                f"{reopened.superseded_reason} The deciders have been told.",
            )
        return redirect("core_groups:commission", pk=self.commission.pk)


class CommissionDetailView(LoginRequiredMixin, MoneyContextMixin, TemplateView):
    template_name = "core_groups/commission_detail.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.commission = None

    def get_commission(self):
        if self.commission is None:
            self.commission = get_object_or_404(
                selectors.for_partnership(selectors.commissions_queryset(), self.request.partnership),
                pk=self.kwargs["pk"],
            )
        return self.commission

    def get_context_data(self, spec_form=None, bc_form=None, **kwargs):
        context = super().get_context_data(**kwargs)
        commission = self.get_commission()
        user = self.request.user
        context.update(
            commission=commission,
            can_edit=permissions.can_edit_commission(user, commission),
            can_delete=permissions.can_delete_commission(user, commission),
            can_edit_spend=permissions.can_record_spend(user, commission.core_group),
            is_decider=permissions.is_decider(user, commission),
            decision_refusal=permissions.decision_refusal(user, commission),
            can_move_spec=permissions.can_submit_specification(user, commission),
            spec_form=spec_form
            or SpecificationForm(
                initial={"specification_state": commission.specification_state, "version": commission.version}
            ),
            bc_form=bc_form
            or BusinessCaseDecisionForm(
                initial={
                    "business_case_decision": commission.business_case_decision or "approved",
                    "business_case_decided_on": commission.business_case_decided_on or timezone.localdate(),
                    "version": commission.version,
                }
            ),
            history=selectors.change_history(commission, hide_money=not context["can_money"]),
            interest_confirmations=conflicts.confirmations_for(commission),
        )
        decision, applies = commission.business_case_standing()
        context.update(
            bc_decision=decision if applies else None,
            bc_stale_decision=decision if decision is not None and not applies else None,
            bc_past_decisions=selectors.past_decisions(commission, kind=Decision.Kind.BUSINESS_CASE),
            spec_decision=commission.specification_decision(),
            spec_past_decisions=selectors.past_decisions(commission, kind=Decision.Kind.SPECIFICATION),
        )
        if context["can_money"]:
            context["spend_entries"] = commission.spend_entries.select_related("recorded_by")[:25]
        return context


class SpecificationDecideView(CommissionDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        form = SpecificationForm(request.POST)
        if form.is_valid():
            S = Commission.SpecificationState
            state = form.cleaned_data["specification_state"]
            # A decision (approving, or sending an approved one back) is confirmed first: no interest, or one declared.
            deciding = S.APPROVED in (state, commission.specification_state)
            confirming = deciding and permissions.decision_refusal(request.user, commission) is None
            try:
                with transaction.atomic():
                    if not confirming or form.confirm(
                        user=request.user, obj=commission, step=InterestConfirmation.Step.SPECIFICATION
                    ):
                        services.specification_decide(
                            user=request.user,
                            commission=commission,
                            state=state,
                            expected_version=form.cleaned_data.get("version"),
                        )
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            except PermissionDenied as exc:
                form.add_error("specification_state", str(exc))
            if not form.errors:
                messages.success(request, "Specification state recorded.")
                return redirect("core_groups:commission", pk=commission.pk)
        return self.render_to_response(self.get_context_data(spec_form=form), status=400)


class BusinessCaseDecideView(CommissionDetailView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        commission = self.get_commission()
        form = BusinessCaseDecisionForm(request.POST)
        if form.is_valid():
            confirming = permissions.decision_refusal(request.user, commission) is None
            try:
                with transaction.atomic():
                    if not confirming or form.confirm(
                        user=request.user, obj=commission, step=InterestConfirmation.Step.BUSINESS_CASE
                    ):
                        services.business_case_decide(
                            user=request.user,
                            commission=commission,
                            decision=form.cleaned_data["business_case_decision"],
                            decided_on=form.cleaned_data["business_case_decided_on"],
                            meeting=form.cleaned_data["meeting"],
                            minute=form.cleaned_data["minute"],
                            conditions=form.cleaned_data["conditions"],
                            expected_version=form.cleaned_data.get("version"),
                        )
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            if not form.errors:
                messages.success(request, "The JCG's decision on the business case is recorded.")
                return redirect("core_groups:commission", pk=commission.pk)
        return self.render_to_response(self.get_context_data(bc_form=form), status=400)


class CommissionListView(LoginRequiredMixin, MoneyContextMixin, TemplateView):
    template_name = "core_groups/commission_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = selectors.commission_list(
            data=self.request.GET or None, user=self.request.user, partnership=self.request.partnership
        )
        context.update(
            filter=filterset,
            page_obj=_page(self.request, filterset.qs),
            querystring=_querystring_without_page(self.request),
        )
        return context


class CommissionExportView(LoginRequiredMixin, View):
    """The filtered work plan as CSV; the values column is left out for providers' users."""

    def get(self, request):
        filterset = selectors.commission_list(
            data=request.GET or None, user=request.user, partnership=request.partnership
        )
        money = permissions.can_see_money(request.user)
        header = [
            "Programme",
            "Core group",
            "Title",
            "Service area",
            "Phase",
            "Route",
            "Status",
            "Specification",
            "Business case decision",
            "Business case decided on",
            "Lead officer",
            "Provider",
            "Indicative start",
            "Indicative end",
        ]
        if money:
            header.append("Annual value (GBP)")
        rows = []
        for c in filterset.qs:
            row = [
                c.core_group.programme.name,
                c.core_group.name,
                c.title,
                c.service_area,
                c.get_phase_display(),
                c.get_route_display(),
                c.get_status_display(),
                c.get_specification_state_display(),
                c.get_business_case_decision_display() if c.business_case_decision else "",
                c.business_case_decided_on or "",
                c.lead_officer.display_name if c.lead_officer else "",
                c.provider.name if c.provider else "",
                c.indicative_start or "",
                c.indicative_end or "",
            ]
            if money:
                row.append(c.annual_value if c.annual_value is not None else "")
            rows.append(row)
        return csv_response("work-plan.csv", header, rows)


class ConfirmDeleteView(LoginRequiredMixin, TemplateView):
    """GET shows what will be deleted and asks; POST deletes through the service. Subclasses name the rest."""

    template_name = "core_groups/confirm_delete.html"

    def get_context_data(self, error=None, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(self.describe(), error=error)
        return context

    def post(self, request, *args, **kwargs):
        try:
            self.delete()
        except ValidationError as exc:
            return self.render_to_response(self.get_context_data(error=" ".join(exc.messages)), status=400)
        return redirect(self.success_url())


class CommissionDeleteView(ConfirmDeleteView):
    def dispatch(self, request, *args, **kwargs):
        self.commission = get_object_or_404(
            selectors.for_partnership(selectors.commissions_queryset(), request.partnership), pk=kwargs["pk"]
        )
        if request.user.is_authenticated and not permissions.can_delete_commission(request.user, self.commission):
            raise PermissionDenied("Only members of this core group or the programme team may delete its commissions.")
        return super().dispatch(request, *args, **kwargs)

    def describe(self):
        c = self.commission
        return {
            "title": f"Delete the commission “{c}”?",
            "noun": "commission",
            "object_label": str(c),
            "blockers": selectors.commission_delete_blockers(c),
            "consequence": f"It will be removed from the work plan of {c.core_group}. Its change history is kept, "
            "with who deleted it and when.",
            "back_url": reverse("core_groups:commission", args=[c.pk]),
            "group": c.core_group,
        }

    def delete(self):
        services.commission_delete(user=self.request.user, commission=self.commission)
        messages.success(self.request, f"Deleted the commission “{self.commission}”.")

    def success_url(self):
        return reverse("core_groups:group", args=[self.commission.core_group_id])


class RiskDeleteView(ConfirmDeleteView):
    def dispatch(self, request, *args, **kwargs):
        self.risk = get_object_or_404(
            selectors.for_partnership(selectors.risks_queryset(request.user), request.partnership), pk=kwargs["pk"]
        )
        if request.user.is_authenticated and not permissions.can_delete_risk(request.user, self.risk):
            raise PermissionDenied("Only members of this core group or the programme team may delete this risk.")
        return super().dispatch(request, *args, **kwargs)

    def describe(self):
        r = self.risk
        return {
            "title": f"Delete the risk “{r}”?",
            "noun": "risk",
            "object_label": str(r),
            "blockers": [],
            "consequence": f"It will be removed from the risk register of {r.scope_label}. If the risk has gone, "
            "you can instead set its status to Closed, which keeps it on the register. Its change history is kept, "
            "with who deleted it and when.",
            "back_url": reverse("core_groups:risk", args=[r.pk]),
            "group": r.core_group,
        }

    def delete(self):
        services.risk_delete(user=self.request.user, risk=self.risk)
        messages.success(self.request, f"Deleted the risk “{self.risk}”.")

    def success_url(self):
        if self.risk.core_group_id:
            return reverse("core_groups:group", args=[self.risk.core_group_id])
        if self.risk.programme_id:
            return reverse("core_groups:programme", args=[self.risk.programme_id])
        return reverse("core_groups:risks")


# --- Money -------------------------------------------------------------------------------------------


class SpendCreateView(LoginRequiredMixin, FormView):
    form_class = SpendForm
    template_name = "core_groups/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.group = get_object_or_404(selectors.for_partnership(CoreGroup, request.partnership), pk=kwargs["pk"])
        if request.user.is_authenticated and not permissions.can_record_spend(request.user, self.group):
            raise PermissionDenied("Only members of this core group or the programme team may record its spend.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "core_group": self.group}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Record spend for {self.group}",
            back_url=reverse("core_groups:group", args=[self.group.pk]),
            back_label=str(self.group),
        )
        return context

    def form_valid(self, form):
        try:
            # The form's one-time token is claimed with the entry: a double click records the money once.
            with transaction.atomic():
                claim = once.claim(self.request.user, form.cleaned_data.get("form_token"))
                entry = services.spend_record(user=self.request.user, core_group=self.group, **form.spend_fields())
                once.made(claim, f"{reverse('core_groups:group', args=[self.group.pk])}?year={entry.financial_year}")
        except once.AlreadySent as exc:
            messages.info(self.request, str(exc))
            return redirect(exc.url or reverse("core_groups:group", args=[self.group.pk]))
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Spend of £{entry.amount:,.2f} recorded.")
        return redirect(f"{reverse('core_groups:group', args=[self.group.pk])}?year={entry.financial_year}")


class SpendUpdateView(LoginRequiredMixin, FormView):
    """Correct a spend entry; a second editor working from an older version is told, not overwritten."""

    form_class = SpendForm
    template_name = "core_groups/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.entry = get_object_or_404(
            selectors.for_partnership(SpendEntry.objects.select_related("core_group__programme"), request.partnership),
            pk=kwargs["pk"],
        )
        # Spend is money: anyone who may not see it gets a 404, never a hint that the entry exists.
        if request.user.is_authenticated and not permissions.can_see_money(request.user):
            raise Http404
        if request.user.is_authenticated and not permissions.can_edit_spend(request.user, self.entry):
            raise PermissionDenied("Only members of this core group or the programme team may change its spend.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.entry}

    def back_url(self):
        group = self.entry.core_group
        return f"{reverse('core_groups:group', args=[group.pk])}?year={self.entry.financial_year}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Edit spend entry: {self.entry.description}",
            intro="Correct the date, amount, description or commission. Every change is recorded with who made it.",
            back_url=self.back_url(),
            back_label=str(self.entry.core_group),
        )
        return context

    def form_valid(self, form):
        try:
            entry = services.spend_update(
                user=self.request.user,
                entry=self.entry,
                expected_version=form.cleaned_data.get("version"),
                **form.spend_fields(),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Spend entry saved (£{entry.amount:,.2f}).")
        return redirect(f"{reverse('core_groups:group', args=[entry.core_group_id])}?year={entry.financial_year}")


class AllocationSetView(LoginRequiredMixin, FormView):
    form_class = AllocationForm
    template_name = "core_groups/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.group = get_object_or_404(
            selectors.for_partnership(CoreGroup.objects.select_related("programme"), request.partnership),
            pk=kwargs["pk"],
        )
        if request.user.is_authenticated and not permissions.can_set_allocation(request.user, self.group):
            raise PermissionDenied("Allocations are set by the JCG.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"financial_year": self.request.GET.get("year") or current_fy()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Set the allocation for {self.group}",
            back_url=reverse("core_groups:group", args=[self.group.pk]),
            back_label=str(self.group),
        )
        return context

    def form_valid(self, form):
        try:
            allocation = services.allocation_set(user=self.request.user, core_group=self.group, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "__all__" in exc.error_dict:
                # The one-allocation-per-year constraint: say so beside the year.
                for e in exc.error_dict.pop("__all__"):
                    form.add_error("financial_year", e)
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Allocation for {fy_label(allocation.financial_year)} set.")
        return redirect(f"{reverse('core_groups:group', args=[self.group.pk])}?year={allocation.financial_year}")


class ForecastUpdateView(LoginRequiredMixin, FormView):
    """The group's forecast outturn for a year: members keep it up to date against the JCG's allocation."""

    form_class = ForecastForm
    template_name = "core_groups/form.html"

    def dispatch(self, request, *args, **kwargs):
        self.allocation = get_object_or_404(
            selectors.for_partnership(Allocation.objects.select_related("core_group"), request.partnership),
            core_group_id=kwargs["pk"],
            financial_year=kwargs["year"],
        )
        group = self.allocation.core_group
        if request.user.is_authenticated and not (
            permissions.can_record_spend(request.user, group) or permissions.can_set_allocation(request.user, group)
        ):
            raise PermissionDenied("Only members of this core group, the JCG or the programme team may forecast.")
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"forecast_outturn": self.allocation.forecast_outturn, "version": self.allocation.version}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group = self.allocation.core_group
        context.update(
            title=f"Forecast outturn for {group}, {fy_label(self.allocation.financial_year)}",
            intro=f"The allocation for the year is £{self.allocation.amount:,.2f}.",
            back_url=f"{reverse('core_groups:group', args=[group.pk])}?year={self.allocation.financial_year}",
            back_label=str(group),
        )
        return context

    def form_valid(self, form):
        try:
            services.allocation_update(
                user=self.request.user,
                allocation=self.allocation,
                forecast_outturn=form.cleaned_data["forecast_outturn"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Forecast saved.")
        return redirect(self.get_context_data()["back_url"])


# --- Risks -------------------------------------------------------------------------------------------


class RiskRegisterView(LoginRequiredMixin, TemplateView):
    template_name = "core_groups/risk_register.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = selectors.risk_register(
            data=self.request.GET or None, partnership=self.request.partnership, user=self.request.user
        )
        risks = filterset.qs
        context.update(
            filter=filterset,
            heat_map=charts.risk_heat_map(counts=selectors.risk_counts(risks), title="Risk heat map"),
            page_obj=_page(self.request, risks),
            querystring=_querystring_without_page(self.request),
        )
        return context


class RiskExportView(LoginRequiredMixin, View):
    """The risk register as CSV, filtered and sorted exactly as the page (the same selector and filter).

    Risks hold no money, so every signed-in reader gets the same columns.
    """

    HEADER = [
        "Programme",
        "Core group",
        "Scope",
        "Risk",
        "Description",
        "Impact",
        "Likelihood",
        "Score",
        "Rating",
        "Mitigation",
        "Owner",
        "Owner's role",
        "Status",
        "Next review",
    ]

    def get(self, request):
        filterset = selectors.risk_register(
            data=request.GET or None, partnership=request.partnership, user=request.user
        )
        rows = [
            [
                r.programme.name if r.programme else "",
                r.core_group.name if r.core_group else "",
                r.scope_label,
                r.title,
                r.description,
                r.impact,
                r.likelihood,
                r.score,
                (r.rating or "").capitalize(),
                r.mitigation,
                r.owner.display_name if r.owner else "",
                r.owner_role,
                r.get_status_display(),
                r.review_on or "",
            ]
            for r in filterset.qs
        ]
        return csv_response("risk-register.csv", self.HEADER, rows)


class RiskFormMixin:
    form_class = RiskForm
    template_name = "core_groups/form.html"

    def form_fields(self, form):
        return {name: form.cleaned_data[name] for name in form.Meta.fields}


class RiskCreateView(LoginRequiredMixin, RiskFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.group = self.programme = None
        if "group_pk" in kwargs:
            self.group = get_object_or_404(
                selectors.for_partnership(CoreGroup.objects.select_related("programme"), request.partnership),
                pk=kwargs["group_pk"],
            )
            allowed = permissions.can_edit_group(request.user, self.group)
        else:
            self.programme = get_object_or_404(
                selectors.for_partnership(Programme, request.partnership), pk=kwargs["programme_pk"]
            )
            allowed = permissions.can_add_programme_risk(request.user, self.programme)
        if request.user.is_authenticated and not allowed:
            raise PermissionDenied("Only members of this core group or the programme team may add risks here.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "core_group": self.group, "programme": self.programme}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.group or self.programme
        url = (
            reverse("core_groups:group", args=[self.group.pk])
            if self.group
            else reverse("core_groups:programme", args=[self.programme.pk])
        )
        context.update(title=f"Add a risk to {scope}", back_url=url, back_label=str(scope))
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                claim = once.claim(self.request.user, form.cleaned_data.get("form_token"))
                risk = services.risk_create(
                    user=self.request.user, core_group=self.group, programme=self.programme, **self.form_fields(form)
                )
                once.made(claim, reverse("core_groups:risk", args=[risk.pk]))
        except once.AlreadySent as exc:
            messages.info(self.request, str(exc))
            return redirect(exc.url or reverse("core_groups:risks"))
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Risk “{risk}” added ({risk.rating}, score {risk.score}).")
        return redirect("core_groups:risk", pk=risk.pk)


class RiskUpdateView(LoginRequiredMixin, RiskFormMixin, FormView):
    def dispatch(self, request, *args, **kwargs):
        self.risk = get_object_or_404(
            selectors.for_partnership(selectors.risks_queryset(request.user), request.partnership), pk=kwargs["pk"]
        )
        if request.user.is_authenticated and not permissions.can_edit_risk(request.user, self.risk):
            raise PermissionDenied("Only members of this core group or the programme team may change this risk.")
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.risk}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            title=f"Edit risk: {self.risk}",
            back_url=reverse("core_groups:risk", args=[self.risk.pk]),
            back_label=str(self.risk),
        )
        return context

    def form_valid(self, form):
        try:
            services.risk_update(
                user=self.request.user,
                risk=self.risk,
                expected_version=form.cleaned_data.get("version"),
                **self.form_fields(form),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Risk saved.")
        return redirect("core_groups:risk", pk=self.risk.pk)


class RiskDetailView(LoginRequiredMixin, TemplateView):
    template_name = "core_groups/risk_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        risk = get_object_or_404(
            selectors.for_partnership(selectors.risks_queryset(self.request.user), self.request.partnership),
            pk=self.kwargs["pk"],
        )
        context.update(
            risk=risk,
            can_edit=permissions.can_edit_risk(self.request.user, risk),
            can_delete=permissions.can_delete_risk(self.request.user, risk),
            history=selectors.change_history(risk),
        )
        return context


# --- Declared interests ------------------------------------------------------------------------------


class DeclarationListView(LoginRequiredMixin, FormView):
    """The signed-in person's own declarations, and the form to declare another."""

    form_class = InterestForm
    template_name = "core_groups/declarations.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            declarations=selectors.declarations_of(self.request.user),
            today=timezone.localdate(),
            can_see_register=permissions.can_view_declarations_register(self.request.user),
        )
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.interest_declare(
                user=self.request.user,
                description=data["description"],
                organisation=data.get("organisation"),
                subject=data.get("commission"),
                declared_on=data.get("declared_on"),
                partnership=getattr(self.request, "partnership", None),
                ends_on=data.get("ends_on"),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "Interest declared. You may still advise and draft, but not decide.")
        return redirect("core_groups:declarations")


class DeclarationWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        interest = get_object_or_404(selectors.for_partnership(DeclaredInterest, request.partnership), pk=pk)
        if not permissions.can_withdraw_interest(request.user, interest):
            raise Http404
        services.interest_withdraw(user=request.user, interest=interest)
        messages.success(request, "Interest withdrawn.")
        return redirect("core_groups:declarations")


class DeclarationRegisterView(LoginRequiredMixin, TemplateView):
    template_name = "core_groups/declarations_register.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_view_declarations_register(request.user):
            raise PermissionDenied("The register of declared interests is kept by the programme team.")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = selectors.declarations_register(data=self.request.GET or None, partnership=self.request.partnership)
        context.update(
            filter=filterset,
            page_obj=_page(self.request, filterset.qs.order_by("-declared_on", "user__last_name")),
            querystring=_querystring_without_page(self.request),
            today=timezone.localdate(),
        )
        return context
