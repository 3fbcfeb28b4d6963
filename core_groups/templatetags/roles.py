from django import template

from core_groups import permissions

register = template.Library()


@register.filter
def has_role(user, role):
    return permissions.has_role(user, role)


@register.filter
def can_see_money(user):
    return permissions.can_see_money(user)
