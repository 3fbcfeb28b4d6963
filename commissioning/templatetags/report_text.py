"""Filters for report text. Officers type plain text; HTML they type is shown as text, never run."""

import datetime as dt
import re

from django import template
from django.utils import timezone
from django.utils.html import conditional_escape, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

BULLET = re.compile(r"^\s*[-*•]\s+(.*)$")
NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")


@register.filter(needs_autoescape=False)
def narrative(text):
    """Paragraphs from blank-line-separated text; lines starting '- ' become bullets, '1. ' a numbered list.

    Every piece of the officer's text is escaped before it is wrapped, so '<script>' prints as text.
    """
    if not text:
        return ""
    blocks, current, kind = [], [], None

    def flush():
        nonlocal current, kind
        if current:
            if kind in ("ul", "ol"):
                items = format_html_join("", "<li>{}</li>", ((i,) for i in current))
                blocks.append(f"<{kind}>{items}</{kind}>")
            else:
                blocks.append("<p>" + "<br>".join(conditional_escape(line) for line in current) + "</p>")
        current, kind = [], None

    for line in str(text).replace("\r\n", "\n").split("\n"):
        if not line.strip():
            flush()
            continue
        for pattern, this_kind in ((BULLET, "ul"), (NUMBERED, "ol")):
            match = pattern.match(line)
            if match:
                if kind != this_kind:
                    flush()
                    kind = this_kind
                current.append(match.group(1).strip())
                break
        else:
            if kind in ("ul", "ol"):
                flush()
            kind = "p"
            current.append(line.strip())
    flush()
    return mark_safe("".join(blocks))  # noqa: S308  # nosec B308, B703 - built only from escaped pieces above


@register.filter
def isodate(value, fmt="j F Y"):
    """'2010-03-12' -> '12 March 2010' (a Django date format string may be given)."""
    from django.utils.dateformat import format as date_format

    if not value:
        return ""
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value) if len(value) > 10 else dt.date.fromisoformat(value)
        except ValueError:
            return value
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return date_format(value, fmt)


@register.filter
def page_of(pages, key):
    """The page a section starts on, from {key: page} (the contents of a pack rendered in parts); "" if unknown."""
    return (pages or {}).get(key, "")
