"""The form renderer: Django's own, but a plain ``<select>`` and an ``<input>`` are written here rather than through
a template per option and per input.

Django renders every ``<option>`` of a select by including ``select_option.html`` (and ``attrs.html`` in it): a
provider select of 40 organisations cost more than the rest of the shared register's filter form (issue 17). The
markup written here is the templates' to the character (tests/foundation/test_form_rendering.py compares them);
any other widget, or a select whose options name another template, is rendered by the templates as before.
"""

from __future__ import annotations

from html import escape as html_escape
from typing import Any, TypeGuard

from django.forms.renderers import DjangoTemplates
from django.template.base import render_value_in_context
from django.template.context import Context
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"
# The widgets whose template is input.html and nothing else (text.html is ``{% include "...input.html" %}``).
INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in (
        "input", "text", "number", "email", "url", "password", "hidden", "checkbox", "date", "datetime", "time",
        "search", "tel", "color",
    )
)  # fmt: skip


def _formatted(value: Any) -> str:
    """``{{ value|stringformat:'s' }}``: the value as text, escaped unless it was marked safe."""
    if type(value) is str:  # the common case, without conditional_escape's lazy wrapper (a formset: 10,000 a page)
        return html_escape(value)
    text = str(value)
    return conditional_escape(mark_safe(text) if isinstance(value, SafeData) else text)  # noqa: S308 (it was safe)


def _text(value: Any, context: Context) -> str:
    """``{{ value }}`` in ``context``: localised and escaped (a plain string only escaped, as the template would)."""
    if type(value) is str:
        return html_escape(value)
    return render_value_in_context(value, context)


def attrs_html(attrs: dict[str, Any]) -> str:
    """``attrs.html``: `` name="value"`` for each attribute, the name alone for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(" " + _formatted(name))
        if value is not True:
            out.append('="' + _formatted(value) + '"')
    return "".join(out)


def render_options(optgroups: list, context: Context) -> str:
    """The options of ``select.html`` (with their optgroups) for a select's ``optgroups``."""
    out = []
    for group_name, group_choices, _group_index in optgroups:
        if group_name:
            out.append('\n  <optgroup label="' + _text(group_name, context) + '">')
        for option in group_choices:
            out.append(
                '\n  <option value="'
                + _formatted(option["value"])
                + '"'
                + attrs_html(option["attrs"])
                + ">"
                + _text(option["label"], context)
                + "</option>\n"
            )
        if group_name:
            out.append("\n  </optgroup>")
    return "".join(out)


def render_select(widget: dict[str, Any], context: Context, options: str | None = None) -> str:
    """``select.html`` with its options, for the ``widget`` of a select's template context; ``options`` when they
    were written already (the same on every row of a formset: procurement/fast_widgets.py)."""
    if options is None:
        options = render_options(widget["optgroups"], context)
    name = _text(widget["name"], context)
    return '<select name="' + name + '"' + attrs_html(widget["attrs"]) + ">" + options + "\n</select>"


def render_input(widget: dict[str, Any], context: Context) -> str:
    """``input.html``: type, name, the value unless it is None, then the attributes."""
    value = "" if widget["value"] is None else ' value="' + _formatted(widget["value"]) + '"'
    return (
        '<input type="'
        + _text(widget["type"], context)
        + '" name="'
        + _text(widget["name"], context)
        + '"'
        + value
        + attrs_html(widget["attrs"])
        + ">"
    )


def render_textarea(widget: dict[str, Any], context: Context) -> str:
    """``textarea.html``: the value (when there is one) on the line after the opening tag."""
    value = _text(widget["value"], context) if widget["value"] else ""
    return (
        '<textarea name="'
        + _text(widget["name"], context)
        + '"'
        + attrs_html(widget["attrs"])
        + ">\n"
        + value
        + "</textarea>"
    )


def _plain(widget: Any) -> TypeGuard[dict[str, Any]]:
    return isinstance(widget, dict) and all(
        option.get("template_name") == OPTION
        for _name, choices, _index in widget.get("optgroups", ())
        for option in choices
    )


class FormRenderer(DjangoTemplates):
    """settings.FORM_RENDERER: Django's template renderer, with selects and inputs written in Python."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> SafeString | str:
        widget = context.get("widget")
        if template_name == SELECT and _plain(widget):
            return mark_safe(render_select(widget, Context()))  # noqa: S308 (every value escaped above)
        if template_name in INPUTS and isinstance(widget, dict) and "type" in widget:
            # An admin list's action checkbox per row, every text box of a form: a template and an include each.
            return mark_safe(render_input(widget, Context()))  # noqa: S308 (every value escaped above)
        return super().render(template_name, context, request=request)
