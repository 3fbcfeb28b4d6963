"""``{% url %}`` with the answers remembered: a template builtin (settings.TEMPLATES) in place of Django's own tag.

Django's ``reverse`` walks the URL resolver for every ``{% url %}``: ~125 of them on a procurement project page (3
a task row) and ~60 on the dashboard, about a tenth of those pages' time (issue 17). The address is made by
``foundation.links.remembered_reverse``: remembered when the name and arguments are plain ints and strings,
reversed each time otherwise. What the tag writes is what Django's tag writes.
"""

from typing import Any

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from foundation.links import remembered_reverse

register = template.Library()


class MemoURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {k: v.resolve(context) for k, v in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        # As Django's tag: the request's current app, else its namespace (a RequestContext has the request).
        request: Any = getattr(context, "request", None)
        current_app: Any
        try:
            current_app = request.current_app
        except AttributeError:
            try:
                current_app = request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = remembered_reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    node = django_url(parser, token)
    return MemoURLNode(node.view_name, node.args, node.kwargs, node.asvar)
