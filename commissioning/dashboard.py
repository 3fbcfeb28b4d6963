from core_groups import roles
from core_groups.permissions import role_names

from .extensions import Panel


def panels(request):
    user = request.user
    return [
        Panel(
            title="Your roles",
            template="commissioning/panels/roles.html",
            context={"descriptions": [(r, roles.DESCRIPTIONS[r]) for r in role_names(user)]},
            order=90,
        )
    ]
