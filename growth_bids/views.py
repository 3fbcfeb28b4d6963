"""Thin views: each checks who is asking, then calls one service. Records a user may not read are 404s."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from core_groups import conflicts
from core_groups.financial_year import current_fy
from core_groups.models import InterestConfirmation, Programme
from foundation import editing, once, outbox
from foundation.forms import storable_text
from foundation.spreadsheets import MONEY_FORMAT, csv_response, excel_response
from procurement.permissions import can_view_project

from . import permissions, selectors, services
from .exceptions import DecisionsRefused
from .forms import (
    AttachmentForm,
    BidForm,
    BidProcurementForm,
    CriteriaCopyForm,
    CriterionFormSet,
    DecisionForm,
    DecisionMeetingForm,
    DecisionRowFormSet,
    EvaluationForm,
    FallThroughForm,
    NoticeForm,
    RoundForm,
    SupportAskForm,
)
from .models import Attachment, Bid, Criterion, Evaluation, EvaluationDraft, FundingRound, SupportRequest

# Shown when the broker could not be reached: the emails wait in the outbox and beat sends them later.
QUEUED_FOR_LATER = (
    "The email service is not available just now: the emails are queued and will go as soon as it is back. "
    "Nothing more is needed from you."
)


def _partnership(user):
    """The partnership the person works in now (set on the user by core_groups.middleware for the request)."""
    return getattr(user, "current_partnership", None)


def get_round(user, pk):
    funding_round = get_object_or_404(
        selectors.for_partnership(FundingRound.objects.select_related("programme"), _partnership(user)), pk=pk
    )
    if not permissions.can_view_round(user, funding_round):
        raise Http404("No such round.")
    return funding_round


def get_bid(user, pk):
    try:
        bid = selectors.bid_for_page(pk, _partnership(user))
    except Bid.DoesNotExist as exc:
        raise Http404("No such bid.") from exc
    if not permissions.can_view_bid(user, bid):
        raise Http404("No such bid.")
    return bid


# ---------------------------------------------------------------- rounds


class RoundListView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/round_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        context = super().get_context_data(**kwargs)
        context["rounds"] = selectors.rounds_for(user, self.request.partnership)
        context["can_create"] = permissions.can_manage_round(user)
        context["my_bids"] = (
            selectors.for_partnership(Bid, self.request.partnership)
            .filter(applicant_id=user.organisation_id)
            .select_related("funding_round", "decision")
            if permissions.is_partner_officer(user)
            else []
        )
        return context


class RoundCreateView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/round_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not permissions.can_manage_round(request.user):
            raise PermissionDenied("Only the programme team opens funding rounds.")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        programme = Programme.objects.filter(partnership=request.partnership).order_by("name").first()
        form = RoundForm(
            creating=True,
            initial={"programme": programme, "financial_year": current_fy()},
            partnership=request.partnership,
        )
        return self.render_to_response({"form": form, "creating": True})

    def post(self, request):
        form = RoundForm(request.POST, creating=True, partnership=request.partnership)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
            try:
                funding_round = services.round_create(by=request.user, **data)
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                messages.success(request, "The round is drafted with Kent's criteria and a proposed timetable.")
                return redirect("growth_bids:round_detail", funding_round.pk)
        return self.render_to_response({"form": form, "creating": True})


class RoundDetailView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/round_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        funding_round = get_round(user, kwargs["pk"])
        context = super().get_context_data(**kwargs)
        context.update(
            round=funding_round,
            criteria=funding_round.criteria.all(),
            can_manage=permissions.can_manage_round(user, funding_round),
            can_start=permissions.can_start_bid(user, funding_round),
            can_give_notice=permissions.can_give_notice(user, funding_round),
            can_body=permissions.can_view_body_list(user, funding_round),
            can_publish=permissions.can_publish_decisions(user, funding_round),
            window_open=funding_round.window_open(),
            my_bids=Bid.objects.filter(funding_round=funding_round)
            .visible_to(user)
            .select_related("applicant", "decision")
            .order_by("number"),
        )
        if context["can_manage"]:
            context["notices"] = funding_round.notices.select_related("organisation")
            context["counts"] = {
                "submitted": funding_round.bids.filter(status=Bid.Status.SUBMITTED).count(),
                "drafts": funding_round.bids.filter(status=Bid.Status.DRAFT).count(),
                "moderated": funding_round.bids.filter(evaluations__moderated=True).count(),
            }
        return context


class RoundUpdateView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/round_form.html"

    def _round(self):
        funding_round = get_round(self.request.user, self.kwargs["pk"])
        if not permissions.can_manage_round(self.request.user, funding_round):
            raise PermissionDenied("Only the programme team changes a round.")
        return funding_round

    def get(self, request, pk):
        funding_round = self._round()
        form = RoundForm(
            instance=funding_round, initial={"version": funding_round.version}, partnership=request.partnership
        )
        form.fields["closes_at"].initial = timezone.localtime(funding_round.closes_at)
        return self.render_to_response({"form": form, "round": funding_round})

    def post(self, request, pk):
        funding_round = self._round()
        form = RoundForm(request.POST, instance=FundingRound.objects.get(pk=pk), partnership=request.partnership)
        if form.is_valid():
            data = {
                k: v for k, v in form.cleaned_data.items() if k not in ("version", "reason") and k in form.changed_data
            }
            try:
                services.round_update(
                    funding_round=funding_round,
                    version=form.cleaned_data["version"],
                    by=request.user,
                    reason=form.cleaned_data.get("reason", ""),
                    **data,
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                messages.success(request, "The round is saved.")
                return redirect("growth_bids:round_detail", pk)
        return self.render_to_response({"form": form, "round": funding_round})


class CriteriaEditView(LoginRequiredMixin, TemplateView):
    """The programme team words the round's criteria while it is a draft; locked (and read-only) once open."""

    template_name = "growth_bids/criteria_form.html"

    def _round(self):
        funding_round = get_round(self.request.user, self.kwargs["pk"])
        if not permissions.can_manage_round(self.request.user, funding_round):
            raise PermissionDenied("Only the programme team changes a round's criteria.")
        return funding_round

    def _context(self, funding_round, formset, copy_form=None, refusal=None):
        rounds = selectors.for_partnership(
            FundingRound.objects.select_related("programme"), _partnership(self.request.user)
        )
        rounds = rounds.exclude(pk=funding_round.pk).order_by("-financial_year", "-opens_on", "-pk")
        if copy_form is None:
            last = services.last_round_before(funding_round)
            copy_form = CriteriaCopyForm(rounds=rounds, initial={"source": last.pk if last else CriteriaCopyForm.KENT})
        return {
            "round": funding_round,
            "formset": formset,
            "copy_form": copy_form,
            "locked": funding_round.criteria_locked,
            "locked_message": services.CRITERIA_LOCKED,
            "refusal": refusal,
            "history": Criterion.history.filter(funding_round_id=funding_round.pk)
            .select_related("history_user")
            .order_by("-history_date")[:20],
        }

    def get(self, request, pk):
        funding_round = self._round()
        formset = CriterionFormSet(queryset=funding_round.criteria.all())
        return self.render_to_response(self._context(funding_round, formset))

    def post(self, request, pk):
        funding_round = self._round()
        formset = CriterionFormSet(request.POST, queryset=funding_round.criteria.all())
        refusal = None
        if funding_round.criteria_locked:
            refusal = services.CRITERIA_LOCKED
        elif formset.is_valid():
            rows = []
            for form in formset.forms:
                if not form.has_changed() and form.instance.pk is None:
                    continue
                row = {key: form.cleaned_data.get(key) for key in services.CRITERION_FIELDS}
                row["criterion"] = form.instance if form.instance.pk else None
                row["delete"] = form in formset.deleted_forms
                if row["delete"] and row["criterion"] is None:
                    continue
                rows.append(row)
            try:
                services.criteria_save(funding_round=funding_round, by=request.user, rows=rows)
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
            else:
                messages.success(request, "The criteria are saved.")
                return redirect("growth_bids:criteria_edit", pk)
        return self.render_to_response(self._context(funding_round, formset, refusal=refusal))


