"""Returns from a big file run as a background job (foundation/imports.py), all or nothing as ever."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from foundation.models import ImportJob
from review.models import Return

from .test_import import _csv

pytestmark = pytest.mark.django_db

GOOD = (
    ("Carers' support SLA", "2011-12 Q1", "Carers satisfied with support", "65"),
    ("Carers' support SLA", "2011-12 Q1", "Carers supported", "120"),
    ("Carers' support SLA", "2011-12 Q2", "Carers satisfied with support", "67%"),
    ("Carers' support SLA", "2011-12 Q2", "Carers supported", "1,130"),
)


def post(client, data, capture):
    with capture(execute=True):
        response = client.post(
            reverse("review:return_import"), {"file": SimpleUploadedFile("returns.csv", data, content_type="text/csv")}
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("imports:job", args=[job.pk])
    return client.get(response["Location"]).content.decode()


def test_a_big_returns_file_is_imported_by_a_job(
    client, personas, carers, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 100
    client.force_login(personas.provider)
    page = post(client, _csv(*GOOD), django_capture_on_commit_callbacks)
    assert "Imported 2 returns from returns.csv." in page
    assert Return.objects.filter(status="submitted").count() == 2


def test_a_big_returns_file_with_a_problem_saves_nothing(
    client, personas, carers, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_BACKGROUND_BYTES = 100
    client.force_login(personas.provider)
    page = post(
        client,
        _csv(*GOOD, ("Respite for carers", "2011-12 Q1", "Respite nights", "4")),
        django_capture_on_commit_callbacks,
    )
    assert "Nothing was imported from returns.csv" in page
    assert "<td>6</td><td>Service</td>" in page and "is not one of the services you make returns for" in page
    assert not Return.objects.exists()
