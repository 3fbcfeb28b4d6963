"""An import into the shared register tells whoever imported it and the programme team that keeps the register
(issue 15), once each, in the app and by email with the register's absolute link; nobody else."""

import pytest
from django.urls import reverse

from core_groups.demo import seed_organisations
from foundation.models import Notification
from partnerships import demo, notifications, services
from tests.factories import (
    OrganisationFactory,
    PartnershipFactory,
    UserFactory,
    home_partnership,
    join_home_partnership,
)
from tests.notify_assertions import SITE, assert_told

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def test_a_finished_register_import_tells_the_importer_and_the_programme_team(personas):
    seed_organisations()
    join_home_partnership()
    elsewhere = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    far = OrganisationFactory(name="Far Away Council", partnerships=[elsewhere])
    far_team = UserFactory(username="far_team", organisation=far, roles=["Programme team"], partnership=elsewhere)
    created, updated = services.register_import(
        partnership=home_partnership(), name="register.csv", data=demo.DEMO_CSV.read_bytes(), user=personas.admin
    )
    emails = assert_told(
        notifications.REGISTER_IMPORTED, [personas.admin, personas.evaluator], reverse("partnerships:register")
    )
    assert f"imported register.csv into the funding register of {home_partnership()}" in emails[personas.admin.email]
    assert f"{created} arrangements added, {updated} updated" in emails[personas.admin.email]
    assert not Notification.objects.filter(recipient=far_team).exists()
    # A second import is a new event: told again.
    services.register_import(
        partnership=home_partnership(), name="register.csv", data=demo.DEMO_CSV.read_bytes(), user=personas.admin
    )
    assert Notification.objects.filter(kind=notifications.REGISTER_IMPORTED.name, recipient=personas.admin).count() == 2


def test_a_background_import_that_imports_nothing_tells_its_sender(personas):
    from foundation import imports
    from foundation import notifications as foundation_notifications
    from foundation.models import ImportJob

    seed_organisations()
    join_home_partnership()
    lines = demo.DEMO_CSV.read_bytes().decode("utf-8-sig").splitlines()
    cells = lines[5].split(",")
    cells[1] = "Atlantis District Council"  # an unknown funder: the whole file is refused
    lines[5] = ",".join(cells)
    job = ImportJob.objects.create(
        kind="partnerships.register",
        name="register.csv",
        created_by=personas.admin,
        partnership_id=home_partnership().pk,
        data=("\n".join(lines) + "\n").encode(),
    )
    assert imports.run(job.pk).status == ImportJob.Status.REFUSED
    emails = assert_told(
        foundation_notifications.IMPORT_UNFINISHED, [personas.admin], reverse("imports:job", args=[job.pk])
    )
    assert "Nothing imported from register.csv: the file has 1 problem" in Notification.objects.get().title
    assert "each listed by line and column" in emails[personas.admin.email]
    assert not Notification.objects.exclude(recipient=personas.admin).exists()
