"""The events of procurement people are told of (foundation/notifications.py): a new version of a project's
timetable was published, to the project's partners."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from foundation import notifications

from .models import ProcurementProject

TIMETABLE_PUBLISHED = notifications.register(
    "procurement.timetable_published",
    "A new version of a procurement timetable your organisation is a partner in",
    template="procurement/email/timetable_published",
    order=45,
    fields=("project", "timetable", "by"),
)


def project_partners(project, *, besides=None):
    """The project manager and the people of its lead organisation and partners who hold a role in the project's
    partnership (nobody of another partnership), never ``besides`` (who published)."""
    org_ids = {project.lead_organisation_id, *project.partner_links.values_list("organisation_id", flat=True)}
    people = get_user_model().objects.filter(
        is_active=True, organisation_id__in=org_ids, partnership_roles__partnership_id=project.partnership_id
    )
    ids = set(people.values_list("pk", flat=True))
    if project.project_manager_id:
        ids.add(project.project_manager_id)
    if besides is not None and getattr(besides, "pk", None):
        ids.discard(besides.pk)
    return get_user_model().objects.filter(pk__in=ids, is_active=True)


def tell_timetable_published(timetable, *, by=None):
    project = ProcurementProject.objects.select_related("lead_organisation").get(pk=timetable.project_id)
    return notifications.notify(
        TIMETABLE_PUBLISHED,
        project,
        project_partners(project, besides=by),
        {"project": project, "timetable": timetable, "by": by},
        reverse("procurement:project_detail", args=[project.pk]),
        reason=f"you manage procurement {project.reference} or your organisation is one of its partners",
        partnership=project.partnership_id,
        key=f"procurement.procurementproject:{project.pk}:timetable:{timetable.number}",
    )