class CriteriaCopyView(CriteriaEditView):
    http_method_names = ["post"]

    def post(self, request, pk):
        funding_round = self._round()
        rounds = selectors.for_partnership(FundingRound.objects.select_related("programme"), _partnership(request.user))
        form = CriteriaCopyForm(request.POST, rounds=rounds.exclude(pk=funding_round.pk))
        refusal = None
        if form.is_valid():
            source = form.cleaned_data["source"]
            try:
                services.criteria_copy(funding_round=funding_round, source=source, by=request.user)
            except ValidationError as exc:
                refusal = " ".join(exc.messages)
            else:
                copied = source or "the Kent set"
                messages.success(request, f"The criteria of {copied} are copied in: change them as you need.")
                return redirect("growth_bids:criteria_edit", pk)
        formset = CriterionFormSet(queryset=funding_round.criteria.all())
        return self.render_to_response(self._context(funding_round, formset, copy_form=form, refusal=refusal))


class RoundActionView(LoginRequiredMixin, View):
    ACTIONS = {
        "open": (services.round_open, "The round is open for bids."),
        "close": (services.round_close, "The submission window is closed; evaluation can start."),
        "evaluated": (services.round_mark_evaluated, "The round is with the Commissioning Body."),
        "publish": (
            services.round_publish_decisions,
            "Decisions are published; the emails to applicants and supporters are on their way.",
        ),
    }

    def post(self, request, pk, action):
        funding_round = get_round(request.user, pk)
        if action not in self.ACTIONS:
            raise Http404
        allowed = (
            permissions.can_publish_decisions(request.user, funding_round)
            if action == "publish"
            else permissions.can_manage_round(request.user, funding_round)
        )
        if not allowed:
            raise PermissionDenied("You may not do that to this round.")
        service, success = self.ACTIONS[action]
        try:
            with outbox.delivery() as delivery:
                service(funding_round=funding_round, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, success)
            if delivery.delayed:
                messages.warning(request, QUEUED_FOR_LATER)
        return redirect("growth_bids:round_detail", pk)


