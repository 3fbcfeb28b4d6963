from core_groups.permissions import role_names
from foundation.extensions import navigation_items


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "user_roles": []}
    items = navigation_items(user)
    path = request.path
    for item in items:
        for child in item.children:
            child.active = bool(child.active_prefix) and path.startswith(child.active_prefix)
        item.active = (bool(item.active_prefix) and path.startswith(item.active_prefix)) or any(
            child.active for child in item.children
        )
    return {"nav_items": items, "user_roles": role_names(user)}
