"""Reads of the growth-bid process, with their joins so that query counts stay flat."""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any, cast

from django.db.models import DecimalField, ExpressionWrapper, F, OrderBy, Prefetch, QuerySet, Sum

from core_groups.models import Partnership, User
from core_groups.money import to_money
from core_groups.tenancy import for_partnership as _scope

from .filters import BodyBidFilter
from .models import Attachment, Bid, Decision, EvaluationMark, FundingRound, NoticeOfIntent, SupportRequest
from .ranking import Recommendation, recommend

# How each model of this app reaches its owning partnership: a round through its programme.
SCOPE_PATHS: dict[type, str] = {
    FundingRound: "programme__partnership",
    Bid: "funding_round__programme__partnership",
    NoticeOfIntent: "funding_round__programme__partnership",
    SupportRequest: "bid__funding_round__programme__partnership",
    Attachment: "bid__funding_round__programme__partnership",
    Decision: "funding_round__programme__partnership",
}


def for_partnership(qs: Any, partnership: Partnership | None) -> QuerySet[Any]:
    """``qs`` (a queryset or a model of this app) limited to ``partnership``'s rows; every view uses it."""
    if isinstance(qs, type):
        qs = cast(Any, qs)._default_manager.all()
    return _scope(qs, partnership, path=SCOPE_PATHS[qs.model])


SORTS: dict[str, list[OrderBy | str]] = {
    "rank": [F("score").desc(nulls_last=True), F("cost_per_user").asc(nulls_last=True), "submitted_at", "reference"],
    "reference": ["reference"],
    "-score": [F("score").desc(nulls_last=True), "reference"],
    "score": [F("score").asc(nulls_first=True), "reference"],
    "amount": ["annual_amount", "reference"],
    "-amount": [F("annual_amount").desc(nulls_last=True), "reference"],
    "cost": [F("cost_per_user").asc(nulls_last=True), "reference"],
    "organisation": ["applicant__name", "reference"],
}
SORT_LABELS = {
    "rank": "Rank",
    "reference": "Reference",
    "-score": "Score, highest first",
    "score": "Score, lowest first",
    "-amount": "Amount, highest first",
    "amount": "Amount, lowest first",
    "cost": "Cost per service user",
    "organisation": "Organisation",
}


def round_recommendation(funding_round: FundingRound) -> Recommendation:
    """The recommendation over every scored, submitted bid of the round (one query)."""
    rows = (
        Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED, score__isnull=False)
        .values("reference", "score", "annual_amount", "service_users", "submitted_at", "eligible")
        .order_by()
    )
    bids = [
        {
            "reference": r["reference"],
            "score": r["score"],
            "amount": r["annual_amount"],
            "service_users": r["service_users"],
            "submitted_at": r["submitted_at"],
            "eligible": bool(r["eligible"]),
        }
        for r in rows
    ]
    return recommend(bids, funding_round.available)


def body_bids(
    funding_round: FundingRound, params: Mapping[str, Any] | None, sort: str = "rank"
) -> tuple[QuerySet[Bid], BodyBidFilter, Recommendation]:
    """The filtered, sorted bids of the Body's list, the filterset and the recommendation."""
    recommendation = round_recommendation(funding_round)
    base = (
        Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED)
        .select_related("applicant", "client_group", "decision")
        .prefetch_related("districts")
        .annotate(
            cost_per_user=ExpressionWrapper(
                F("annual_amount") / F("service_users"), output_field=DecimalField(max_digits=14, decimal_places=2)
            )
        )
    )
    filterset = BodyBidFilter(params or None, queryset=base, recommendation=recommendation)
    queryset = filterset.qs if filterset.is_valid() else base
    queryset = queryset.order_by(*SORTS.get(sort, SORTS["rank"]))
    return queryset, filterset, recommendation


def decided_total(funding_round: FundingRound) -> Decimal:
    return to_money(
        Decision.objects.filter(funding_round=funding_round, outcome=Decision.Outcome.FUNDED).aggregate(
            total=Sum("amount")
        )["total"]
        or 0
    )


def bid_for_page(pk: int, partnership: Partnership | None) -> Bid:
    marks = EvaluationMark.objects.select_related("criterion").order_by("criterion__order")
    return (
        for_partnership(Bid, partnership)
        .select_related("funding_round__programme", "applicant", "client_group", "created_by", "procurement_project")
        .prefetch_related(
            "districts",
            "outcomes",
            Prefetch("support_requests", queryset=SupportRequest.objects.select_related("organisation", "answered_by")),
            "statements__criterion",
            "attachments",
            "evaluations__evaluator",
            Prefetch("evaluations__marks", queryset=marks),
            "revisions",
        )
        .get(pk=pk)
    )


def rounds_for(user: User, partnership: Partnership | None) -> list[FundingRound]:
    from . import permissions

    rounds = (
        for_partnership(FundingRound, partnership)
        .select_related("programme")
        .order_by("-financial_year", "programme__name")
    )
    return [r for r in rounds if permissions.can_view_round(user, r)]
