"""Charts drawn as SVG on the server, from plain values (no ORM): allocation against spend, the 5x5 risk
heat map and the red/amber/green count. Presentation attributes only (fill=...), never style=..., so the
same markup passes the web pages' CSP and renders in WeasyPrint."""

from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import mark_safe

from core_groups.money import format_money

RAG_FILL = {"red": "#b02a37", "amber": "#ffc107", "green": "#146c43"}
FONT = 'font-family="DejaVu Sans, Liberation Sans, sans-serif"'


def _svg(width, height, title, body):
    return mark_safe(  # noqa: S308 - every label below goes through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def allocation_vs_spend(rows, title="Allocation against spend"):
    """rows: [(label, allocated, spent)] with Decimal-like amounts. Two bars per group, to one scale."""
    rows = [(label, Decimal(str(a or 0)), Decimal(str(s or 0))) for label, a, s in rows]
    label_w, bar_w, row_h, top = 170, 330, 34, 24
    width, height = label_w + bar_w + 100, top + row_h * max(len(rows), 1) + 10
    biggest = max([max(a, s) for _, a, s in rows] + [Decimal(1)])
    body = [
        f'<rect x="{label_w}" y="4" width="10" height="10" fill="#0b3d75"/>',
        f'<text x="{label_w + 14}" y="13" font-size="10" {FONT}>Allocated</text>',
        f'<rect x="{label_w + 80}" y="4" width="10" height="10" fill="#6c9bd2"/>',
        f'<text x="{label_w + 94}" y="13" font-size="10" {FONT}>Spent</text>',
    ]
    for i, (label, allocated, spent) in enumerate(rows):
        y = top + i * row_h
        wa = float(allocated / biggest) * bar_w
        ws = float(spent / biggest) * bar_w
        spent_fill = "#b02a37" if spent > allocated else "#6c9bd2"
        body.append(f'<text x="0" y="{y + 16}" font-size="10" {FONT}>{escape(label[:32])}</text>')
        body.append(f'<rect x="{label_w}" y="{y + 2}" width="{wa:.1f}" height="12" fill="#0b3d75"/>')
        body.append(f'<rect x="{label_w}" y="{y + 16}" width="{ws:.1f}" height="12" fill="{spent_fill}"/>')
        for x, y_text, amount in ((label_w + wa + 4, y + 12, allocated), (label_w + ws + 4, y + 26, spent)):
            text = escape(format_money(amount, False))
            body.append(f'<text x="{x:.1f}" y="{y_text}" font-size="9" {FONT}>{text}</text>')
    return _svg(width, height, title, body)


def heat_colour(score):
    if score >= 15:
        return RAG_FILL["red"]
    if score >= 8:
        return RAG_FILL["amber"]
    return RAG_FILL["green"]


def risk_heat_map(counts, title="Risk heat map: impact against likelihood"):
    """counts: {(impact, likelihood): n} for 1..5 each. Impact runs up the side, likelihood along the bottom."""
    cell, left, top = 44, 56, 10
    width, height = left + cell * 5 + 10, top + cell * 5 + 46
    body = []
    for impact in range(1, 6):
        y = top + (5 - impact) * cell
        body.append(
            f'<text x="{left - 8}" y="{y + cell / 2 + 4}" font-size="10" text-anchor="end" {FONT}>{impact}</text>'
        )
        for likelihood in range(1, 6):
            x = left + (likelihood - 1) * cell
            n = counts.get((impact, likelihood), 0) or counts.get(f"{impact},{likelihood}", 0)
            fill = heat_colour(impact * likelihood)
            body.append(
                f'<rect x="{x}" y="{y}" width="{cell - 2}" height="{cell - 2}" fill="{fill}" '
                f'fill-opacity="{0.95 if n else 0.35}"/>'
            )
            if n:
                ink = "#000" if fill == RAG_FILL["amber"] else "#fff"
                body.append(
                    f'<text x="{x + cell / 2 - 1}" y="{y + cell / 2 + 5}" font-size="14" font-weight="bold" '
                    f'text-anchor="middle" fill="{ink}" {FONT}>{int(n)}</text>'
                )
    for likelihood in range(1, 6):
        x = left + (likelihood - 1) * cell + cell / 2
        body.append(
            f'<text x="{x}" y="{top + 5 * cell + 14}" font-size="10" text-anchor="middle" {FONT}>{likelihood}</text>'
        )
    mid_x, bottom = left + 2.5 * cell, top + 5 * cell + 32
    body.append(f'<text x="{mid_x}" y="{bottom}" font-size="10" text-anchor="middle" {FONT}>Likelihood</text>')
    body.append(
        f'<text x="12" y="{top + 2.5 * cell}" font-size="10" text-anchor="middle" '
        f'transform="rotate(-90 12 {top + 2.5 * cell})" {FONT}>Impact</text>'
    )
    return _svg(width, height, title, body)


def rag_count(counts, title="Red, amber and green count"):
    """counts: {"red": n, "amber": n, "green": n}: one horizontal bar per rating."""
    label_w, bar_w, row_h = 60, 240, 24
    biggest = max([int(counts.get(k, 0) or 0) for k in RAG_FILL] + [1])
    body = []
    for i, key in enumerate(["red", "amber", "green"]):
        n = int(counts.get(key, 0) or 0)
        y = i * row_h + 4
        w = n / biggest * bar_w
        body.append(f'<text x="0" y="{y + 13}" font-size="10" {FONT}>{key.title()}</text>')
        body.append(f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="16" fill="{RAG_FILL[key]}"/>')
        body.append(f'<text x="{label_w + w + 4:.1f}" y="{y + 13}" font-size="10" {FONT}>{n}</text>')
    return _svg(label_w + bar_w + 40, row_h * 3 + 8, title, body)
