"""The rows of the admin's timetable inline (TaskInline), rendered in Python.

Django's edit_inline/tabular.html renders each cell through the template engine: a loop over fieldsets, lines and
fields per row, and an error-list template per field even when there is no error (504 of them for 36 tasks). This
tag writes the same rows, cell for cell, as that template's <tbody> (tests/procurement/test_admin_speed.py compares
the two); the widgets themselves come from procurement/fast_widgets.py.
"""

from django import template
from django.contrib.admin.templatetags.admin_modify import cell_count
from django.contrib.admin.utils import quote
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

register = template.Library()


def _cells(inline_admin_form) -> list[str]:
    cells = []
    for fieldset in inline_admin_form:
        for line in fieldset:
            for field in line:
                if field.is_readonly:
                    name, hidden = field.field["name"], False
                    content = format_html("<p>{}</p>", field.contents())
                else:
                    bound = field.field
                    name, hidden = bound.name, bound.is_hidden
                    errors = bound.errors
                    content = (conditional_escape(errors.as_ul()) if errors else "") + conditional_escape(bound)
                css = (f"field-{conditional_escape(name)}" if name else "") + (" hidden" if hidden else "")
                cells.append(f'<td class="{css}">{content}</td>')
    return cells


@register.simple_tag
def task_inline_rows(inline_admin_formset) -> SafeString:
    """The <tbody> rows of edit_inline/tabular.html for ``inline_admin_formset``."""
    formset = inline_admin_formset.formset
    prefix = conditional_escape(formset.prefix)
    can_add = inline_admin_formset.has_add_permission
    can_delete = formset.can_delete and inline_admin_formset.has_delete_permission
    link_class = "inlinechangelink" if inline_admin_formset.has_change_permission else "inlineviewlink"
    link_text = gettext("Change") if inline_admin_formset.has_change_permission else gettext("View")
    admin_forms = list(inline_admin_formset)
    out = []
    for index, inline_admin_form in enumerate(admin_forms):
        form, original = inline_admin_form.form, inline_admin_form.original
        model_admin = inline_admin_form.model_admin
        empty = index == len(admin_forms) - 1 and can_add
        non_field_errors = form.non_field_errors()
        if non_field_errors:
            out.append(
                format_html(
                    '<tr class="row-form-errors"><td colspan="{}">{}</td></tr>',
                    cell_count(inline_admin_form),
                    non_field_errors,
                )
            )
        has_original = "has_original" if original or inline_admin_form.show_url else ""
        out.append(
            f'<tr class="form-row {has_original}{" empty-form" if empty else ""}"'
            f' id="{prefix}-{"empty" if empty else index}"><td class="original">'
        )
        if original or inline_admin_form.show_url:
            out.append("<p>")
            if original:
                out.append(conditional_escape(str(original)))
                if model_admin.show_change_link and model_admin.has_registered_model:
                    opts = model_admin.opts
                    site = model_admin.admin_site.name
                    url = reverse(
                        f"{site}:{opts.app_label}_{opts.model_name}_change",
                        args=[quote(original.pk)],
                        current_app=site,
                    )
                    out.append(format_html(' <a href="{}" class="{}">{}</a>', url, link_class, link_text))
            if inline_admin_form.show_url:
                out.append(format_html(' <a href="{}">{}</a>', inline_admin_form.absolute_url, gettext("View on site")))
            out.append("</p>")
        if inline_admin_form.needs_explicit_pk_field():
            out.append(conditional_escape(inline_admin_form.pk_field().field))
        fk_field = inline_admin_form.fk_field()
        if fk_field:
            out.append(conditional_escape(fk_field.field))
        out.append("</td>")
        out.extend(_cells(inline_admin_form))
        deletion = conditional_escape(inline_admin_form.deletion_field().field) if can_delete and original else ""
        out.append(f'<td class="delete">{deletion}</td></tr>')
    # Every part above is a widget's or Django's safe HTML, or went through conditional_escape/format_html.
    return mark_safe("\n".join(str(part) for part in out))  # noqa: S308  # nosec B308, B703 - escaped above
