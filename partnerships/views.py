from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from core_groups.models import Organisation
from foundation import editing, imports
from foundation.spreadsheets import attachment_response
from procurement.permissions import can_view_project

from . import charts, costing, permissions, register_io, selectors, services
from .exceptions import ImportRefused
from .filters import FundingArrangementFilter
from .forms import ArrangementForm, ImportForm, MapForm, PreferenceForm, SavingsForm, ServiceProcurementForm
from .import_runners import REGISTER as REGISTER_IMPORT
from .models import FundingArrangement, PartnerPreference, ServiceArea, SharedOption


class PermissionMixin(LoginRequiredMixin):
    permission = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not type(self).permission(request.user):
            raise PermissionDenied("You do not have access to the shared commissioning register.")
        return super().dispatch(request, *args, **kwargs)


def _money_context(user):
    return {
        "show_money": permissions.can_view_money(user),
        "can_import": permissions.can_import_register(user),
    }


class RegisterListView(PermissionMixin, ListView):
    permission = staticmethod(permissions.can_view_register)
    template_name = "partnerships/register_list.html"
    paginate_by = 25
    context_object_name = "arrangements"

    def get_queryset(self):
        self.filterset = FundingArrangementFilter(
            self.request.GET or None, queryset=selectors.arrangements_for(self.request.user), user=self.request.user
        )
        qs = self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else self.filterset.queryset
        return qs if qs.ordered else qs.order_by("reference")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        context["sees_all"] = permissions.can_view_all_arrangements(self.request.user)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query"] = query.urlencode()
        context.update(_money_context(self.request.user))
        for arrangement in context["arrangements"]:
            arrangement.cost = selectors.three_year_cost(arrangement)
        return context


