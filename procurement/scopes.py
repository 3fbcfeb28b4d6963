"""What procurement lends its visibility to: a record scoped to a project (a risk) is seen by those who see it."""

from .selectors import visible_projects


def visible(user):
    from .models import ProcurementProject

    if not (user and user.is_authenticated):
        return [(ProcurementProject, ProcurementProject.objects.none())]
    return [(ProcurementProject, visible_projects(user))]
