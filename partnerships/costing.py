"""The costing rules of shared commissioning (Staffordshire TSCiP, seed 001; DOMAIN.md Rule 5). No ORM here.

How the seed costs today's arrangements (paragraphs 3.1 and 3.3): officers reported the staff hours
spent on each contract, SLA or grant at seven stages over the life of that arrangement. Hours times
the funder's hourly staff cost is the resource cost over the life of the arrangement. "All other
figures have been calculated over the life of a contract and adjusted, where necessary, to reflect a
three year contract": the life cost is scaled to 36 months, pro rata to the arrangement's length in
months (a one-year grant counts three times, a five-year contract three fifths; a three-year contract is
unchanged, which is the "where necessary"). A rolling arrangement with no end date renews every year,
so its life is twelve months. The third-sector investment itself stays annual.

The shared approach (3.5 and 3.7) is costed per contract under aligned budgets with a lead
commissioner, which may differ per service: three contracts at £41,000, £41,000 and £27,289 cost
£109,289 against today's £426,937, a saving of £317,648 (advocacy is funded by five partners only,
hence its lower cost); for the five biggest partners, three contracts at £27,289 cost £81,867 against
£347,365, a saving of £265,498. Both figures are three-year figures, like today's cost.

The return on investment (3.8) counts the project's cost against the savings over a horizon (the
seed used 5.5 years: a development phase with no savings, then three-year contracts). Appendix B, which
held the seed's year-by-year figures and the project cost, was not published with the report, so its
55% and 58% cannot be reproduced; the formula here is the ordinary one, (savings - cost) / cost.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core_groups.money import Amount, to_money

THREE_YEARS_MONTHS = 36
ROLLING_LIFE_MONTHS = 12

# The seven stages of the seed's questionnaire (3.1), in its order: (field name, label).
STAGES = [
    ("hours_confirming_budget", "Confirming the budget"),
    ("hours_formulating_idea", "Formulating the idea of the service"),
    ("hours_developing_specification", "Developing the service specification"),
    ("hours_commissioning_procurement", "Commissioning and procurement"),
    ("hours_agreeing_contract", "Agreeing the contract"),
    ("hours_monitoring", "Performance and contract monitoring"),
    ("hours_processing_payments", "Processing payments"),
]
STAGE_FIELDS = [name for name, _label in STAGES]


class CostingError(ValueError):
    """An input the costing cannot work with; the message says which and why, in plain words."""


def _decimal(value: Amount, what: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{what} must not be a float; pass a Decimal, int or str.")
    try:
        return Decimal(value)
    except Exception as exc:  # noqa: BLE001 - any unparseable value is the same user error
        raise CostingError(f"{what} is not a number: {value!r}.") from exc


def contract_life_months(start: date, end: date | None, *, rolls_over: bool = False) -> int:
    """Whole months from start to end inclusive (1 April 2010 to 31 March 2013 is 36); a part month of
    15 days or more counts as a month. A rolling arrangement with no end date lives twelve months."""
    if end is None:
        if rolls_over:
            return ROLLING_LIFE_MONTHS
        raise CostingError("An arrangement that does not roll over needs an end date.")
    if start is None:
        raise CostingError("The arrangement needs a start date.")
    if end < start:
        raise CostingError("The end date is before the start date.")
    after = end + timedelta(days=1)
    months = (after.year - start.year) * 12 + (after.month - start.month)
    if after.day < start.day:
        months -= 1
    # Days left over after the whole months.
    anchor_month = start.month - 1 + months
    anchor_year = start.year + anchor_month // 12
    anchor_month = anchor_month % 12 + 1
    try:
        anchor = date(anchor_year, anchor_month, start.day)
    except ValueError:  # e.g. 31 February: the month ends earlier
        next_first = date(anchor_year + (anchor_month == 12), anchor_month % 12 + 1, 1)
        anchor = next_first - timedelta(days=1)
    if (after - anchor).days >= 15:
        months += 1
    return max(months, 1)


def total_hours(hours: Mapping[str, Amount | None] | Iterable[Amount | None]) -> Decimal:
    values = hours.values() if isinstance(hours, Mapping) else hours
    result = Decimal(0)
    for value in values:
        amount = _decimal(value if value is not None else 0, "Staff hours")
        if amount < 0:
            raise CostingError("Staff hours cannot be negative.")
        result += amount
    return result


@dataclass(frozen=True)
class ResourceCost:
    hours: Decimal
    hourly_cost: Decimal
    life_months: int
    life_cost: Decimal
    three_year_cost: Decimal


def resource_cost(
    hours: Mapping[str, Amount | None] | Iterable[Amount | None], hourly_cost: Amount, *, life_months: int
) -> ResourceCost:
    """Hours over the life of an arrangement times the hourly cost, and that scaled to a three-year contract.

    The three-year figure is computed from the unrounded life cost and rounded once, half up, to the penny.
    """
    hours_total = total_hours(hours)
    rate = _decimal(hourly_cost, "The hourly cost")
    if rate < 0:
        raise CostingError("The hourly cost cannot be negative.")
    if life_months is None or life_months < 1:
        raise CostingError("The life of the arrangement must be at least one month.")
    life = hours_total * rate
    adjusted = life * THREE_YEARS_MONTHS / Decimal(life_months)
    return ResourceCost(
        hours=hours_total,
        hourly_cost=to_money(rate),
        life_months=life_months,
        life_cost=to_money(life),
        three_year_cost=to_money(adjusted),
    )


@dataclass(frozen=True)
class SharedContract:
    """Contracts for one service under aligned budgets with a lead commissioner."""

    service: str
    cost_per_contract: Decimal
    contracts: int = 1

    @property
    def cost(self) -> Decimal:
        return to_money(Decimal(self.cost_per_contract) * self.contracts)


@dataclass(frozen=True)
class Savings:
    current_cost: Decimal
    shared_cost: Decimal
    saving: Decimal
    saving_percent: Decimal | None
    partners: int
    contracts: list[SharedContract] = field(default_factory=list)
    current_cost_per_partner: Decimal = Decimal("0.00")
    shared_cost_per_partner: Decimal = Decimal("0.00")

    @property
    def annual_saving(self) -> Decimal:
        return to_money(self.saving / 3)


def savings(*, current_cost: Amount, contracts: Iterable[SharedContract], partners: int) -> Savings:
    """Today's (three-year) resource cost against the shared approach's contracts, and the saving."""
    if not partners or partners < 1:
        raise CostingError("Choose at least one partner: a shared approach with no partners cannot be costed.")
    chosen = list(contracts)
    if not chosen:
        raise CostingError("Add at least one service with a cost per contract and a number of contracts.")
    current = to_money(_decimal(current_cost, "Today's resource cost"))
    if current < 0:
        raise CostingError("Today's resource cost cannot be negative.")
    for contract in chosen:
        cost = _decimal(contract.cost_per_contract, f"The cost per contract for {contract.service}")
        if cost <= 0:
            raise CostingError(f"The cost per contract for {contract.service} must be more than £0.")
        if contract.contracts is None or int(contract.contracts) < 1:
            raise CostingError(f"The number of contracts for {contract.service} must be at least 1.")
    shared = to_money(sum((c.cost for c in chosen), Decimal(0)))
    saving = current - shared
    percent = None
    if current > 0:
        percent = (saving * 100 / current).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return Savings(
        current_cost=current,
        shared_cost=shared,
        saving=saving,
        saving_percent=percent,
        partners=partners,
        contracts=chosen,
        current_cost_per_partner=to_money(current / partners),
        shared_cost_per_partner=to_money(shared / partners),
    )


@dataclass(frozen=True)
class RoiYear:
    year: int
    saving: Decimal
    cost: Decimal
    cumulative_net: Decimal


@dataclass(frozen=True)
class ReturnOnInvestment:
    project_cost: Decimal
    years: Decimal
    development_years: Decimal
    annual_saving: Decimal
    total_saving: Decimal
    net_saving: Decimal
    roi_percent: Decimal
    by_year: list[RoiYear]


def return_on_investment(
    *,
    three_year_saving: Amount,
    project_cost: Amount,
    years: Amount,
    development_years: Amount | None = 0,
    contract_years: Amount = 3,
) -> ReturnOnInvestment:
    """Savings accrue evenly after the development phase until the horizon; the project's cost falls at the
    start. ROI = (total saving - project cost) / project cost, as a percentage to one decimal place."""
    cost = to_money(_decimal(project_cost, "The project's cost"))
    if cost <= 0:
        raise CostingError("The project's cost must be more than £0 to work out a return on it.")
    horizon = _decimal(years, "The number of years")
    development = _decimal(development_years or 0, "The development phase")
    if horizon <= 0:
        raise CostingError("The number of years must be more than 0.")
    if development < 0:
        raise CostingError("The development phase cannot be negative.")
    contract_length = _decimal(contract_years, "The contract length")
    if contract_length <= 0:
        raise CostingError("The contract length must be more than 0 years.")
    annual = _decimal(three_year_saving, "The saving") / contract_length
    by_year = []
    cumulative = -cost
    total = Decimal(0)
    year = 0
    while year < horizon:
        start, end = Decimal(year), min(Decimal(year + 1), horizon)
        saving_span = max(Decimal(0), end - max(start, development))
        saving = to_money(annual * saving_span)
        total += saving
        cumulative += saving
        by_year.append(
            RoiYear(
                year=year + 1, saving=saving, cost=cost if year == 0 else Decimal("0.00"), cumulative_net=cumulative
            )
        )
        year += 1
    total = to_money(total)
    net = total - cost
    roi = (net * 100 / cost).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return ReturnOnInvestment(
        project_cost=cost,
        years=horizon,
        development_years=development,
        annual_saving=to_money(annual),
        total_saving=total,
        net_saving=net,
        roi_percent=roi,
        by_year=by_year,
    )
