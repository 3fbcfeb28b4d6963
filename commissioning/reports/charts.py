"""Charts for reports drawn as SVG on the server, from plain values (no ORM).

Allocation against spend and the risk heat map come from core_groups.charts; the red/amber/green count is
drawn here. Presentation attributes only (fill=...), never style=..., so the same markup passes the web
pages' CSP and renders in WeasyPrint."""

from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

RAG_FILL = {"red": "#b02a37", "amber": "#ffc107", "green": "#146c43"}
FONT = 'font-family="DejaVu Sans, Liberation Sans, sans-serif"'


def _svg(width: float, height: float, title: str, body: list[str]) -> SafeString:
    return mark_safe(  # noqa: S308  # nosec B308, B703 - every label below goes through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>'
    )


def rag_count(counts: Mapping[str, int | None], title: str = "Red, amber and green count") -> SafeString:
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
