"""Form widgets rendered in Python, for the admin's timetable inline (a row of 13 widgets per task).

Django renders each widget, each select option and each attribute list through a template: 3,456 template
renders and about 600 ms for a 36-task timetable. These produce the same HTML as Django's templates for inputs,
selects, checkboxes and textareas (django/forms/widgets/{input,attrs,select,select_option,textarea}.html and
admin/widgets/date.html), in a fraction of the time, with the markup functions of the product's form renderer
(foundation/form_rendering.py); what is added here is sharing between the rows of a formset: a select's options
written once per selected value, a related-field wrapper's links once. Widgets of other kinds keep their templates.
"""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.contrib.admin.widgets import AdminDateWidget, RelatedFieldWidgetWrapper
from django.template.context import Context
from django.templatetags.static import static
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from foundation import form_rendering

_CONTEXT = Context()  # what the markup functions read of a template's context: autoescape on, localisation


_esc = conditional_escape


class PythonRendered:
    """Mixin: render() builds the widget's HTML in Python from the same context Django's template gets.

    A select given an ``options_cache`` (a dict shared by the same field of every form of a formset, whose choices
    are the same list: fast_formset) builds its options once per selected value, not once per row."""

    options_cache: dict[tuple, str] | None = None

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        if isinstance(self, forms.Select) and not isinstance(self, forms.SelectMultiple):
            cache, key = self.options_cache, None
            if cache is not None:
                key = tuple(self.format_value(value))
                if key in cache:
                    widget = {"name": name, "attrs": self.build_attrs(self.attrs, attrs)}
                    return mark_safe(form_rendering.render_select(widget, _CONTEXT, cache[key]))  # noqa: S308  # nosec B308, B703 - every part escaped
            widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
            options = form_rendering.render_options(widget["optgroups"], _CONTEXT)
            if cache is not None:
                cache[key] = options
            html = form_rendering.render_select(widget, _CONTEXT, options)
        else:
            widget = self.get_context(name, value, attrs)["widget"]  # type: ignore[attr-defined]
            write = form_rendering.render_textarea if isinstance(self, forms.Textarea) else form_rendering.render_input
            html = write(widget, _CONTEXT)
        # Every name, value, attribute and label above was escaped by form_rendering.
        if isinstance(self, AdminDateWidget):
            html = f'<p class="date">\n  {html}\n</p>'
        return mark_safe(html)  # noqa: S308  # nosec B308, B703 - every part escaped above


def _related_links(c: dict[str, Any], name: str) -> str:
    """The links of admin/widgets/related_widget_wrapper.html (inside its {% spaceless %}), for the field ``name``."""
    if c["is_hidden"]:
        return ""
    model, params = {"model": _esc(c["model"])}, c["url_params"]
    links = []

    def link(kind, href, title, icon, popup=True):
        # The attributes in the template's order: the add link's data-popup comes before its href.
        href = f'data-popup="yes" {href}' if kind == "add" else f'{href} data-popup="yes"' if popup else href
        links.append(
            f'<a class="related-widget-wrapper-link {kind}-related" id="{kind}_id_{name}" {href}'
            f' title="{title % model}"><img src="{_esc(static(icon))}" alt="" width="24" height="24"></a>'
        )

    if c["can_change_related"]:
        template = _esc(f"{c['change_related_template_url']}?{params}")
        link(
            "change",
            f'data-href-template="{template}"',
            gettext("Change selected %(model)s"),
            "admin/img/icon-changelink.svg",
        )
    if c["can_add_related"]:
        href = _esc(f"{c['add_related_url']}?{params}")
        link("add", f'href="{href}"', gettext("Add another %(model)s"), "admin/img/icon-addlink.svg")
    if c["can_delete_related"]:
        template = _esc(f"{c['delete_related_template_url']}?{params}")
        link(
            "delete",
            f'data-href-template="{template}"',
            gettext("Delete selected %(model)s"),
            "admin/img/icon-deletelink.svg",
        )
    if c["can_view_related"]:
        template = _esc(f"{c['change_related_template_url']}?{c['view_related_url_params']}")
        link(
            "view",
            f'data-href-template="{template}"',
            gettext("View selected %(model)s"),
            "admin/img/icon-viewlink.svg",
            popup=False,
        )
    return "".join(links)