class NoticeCreateView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/notice_form.html"

    def _round(self):
        funding_round = get_round(self.request.user, self.kwargs["pk"])
        if not permissions.can_give_notice(self.request.user, funding_round):
            raise PermissionDenied("Notices of intent come from officers of commissioning partners.")
        return funding_round

    def get(self, request, pk):
        return self.render_to_response({"form": NoticeForm(), "round": self._round()})

    def post(self, request, pk):
        funding_round = self._round()
        form = NoticeForm(request.POST)
        if form.is_valid():
            try:
                services.notice_give(funding_round=funding_round, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                messages.success(request, "The programme team has your notice of intent.")
                return redirect("growth_bids:round_detail", pk)
        return self.render_to_response({"form": form, "round": funding_round})


# ---------------------------------------------------------------- bids


class BidFormMixin:
    template_name = "growth_bids/bid_form.html"

    def _submit_wanted(self):
        return "submit" in self.request.POST

    def _render(self, form, funding_round, bid=None):
        autosave = None
        if bid is None:
            autosave = reverse("growth_bids:bid_autosave_new", args=[funding_round.pk])
        elif bid.is_draft:
            autosave = reverse("growth_bids:bid_autosave", args=[bid.pk])
        return self.render_to_response(
            {
                "form": form,
                "round": funding_round,
                "bid": bid,
                "sections": form.sections(),
                "autosave_url": autosave,
                "organisation": bid.applicant if bid else self.request.user.organisation,
            }
        )

    def _keep_then_report(self, form, funding_round, bid=None):
        """A draft whose Save or Submit failed: store every field that could be read, then show the errors.

        Nothing typed is lost: the draft is saved first (the fields the form could not read keep their
        stored value and are shown as typed), then the submission's checks are reported beside the
        fields and in the summary at the top. A refusal of the save itself (window closed, stale
        version) saves nothing and is reported as before.
        """
        form_valid = form.is_valid()
        data = form.draft_data()
        try:
            if bid is None:
                # The form's one-time token is claimed with the draft: five posts of one form make one bid.
                with transaction.atomic():
                    claim = once.claim(self.request.user, form.cleaned_data.get("form_token"))
                    bid = services.bid_create(funding_round=funding_round, by=self.request.user, data=data)
                    once.made(claim, reverse("growth_bids:bid_detail", args=[bid.pk]))
            else:
                bid = services.bid_update(
                    bid=bid, by=self.request.user, version=form.cleaned_data.get("version"), data=data
                )
        except once.AlreadySent as exc:
            messages.info(self.request, str(exc))
            return redirect(exc.url or reverse("growth_bids:round_detail", args=[funding_round.pk]))
        except ValidationError as exc:
            editing.errors_to_form(form, exc)
            return self._render(form, funding_round, bid if bid and bid.pk else None)
        if form_valid:
            try:
                bid = services.bid_submit(bid=bid, by=self.request.user, version=bid.version)
            except ValidationError as exc:
                submit_errors = exc
            else:
                messages.success(self.request, f"Bid {bid.reference} is submitted.")
                return redirect("growth_bids:bid_detail", bid.pk)
        else:
            submit_errors = ValidationError(services.missing_for_submission(bid)) if self._submit_wanted() else None
        # The form now edits the saved draft, at its new version, with what was typed.
        posted = self.request.POST.copy()
        posted["version"] = str(bid.version)
        form = BidForm(posted, instance=bid, funding_round=funding_round)
        form.is_valid()
        if submit_errors is not None and hasattr(submit_errors, "error_dict"):
            for field, errors in submit_errors.message_dict.items():
                if field not in form.errors:
                    for message in errors:
                        form.add_error(field if field in form.fields else None, message)
        elif submit_errors is not None:
            editing.errors_to_form(form, submit_errors)
        if not form.errors:
            # Only what the saved draft replaced was wrong (a tampered version on a new bid's form): nothing to
            # correct, so the page must not say there is (issue 19: no silent redisplay).
            messages.success(self.request, f"Draft {bid.reference} is saved. Submit it before the window closes.")
            return redirect("growth_bids:bid_detail", bid.pk)
        messages.info(self.request, f"What you typed is saved in draft {bid.reference}. Correct what is shown below.")
        return self._render(form, funding_round, bid)


class BidCreateView(LoginRequiredMixin, BidFormMixin, TemplateView):
    def _round(self):
        funding_round = get_round(self.request.user, self.kwargs["pk"])
        if not permissions.is_partner_officer(self.request.user):
            raise PermissionDenied("Only officers of commissioning partners make growth bids; providers never do.")
        return funding_round

    def get(self, request, pk):
        funding_round = self._round()
        if not funding_round.window_open():
            messages.error(request, "This round is not open for bids.")
            return redirect("growth_bids:round_detail", pk)
        user = request.user
        form = BidForm(
            funding_round=funding_round,
            initial={"contact_names": user.display_name, "contact_email": user.email, "contact_phone": user.phone},
        )
        return self._render(form, funding_round)

    def post(self, request, pk):
        funding_round = self._round()
        form = BidForm(request.POST, funding_round=funding_round)
        if self._submit_wanted() or not form.is_valid():
            return self._keep_then_report(form, funding_round)
        if form.is_valid():
            try:
                # The form's one-time token is claimed with the bid: five posts of one form make one bid.
                with transaction.atomic():
                    claim = once.claim(request.user, form.cleaned_data.get("form_token"))
                    bid = services.bid_create(
                        funding_round=funding_round,
                        by=request.user,
                        data=form.service_data(),
                        submit=self._submit_wanted(),
                    )
                    once.made(claim, reverse("growth_bids:bid_detail", args=[bid.pk]))
            except once.AlreadySent as exc:
                messages.info(request, str(exc))
                return redirect(exc.url or reverse("growth_bids:round_detail", args=[pk]))
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                if bid.status == Bid.Status.SUBMITTED:
                    messages.success(request, f"Bid {bid.reference} is submitted.")
                else:
                    messages.success(request, f"Draft {bid.reference} is saved. Submit it before the window closes.")
                return redirect("growth_bids:bid_detail", bid.pk)
        return self._render(form, funding_round)


class BidDetailView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/bid_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        bid = get_bid(user, kwargs["pk"])
        context = super().get_context_data(**kwargs)
        evaluations = list(bid.evaluations.all())
        moderated = next((e for e in evaluations if e.moderated), None)
        team = permissions.is_team(user) or permissions.is_body_member(user)
        published = bid.funding_round.status == FundingRound.Status.DECIDED
        decision = getattr(bid, "decision", None)
        my_request = next(
            (s for s in bid.support_requests.all() if permissions.can_answer_support(user, s)),
            None,
        )
        # Each refusal asked once: it reads the bid's history and the person's declared interests (two queries),
        # and can_evaluate / can_decide are only "no refusal".
        evaluation_refusal = permissions.evaluation_refusal(user, bid)
        decision_refusal = permissions.decision_refusal(user, bid)
        context.update(
            bid=bid,
            round=bid.funding_round,
            statements=sorted(bid.statements.all(), key=lambda s: (s.criterion.order, s.criterion.code)),
            can_edit=permissions.can_edit_bid(user, bid),
            can_withdraw=permissions.can_withdraw_bid(user, bid) and bid.status != Bid.Status.WITHDRAWN,
            can_submit=permissions.can_edit_bid(user, bid) and bid.is_draft,
            can_ask=permissions.can_ask_support(user, bid),
            ask_form=SupportAskForm(bid=bid) if permissions.can_ask_support(user, bid) else None,
            attach_form=AttachmentForm() if permissions.can_attach(user, bid) else None,
            my_request=my_request,
            evaluation_refusal=evaluation_refusal if permissions.is_team(user) else None,
            can_evaluate=evaluation_refusal is None,
            my_drafts=set(EvaluationDraft.objects.filter(bid=bid, evaluator=user).values_list("moderated", flat=True))
            if team
            else set(),
            assigned=[a.evaluator for a in bid.assignments.select_related("evaluator")] if team else [],
            moderated=moderated if (team or published) else None,
            evaluations=[e for e in evaluations if not e.moderated] if team else [],
            # Who confirmed no interest, or declared one, before scoring or deciding this bid: for the team and Body.
            interest_confirmations=conflicts.confirmations_for(bid) if team else None,
            decision=decision if (team or published) else None,
            decision_refusal=decision_refusal if permissions.is_body_member(user) else None,
            can_decide=decision_refusal is None,
            can_fall_through=permissions.can_record_fall_through(user, bid),
            can_make_project=permissions.can_make_procurement_project(user, bid),
            project=bid.procurement_project
            if bid.procurement_project_id and can_view_project(user, bid.procurement_project)
            else None,
            has_filed_copy=permissions.was_submitted(bid),
            missing=services.missing_for_submission(bid)
            if bid.is_draft and permissions.can_edit_bid(user, bid)
            else {},
        )
        return context


class BidUpdateView(LoginRequiredMixin, BidFormMixin, TemplateView):
    def _bid(self):
        bid = get_bid(self.request.user, self.kwargs["pk"])
        if not permissions.is_applicant_officer(self.request.user, bid):
            raise Http404("No such bid.")
        return bid

    def get(self, request, pk):
        bid = self._bid()
        if not permissions.can_edit_bid(request.user, bid):
            messages.error(request, "This bid can no longer be changed: the submission window has closed.")
            return redirect("growth_bids:bid_detail", pk)
        form = BidForm(instance=bid, funding_round=bid.funding_round, initial={"version": bid.version})
        return self._render(form, bid.funding_round, bid)

    def post(self, request, pk):
        bid = self._bid()
        if "submit_now" in request.POST:
            return self._submit_now(bid)
        form = BidForm(request.POST, instance=Bid.objects.get(pk=pk), funding_round=bid.funding_round)
        if bid.is_draft and (self._submit_wanted() or not form.is_valid()):
            return self._keep_then_report(form, bid.funding_round, bid)
        if form.is_valid():
            try:
                bid = services.bid_update(
                    bid=bid,
                    by=request.user,
                    version=form.cleaned_data.get("version"),
                    data=form.service_data(),
                    submit=self._submit_wanted(),
                )
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                if bid.status == Bid.Status.SUBMITTED:
                    messages.success(request, f"Bid {bid.reference} is submitted; this revision is kept.")
                else:
                    messages.success(request, f"Draft {bid.reference} is saved.")
                return redirect("growth_bids:bid_detail", bid.pk)
        return self._render(form, bid.funding_round, bid)

    def _submit_now(self, bid):
        """Submit from the bid page: the draft as stored, once its checklist is complete."""
        try:
            bid = services.bid_submit(bid=bid, by=self.request.user, version=self.request.POST.get("version") or None)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
        else:
            messages.success(self.request, f"Bid {bid.reference} is submitted.")
        return redirect("growth_bids:bid_detail", bid.pk)


class BidAutosaveMixin:
    """Autosave of a draft: the page posts the whole form (debounced on change, and on leaving); every field the
    form can read is kept, nothing is submitted. Answers JSON: the new version, the sections' progress and the
    errors beside fields; a save from a page out of date (another tab saved first) is refused with 409."""

    http_method_names = ["post"]

    def _answer(self, bid, form, funding_round):
        sections = services.section_progress(bid, funding_round)
        errors = {name: [str(e) for e in errs] for name, errs in form.errors.items() if name != "__all__"}
        return JsonResponse(
            {
                "saved": True,
                "version": bid.version,
                "reference": bid.reference,
                "edit_url": reverse("growth_bids:bid_update", args=[bid.pk]),
                "autosave_url": reverse("growth_bids:bid_autosave", args=[bid.pk]),
                "saved_at": f"{timezone.localtime():%H:%M:%S}",
                "sections": {s["key"]: not s["missing"] for s in sections},
                "started": {s["key"]: len(s["missing"]) < len(s["fields"]) for s in sections},
                "errors": errors,
            }
        )

    @staticmethod
    def _refused(exc, status=400):
        if isinstance(exc, editing.StaleEdit):
            return JsonResponse({"saved": False, "conflict": True, "error": exc.messages[0]}, status=409)
        return JsonResponse({"saved": False, "error": " ".join(exc.messages)}, status=status)


class BidAutosaveNewView(LoginRequiredMixin, BidAutosaveMixin, View):
    """The first autosave of a new bid makes the draft (claiming the form's one-time token, so the page's own
    Save afterwards edits that draft rather than making a second one)."""

    def post(self, request, pk):
        funding_round = get_round(request.user, pk)
        if not permissions.is_partner_officer(request.user):
            raise PermissionDenied("Only officers of commissioning partners make growth bids; providers never do.")
        form = BidForm(request.POST, funding_round=funding_round)
        form.is_valid()
        try:
            with transaction.atomic():
                claim = once.claim(request.user, form.cleaned_data.get("form_token"))
                bid = services.bid_create(funding_round=funding_round, by=request.user, data=form.draft_data())
                once.made(claim, reverse("growth_bids:bid_detail", args=[bid.pk]))
        except once.AlreadySent as exc:
            return JsonResponse({"saved": False, "conflict": True, "error": str(exc), "url": exc.url}, status=409)
        except ValidationError as exc:
            return self._refused(exc)
        return self._answer(bid, form, funding_round)


class BidAutosaveView(LoginRequiredMixin, BidAutosaveMixin, View):
    def post(self, request, pk):
        bid = get_bid(request.user, pk)
        if not permissions.is_applicant_officer(request.user, bid):
            raise Http404("No such bid.")
        if not bid.is_draft:
            return JsonResponse(
                {"saved": False, "error": "Only a draft is saved as you type: use Save changes."}, status=409
            )
        form = BidForm(request.POST, instance=Bid.objects.get(pk=pk), funding_round=bid.funding_round)
        form.is_valid()
        try:
            bid = services.bid_update(
                bid=bid, by=request.user, version=request.POST.get("version"), data=form.draft_data()
            )
        except ValidationError as exc:
            return self._refused(exc, status=409 if isinstance(exc, services.WindowClosed) else 400)
        return self._answer(bid, form, bid.funding_round)


class BidWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        bid = get_bid(request.user, pk)
        if not permissions.is_applicant_officer(request.user, bid):
            raise Http404
        try:
            services.bid_withdraw(bid=bid, by=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"Bid {bid.reference} is withdrawn.")
        return redirect("growth_bids:bid_detail", pk)


class SupportAskView(LoginRequiredMixin, View):
    def post(self, request, pk):
        bid = get_bid(request.user, pk)
        if not permissions.is_applicant_officer(request.user, bid):
            raise Http404
        form = SupportAskForm(request.POST, bid=bid)
        if form.is_valid():
            try:
                services.support_ask(bid=bid, organisation=form.cleaned_data["organisation"], by=request.user)
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, f"{form.cleaned_data['organisation']} has been asked to support the bid.")
        else:
            messages.error(request, "Choose a commissioning partner to ask.")
        return redirect("growth_bids:bid_detail", pk)


