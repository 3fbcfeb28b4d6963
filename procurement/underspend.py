"""Rule 2 of DOMAIN (Cardiff Cymorth, seed 000): how a core group's underspend is split.

The first tranche (a percentage of the allocation, 1% as agreed by the JCG) pays commissioning
costs; the core group keeps discretion over the next tranche (a percentage of the allocation or a
floor, whichever is larger); anything beyond is returned to the JCG. A pure function over plain
values: no database access, so it can be tested exhaustively and shown side by side for the JCG's
two options.
"""

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from core_groups.money import Amount, to_money

HUNDRED = Decimal("100")


@dataclass(frozen=True)
class Policy:
    """The plain values of an underspend policy. Percentages are percent (1 means 1%)."""

    commissioning_pct: Decimal
    discretion_pct: Decimal
    discretion_floor: Decimal
    name: str = ""


class PolicyValues(Protocol):
    """What split_underspend reads from a policy: a Policy above or an UnderspendPolicy row."""

    @property
    def commissioning_pct(self) -> Amount | None: ...
    @property
    def discretion_pct(self) -> Amount | None: ...
    @property
    def discretion_floor(self) -> Amount | None: ...


@dataclass(frozen=True)
class Split:
    allocation: Decimal
    spend: Decimal
    underspend: Decimal
    commissioning_costs: Decimal
    discretion: Decimal
    returned_to_jcg: Decimal
    overspent: bool
    overspend: Decimal

    @property
    def tranches_total(self) -> Decimal:
        return self.commissioning_costs + self.discretion + self.returned_to_jcg


def _decimal(value: Amount | None, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float; pass a Decimal, int or str.")
    try:
        return Decimal(value if value is not None else 0)
    except Exception as exc:  # noqa: BLE001 - any unparsable value is a ValueError for the caller
        raise ValueError(f"{what} is not a number: {value!r}") from exc


def split_underspend(allocation: Amount | None, spend: Amount | None, policy: PolicyValues) -> Split:
    """Split max(allocation - spend, 0) into commissioning costs, discretion and the JCG's return.

    ``policy`` is anything with ``commissioning_pct``, ``discretion_pct`` and ``discretion_floor``
    (a :class:`Policy` or an ``UnderspendPolicy`` row). Every amount is Decimal to the penny, half up.
    """
    allocated = to_money(_decimal(allocation, "The allocation"))
    spent = to_money(_decimal(spend, "The spend"))
    commissioning_pct = _decimal(policy.commissioning_pct, "The commissioning-cost percentage")
    discretion_pct = _decimal(policy.discretion_pct, "The discretion percentage")
    floor = to_money(_decimal(policy.discretion_floor, "The discretion floor"))
    if allocated < 0:
        raise ValueError("An allocation cannot be negative.")
    if spent < 0:
        raise ValueError("Spend cannot be negative.")
    if commissioning_pct < 0 or discretion_pct < 0:
        raise ValueError("A percentage cannot be negative.")
    if commissioning_pct > HUNDRED or discretion_pct > HUNDRED:
        raise ValueError("A percentage cannot be more than 100.")
    if floor < 0:
        raise ValueError("The discretion floor cannot be negative.")

    zero = Decimal("0.00")
    underspend = max(allocated - spent, zero)
    overspent = spent > allocated
    costs_cap = to_money(allocated * commissioning_pct / HUNDRED)
    commissioning_costs = min(underspend, costs_cap)
    discretion_cap = max(to_money(allocated * discretion_pct / HUNDRED), floor)
    discretion = min(underspend - commissioning_costs, discretion_cap)
    returned = underspend - commissioning_costs - discretion
    return Split(
        allocation=allocated,
        spend=spent,
        underspend=underspend,
        commissioning_costs=commissioning_costs,
        discretion=discretion,
        returned_to_jcg=returned,
        overspent=overspent,
        overspend=max(spent - allocated, zero),
    )
