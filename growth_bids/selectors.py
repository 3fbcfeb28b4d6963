"""Reads of the growth-bid process, with their joins so that query counts stay flat."""

import datetime
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, overload

from django.db.models import F, Min, Model, OrderBy, Prefetch, QuerySet, Sum

from core_groups.models import Partnership, User
from core_groups.money import to_money
from core_groups.tenancy import for_partnership as _scope
from foundation import caching

from .filters import BodyBidFilter
from .models import Attachment, Bid, Criterion, Decision, EvaluationMark, FundingRound, NoticeOfIntent, SupportRequest
from .ranking import Recommendation, rank, recommend

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
    if isinstance(qs, type) and issubclass(qs, Model):
        qs = qs._default_manager.all()
    return _scope(qs, partnership, path=SCOPE_PATHS[qs.model])


LATEST = 10  # an officer's dashboard lists this many of their organisation's bids


def latest_bids_of(organisation_id: int, partnership: Partnership | None, limit: int = LATEST) -> list[Bid]:
    """The organisation's ``limit`` latest bids: newest financial year first, then by number.

    Read a year at a time (the partnership's rounds first, a handful of rows), each year's bids from the index on
    (applicant, round, number): sorting every bid the organisation ever made grew with the years (4,168 bids at ten
    times the bench's volumes, 10 ms). Usually two queries: the rounds, and the newest year's bids."""
    years: dict[int, list[int]] = {}
    for pk, year in (
        for_partnership(FundingRound, partnership).order_by("-financial_year").values_list("pk", "financial_year")
    ):
        years.setdefault(year, []).append(pk)
    found: list[Bid] = []
    for round_ids in years.values():
        found += (
            Bid.objects.filter(applicant_id=organisation_id, funding_round_id__in=round_ids)
            .select_related("funding_round", "decision")
            .order_by("number")[: limit - len(found)]
        )
        if len(found) >= limit:
            break
    return found


# "rank" and "cost" are ordered in Python (Decimal arithmetic, the key of ``recommend``), never by a
# division in SQL: SQLite divides whole-pound amounts as integers, so two bids of nearly equal cost per
# service user would tie there and the page would disagree with the recommendation. See OrderedBids.
SORTS: dict[str, list[OrderBy | str]] = {
    "reference": ["reference"],
    "-score": [F("score").desc(nulls_last=True), "reference"],
    "score": [F("score").asc(nulls_first=True), "reference"],
    "amount": ["annual_amount", "reference"],
    "-amount": [F("annual_amount").desc(nulls_last=True), "reference"],
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


def _submitted_rows(funding_round: FundingRound, scored_only: bool) -> list[dict[str, Any]]:
    rows = Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED)
    if scored_only:
        rows = rows.filter(score__isnull=False)
    return [
        {
            "pk": r["pk"],
            "reference": r["reference"],
            "score": r["score"],
            "amount": r["annual_amount"],
            "service_users": r["service_users"],
            "submitted_at": r["submitted_at"],
            "eligible": bool(r["eligible"]),
        }
        for r in rows.values(
            "pk", "reference", "score", "annual_amount", "service_users", "submitted_at", "eligible"
        ).order_by()
    ]


def round_recommendation(funding_round: FundingRound) -> Recommendation:
    """The recommendation over every scored, submitted bid of the round (one query)."""
    bids = _submitted_rows(funding_round, scored_only=True)
    return recommend(bids, funding_round.available)


class OrderedBids(Sequence[Bid]):
    """Bids in an order worked out in Python, fetched a page at a time.

    ``Paginator`` takes its length and slices it; each slice is one query (and the queryset's prefetches),
    whatever the number of bids. Iterating fetches in chunks, for the exports.
    """

    CHUNK = 500

    def __init__(self, queryset: QuerySet[Bid], pks: list[int]) -> None:
        self._queryset = queryset
        self._pks = pks

    def __len__(self) -> int:
        return len(self._pks)

    def _fetch(self, pks: list[int]) -> list[Bid]:
        found = self._queryset.in_bulk(pks) if pks else {}
        return [found[pk] for pk in pks if pk in found]

    @overload
    def __getitem__(self, index: int) -> Bid: ...

    @overload
    def __getitem__(self, index: slice) -> list[Bid]: ...

    def __getitem__(self, index: int | slice) -> Bid | list[Bid]:
        if isinstance(index, slice):
            return self._fetch(self._pks[index])
        return self._fetch([self._pks[index]])[0]

    def __iter__(self) -> Iterator[Bid]:
        for start in range(0, len(self._pks), self.CHUNK):
            yield from self._fetch(self._pks[start : start + self.CHUNK])


# The Body's list re-ranked the whole round on every request (88 ms at 1x, 279 ms at 10x: issue 17). The ranking is
# cached per round and amount available, and forgotten whenever a bid is saved or deleted (growth_bids/apps.py).
RANKING_NAMESPACE = caching.namespace("growth_bids:ranking")


def forget_rankings(**_kwargs: Any) -> None:
    """Every round's cached ranking is forgotten, now and again when the transaction commits."""
    caching.forget(RANKING_NAMESPACE)


