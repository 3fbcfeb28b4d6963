"""Publishing a timetable version tells the project's partners (issue 15): the project manager and the people of
its lead organisation and partner organisations who work in the project's partnership, once each, in the app
and by email with the project's absolute link; nobody of another partnership."""

import pytest
from django.urls import reverse

from foundation.models import Notification
from procurement import notifications, services
from procurement.models import ProjectPartner
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory
from tests.notify_assertions import SITE, assert_told

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def test_publishing_a_timetable_version_tells_the_projects_partners(leeds_project, leeds_org, personas):
    leeds_officer = UserFactory(username="leeds_officer", organisation=leeds_org, roles=["Officer"])
    ProjectPartner.objects.create(project=leeds_project, organisation=personas.other)
    # Someone of a partner organisation who works only in another partnership: not told.
    elsewhere = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    personas.other.partnerships.add(elsewhere)
    far = UserFactory(username="far", organisation=personas.other, roles=["Officer"], partnership=elsewhere)
    OrganisationFactory(name="Unrelated Council")
    timetable = leeds_project.timetables.get(is_current=True)
    current = services.timetable_publish(
        timetable=timetable, expected_number=timetable.number, user=personas.admin, change_note="Soft market testing"
    )
    emails = assert_told(
        notifications.TIMETABLE_PUBLISHED,
        [personas.evaluator, leeds_officer, personas.other_officer],
        reverse("procurement:project_detail", args=[leeds_project.pk]),
    )
    body = emails[leeds_officer.email]
    assert f"timetable of procurement {leeds_project.reference}" in body and "v2" in body
    assert "What changed: Soft market testing" in body
    assert not Notification.objects.filter(recipient__in=[far, personas.admin]).exists()
    assert current.label == "v2"
