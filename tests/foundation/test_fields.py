"""MoneyField: pounds and pence in a Decimal, described to migrations as a plain DecimalField."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models

from foundation.fields import NOT_NEGATIVE_MESSAGE, MoneyField


def test_it_is_a_decimal_field_with_two_places_and_twelve_digits_before_the_point():
    field = MoneyField()
    assert (field.max_digits, field.decimal_places) == (14, 2)
    assert field.clean(Decimal("999999999999.99"), None) == Decimal("999999999999.99")
    with pytest.raises(ValidationError):
        field.clean(Decimal("1000000000000.00"), None)
    with pytest.raises(ValidationError):
        field.clean(Decimal("1.005"), None)


def test_migrations_see_a_plain_decimal_field():
    name, path, args, kwargs = MoneyField(null=True, non_negative=True).deconstruct()
    assert path == "django.db.models.DecimalField"
    assert kwargs["max_digits"] == 14 and kwargs["decimal_places"] == 2 and kwargs["null"] is True
    assert "non_negative" not in kwargs
    rebuilt = models.DecimalField(*args, **kwargs)
    assert rebuilt.deconstruct()[1:] == (path, args, kwargs)


def test_non_negative_refuses_a_negative_amount_with_a_message_for_the_form():
    field = MoneyField(non_negative=True, validators=[lambda value: None])
    assert field.clean(Decimal("0"), None) == Decimal("0")
    with pytest.raises(ValidationError) as refused:
        field.clean(Decimal("-0.01"), None)
    assert refused.value.messages == [NOT_NEGATIVE_MESSAGE]
    assert len(field.validators) > len(MoneyField().validators)
    MoneyField().clean(Decimal("-0.01"), None)  # without the argument a negative amount is allowed


def test_every_money_field_of_the_product_is_a_money_field():
    """Each app's DecimalFields with 14 digits and 2 places are amounts of money (percentages and hours are
    smaller); history tables copy them."""
    from django.conf import settings

    money = [
        (f"{model.__name__}.{field.name}", isinstance(field, MoneyField))
        for app in settings.PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.DecimalField) and (field.max_digits, field.decimal_places) == (14, 2)
    ]
    assert len(money) >= 14  # the fourteen amounts of the four apps' models, and their history copies
    assert [name for name, is_money_field in money if not is_money_field] == []


@pytest.mark.parametrize(
    "typed",
    ["£12,500", "12,500.00", " 12500 ", "£12,500.00", "£ 12500", "12500.", "\u00a312,500.0", "12,500\u00a0"],
)
def test_a_money_form_field_reads_what_people_type(typed):
    from foundation.fields import MoneyFormField

    assert MoneyFormField().clean(typed) == Decimal("12500.00")


@pytest.mark.parametrize("typed", ["12,50", "£", "twelve", "1,2500", "12.500.00", "--5", "£12,500.001"])
def test_a_money_form_field_refuses_what_it_cannot_read(typed):
    from foundation.fields import MoneyFormField

    with pytest.raises(ValidationError):
        MoneyFormField().clean(typed)


def test_model_forms_of_money_fields_use_it():
    from foundation.fields import MoneyFormField

    field = MoneyField(non_negative=True).formfield()
    assert isinstance(field, MoneyFormField)
    assert field.clean("-£1,000") == Decimal("-1000")  # the model field's validators refuse it on save
    assert MoneyFormField(required=False).clean("  ") is None