def _recommendation_and_orders(funding_round: FundingRound) -> tuple[Recommendation, dict[str, list[int]]]:
    """The recommendation and every submitted bid's pk in rank order and in cost order (one query, or none when
    nothing has changed since it was last worked out)."""
    return caching.cached(
        RANKING_NAMESPACE,
        [funding_round.pk, funding_round.available],
        lambda: _rank_round(funding_round),
    )


def _rank_round(funding_round: FundingRound) -> tuple[Recommendation, dict[str, list[int]]]:
    """Rank: the recommendation's order, then the unscored bids by the same key. Cost: cost per service
    user in Decimal (``RankableBid.cost_per_service_user``), bids without service users last.
    """
    rows = _submitted_rows(funding_round, scored_only=False)
    pk_of = {r["reference"]: r["pk"] for r in rows}
    scored = [r for r in rows if r["score"] is not None]
    recommendation = recommend(scored, funding_round.available)
    unscored = rank({**r, "score": 0} for r in rows if r["score"] is None)
    by_cost = sorted(rank(rows), key=lambda b: (b.cost_per_service_user, b.reference))
    return recommendation, {
        "rank": [pk_of[ref] for ref in recommendation.ranked] + [pk_of[b.reference] for b in unscored],
        "cost": [pk_of[b.reference] for b in by_cost],
    }


def body_bids(
    funding_round: FundingRound, params: Mapping[str, Any] | None, sort: str = "rank"
) -> tuple[QuerySet[Bid] | OrderedBids, BodyBidFilter, Recommendation]:
    """The filtered, sorted bids of the Body's list, the filterset and the recommendation."""
    recommendation, orders = _recommendation_and_orders(funding_round)
    base = (
        Bid.objects.filter(funding_round=funding_round, status=Bid.Status.SUBMITTED)
        .select_related("applicant", "client_group", "decision")
        .prefetch_related("districts")
    )
    filterset = BodyBidFilter(params or None, queryset=base, recommendation=recommendation)
    valid = filterset.is_valid()
    queryset = filterset.qs if valid else base
    if sort in SORTS:
        return queryset.order_by(*SORTS[sort]), filterset, recommendation
    order = orders["cost" if sort == "cost" else "rank"]
    if not valid or not any(v not in (None, "") for v in filterset.form.cleaned_data.values()):
        # Unfiltered: every submitted bid of the round is in the order already; no need to read their ids again.
        return OrderedBids(queryset, order), filterset, recommendation
    kept = set(queryset.order_by().values_list("pk", flat=True))
    return OrderedBids(queryset, [pk for pk in order if pk in kept]), filterset, recommendation


@dataclass(frozen=True)
class CriteriaMatrix:
    """Which criteria each bid met in its moderated evaluation (None: not moderated yet)."""

    criteria: list[Criterion]
    rows: list[tuple[Bid, list[bool | None]]]

    @property
    def most(self) -> int:
        return sum(c.weight for c in self.criteria)

    def met_counts(self) -> list[int]:
        return [sum(1 for _bid, met in self.rows if met[i]) for i in range(len(self.criteria))]

    def header(self) -> list[str]:
        return [
            "Reference",
            "Title",
            *(f"{c.code}{' (mandatory)' if c.mandatory else ''}" for c in self.criteria),
            "Score",
            "Meets every mandatory criterion",
        ]

    def table(self) -> list[list[Any]]:
        """The rows of the CSV and Excel matrix: the weights, a row per bid, then the totals."""
        label = {True: "Met", False: "Not met", None: ""}
        weights: list[Any] = ["Weight", "", *(c.weight for c in self.criteria), self.most, ""]
        body: list[list[Any]] = [
            [
                bid.reference,
                bid.title,
                *(label[m] for m in met),
                bid.score,
                "" if bid.eligible is None else ("yes" if bid.eligible else "no"),
            ]
            for bid, met in self.rows
        ]
        totals: list[Any] = ["Bids meeting it", "", *self.met_counts(), "", ""]
        return [weights, *body, totals]


def criteria_matrix(funding_round: FundingRound, bids: Sequence[Bid]) -> CriteriaMatrix:
    """The criteria of the round against ``bids`` (two queries, whatever the number of bids)."""
    criteria = list(Criterion.objects.filter(funding_round=funding_round).order_by("order", "code"))
    marks: dict[tuple[int, int], bool] = {
        (bid_id, criterion_id): met
        for bid_id, criterion_id, met in EvaluationMark.objects.filter(
            evaluation__moderated=True, evaluation__bid__in=[b.pk for b in bids]
        ).values_list("evaluation__bid_id", "criterion_id", "met")
    }
    rows = [(bid, [marks.get((bid.pk, c.pk)) for c in criteria]) for bid in bids]
    return CriteriaMatrix(criteria, rows)


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


def next_window_close(now: datetime.datetime) -> datetime.datetime | None:
    """The next moment after ``now`` when a round's submission window closes (a round not yet a draft): its bids'
    pages change then with no write (foundation/page_cache.py keeps no page past it)."""
    return (
        FundingRound.objects.exclude(status=FundingRound.Status.DRAFT)
        .filter(closes_at__gt=now)
        .aggregate(first=Min("closes_at"))["first"]
    )
