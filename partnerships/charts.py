"""Server-side SVG bar charts (no script, no inline style: presentation attributes only)."""

from collections.abc import Iterable
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core_groups.money import format_money


def bar_chart(
    items: Iterable[tuple[str, Decimal | int]],
    *,
    title: str,
    money: bool = False,
    width: int = 640,
    bar_height: int = 22,
    label_width: int = 190,
) -> str:
    """items: [(label, value)]. Horizontal bars with the value at the end of each bar."""
    items = list(items)
    if not items:
        return ""
    top = max((value for _label, value in items), default=0) or 1
    gap = 6
    height = len(items) * (bar_height + gap) + gap
    chart_width = width - label_width - 110
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(items):
        y = gap + index * (bar_height + gap)
        length = max(1, int(chart_width * float(value) / float(top))) if value else 0
        shown = format_money(value, pence=False) if money else f"{value:,}"
        parts.append(
            f'<text x="{label_width - 8}" y="{y + bar_height * 0.7:.0f}" text-anchor="end" font-size="13" '
            f'fill="#212529">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{length}" height="{bar_height}" fill="#0b3d75" rx="2"></rect>'
        )
        parts.append(
            f'<text x="{label_width + length + 6}" y="{y + bar_height * 0.7:.0f}" font-size="13" '
            f'fill="#212529">{escape(shown)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703 - labels and values escaped above
