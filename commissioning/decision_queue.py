"""What awaits a decision, oldest first: one read across the apps for the decision queue page.

The JCG decides single-tender business cases and specifications; the Commissioning Body decides the bids of
evaluated rounds; the programme team moderates the bids of closed rounds before they go to the Body.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from core_groups import permissions
from core_groups import selectors as core_selectors
from core_groups.models import Commission
from growth_bids import selectors as bid_selectors
from growth_bids.models import Bid, Decision, Evaluation, FundingRound

LISTED = 100  # the queue page lists this many of each queue, oldest first, and counts the rest
SUMMARY_CAP = 1000  # the dashboard counts a queue up to this and then says "more than"


@dataclass
class Queue:
    key: str
    title: str
    decided_by: str
    items: list[Any] = field(default_factory=list)
    total: int | None = None  # the count when ``items`` are not all of them (the oldest, or the first LISTED)
    capped: bool = False  # the count stopped at SUMMARY_CAP: there are more

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total


def business_cases_awaiting(partnership: Any) -> QuerySet[Any]:
    return (
        core_selectors.for_partnership(Commission, partnership)
        .filter(route=Commission.Route.SINGLE_TENDER, business_case_decision="")
        .exclude(business_case="")
        .select_related("core_group")
        .order_by("updated_at", "pk")
    )


def specifications_awaiting(partnership: Any) -> QuerySet[Any]:
    return (
        core_selectors.for_partnership(Commission, partnership)
        .filter(specification_state=Commission.SpecificationState.WITH_JCG)
        .select_related("core_group")
        .order_by("updated_at", "pk")
    )


def _rounds(partnership: Any, status: str) -> list[int]:
    """The ids of the partnership's rounds in ``status``, read first (a few rows): the bids are then filtered by
    ``IN`` those ids rather than joined through round and programme, which PostgreSQL misjudged at 50,000 bids and
    walked in nested loops (2.5 s for the dashboard's oldest awaiting bid at 10x: issue 17), and rather than by a
    subquery, whose size it guessed: with no round closed it walked all 50,000 submitted bids looking for one in
    an empty set (26 ms). No round in ``status``: the queue is empty without asking for bids."""
    return list(
        bid_selectors.for_partnership(FundingRound, partnership).filter(status=status).values_list("pk", flat=True)
    )


def bids_awaiting_the_body(partnership: Any) -> QuerySet[Any]:
    decided = Decision.objects.filter(bid=OuterRef("pk"))
    return (
        Bid.objects.submitted()
        .filter(funding_round__in=_rounds(partnership, FundingRound.Status.EVALUATED))
        .exclude(Exists(decided))
        .select_related("funding_round", "applicant")
        .order_by("submitted_at", "pk")
    )


def bids_awaiting_moderation(partnership: Any) -> QuerySet[Any]:
    moderated = Evaluation.objects.filter(bid=OuterRef("pk"), moderated=True)
    return (
        Bid.objects.submitted()
        .filter(funding_round__in=_rounds(partnership, FundingRound.Status.CLOSED))
        .exclude(Exists(moderated))
        .select_related("funding_round", "applicant")
        .order_by("submitted_at", "pk")
    )


def _oldest(qs: QuerySet[Any]) -> Any:
    """The queue's first item: its id is found without the joins of ``select_related`` (sorting 5,000 bids joined
    to their round and applicant took three times as long as sorting their ids), then that one row is read with
    them."""
    pk = qs.select_related(None).values_list("pk", flat=True).first()
    return None if pk is None else qs.filter(pk=pk).first()


def queues_for(user: Any, partnership: Any, *, summary: bool = False) -> list[Queue]:
    """The queues of ``partnership`` this user decides in (the programme team sees every queue); nothing of
    another partnership. With ``summary`` (the dashboard's panel) each queue is its count and its oldest item,
    two queries, not every row of a round of thousands of bids."""
    team = permissions.is_programme_team(user, partnership)
    body = permissions.is_body_member(user, partnership)
    wanted = []
    if team or body:
        wanted.append(("business_cases", "Business cases", "the JCG", business_cases_awaiting))
        wanted.append(("specifications", "Specifications", "the JCG", specifications_awaiting))
        wanted.append(("bids", "Growth bids", "the Commissioning Body", bids_awaiting_the_body))
    if team:
        wanted.append(("moderation", "Bids to evaluate", "the programme team", bids_awaiting_moderation))
    queues = []
    for key, title, decided_by, read in wanted:
        qs = read(partnership)
        if summary:
            # Counting stops at the cap: 50,000 bids awaiting the Body read as "more than 1,000", not 50,000 rows.
            oldest = _oldest(qs)
            total = qs.select_related(None).order_by()[: SUMMARY_CAP + 1].count() if oldest is not None else 0
            capped = total > SUMMARY_CAP
            queues.append(
                Queue(key, title, decided_by, [oldest] if oldest is not None else [], min(total, SUMMARY_CAP), capped)
            )
        else:
            items = list(qs[:LISTED])
            total = len(items) if len(items) < LISTED else qs.count()
            queues.append(Queue(key, title, decided_by, items, total))
    return queues


def can_view_queue(user: Any, partnership: Any = None) -> bool:
    return permissions.is_programme_team(user, partnership) or permissions.is_body_member(user, partnership)
