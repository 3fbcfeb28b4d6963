"""What awaits a decision, oldest first: one read across the apps for the decision queue page.

The JCG decides single-tender business cases and specifications; the Commissioning Body decides the bids of
evaluated rounds; the programme team moderates the bids of closed rounds before they go to the Body.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef

from core_groups import permissions
from core_groups import selectors as core_selectors
from core_groups.models import Commission
from growth_bids import selectors as bid_selectors
from growth_bids.models import Bid, Evaluation, FundingRound


@dataclass
class Queue:
    key: str
    title: str
    decided_by: str
    items: list[Any] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.items)


def business_cases_awaiting(partnership: Any) -> list[Commission]:
    return list(
        core_selectors.for_partnership(Commission, partnership)
        .filter(route=Commission.Route.SINGLE_TENDER, business_case_decision="")
        .exclude(business_case="")
        .select_related("core_group")
        .order_by("updated_at", "pk")
    )


def specifications_awaiting(partnership: Any) -> list[Commission]:
    return list(
        core_selectors.for_partnership(Commission, partnership)
        .filter(specification_state=Commission.SpecificationState.WITH_JCG)
        .select_related("core_group")
        .order_by("updated_at", "pk")
    )


def bids_awaiting_the_body(partnership: Any) -> list[Bid]:
    return list(
        bid_selectors.for_partnership(Bid.objects.submitted(), partnership)
        .filter(funding_round__status=FundingRound.Status.EVALUATED, decision__isnull=True)
        .select_related("funding_round", "applicant")
        .order_by("submitted_at", "pk")
    )


def bids_awaiting_moderation(partnership: Any) -> list[Bid]:
    moderated = Evaluation.objects.filter(bid=OuterRef("pk"), moderated=True)
    return list(
        bid_selectors.for_partnership(Bid.objects.submitted(), partnership)
        .filter(funding_round__status=FundingRound.Status.CLOSED)
        .exclude(Exists(moderated))
        .select_related("funding_round", "applicant")
        .order_by("submitted_at", "pk")
    )


def queues_for(user: Any, partnership: Any) -> list[Queue]:
    """The queues of ``partnership`` this user decides in (the programme team sees every queue); nothing of
    another partnership."""
    team = permissions.is_programme_team(user, partnership)
    body = permissions.is_body_member(user, partnership)
    queues = []
    if team or body:
        queues.append(Queue("business_cases", "Business cases", "the JCG", business_cases_awaiting(partnership)))
        queues.append(Queue("specifications", "Specifications", "the JCG", specifications_awaiting(partnership)))
        queues.append(Queue("bids", "Growth bids", "the Commissioning Body", bids_awaiting_the_body(partnership)))
    if team:
        to_moderate = bids_awaiting_moderation(partnership)
        queues.append(Queue("moderation", "Bids to evaluate", "the programme team", to_moderate))
    return queues


def can_view_queue(user: Any, partnership: Any = None) -> bool:
    return permissions.is_programme_team(user, partnership) or permissions.is_body_member(user, partnership)
