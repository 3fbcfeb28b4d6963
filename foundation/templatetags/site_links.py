"""``{% load site_links %}``: ``{% absolute_url 'growth_bids:bid_detail' bid.pk %}`` and ``{{ path|absolute }}``."""

from typing import Any

from django import template

from foundation import links

register = template.Library()


@register.simple_tag
def absolute_url(viewname: str, *args: Any, **kwargs: Any) -> str:
    return links.absolute_reverse(viewname, *args, **kwargs)


@register.filter
def absolute(path: object) -> str:
    return links.absolute_url(str(path))
