"""Ranking growth bids and recommending which to fund within the money available (DOMAIN Rule 1.7).

A pure function over plain values, with no database access, so anyone can test it by hand:

    recommend([RankableBid("A", 7, Decimal("200000"), 40, when, True), ...], Decimal("450000"))

Order: score (high first), then cost per service user (low first), then earlier submission, then
reference. Walk the order and fund each eligible bid that still fits the money left; the reserve is
the highest-ranked eligible bid that was not funded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from core_groups.money import Amount, to_money

# A bid with no submission time (a demo or an imported one) sorts after every timed bid of equal rank.
_LATEST = dt.datetime.max.replace(tzinfo=dt.UTC)
# A bid with no service users has no meaningful cost per user; it sorts after those that do.
_INFINITE = Decimal("Infinity")


@dataclass(frozen=True)
class RankableBid:
    reference: str
    score: int | Decimal
    amount: Decimal
    service_users: int | None
    submitted_at: dt.datetime | None = None
    eligible: bool = True

    @property
    def cost_per_service_user(self) -> Decimal:
        if not self.service_users or self.service_users <= 0:
            return _INFINITE
        return Decimal(self.amount) / Decimal(self.service_users)


@dataclass(frozen=True)
class Recommendation:
    ranked: list[str]
    funded: list[str]
    reserve: str | None
    funded_total: Decimal
    available: Decimal
    left: Decimal
    # Each ranked reference with the money left after it was considered: the running total of the page.
    running: list[tuple[str, Decimal, Decimal]] = field(default_factory=list)

    def outcome(self, reference: str) -> str:
        if reference in self.funded:
            return "fund"
        if reference == self.reserve:
            return "reserve"
        return "not_funded"


def _get(bid: object, name: str, default: Any = None) -> Any:
    if isinstance(bid, dict):
        return bid.get(name, default)
    return getattr(bid, name, default)


def _as_rankable(bid: object) -> RankableBid:
    if isinstance(bid, RankableBid):
        if isinstance(bid.amount, Decimal):
            return bid
        return RankableBid(
            bid.reference, bid.score, to_money(bid.amount), bid.service_users, bid.submitted_at, bid.eligible
        )
    return RankableBid(
        reference=_get(bid, "reference"),
        score=_get(bid, "score") or 0,
        amount=to_money(_get(bid, "amount") or 0),
        service_users=_get(bid, "service_users"),
        submitted_at=_get(bid, "submitted_at"),
        eligible=bool(_get(bid, "eligible", True)),
    )


def sort_key(bid: RankableBid) -> tuple[int | Decimal, Decimal, dt.datetime, str]:
    submitted = bid.submitted_at or _LATEST
    users = bid.service_users
    # Cross-multiplication would avoid the division, but one Decimal division per bid is cheap enough
    # (bench/bids_bench.py) and keeps the key obviously equal to "cost per service user".
    cost = bid.amount / users if users and users > 0 else _INFINITE
    return (-bid.score, cost, submitted, bid.reference)


def rank(bids: Iterable[object]) -> list[RankableBid]:
    return sorted((_as_rankable(b) for b in bids), key=sort_key)


def recommend(bids: Iterable[object], available: Amount) -> Recommendation:
    """Rank ``bids`` and fund greedily within ``available``; see the module docstring.

    ``bids`` may be RankableBid instances, dicts or any objects with the six attributes.
    """
    money = to_money(available)
    ordered = rank(bids)
    left = money
    funded: list[str] = []
    reserve: str | None = None
    running: list[tuple[str, Decimal, Decimal]] = []
    for bid in ordered:
        amount = bid.amount
        if bid.eligible and amount > 0 and amount <= left:
            funded.append(bid.reference)
            left -= amount
        elif bid.eligible and reserve is None:
            reserve = bid.reference
        running.append((bid.reference, money - left, left))
    return Recommendation(
        ranked=[b.reference for b in ordered],
        funded=funded,
        reserve=reserve,
        funded_total=money - left,
        available=money,
        left=left,
        running=running,
    )
