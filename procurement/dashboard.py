from foundation.extensions import Panel

from .selectors import next_milestones


def panels(request):
    user = request.user
    if not user.is_authenticated:
        return []
    tasks = next_milestones(user, partnership=getattr(request, "partnership", None))
    if not tasks:
        return []
    return [
        Panel(
            title="Your next procurement deadlines",
            template="procurement/panels/milestones.html",
            context={"tasks": tasks},
            order=30,
        )
    ]
