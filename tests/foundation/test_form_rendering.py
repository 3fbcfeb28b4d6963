"""The form renderer writes plain selects in Python (issue 17): its markup must be Django's templates' own."""

from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy
from django_filters.widgets import BooleanWidget

from foundation.form_rendering import FormRenderer

CHOICES = [
    ("", "Any"),
    (1, "Plain"),
    ("a&b", 'Quotes " and <tags> & ampersands'),
    ("safe", mark_safe("<b>marked safe</b>")),
    ("lazy", gettext_lazy("A lazy label")),
    (2.5, 1234567),
]
GROUPED = [("", "None"), ("Fruit <&>", [("apple", "Apple"), ("pear", "Pear")]), ("Veg", [("leek", "Leek")])]


def _both(widget, name, value, attrs=None):
    ours = widget.render(name, value, attrs=attrs, renderer=FormRenderer())
    django = widget.render(name, value, attrs=attrs, renderer=DjangoTemplates())
    return ours, django


def test_a_select_is_written_as_the_templates_write_it():
    cases = [
        (forms.Select(choices=CHOICES), "kind", None, None),
        (forms.Select(choices=CHOICES), "kind", "a&b", {"id": "id_kind", "class": "form-select", "required": True}),
        (forms.Select(choices=CHOICES, attrs={"data-x": '"q"', "disabled": False}), "k<ind", 1, {"autofocus": True}),
        (forms.Select(choices=GROUPED), "food", "pear", {"id": "id_food"}),
        (forms.Select(choices=[]), "empty", None, None),
        (forms.SelectMultiple(choices=CHOICES), "many", ["1", "safe"], {"id": "id_many"}),
        (forms.SelectMultiple(choices=GROUPED), "many", ["apple", "leek"], None),
        (forms.NullBooleanSelect(), "flag", True, {"id": "id_flag"}),
        (forms.NullBooleanSelect(), "flag", None, None),
        (BooleanWidget(), "rolls", True, {"id": "id_rolls"}),
        (BooleanWidget(), "rolls", "0", None),
    ]
    for widget, name, value, attrs in cases:
        ours, django = _both(widget, name, value, attrs)
        assert ours == django, (name, value)


def test_a_form_renders_the_same_with_either_renderer():
    class Form(forms.Form):
        kind = forms.ChoiceField(choices=CHOICES[1:], required=False)
        food = forms.MultipleChoiceField(choices=GROUPED[1:])
        text = forms.CharField()

    data = {"kind": "a&b", "food": ["apple"], "text": "<x>"}
    assert str(Form(data, renderer=FormRenderer())) == str(Form(data, renderer=DjangoTemplates()))


def test_an_input_is_written_as_the_templates_write_it():
    cases = [
        (forms.TextInput(), "title", None, None),
        (forms.TextInput(), "t<itle", 'Quotes " and <tags> & ampersands', {"id": "id_title", "required": True}),
        (
            forms.TextInput(attrs={"data-x": '"q"', "disabled": False, "maxlength": 200}),
            "title",
            "x",
            {"autofocus": True},
        ),
        (forms.TextInput(), "title", mark_safe("<b>safe</b>"), None),
        (forms.NumberInput(), "n", 0, {"step": "0.01"}),
        (forms.EmailInput(), "e", "a@b.example", None),
        (forms.PasswordInput(), "p", "secret", None),
        (forms.PasswordInput(render_value=True), "p", "secret", None),
        (forms.HiddenInput(), "h", gettext_lazy("A lazy label"), {"id": "id_h"}),
        (forms.CheckboxInput(), "c", True, {"class": "action-select", "aria-label": "Select <this>"}),
        (forms.CheckboxInput(), "c", False, None),
        (forms.CheckboxInput(check_test=lambda v: False), "_selected_action", "12", {"class": "action-select"}),
        (forms.DateInput(), "d", __import__("datetime").date(2026, 12, 2), None),
        (forms.DateInput(attrs={"type": "date"}), "d", "2026-12-02", None),
        (forms.TimeInput(), "t", None, None),
        (forms.URLInput(), "u", "https://example.org/?a=1&b=2", None),
    ]
    for widget, name, value, attrs in cases:
        ours, django = _both(widget, name, value, attrs)
        assert ours == django, (name, value)
