"""A measure's trend as a server-side SVG line chart: actuals against its baseline and targets.

In the style of core_groups/charts.py: no script, no style attributes, colours as presentation
attributes, a <title>, a <desc> and an aria-label; the pages show the same figures in a table beside it.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

ACTUAL = "#0b3d75"
TARGET = "#198754"
BASELINE = "#6c757d"
AXIS = "#495057"
FONT = 'font-family="system-ui, sans-serif"'


class PointLike(Protocol):
    label: str
    actual: Decimal | None
    target: Decimal | None


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _polyline(coords: list[tuple[float, float]], colour: str, dashed: bool = False) -> str:
    if not coords:
        return ""
    dash = ' stroke-dasharray="6 4"' if dashed else ""
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in coords)
    return f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>{dots}'


def trend_chart(
    points: Sequence[PointLike],
    *,
    title: str,
    baseline: Decimal | None = None,
    baseline_label: str = "No baseline set",
    width: int = 560,
    height: int = 240,
    most_labels: int | None = None,
) -> SafeString:
    """Actuals (solid) and targets (dashed) per period, with the baseline as a grey horizontal line.

    ``most_labels``: name at most that many periods on the axis (evenly spaced, the last always), for a chart
    printed beside a table of every period (the PDF draws SVG text a letter at a time); None names them all."""
    left, right, top, bottom = 56, 16, 30, 52
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [p.actual for p in points if p.actual is not None] + [p.target for p in points if p.target is not None]
    if baseline is not None:
        values.append(baseline)
    highest = max(values + [Decimal(1)])
    scale = float(highest) * 1.1 or 1.0
    step = plot_w / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return left + (i * step if len(points) > 1 else plot_w / 2)

    def y(value: Decimal) -> float:
        return top + plot_h - float(value) / scale * plot_h

    described = "; ".join(
        f"{p.label}: actual {_fmt(p.actual) if p.actual is not None else 'not returned'}"
        + (f", target {_fmt(p.target)}" if p.target is not None else "")
        for p in points
    )
    base_text = f"Baseline {_fmt(baseline)}" if baseline is not None else baseline_label
    summary = f"{base_text}. {described}" if described else f"{base_text}. No periods yet."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" aria-label="{escape(title)}. {escape(summary)}" class="chart-svg">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(summary)}</desc>",
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="{AXIS}" stroke-width="1"/>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="{AXIS}" '
        f'stroke-width="1"/>',
        f'<text x="{left - 6}" y="{top + 4}" font-size="11" text-anchor="end" {FONT} fill="#212529">'
        f"{escape(_fmt(Decimal(str(round(scale, 2)))))}</text>",
        f'<text x="{left - 6}" y="{top + plot_h + 4}" font-size="11" text-anchor="end" {FONT} fill="#212529">0</text>',
        # The legend.
        f'<line x1="{left}" y1="12" x2="{left + 20}" y2="12" stroke="{ACTUAL}" stroke-width="2"/>',
        f'<text x="{left + 24}" y="16" font-size="12" {FONT} fill="#212529">Actual</text>',
        f'<line x1="{left + 80}" y1="12" x2="{left + 100}" y2="12" stroke="{TARGET}" stroke-width="2" '
        'stroke-dasharray="6 4"/>',
        f'<text x="{left + 104}" y="16" font-size="12" {FONT} fill="#212529">Target</text>',
        f'<line x1="{left + 160}" y1="12" x2="{left + 180}" y2="12" stroke="{BASELINE}" stroke-width="2"/>',
        f'<text x="{left + 184}" y="16" font-size="12" {FONT} fill="#212529">{escape(base_text)}</text>',
    ]
    if baseline is not None:
        by = y(baseline)
        parts.append(
            f'<line x1="{left}" y1="{by:.1f}" x2="{left + plot_w}" y2="{by:.1f}" stroke="{BASELINE}" stroke-width="2"/>'
        )
    if not points:
        parts.append(
            f'<text x="{left + 10}" y="{top + plot_h / 2:.0f}" font-size="13" {FONT} fill="#212529">'
            "No targets or returns yet.</text>"
        )
    parts.append(
        _polyline([(x(i), y(p.target)) for i, p in enumerate(points) if p.target is not None], TARGET, dashed=True)
    )
    parts.append(_polyline([(x(i), y(p.actual)) for i, p in enumerate(points) if p.actual is not None], ACTUAL))
    every = max(1, -(-len(points) // most_labels)) if most_labels else 1
    for i, point in enumerate(points):
        if (len(points) - 1 - i) % every:
            continue
        parts.append(
            f'<text x="{x(i):.1f}" y="{top + plot_h + 16}" font-size="10" text-anchor="end" {FONT} fill="#212529" '
            f'transform="rotate(-30 {x(i):.1f} {top + plot_h + 16})">{escape(point.label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308  # nosec B308, B703 - all text above is escaped