_NAME = "\x00"  # where the field's name goes in a wrapper's cached links


class PythonRelatedWrapper(RelatedFieldWidgetWrapper):
    """admin/widgets/related_widget_wrapper.html (the add/change links beside a foreign key) written in Python.

    Given a ``links_cache`` (shared by the same field of every form of a formset: fast_formset), the links, whose
    URLs are the same on every row, are built once and only the field's name put in per row."""

    links_cache: dict[str, str] | None = None

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        cache = self.links_cache
        if cache is not None and "links" in cache:
            rendered, wrapper = self.widget.render(name, value, attrs), cache["wrapper"]
            links = cache["links"].replace(_NAME, _esc(name))
        else:
            c = self.get_context(name, value, attrs)
            rendered = c["rendered_widget"]
            model_ref = "" if c["model_has_limit_choices_to"] else f' data-model-ref="{_esc(c["model_name"])}"'
            wrapper = f'<div class="related-widget-wrapper"{model_ref}>'
            links = _related_links(c, _esc(name))
            if cache is not None:
                cache.update(wrapper=wrapper, links=_related_links(c, _NAME))
        html = f"{wrapper}\n    {_esc(rendered)}\n    {links}\n</div>"
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
    if cls is RelatedFieldWidgetWrapper:
        widget.__class__ = PythonRelatedWrapper
        return
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


class _SharedChoices:
    """Mixed into a choice field by ``share_choices``: each form's copy of the field shares its list of choices,
    where Django's ``ChoiceField.__deepcopy__`` deep-copies it for every form: a fifth of the 36-task timetable's
    time went to copying the stage, kind, precision and status choices of every row (profiled, issue 17). Nothing
    here changes a form's choices in place; a form that sets new ones replaces the list, as before."""

    def __deepcopy__(self, memo: dict[int, Any]) -> Any:
        # Django's Field.__deepcopy__, with the widget copied as ChoiceWidget.__deepcopy__ copies it but without
        # assigning its choices again (the setter normalises the list anew for every row).
        result = copy.copy(self)
        memo[id(self)] = result
        widget = copy.copy(self.widget)  # type: ignore[attr-defined]
        widget.attrs = widget.attrs.copy()
        memo[id(self.widget)] = widget  # type: ignore[attr-defined]
        result.widget = widget
        result.error_messages = self.error_messages.copy()  # type: ignore[attr-defined]
        result.validators = self.validators[:]  # type: ignore[attr-defined]
        return result


_SHARING: dict[type, type] = {}


def share_choices(field: forms.Field) -> None:
    """Make ``field`` (a plain choice field; a model choice field copies its queryset and is left alone) share its
    choices with the copies each form makes of it."""
    if not isinstance(field, forms.ChoiceField) or isinstance(field, forms.ModelChoiceField):
        return
    cls = type(field)
    if issubclass(cls, _SharedChoices):
        return
    if cls not in _SHARING:
        _SHARING[cls] = type(cls.__name__, (_SharedChoices, cls), {})
    field.__class__ = _SHARING[cls]


def fast_formset(formset_class: type) -> type:
    """``formset_class`` with every plain widget of every form (the formset's own id, foreign key and DELETE
    fields too) rendered in Python, and its forms' choice fields sharing their choices."""
    for field in formset_class.form.base_fields.values():
        share_choices(field)

    class FastFormSet(formset_class):  # type: ignore[misc, valid-type]
        def add_fields(self, form: forms.Form, index: int | None) -> None:
            super().add_fields(form, index)
            # What every form's same field shares: a select's options (its choices are the form class's list, the
            # same on every row), a related-field wrapper's links.
            shared = self.__dict__.setdefault("_fast_shared", {})
            for name, field in form.fields.items():
                widget = field.widget
                speed_up(widget)
                if isinstance(widget, PythonRelatedWrapper):
                    widget.links_cache = shared.setdefault(("links", name), {})
                    widget = widget.widget  # inside admin's related-field wrapper
                    speed_up(widget)
                if isinstance(widget, PythonRendered) and type(getattr(widget, "choices", None)) is list:
                    widget.options_cache = shared.setdefault(("options", name), {})

    FastFormSet.__name__ = formset_class.__name__
    return FastFormSet
