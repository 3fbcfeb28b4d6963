"""``{% load filter_forms %}``: ``{% filter_field field %}``, one field of a list page's filter form.

``{% filter_field field compact=True %}`` is the small form a list's filter row uses: small label and control, no
wrapper margin, and a select that submits the form when it changes (``data-autosubmit``, static/js/app.js). Every
list page's filter form is written through this tag, so a select of a thousand core groups costs one Python loop
(foundation/form_rendering.py), not a template per option.

The markup of crispy-forms' Bootstrap 5 field (the wrapper, label, control classes, errors and help text), written
here rather than through crispy's field template and its dozen includes and filters: eight filter fields through
crispy cost about half the shared register's page (issue 17). A checkbox, radio, file or hidden field is left to
crispy.
"""

from django import forms, template
from django.conf import settings
from django.forms.boundfield import BoundField
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_LEFT_TO_CRISPY = (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple, forms.FileInput)


def _control_class(field: BoundField, *, small: bool = False) -> str:
    """The control's classes as crispy's ``crispy_field`` makes them: the widget's own, its class name, Bootstrap's."""
    widget = field.field.widget
    converters = getattr(settings, "CRISPY_CLASS_CONVERTERS", {})
    class_name = widget.__class__.__name__.lower()
    class_name = converters.get(class_name, class_name)
    classes = widget.attrs.get("class", "")
    if not classes:
        classes = class_name
    elif classes.find(class_name) == -1:
        classes += f" {class_name}"
    words = classes.split()
    wanted = ["form-select" if isinstance(widget, forms.Select) else "form-control"]
    if small:
        wanted.append(wanted[0] + "-sm")
    if field.errors:
        wanted.append("is-invalid")
    return " ".join(words + [w for w in wanted if w not in words])


@register.simple_tag
def filter_field(field: BoundField, compact: bool = False) -> SafeString:
    widget = field.field.widget
    if field.is_hidden or isinstance(widget, _LEFT_TO_CRISPY):
        from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

        return mark_safe(as_crispy_field(field))  # noqa: S308 (crispy's template escapes)
    label = ""
    if field.label:
        label = format_html(
            '<label for="{}" class="form-label{}{}">{}{}</label>',
            field.id_for_label,
            " small mb-1" if compact else "",
            " requiredField" if field.field.required else "",
            field.label,
            mark_safe('<span class="asteriskField">*</span>') if field.field.required else "",
        )
    attrs: dict[str, str | bool] = {"class": _control_class(field, small=compact)}
    if compact and isinstance(widget, forms.Select):
        attrs["data-autosubmit"] = True
    control = field.as_widget(attrs=attrs)
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            field.errors.field_id,  # type: ignore[attr-defined]  # Django 5.2's ErrorList has it
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((n, field.auto_id, error) for n, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>',
            field.auto_id,
            mark_safe(field.help_text),  # noqa: S308 (crispy marks help text safe too)
        )
    if compact:
        return format_html("{}{}{}{}", label, control, errors, help_text)
    return format_html(
        '<div id="div_{}" class="mb-3{}">{}{}{}{}</div>',
        field.auto_id,
        f" {field.css_classes()}" if field.css_classes() else "",
        label,
        control,
        errors,
        help_text,
    )
