"""A finished returns import tells whoever imported it and the programme team of the services' partnership
(issue 15), once each, in the app and by email with the returns page's absolute link; nobody else."""

import csv
import io

import pytest
from django.urls import reverse

from foundation.models import Notification
from review import notifications, services
from review.returns_io import ImportRefused
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory
from tests.notify_assertions import SITE, assert_told

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def _csv(*rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Service", "Quarter", "Measure", "Value"])
    writer.writerows(rows)
    return out.getvalue().encode()


def test_a_finished_returns_import_tells_the_importer_and_the_programme_team(personas, carers):
    elsewhere = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    far = OrganisationFactory(name="Far Away Council", partnerships=[elsewhere])
    far_team = UserFactory(username="far_team", organisation=far, roles=["Programme team"], partnership=elsewhere)
    data = _csv(
        ("Carers' support SLA", "2011-12 Q1", "Carers satisfied with support", "65"),
        ("Carers' support SLA", "2011-12 Q1", "Carers supported", "120"),
        ("Carers' support SLA", "2011-12 Q2", "Carers satisfied with support", "67%"),
        ("Carers' support SLA", "2011-12 Q2", "Carers supported", "1,130"),
    )
    assert services.returns_import(user=personas.provider, name="returns.csv", data=data) == 2
    emails = assert_told(
        notifications.RETURNS_IMPORTED, [personas.provider, personas.evaluator], reverse("review:returns")
    )
    body = emails[personas.provider.email]
    assert "imported returns.csv" in body and "2 returns submitted for review, for Carers' support SLA" in body
    assert not Notification.objects.filter(recipient=far_team).exists()
    assert not Notification.objects.exclude(kind=notifications.RETURNS_IMPORTED.name).exists()


def test_a_refused_import_tells_nobody(personas, carers):
    data = _csv(("Carers' support SLA", "2011-12 Q1", "Carers supported", "lots"))
    with pytest.raises(ImportRefused):
        services.returns_import(user=personas.provider, name="returns.csv", data=data)
    assert not Notification.objects.exists()
