from django.utils.functional import SimpleLazyObject

from core_groups import tenancy
from core_groups.permissions import role_names
from foundation.extensions import navigation_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": [], "current_partnership": None, "switchable_partnerships": []}
    current = getattr(request, "partnership", None)
    # The switch is shown only to people in two partnerships or more; one query, and only for them.
    ids = tenancy.partnership_ids_of(user)
    switchable = tenancy.partnership_choices(ids) if len(ids) > 1 else []
    items = navigation_items(user)
    path = request.path
    for item in items:
        for child in item.children:
            child.active = bool(child.active_prefix) and path.startswith(child.active_prefix)
        item.active = (bool(item.active_prefix) and path.startswith(item.active_prefix)) or any(
            child.active for child in item.children
        )
    return {
        "nav_items": items,
        # Lazy: no template of the product shows it today; worked out only if one does.
        "user_roles": SimpleLazyObject(lambda: role_names(user)),
        "current_partnership": current,
        "switchable_partnerships": switchable,
    }
