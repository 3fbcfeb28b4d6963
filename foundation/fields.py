"""Model and form fields every app shares."""

import re
from typing import Any

from django import forms
from django.core.validators import MinValueValidator
from django.db import models

NOT_NEGATIVE_MESSAGE = "This cannot be negative."
MONEY_MESSAGE = "Enter a number of pounds, such as 12,500 or 12500.00."
# "£12,500.00", "12,500", "12500", "-£1,000", "£ 12500": a pound sign, then digits grouped in threes by commas
# (or not grouped at all), then pence. "12,50" is refused rather than guessed at.
_MONEY = re.compile(r"^(?P<sign>-?)\s*£?\s*(?P<sign2>-?)(?P<pounds>\d{1,3}(?:,\d{3})+|\d+)?(?P<pence>\.\d*)?$")


class MoneyFormField(forms.DecimalField):
    """An amount of money as people type it: "£12,500", "12,500.00" and " 12500 " all read as 12500.00.

    The server reads it (not only the browser), so a text input with a decimal keypad replaces the
    number input, which would refuse the pound sign and the commas before the form is sent.
    """

    default_error_messages = {"invalid": MONEY_MESSAGE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}))
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(*args, **kwargs)

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip().replace("\u00a0", " ")
            found = _MONEY.match(text)
            if text and (not found or (found["sign"] and found["sign2"]) or not (found["pounds"] or found["pence"])):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if text and found:
                pounds = (found["pounds"] or "0").replace(",", "")
                value = f"{found['sign'] or found['sign2']}{pounds}{found['pence'] or ''}"
            else:
                value = text
        return super().to_python(value)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # DecimalField adds step/min/max for a number input; a text input takes none of them.
        attrs = super().widget_attrs(widget)
        if not isinstance(widget, forms.NumberInput):
            attrs.pop("step", None)
        return attrs


class MoneyField(models.DecimalField):
    """An amount of money in pounds: a Decimal with up to 12 digits before the point and exactly 2 after it.

    ``non_negative=True`` adds a validator refusing amounts below zero (with a message fit to show beside the
    field); a database CheckConstraint, where the model has one, still holds the rule when it matters.
    The field describes itself to migrations as a plain DecimalField with the same arguments, so using it
    changes no migration and the migrations do not depend on this module.
    """

    def __init__(self, *args: Any, non_negative: bool = False, **kwargs: Any) -> None:
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        if non_negative:
            kwargs["validators"] = [MinValueValidator(0, message=NOT_NEGATIVE_MESSAGE), *kwargs.get("validators", ())]
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs: Any) -> Any:
        return super().formfield(**{"form_class": MoneyFormField, **kwargs})

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
