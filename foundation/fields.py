"""Model fields every app shares."""

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models

NOT_NEGATIVE_MESSAGE = "This cannot be negative."


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

    def deconstruct(self) -> Any:
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs
