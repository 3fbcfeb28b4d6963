from django import template

register = template.Library()


@register.filter
def measure_value(value, measure):
    """A figure in its measure's unit: 62%, 1,234 carers supported, £1,000.00."""
    return measure.format_value(value)