class SupportAnswerView(LoginRequiredMixin, View):
    def post(self, request, pk):
        support_request = get_object_or_404(
            selectors.for_partnership(SupportRequest.objects.select_related("bid__funding_round"), request.partnership),
            pk=pk,
        )
        bid = get_bid(request.user, support_request.bid_id)
        confirm = request.POST.get("answer") == "confirm"
        try:
            services.support_answer(
                support_request=support_request,
                by=request.user,
                confirm=confirm,
                note=storable_text(request.POST.get("note")),
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request, "Thank you: your support is confirmed." if confirm else "You declined to support."
            )
        return redirect("growth_bids:bid_detail", bid.pk)


class AttachmentUploadView(LoginRequiredMixin, View):
    def post(self, request, pk):
        bid = get_bid(request.user, pk)
        if not permissions.is_applicant_officer(request.user, bid):
            raise Http404
        form = AttachmentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.attachment_add(bid=bid, by=request.user, upload=form.cleaned_data["file"])
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "The document is attached.")
        else:
            for message in form.errors.get("file", []):
                messages.error(request, message)
        return redirect("growth_bids:bid_detail", pk)


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        attachment = get_object_or_404(selectors.for_partnership(Attachment, request.partnership), pk=pk)
        get_bid(request.user, attachment.bid_id)
        response = FileResponse(
            attachment.file.open("rb"),
            as_attachment=True,
            filename=attachment.original_name,
            content_type=attachment.content_type,
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class BidFiledCopyView(LoginRequiredMixin, View):
    """The bid as filed, as a PDF (growth_bids.filed_copy): for whoever may read the bid, once it was submitted."""

    def get(self, request, pk):
        from . import filed_copy

        bid = get_bid(request.user, pk)
        revision = filed_copy.latest_revision(bid) if permissions.was_submitted(bid) else None
        if revision is None:
            raise Http404("This bid has not been filed.")
        response = HttpResponse(filed_copy.render_pdf(revision), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{filed_copy.filename(bid)}"'
        return response


class BidExportView(LoginRequiredMixin, View):
    def get(self, request, pk):
        bid = get_bid(request.user, pk)
        rows = [
            ("Reference", bid.reference),
            ("Title", bid.title),
            ("Organisation", bid.applicant),
            ("Status", bid.get_status_display()),
            ("Main contact names", bid.contact_names),
            ("Email", bid.contact_email),
            ("Phone", bid.contact_phone),
            ("Summary", bid.summary),
            ("Primary client group", bid.client_group or ""),
            ("Districts", "; ".join(str(d) for d in bid.districts.all())),
            ("Service users", bid.service_users),
            ("Support hours per service user per week", bid.hours_per_week),
            ("Support hours per service user per year", bid.hours_per_year),
            ("Annual amount", bid.annual_amount),
            ("Proposed start date", bid.start_date),
            ("Outcomes", "; ".join(str(o) for o in bid.outcomes.all())),
        ]
        rows += [(f"Statement {s.criterion.code}", s.text) for s in bid.statements.all()]
        return csv_response(f"{bid.reference}.csv", ["Field", "Value"], rows)


# ---------------------------------------------------------------- evaluation


class EvaluationView(LoginRequiredMixin, TemplateView):
    """The evaluation workspace: the applicant's statement beside each criterion, "Save and finish later" for a
    half-done evaluation; a moderation shows each evaluator's marks and reasons beside its own."""

    template_name = "growth_bids/evaluation_form.html"
    moderated = False

    def _bid(self):
        bid = get_bid(self.request.user, self.kwargs["pk"])
        refusal = permissions.evaluation_refusal(self.request.user, bid)
        if refusal:
            raise PermissionDenied(refusal)
        return bid

    def _form(self, bid, data=None):
        user = self.request.user
        if self.moderated:
            found = Evaluation.objects.filter(bid=bid, moderated=True)
        else:
            found = Evaluation.objects.filter(bid=bid, moderated=False, evaluator=user)
        draft = EvaluationDraft.objects.filter(bid=bid, evaluator=user, moderated=self.moderated).first()
        return EvaluationForm(
            data,
            bid=bid,
            evaluation=found.prefetch_related("marks").first(),
            draft=draft,
            moderated=self.moderated,
            others=services.evaluator_marks(bid) if self.moderated else None,
        )

    def _context(self, bid, form):
        statements = {s.criterion_id: s.text for s in bid.statements.all()}
        system_marks = {c.code: services.system_mark(c, bid) for c in bid.funding_round.criteria.all() if c.system_rule}
        return {
            "bid": bid,
            "round": bid.funding_round,
            "form": form,
            "moderated": self.moderated,
            "rows": form.rows(statements, system_marks),
            "evaluators": sorted(
                {e.evaluator.display_name for e in bid.evaluations.all() if not e.moderated and e.evaluator_id}
            )
            if self.moderated
            else [],
            "has_draft": bool(form.fields["draft_version"].initial),
        }

    def get(self, request, pk):
        bid = self._bid()
        return self.render_to_response(self._context(bid, self._form(bid)))

    def _keep(self, bid, form):
        return services.evaluation_draft_save(
            bid=bid,
            by=self.request.user,
            data=form.typed(),
            moderated=self.moderated,
            version=self.request.POST.get("draft_version") or None,
        )

    def post(self, request, pk):
        bid = self._bid()
        form = self._form(bid, request.POST)
        what = "moderated evaluation" if self.moderated else "evaluation"
        finish_later = "finish_later" in request.POST
        # A half-done evaluation is kept as typed; the interest is confirmed (form.confirm) when it is completed.
        form.fields["interest"].required = False
        if not form.is_valid():
            return self.render_to_response(self._context(bid, form))
        if finish_later:
            try:
                self._keep(bid, form)
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
                return self.render_to_response(self._context(bid, form))
            messages.success(
                request,
                f"Your half-done {what} of {bid.reference} is saved. Come back to complete it: it counts once "
                "it is completed.",
            )
            return redirect("growth_bids:bid_detail", pk)
        step = InterestConfirmation.Step.MODERATION if self.moderated else InterestConfirmation.Step.EVALUATION
        try:
            # Confirmed first, item by item: no interest in this bid, or one declared (which refuses the scoring).
            with transaction.atomic():
                if form.confirm(user=request.user, obj=bid, step=step):
                    services.evaluation_save(
                        bid=bid,
                        by=request.user,
                        marks=form.marks(),
                        written_evaluation=form.cleaned_data["written_evaluation"],
                        moderated=self.moderated,
                        version=form.cleaned_data.get("version"),
                        departures=form.departures(),
                    )
        except ValidationError as exc:
            if not isinstance(exc, editing.StaleEdit | services.Conflict):
                # Nothing typed is lost: what can be kept goes into the draft, then the gaps are shown.
                try:
                    draft = self._keep(bid, form)
                except ValidationError:
                    pass
                else:
                    posted = request.POST.copy()
                    posted["draft_version"] = str(draft.version)
                    form = self._form(bid, posted)
                    form.is_valid()
            editing.errors_to_form(form, exc)
            return self.render_to_response(self._context(bid, form))
        if form.errors:
            # No interest confirmed (or one declared): nothing counts, but what was typed is kept in the draft.
            try:
                self._keep(bid, form)
            except ValidationError:
                pass
            return self.render_to_response(self._context(bid, form))
        messages.success(request, f"Your {what} of {bid.reference} is saved.")
        return redirect("growth_bids:bid_detail", pk)


class AssignmentsView(LoginRequiredMixin, TemplateView):
    """Who evaluates which bid: the programme team assigns; progress per bid and per evaluator."""

    template_name = "growth_bids/assignments.html"

    def _round(self):
        funding_round = get_round(self.request.user, self.kwargs["pk"])
        if not permissions.is_team(self.request.user, funding_round):
            raise PermissionDenied("Only the programme team assigns evaluators.")
        return funding_round

    def _team(self, funding_round):
        from core_groups import roles
        from core_groups.tenancy import role_holders

        partnership_id = funding_round.programme.partnership_id
        return list(role_holders(partnership_id, roles.PROGRAMME_TEAM).order_by("last_name", "first_name", "pk"))

    def _context(self, funding_round, errors=None, chosen=None):
        rows, evaluators = services.assignment_progress(funding_round)
        team = self._team(funding_round)
        for row in rows:
            picked = chosen.get(row["bid"].pk) if chosen is not None else None
            assigned_ids = {u.pk for u, _state in row["assigned"]} if picked is None else {u.pk for u in picked}
            row["choices"] = [(u, u.pk in assigned_ids) for u in team]
        return {
            "round": funding_round,
            "rows": rows,
            "evaluators": evaluators,
            "team": team,
            "refusal": services.assignment_refusal(self.request.user, funding_round),
            "errors": errors or [],
        }

    def get(self, request, pk):
        funding_round = self._round()
        return self.render_to_response(self._context(funding_round))

    def post(self, request, pk):
        funding_round = self._round()
        team = {str(u.pk): u for u in self._team(funding_round)}
        bids = set(funding_round.bids.submitted().values_list("pk", flat=True))
        chosen = {}
        for bid_id in bids:
            if f"shown_{bid_id}" in request.POST:
                chosen[bid_id] = [team[v] for v in request.POST.getlist(f"evaluators_{bid_id}") if v in team]
        try:
            services.assignments_save(funding_round=funding_round, by=request.user, chosen=chosen)
        except ValidationError as exc:
            return self.render_to_response(self._context(funding_round, exc.messages, chosen), status=400)
        messages.success(request, "Who evaluates which bid is saved.")
        return redirect("growth_bids:assignments", pk)


# ---------------------------------------------------------------- the Body


class BodyListView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/body_list.html"

    def get(self, request, pk):
        funding_round = get_round(request.user, pk)
        if not permissions.can_view_body_list(request.user, funding_round):
            raise Http404
        sort = request.GET.get("sort", "rank")
        queryset, filterset, recommendation = selectors.body_bids(funding_round, request.GET, sort)
        export = request.GET.get("export")
        if export in ("csv", "xlsx"):
            return self._export(funding_round, queryset, recommendation, export)
        if export in ("matrix-csv", "matrix-xlsx"):
            return self._export_matrix(funding_round, selectors.criteria_matrix(funding_round, list(queryset)), export)
        page = Paginator(queryset, 25).get_page(request.GET.get("page"))
        running = {ref: (total, left) for ref, total, left in recommendation.running}
        rows = [
            {
                "bid": bid,
                "recommendation": recommendation.outcome(bid.reference) if bid.score is not None else "",
                "running_total": running.get(bid.reference, (None, None))[0],
                "left": running.get(bid.reference, (None, None))[1],
            }
            for bid in page.object_list
        ]
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("export", None)
        decided = selectors.decided_total(funding_round)
        return self.render_to_response(
            {
                "round": funding_round,
                "filter": filterset,
                "page": page,
                "rows": rows,
                "recommendation": recommendation,
                "sort": sort,
                "sorts": selectors.SORT_LABELS,
                "query": query.urlencode(),
                "decided_total": decided,
                "decided_left": funding_round.available - decided,
                "can_publish": permissions.can_publish_decisions(request.user, funding_round),
                "can_decide_many": permissions.is_body_member(request.user, funding_round)
                and funding_round.status == FundingRound.Status.EVALUATED,
                "matrix": selectors.criteria_matrix(funding_round, page.object_list),
            }
        )

    HEADERS = [
        "Reference",
        "Title",
        "Organisation",
        "Client group",
        "Districts",
        "Service users",
        "Annual amount",
        "Cost per service user",
        "Score",
        "Eligible",
        "Recommendation",
        "Running total in rank order",
        "Decision",
        "Amount decided",
    ]

    def _rows(self, queryset, recommendation):
        running = {ref: total for ref, total, _left in recommendation.running}
        labels = {"fund": "Fund", "reserve": "Reserve", "not_funded": "Not recommended"}
        for bid in queryset:
            decision = getattr(bid, "decision", None)
            yield [
                bid.reference,
                bid.title,
                str(bid.applicant),
                str(bid.client_group or ""),
                "; ".join(str(d) for d in bid.districts.all()),
                bid.service_users,
                bid.annual_amount,
                bid.cost_per_service_user,
                bid.score,
                "" if bid.eligible is None else ("yes" if bid.eligible else "no"),
                labels.get(recommendation.outcome(bid.reference), "") if bid.score is not None else "",
                running.get(bid.reference),
                decision.get_outcome_display() if decision else "",
                decision.amount if decision else None,
            ]

    MONEY_COLUMNS = ("Annual amount", "Cost per service user", "Running total in rank order", "Amount decided")

    def _export(self, funding_round, queryset, recommendation, kind):
        name = f"growth-bids-{funding_round.financial_year}"
        rows = self._rows(queryset, recommendation)
        if kind == "csv":
            return csv_response(f"{name}.csv", self.HEADERS, rows)
        return excel_response(
            f"{name}.xlsx",
            str(funding_round),
            self.HEADERS,
            rows,
            sheet_name="Bids",
            title_row=True,
            number_formats=dict.fromkeys(self.MONEY_COLUMNS, MONEY_FORMAT),
        )

    def _export_matrix(self, funding_round, matrix, kind):
        name = f"growth-bids-criteria-{funding_round.financial_year}"
        if kind == "matrix-csv":
            return csv_response(f"{name}.csv", matrix.header(), matrix.table())
        title = f"Criteria met by each bid: {funding_round}"
        widths = {"Title": 40, "Meets every mandatory criterion": 16}
        return excel_response(
            f"{name}.xlsx", title, matrix.header(), matrix.table(), sheet_name="Criteria", title_row=True, widths=widths
        )


class DecisionView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/decision_form.html"

    def _bid(self):
        bid = get_bid(self.request.user, self.kwargs["pk"])
        refusal = permissions.decision_refusal(self.request.user, bid)
        if refusal:
            raise PermissionDenied(refusal)
        return bid

    def _context(self, bid, form):
        funding_round = bid.funding_round
        funded = services.funded_total(funding_round, exclude_bid=bid)
        return {
            "bid": bid,
            "round": funding_round,
            "form": form,
            "funded_elsewhere": funded,
            "left": funding_round.available - funded,
            "recommendation": selectors.round_recommendation(funding_round).outcome(bid.reference),
        }

    def get(self, request, pk):
        bid = self._bid()
        decision = getattr(bid, "decision", None)
        initial = {"amount": bid.annual_amount, "meeting_date": timezone.localdate()}
        if decision:
            initial.update(
                outcome=decision.outcome,
                amount=decision.amount or bid.annual_amount,
                meeting_date=decision.meeting_date,
                minute_ref=decision.minute_ref,
                notes=decision.notes,
            )
        return self.render_to_response(self._context(bid, DecisionForm(initial=initial)))

    def post(self, request, pk):
        bid = self._bid()
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k not in ("interest", "interest_description")}
            try:
                with transaction.atomic():
                    if form.confirm(user=request.user, obj=bid, step=InterestConfirmation.Step.FUNDING):
                        services.decision_record(bid=bid, by=request.user, **data)
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            if not form.errors:
                messages.success(request, f"The decision on {bid.reference} is recorded.")
                return redirect(reverse("growth_bids:body_list", args=[bid.funding_round_id]))
        return self.render_to_response(self._context(bid, form))


class DecideManyView(LoginRequiredMixin, TemplateView):
    """The Body decides several bids in one form: all are saved, or none (each row's error beside it)."""

    template_name = "growth_bids/decide_many.html"

    def _round(self):
        funding_round = get_round(self.request.user, self.kwargs["pk"])
        if not permissions.can_view_body_list(self.request.user, funding_round):
            raise Http404
        if not permissions.is_body_member(self.request.user, funding_round):
            raise PermissionDenied("Only members of the Commissioning Body record decisions.")
        return funding_round

    def _bids(self, funding_round):
        queryset, _filterset, recommendation = selectors.body_bids(funding_round, None, "rank")
        return list(queryset), recommendation

    def _initial(self, bids):
        initial = []
        for bid in bids:
            decision = getattr(bid, "decision", None)
            row = {"bid": bid.pk, "amount": bid.annual_amount}
            if decision and decision.outcome != "fell_through":
                row.update(amount=decision.amount or bid.annual_amount, reason=decision.reason, notes=decision.notes)
            initial.append(row)
        return initial

    def _context(self, funding_round, bids, recommendation, meeting, formset):
        forms_by_bid = {}
        for form in formset:
            value = form["bid"].value()
            forms_by_bid[str(value)] = form
        rows = []
        for bid in bids:
            refusal = permissions.decision_refusal(self.request.user, bid)
            rows.append(
                {
                    "bid": bid,
                    "refusal": refusal,
                    "form": None if refusal else forms_by_bid.get(str(bid.pk)),
                    "recommendation": recommendation.outcome(bid.reference) if bid.score is not None else "",
                }
            )
        decided = selectors.decided_total(funding_round)
        return {
            "round": funding_round,
            "meeting": meeting,
            "form": meeting,
            "formset": formset,
            "rows": rows,
            "decided_total": decided,
            "decided_left": funding_round.available - decided,
        }

    def get(self, request, pk):
        funding_round = self._round()
        bids, recommendation = self._bids(funding_round)
        decidable = [b for b in bids if permissions.decision_refusal(request.user, b) is None]
        formset = DecisionRowFormSet(initial=self._initial(decidable))
        meeting = DecisionMeetingForm(initial={"meeting_date": timezone.localdate()})
        return self.render_to_response(self._context(funding_round, bids, recommendation, meeting, formset))

    def post(self, request, pk):
        funding_round = self._round()
        bids, recommendation = self._bids(funding_round)
        by_pk = {b.pk: b for b in bids}
        meeting = DecisionMeetingForm(request.POST)
        formset = DecisionRowFormSet(request.POST)
        if meeting.is_valid() and formset.is_valid():
            rows = []
            for form in formset:
                data = form.cleaned_data
                if not data or not data.get("outcome"):
                    continue
                bid = by_pk.get(data["bid"])
                if bid is None:
                    form.add_error(None, "This bid cannot be decided in this round.")
                    continue
                rows.append({**data, "bid": bid})
            if not rows and not any(form.errors for form in formset):
                meeting.add_error(None, "Choose an outcome for at least one bid.")
            elif not any(form.errors for form in formset):
                try:
                    with transaction.atomic():
                        if self._confirm(rows, formset):
                            services.decisions_record_many(
                                funding_round=funding_round,
                                by=request.user,
                                meeting_date=meeting.cleaned_data["meeting_date"],
                                minute_ref=meeting.cleaned_data["minute_ref"],
                                rows=rows,
                            )
                        else:
                            # The declaration stands; the form is drawn again without the bids it now excludes.
                            messages.error(
                                request,
                                "No decision was recorded: you declared an interest in a bid of this batch, and "
                                "you take no part in its decision. Your declaration is recorded.",
                            )
                            return redirect(reverse("growth_bids:decide_many", args=[funding_round.pk]))
                except DecisionsRefused as exc:
                    meeting.add_error(None, exc.message)
                    forms_by_bid = {form.cleaned_data.get("bid"): form for form in formset}
                    for bid_pk, error in exc.row_errors.items():
                        editing.errors_to_form(forms_by_bid[bid_pk], error)
                except ValidationError as exc:
                    editing.errors_to_form(meeting, exc)
                if not meeting.errors and not any(form.errors for form in formset):
                    messages.success(request, f"{len(rows)} decision{'s' if len(rows) != 1 else ''} recorded.")
                    return redirect(reverse("growth_bids:body_list", args=[funding_round.pk]))
        return self.render_to_response(self._context(funding_round, bids, recommendation, meeting, formset))

    def _confirm(self, rows, formset):
        """Each decided bid's interest answer, recorded before its decision. A declared interest is recorded and
        refuses the batch (False); otherwise each "no interest" is recorded with the batch, in its transaction."""
        forms_by_bid = {form.cleaned_data.get("bid"): form for form in formset if form.cleaned_data}
        declaring = [row for row in rows if row.get("interest") == conflicts.DECLARE]
        for row in declaring or rows:
            refusal = conflicts.confirm_interest(
                user=self.request.user,
                obj=row["bid"],
                step=InterestConfirmation.Step.FUNDING,
                answer=row.get("interest"),
                description=f"Declared on the Body's decision form for {row['bid'].reference}.",
            )
            # A conflict already on record is left to the service, which refuses the row with its reason.
            if refusal and declaring:
                forms_by_bid[row["bid"].pk].add_error("interest", refusal)
        return not declaring


class FallThroughView(LoginRequiredMixin, TemplateView):
    template_name = "growth_bids/fall_through_form.html"

    def _bid(self):
        bid = get_bid(self.request.user, self.kwargs["pk"])
        if not permissions.can_record_fall_through(self.request.user, bid):
            raise PermissionDenied("Only a Body member without an interest can record this, for a funded bid.")
        return bid

    def get(self, request, pk):
        bid = self._bid()
        form = FallThroughForm(initial={"meeting_date": timezone.localdate()})
        return self.render_to_response({"bid": bid, "round": bid.funding_round, "form": form})

    def post(self, request, pk):
        bid = self._bid()
        form = FallThroughForm(request.POST)
        if form.is_valid():
            try:
                _decision, promoted = services.decision_fall_through(bid=bid, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                if promoted:
                    messages.success(request, f"Recorded. The reserve, {promoted.bid.reference}, is now funded.")
                else:
                    messages.success(request, "Recorded. No reserve fits the money left.")
                return redirect("growth_bids:bid_detail", pk)
        return self.render_to_response({"bid": bid, "round": bid.funding_round, "form": form})


class BidProcurementView(LoginRequiredMixin, TemplateView):
    """The programme team turns a funded bid into a procurement project with its timetable."""

    template_name = "growth_bids/bid_procurement_form.html"

    def _bid(self):
        bid = get_bid(self.request.user, self.kwargs["pk"])
        if not permissions.is_team(self.request.user):
            raise PermissionDenied("Only the programme team turns a funded bid into a procurement project.")
        return bid

    def _context(self, bid, form):
        return {
            "bid": bid,
            "round": bid.funding_round,
            "form": form,
            "refusal": permissions.procurement_refusal(self.request.user, bid),
            "decision": getattr(bid, "decision", None),
            "partners": services.bid_project_partners(bid),
        }

    def get(self, request, pk):
        bid = self._bid()
        form = BidProcurementForm(initial={"reference": bid.reference, "contract_start": bid.start_date})
        return self.render_to_response(self._context(bid, form))

    def post(self, request, pk):
        bid = self._bid()
        form = BidProcurementForm(request.POST)
        if form.is_valid():
            try:
                project = services.bid_to_procurement_project(bid=bid, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                editing.errors_to_form(form, exc)
            else:
                messages.success(
                    request, f"{bid.reference} is now procurement project {project.reference}, with its timetable."
                )
                return redirect("procurement:project_detail", project.pk)
        return self.render_to_response(self._context(bid, form))
