"""Server-side SVG charts: plain markup built in Python, safe to put in a page or a PDF.

No script and no style attributes (the CSP forbids inline styles): colours are presentation
attributes. Each chart is an image with a <title>, a <desc> and an aria-label, and its figures are
also given as a table by the pages that show it.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .money import format_money
from .risk import FILL, LABELS, TEXT, rating

ALLOCATED_FILL = "#0b3d75"
SPENT_FILL = "#6c9bd2"
OVERSPENT_FILL = "#b02a37"
AXIS = "#495057"
FONT = 'font-family="system-ui, sans-serif"'


def _get(row: object, name: str, default: Any = None) -> Any:
    if isinstance(row, dict):
        return row.get(name, default)
    return getattr(row, name, default)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0)


def bar_chart_allocation_vs_spend(
    rows: Iterable[object], *, title: str = "Allocation against spend", width: int = 640
) -> SafeString:
    """A grouped horizontal bar per core group: allocation, then spend (red where over the allocation).

    ``rows`` are GroupPosition objects or dicts with name (or label), allocated and spent.
    """
    rows = list(rows)
    label_w, bar_h, gap, top, right = 180, 14, 18, 34, 110
    height = top + max(len(rows), 1) * (2 * bar_h + gap) + 10
    plot_w = width - label_w - right
    biggest = max(
        [_money(_get(r, "allocated")) for r in rows] + [_money(_get(r, "spent")) for r in rows] + [Decimal(1)]
    )
    summary = "; ".join(
        f"{_get(r, 'name') or _get(r, 'label')}: allocated {format_money(_get(r, 'allocated'), pence=False)}, "
        f"spent {format_money(_get(r, 'spent'), pence=False)}"
        for r in rows
    )
    aria = f"{title}. {summary}" if rows else f"{title}: no core groups."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{escape(aria)}" class="chart-svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(summary or 'No core groups.')}</desc>",
        f'<rect x="{label_w}" y="6" width="12" height="12" fill="{ALLOCATED_FILL}"/>',
        f'<text x="{label_w + 16}" y="16" font-size="12" {FONT} fill="#212529">Allocated</text>',
        f'<rect x="{label_w + 90}" y="6" width="12" height="12" fill="{SPENT_FILL}"/>',
        f'<text x="{label_w + 106}" y="16" font-size="12" {FONT} fill="#212529">Spent</text>',
        f'<rect x="{label_w + 160}" y="6" width="12" height="12" fill="{OVERSPENT_FILL}"/>',
        f'<text x="{label_w + 176}" y="16" font-size="12" {FONT} fill="#212529">Overspent</text>',
    ]
    if not rows:
        parts.append(f'<text x="{label_w}" y="{top + 14}" font-size="13" {FONT} fill="#212529">No core groups.</text>')
    for index, row in enumerate(rows):
        name = str(_get(row, "name") or _get(row, "label") or "")
        allocated, spent = _money(_get(row, "allocated")), _money(_get(row, "spent"))
        y = top + index * (2 * bar_h + gap)
        a_w = float(allocated / biggest) * plot_w
        s_w = float(spent / biggest) * plot_w
        over = spent > allocated
        short = name if len(name) <= 26 else name[:25] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h + 4}" font-size="12" text-anchor="end" {FONT} '
            f'fill="#212529">{escape(short)}</text>'
        )
        parts.append(f'<rect x="{label_w}" y="{y}" width="{a_w:.1f}" height="{bar_h}" fill="{ALLOCATED_FILL}"/>')
        parts.append(
            f'<rect x="{label_w}" y="{y + bar_h}" width="{s_w:.1f}" height="{bar_h}" '
            f'fill="{OVERSPENT_FILL if over else SPENT_FILL}"/>'
        )
        parts.append(
            f'<text x="{label_w + a_w + 4:.1f}" y="{y + bar_h - 3}" font-size="11" {FONT} '
            f'fill="#212529">{escape(format_money(allocated, pence=False))}</text>'
        )
        parts.append(
            f'<text x="{label_w + s_w + 4:.1f}" y="{y + 2 * bar_h - 3}" font-size="11" {FONT} '
            f'fill="#212529">{escape(format_money(spent, pence=False))}{" over" if over else ""}</text>'
        )
    parts.append(
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 6}" stroke="{AXIS}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703 - all text above is escaped


def heat_map_counts(risks: Iterable[object]) -> dict[tuple[int, int], int]:
    """{(impact, likelihood): count} for risks given as objects or dicts with impact and likelihood."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        key = (int(_get(risk, "impact")), int(_get(risk, "likelihood")))
        counts[key] = counts.get(key, 0) + 1
    return counts


def risk_heat_map(
    risks: Iterable[object] = (),
    *,
    counts: Mapping[tuple[int, int], int] | None = None,
    title: str = "Risk heat map",
    cell: int = 56,
) -> SafeString:
    """A 5x5 grid, likelihood across and impact up, each cell coloured by rating with its count of risks (the risks
    counted here, or ``counts`` as ``selectors.risk_counts`` counts them in the database)."""
    if counts is None:
        counts = heat_map_counts(risks)
    left, top = 70, 30
    size = 5 * cell
    width, height = left + size + 20, top + size + 50
    total = sum(counts.values())
    described = "; ".join(
        f"impact {i}, likelihood {lk}: {n} risk{'s' if n != 1 else ''}" for (i, lk), n in sorted(counts.items())
    )
    aria = f"{title}: {total} risk{'s' if total != 1 else ''}. {described}".strip()
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{escape(aria)}" class="chart-svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(described or 'No risks.')}</desc>",
    ]
    for impact in range(1, 6):
        y = top + (5 - impact) * cell
        parts.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4:.0f}" font-size="12" text-anchor="end" {FONT} '
            f'fill="#212529">{impact}</text>'
        )
        for likelihood in range(1, 6):
            x: float = left + (likelihood - 1) * cell
            band = rating(impact * likelihood)
            n = counts.get((impact, likelihood), 0)
            parts.append(
                f'<rect x="{x}" y="{y}" width="{cell}" height="{cell}" fill="{FILL[band]}" stroke="#ffffff" '
                f'stroke-width="2"><title>Impact {impact}, likelihood {likelihood}: score {impact * likelihood}, '
                f"{LABELS[band]}, {n} risk{'s' if n != 1 else ''}</title></rect>"
            )
            if n:
                parts.append(
                    f'<text x="{x + cell / 2:.0f}" y="{y + cell / 2 + 6:.0f}" font-size="18" font-weight="bold" '
                    f'text-anchor="middle" {FONT} fill="{TEXT[band]}">{n}</text>'
                )
    for likelihood in range(1, 6):
        x = left + (likelihood - 1) * cell + cell / 2
        parts.append(
            f'<text x="{x:.0f}" y="{top + size + 16}" font-size="12" text-anchor="middle" {FONT} '
            f'fill="#212529">{likelihood}</text>'
        )
    parts.append(
        f'<text x="{left + size / 2:.0f}" y="{top + size + 36}" font-size="12" text-anchor="middle" {FONT} '
        f'fill="#212529">Likelihood</text>'
    )
    parts.append(
        f'<text x="14" y="{top + size / 2:.0f}" font-size="12" text-anchor="middle" {FONT} fill="#212529" '
        f'transform="rotate(-90 14 {top + size / 2:.0f})">Impact</text>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703 - text escaped or made of numbers
