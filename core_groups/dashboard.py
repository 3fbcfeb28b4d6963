from foundation.extensions import Panel

from . import permissions, selectors
from .financial_year import current_fy
from .models import Risk


def panels(request):
    user = request.user
    groups = list(selectors.groups_of(user, getattr(request, "partnership", None)))
    if not groups and not permissions.is_core_group_member(user):
        return []
    money = permissions.can_see_money(user)
    shown = groups[:6]
    years = {}
    for group in shown:
        year = current_fy()
        if not (group.programme.first_year <= year < group.programme.first_year + group.programme.length_years):
            year = group.programme.first_year
        years[group.pk] = year
    positions = selectors.group_year_positions(years) if money else {}
    rows = [(group, positions.get(group.pk)) for group in shown]
    return [
        Panel(
            title="Your core groups",
            template="core_groups/panels/my_groups.html",
            context={
                "groups": rows,
                "open_risks": Risk.objects.open().filter(core_group__in=groups).count(),
                "interests": selectors.active_interest_count(user),
            },
            order=30,
        )
    ]
