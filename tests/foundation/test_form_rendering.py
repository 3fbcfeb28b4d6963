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
