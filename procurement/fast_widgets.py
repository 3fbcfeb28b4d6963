"""Form widgets rendered in Python, for the admin's timetable inline (a row of 13 widgets per task).

Django renders each widget, each select option and each attribute list through a template: 3,456 template
renders and about 600 ms for a 36-task timetable. These produce the same HTML as Django's templates for inputs,
selects, checkboxes and textareas (django/forms/widgets/{input,attrs,select,select_option,textarea}.html and
admin/widgets/date.html), in a fraction of the time. Widgets of other kinds keep their templates.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe


def _attrs(attrs: dict[str, Any]) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        parts.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        )
    return "".join(parts)


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else f' value="{conditional_escape(str(widget["value"]))}"'
    return (
        f'<input type="{conditional_escape(widget["type"])}" name="{conditional_escape(widget["name"])}"'
        f"{value}{_attrs(widget['attrs'])}>"
    )


def _select(widget: dict[str, Any]) -> str:
    out = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{conditional_escape(option['label'])}</option>"
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


def _textarea(widget: dict[str, Any]) -> str:
    value = conditional_escape(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


class PythonRendered:
    """Mixin: render() builds the widget's HTML in Python from the same context Django's template gets."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
        if isinstance(self, forms.Select) and not isinstance(self, forms.SelectMultiple):
            html = _select(widget)
        elif isinstance(self, forms.Textarea):
            html = _textarea(widget)
        else:
            html = _input(widget)
        # Every name, value, attribute and label above went through conditional_escape.
        if isinstance(self, AdminDateWidget):
            html = format_html('<p class="date">\n  {}\n</p>', mark_safe(html))  # noqa: S308  # nosec B308, B703 - every part escaped above
        return mark_safe(html)  # noqa: S308  # nosec B308, B703 - every part escaped above


FAST_KINDS = (
    forms.HiddenInput,
    forms.TextInput,
    forms.NumberInput,
    forms.DateInput,
    forms.CheckboxInput,
    forms.Select,
    forms.Textarea,
)
_classes: dict[type, type] = {}


def speed_up(widget: forms.Widget) -> None:
    """Give ``widget`` (in place) a Python render when it is one of the plain kinds; leave any other alone."""
    cls = type(widget)
    if (
        not isinstance(widget, FAST_KINDS)
        or isinstance(widget, forms.SelectMultiple)
        or issubclass(cls, PythonRendered)
    ):
        return
    if cls.template_name not in {
        "django/forms/widgets/text.html",
        "django/forms/widgets/hidden.html",
        "django/forms/widgets/number.html",
        "django/forms/widgets/date.html",
        "django/forms/widgets/checkbox.html",
        "django/forms/widgets/select.html",
        "django/forms/widgets/textarea.html",
        "admin/widgets/date.html",
    }:
        return
    if cls not in _classes:
        _classes[cls] = type(f"Python{cls.__name__}", (PythonRendered, cls), {})
    widget.__class__ = _classes[cls]


def fast_formset(formset_class: type) -> type:
    """``formset_class`` with every plain widget of every form (the formset's own id, foreign key and DELETE
    fields too) rendered in Python."""

    class FastFormSet(formset_class):  # type: ignore[misc, valid-type]
        def add_fields(self, form: forms.Form, index: int | None) -> None:
            super().add_fields(form, index)
            for field in form.fields.values():
                speed_up(field.widget)
                inner = getattr(field.widget, "widget", None)  # inside admin's related-field wrapper
                if isinstance(inner, forms.Widget):
                    speed_up(inner)

    FastFormSet.__name__ = formset_class.__name__
    return FastFormSet
