"""Money is Decimal, rounded to the penny, half up. Never float."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import TypeAlias

PENNY = Decimal("0.01")
# What a money function takes: never a float (refused at run time too, for callers without type checks).
Amount: TypeAlias = Decimal | int | str


def to_money(value: Amount | None) -> Decimal:
    """A Decimal rounded to the penny (half up). Accepts Decimal, int or str; refuses float."""
    if isinstance(value, float):
        raise TypeError("Money must not be a float; pass a Decimal, int or str.")
    if value is None:
        return Decimal("0.00")
    try:
        return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount of money: {value!r}") from exc


def format_money(value: Amount | None, pence: bool = True) -> str:
    """£1,234.56 (or £1,235 with pence=False); negative amounts as -£1,234.56."""
    if value is None or value == "":
        return ""
    amount = to_money(value)
    if not pence:
        amount = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        text = f"{abs(amount):,.0f}"
    else:
        text = f"{abs(amount):,.2f}"
    return f"-£{text}" if amount < 0 else f"£{text}"
