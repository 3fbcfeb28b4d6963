from django import template

from core_groups.financial_year import fy_label
from core_groups.money import format_money

register = template.Library()


@register.filter
def money(value):
    """{{ amount|money }} -> £1,234.56"""
    try:
        return format_money(value)
    except (TypeError, ValueError):
        return value


@register.filter
def money0(value):
    """{{ amount|money0 }} -> £1,235"""
    try:
        return format_money(value, pence=False)
    except (TypeError, ValueError):
        return value


@register.filter
def fy(value):
    """{{ 2010|fy }} -> 2010-11"""
    return fy_label(value)
