"""``{% hook "<name>" arg ... %}``: the place on a page where the apps above it add their snippets.

A lower app's template offers the hook; each upper app answers it in its ``hooks.py`` (see
``foundation.extensions``). Each snippet decides for itself what the person may see, so a hook shows nothing
when there is no signed-in person to ask about.
"""

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from foundation.extensions import hook_snippets

register = template.Library()


@register.simple_tag(takes_context=True)
def hook(context: template.Context, name: str, *args: Any) -> SafeString:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    if user is None:
        return SafeString("")
    # Each snippet is rendered by its own (autoescaping) template, so joining them adds no unescaped text.
    rendered = ((render_to_string(s.template, s.context),) for s in hook_snippets(name, user, *args))
    return format_html_join("", "{}", rendered)