class ArrangementDetailView(PermissionMixin, DetailView):
    permission = staticmethod(permissions.can_view_register)
    template_name = "partnerships/arrangement_detail.html"
    context_object_name = "arrangement"

    def get_object(self, queryset=None):
        # Only arrangements the user may read exist for them: a 404, never a hint.
        return get_object_or_404(selectors.arrangements_for(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        arrangement = self.object
        context.update(_money_context(self.request.user))
        context["stages"] = [(label, getattr(arrangement, name)) for name, label in costing.STAGES]
        context["cost"] = arrangement.resource_cost()
        context["history"] = arrangement.history.select_related("history_user")[:20]
        context["can_edit"] = permissions.can_edit_arrangement(self.request.user, arrangement)
        return context


class ArrangementUpdateView(PermissionMixin, FormView):
    """The programme team corrects one arrangement; a stale edit is refused and what was typed is kept."""

    permission = staticmethod(permissions.can_edit_arrangement)
    template_name = "partnerships/arrangement_form.html"
    form_class = ArrangementForm

    def dispatch(self, request, *args, **kwargs):
        # Look the arrangement up only for those who may edit it: anyone else gets the same refusal for every
        # number, so the page does not reveal which arrangements exist.
        if permissions.can_edit_arrangement(request.user):
            self.arrangement = get_object_or_404(
                selectors.for_partnership(FundingArrangement.objects.with_parties(), request.partnership),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.arrangement}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["arrangement"] = self.arrangement
        return context

    def form_valid(self, form):
        try:
            services.arrangement_update(
                user=self.request.user,
                arrangement=self.arrangement,
                expected_version=form.cleaned_data.get("version"),
                **form.service_fields(),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {self.arrangement.reference}.")
        return redirect("partnerships:arrangement", pk=self.arrangement.pk)


class RegisterExportView(PermissionMixin, View):
    permission = staticmethod(permissions.can_view_money)

    def get(self, request):
        kind = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
        filterset = FundingArrangementFilter(
            request.GET or None, queryset=selectors.arrangements_for(request.user), user=request.user
        )
        qs = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        rows = [register_io.arrangement_row(a) for a in qs.order_by("reference")]
        stamp = timezone.localdate().isoformat()
        if kind == "xlsx":
            return attachment_response(register_io.write_excel(rows), f"funding-register-{stamp}.xlsx")
        return attachment_response(register_io.write_csv(rows), f"funding-register-{stamp}.csv")


def _guide():
    lines = [["Column", "Required", "What to enter"]]
    hints = {
        "reference": "A unique key; a reference already in the register updates that arrangement.",
        "funder": "The commissioning partner's name or short name.",
        "provider": "The provider's name or short name (e.g. CABx, CVS/VAST, Asist).",
        "type": "Contract, SLA or Grant.",
        "service_area": "The service area's code or name.",
        "annual_value": "Pounds a year, e.g. 25000 or £25,000.00; not negative.",
        "start_date": "YYYY-MM-DD or DD/MM/YYYY.",
        "end_date": "Blank only when the arrangement rolls over.",
        "rolls_over": "Yes or No.",
        "last_openly_procured": "A date, or Never.",
        "funder_hourly_cost": "Optional: the funder's staff cost per hour; the same on every row of a funder.",
    }
    for key, label, required in register_io.ARRANGEMENT_COLUMNS:
        hint = hints.get(
            key, "Staff hours over the life of the arrangement; not negative." if key.startswith("hours_") else ""
        )
        lines.append([label, "Yes" if required else "No", hint])
    lines.append([])
    lines.append(["Service areas (code: name)"])
    for area in ServiceArea.objects.all():
        lines.append([area.code, area.name])
    lines.append([])
    lines.append(["Providers"])
    for org in Organisation.objects.filter(kind=Organisation.Kind.PROVIDER):
        lines.append([org.name, org.short_name])
    return lines


class TemplateDownloadView(PermissionMixin, View):
    permission = staticmethod(permissions.can_view_register)

    def get(self, request):
        if request.GET.get("format") == "xlsx":
            return attachment_response(register_io.write_excel([], guide=_guide()), "funding-register-template.xlsx")
        return attachment_response(register_io.write_csv([]), "funding-register-template.csv")


class RegisterImportView(PermissionMixin, FormView):
    permission = staticmethod(permissions.can_import_register)
    template_name = "partnerships/register_import.html"
    form_class = ImportForm

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        data = upload.read()
        partnership = getattr(self.request, "partnership", None)
        if imports.in_background(data):
            # A big file is imported by a worker; the person watches its progress (foundation/imports.py).
            job = imports.start(
                kind=REGISTER_IMPORT,
                name=upload.name,
                data=data,
                user=self.request.user,
                partnership_id=partnership.pk if partnership is not None else None,
                return_url=reverse("partnerships:register"),
            )
            return redirect("imports:job", pk=job.pk)
        try:
            created, updated = services.register_import(
                name=upload.name,
                data=data,
                user=self.request.user,
                partnership=getattr(self.request, "partnership", None),
            )
        except ImportRefused as refused:
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    problems=refused.problems,
                    uploaded=upload.name,
                    bad_lines=sorted({p.line for p in refused.problems}),
                ),
                status=200,
            )
        messages.success(self.request, f"Imported {upload.name}: {created} added, {updated} updated.")
        return redirect("partnerships:register")


class MapView(PermissionMixin, TemplateView):
    permission = staticmethod(permissions.can_view_map)
    template_name = "partnerships/map.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        form = MapForm(self.request.GET or None)
        threshold, as_at = Decimal("10000"), None
        if form.is_bound and form.is_valid():
            if form.cleaned_data["threshold"] is not None:
                threshold = form.cleaned_data["threshold"]
            as_at = form.cleaned_data["as_at"]
        elif not form.is_bound:
            form = MapForm(initial={"threshold": threshold})
        show_money = permissions.can_view_money(user)
        if not show_money:
            # Filtering by value would let someone work values out: providers' users get no threshold.
            threshold = Decimal("0")
        result = selectors.register_map(threshold=threshold, today=as_at)
        context.update(_money_context(user))
        context.update(form=form, map=result)
        context["visible_ids"] = set(selectors.arrangements_for(user).values_list("pk", flat=True))
        context["charts"] = {
            "provider_count": charts.bar_chart(
                [(g.label, g.count) for g in result.by_provider], title="Arrangements by provider"
            ),
            "service_count": charts.bar_chart(
                [(g.label, g.count) for g in result.by_service],
                title="Arrangements by service area",
                label_width=300,
            ),
        }
        if show_money:
            context["charts"].update(
                provider_value=charts.bar_chart(
                    [(g.label, g.annual_value) for g in result.by_provider],
                    title="Annual investment by provider",
                    money=True,
                ),
                funder_value=charts.bar_chart(
                    [(g.label, g.annual_value) for g in sorted(result.by_funder, key=lambda g: -g.annual_value)],
                    title="Annual investment by funder",
                    money=True,
                ),
                funder_cost=charts.bar_chart(
                    [(g.label, g.resource_cost) for g in sorted(result.by_funder, key=lambda g: -g.resource_cost)],
                    title="Resource cost (three years) by funder",
                    money=True,
                ),
            )
            context["stage_hours"] = selectors.stage_hours_totals(FundingArrangement.objects.all())
        return context


class SavingsView(PermissionMixin, TemplateView):
    permission = staticmethod(permissions.can_use_savings_model)
    template_name = "partnerships/savings.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The tabs need these too, or the page's own tab (and Import) would be missing.
        context.update(_money_context(self.request.user))
        partners = selectors.funders_in_register()
        areas = list(ServiceArea.objects.all())
        data = self.request.GET if self.request.GET.get("run") else None
        form = SavingsForm(
            data,
            partner_queryset=partners,
            areas=areas,
            initial={
                "partners": list(partners),
                "service_areas": areas,
                "years": Decimal("5.5"),
                "development_years": Decimal("2.5"),
            },
        )
        context["form"] = form
        context["five_url"] = self._scenario_url(
            partners.filter(
                name__in=[
                    "Staffordshire County Council",
                    "Stoke-on-Trent City Council",
                    "North Staffordshire PCT",
                    "South Staffordshire PCT",
                    "Stoke on Trent PCT",
                ]
            ),
            areas,
            cost=Decimal("27289"),
        )
        context["all_url"] = self._scenario_url(partners, areas, cost=None)
        if data is None:
            return context
        if not form.is_valid():
            return context
        cd = form.cleaned_data
        chosen, chosen_areas = list(cd["partners"]), list(cd["service_areas"])
        errors = []
        current, count, uncosted = selectors.current_resource_cost(
            partner_ids=[p.pk for p in chosen], service_area_ids=[a.pk for a in chosen_areas]
        )
        if cd["current_cost"] is not None:
            current = cd["current_cost"]
        contracts = []
        for area in chosen_areas:
            cost = cd.get(f"cost_{area.code}")
            number = cd.get(f"contracts_{area.code}")
            if cost is None:
                form.add_error(f"cost_{area.code}", "Give the cost per contract for this service.")
                continue
            contracts.append(costing.SharedContract(area.name, cost, 1 if number is None else number))
        if not chosen_areas:
            errors.append("Choose at least one service area.")
        if form.errors:
            return context
        try:
            result = costing.savings(current_cost=current, contracts=contracts, partners=len(chosen))
        except costing.CostingError as exc:
            errors.append(str(exc))
            context["model_errors"] = errors
            return context
        context.update(
            result=result,
            arrangements_counted=count,
            uncosted=uncosted,
            model_errors=errors,
            chosen=chosen,
            chosen_areas=chosen_areas,
        )
        if cd["project_cost"] is not None:
            try:
                context["roi"] = costing.return_on_investment(
                    three_year_saving=result.saving,
                    project_cost=cd["project_cost"],
                    years=cd["years"] or Decimal("5.5"),
                    development_years=cd["development_years"] or 0,
                )
            except costing.CostingError as exc:
                context["roi_error"] = str(exc)
        return context

    def _scenario_url(self, partners, areas, cost):
        from urllib.parse import urlencode

        params = [("run", "1")] + [("partners", p.pk) for p in partners] + [("service_areas", a.pk) for a in areas]
        for area in areas:
            params.append((f"cost_{area.code}", cost if cost is not None else area.shared_cost_per_contract or ""))
            params.append((f"contracts_{area.code}", 1))
        params += [("years", "5.5"), ("development_years", "2.5")]
        return reverse("partnerships:savings") + "?" + urlencode(params)


class PreferencesView(PermissionMixin, TemplateView):
    permission = staticmethod(permissions.can_view_preferences)
    template_name = "partnerships/preferences.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(_money_context(self.request.user))
        context["options"] = SharedOption.objects.all()
        context["services"] = selectors.preferences_by_service()
        context["can_record"] = permissions.can_record_preference(self.request.user)
        context["can_make_project"] = permissions.can_make_procurement_project(self.request.user)
        aligned = SharedOption.Kind.ALIGNED_BUDGETS
        for area, grouped, _total in context["services"]:
            project = area.procurement_project
            area.visible_project = project if project and can_view_project(self.request.user, project) else None
            area.has_aligned = any(option.kind == aligned and prefs for option, prefs in grouped.items())
        return context


class PreferenceEditView(PermissionMixin, FormView):
    permission = staticmethod(permissions.can_record_preference)
    template_name = "partnerships/preference_form.html"
    form_class = PreferenceForm

    def partners(self):
        qs = Organisation.objects.filter(is_commissioning_partner=True)
        if not permissions.is_register_keeper(self.request.user):
            qs = qs.filter(pk=self.request.user.organisation_id)
        return qs

    def get_existing(self):
        pk = self.kwargs.get("pk")
        if pk is None:
            return None
        # A preference belongs to the partnership its partner is a member of: another partnership's is not found.
        partnership = getattr(self.request, "partnership", None)
        pref = get_object_or_404(PartnerPreference.objects.filter(partner__partnerships=partnership).distinct(), pk=pk)
        if not permissions.can_record_preference(self.request.user, pref.partner):
            raise PermissionDenied("You can record preferences only for your own organisation.")
        return pref

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["partners"] = self.partners()
        self.existing = self.get_existing()
        if self.existing:
            kwargs["instance"] = self.existing
            kwargs.setdefault("initial", {})["version"] = self.existing.version
        return kwargs

    def form_valid(self, form):
        cd = form.cleaned_data
        try:
            services.preference_record(
                partner=cd["partner"],
                service_area=cd["service_area"],
                option=cd["option"],
                cabinet_decision_needed=cd["cabinet_decision_needed"],
                decision_date=cd["decision_date"],
                annual_contribution=cd["annual_contribution"],
                notes=cd["notes"],
                user=self.request.user,
                expected_version=cd.get("version"),
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"Saved {cd['partner'].label}'s preference for {cd['service_area']}.")
        return redirect("partnerships:preferences")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["existing"] = getattr(self, "existing", None)
        return context


class ServiceProcurementView(PermissionMixin, FormView):
    """The programme team turns the partners in aligned budgets for a service into a procurement project."""

    permission = staticmethod(permissions.can_make_procurement_project)
    template_name = "partnerships/service_procurement_form.html"
    form_class = ServiceProcurementForm

    @cached_property
    def area(self):
        # Looked up after PermissionMixin has checked who is asking.
        return get_object_or_404(
            ServiceArea.objects.select_related("lead_commissioner", "procurement_project"), pk=self.kwargs["pk"]
        )

    def get_initial(self):
        return {
            "reference": services.service_project_reference(self.area),
            "title": f"{self.area.name}: aligned budgets with a lead commissioner",
            "lead_organisation": self.area.lead_commissioner,
            "contract_years": 3,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        partners = selectors.aligned_budget_partners(self.area)
        refusal = None
        if self.area.procurement_project_id:
            refusal = f"{self.area.name} is already procurement project {self.area.procurement_project.reference}."
        elif not partners:
            refusal = (
                f"No partner has chosen aligned budgets for {self.area.name}, so there is nothing to procure "
                "together yet."
            )
        context.update(
            area=self.area,
            partners=partners,
            total=sum((p.annual_contribution for p in partners), Decimal("0.00")),
            refusal=refusal,
        )
        return context

    def form_valid(self, form):
        try:
            project = services.service_to_procurement_project(
                service_area=self.area,
                by=self.request.user,
                partnership=getattr(self.request, "partnership", None),
                **form.cleaned_data,
            )
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self.form_invalid(form)
        messages.success(
            self.request, f"{self.area.name} is now procurement project {project.reference}, with its timetable."
        )
        return redirect("procurement:project_detail", project.pk)
