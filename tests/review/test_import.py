"""Returns from a file: all or nothing, with every problem by line and column."""

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from review import services
from review.models import Return, ReturnValue
from review.returns_io import ImportRefused, parse_quarter

pytestmark = pytest.mark.django_db


def _csv(*rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Service", "Quarter", "Measure", "Value"])
    writer.writerows(rows)
    return out.getvalue().encode()


def test_quarter_labels_and_dates():
    assert parse_quarter("2011-12 Q1") == dt.date(2011, 4, 1)
    assert parse_quarter("2011-12 Q4") == dt.date(2012, 1, 1)
    assert parse_quarter("15/08/2011") == dt.date(2011, 7, 1)
    assert parse_quarter("next spring") is None


def test_a_good_file_submits_each_return(personas, carers):
    data = _csv(
        ("Carers' support SLA", "2011-12 Q1", "Carers satisfied with support", "65"),
        ("Carers' support SLA", "2011-12 Q1", "Carers supported", "120"),
        ("Carers' support SLA", "2011-12 Q2", "Carers satisfied with support", "67%"),
        ("Carers' support SLA", "2011-12 Q2", "Carers supported", "1,130"),
    )
    assert services.returns_import(user=personas.provider, name="returns.csv", data=data) == 2
    assert Return.objects.filter(status="submitted").count() == 2
    assert ReturnValue.objects.filter(measure=carers.supported, value=1130).exists()


def test_every_problem_is_listed_and_nothing_saved(personas, carers):
    data = _csv(
        ("Carers' support SLA", "2011-12 Q1", "Carers satisfied with support", "65"),
        ("Carers' support SLA", "2011-12 Q1", "Carers supported", "120"),
        ("Respite for carers", "2011-12 Q1", "Respite nights", "4"),
        ("Carers' support SLA", "2010-11 Q4", "Carers supported", "3"),
        ("Carers' support SLA", "2011-12 Q2", "Carers satisfied with support", "101"),
        ("Carers' support SLA", "2011-12 Q2", "Carers supported", "lots"),
    )
    with pytest.raises(ImportRefused) as refused:
        services.returns_import(user=personas.provider, name="returns.csv", data=data)
    found = [(p.line, p.column) for p in refused.value.problems]
    assert found == [(4, "Service"), (5, "Quarter"), (6, "Value"), (7, "Value")]
    assert "outside the service's life" in refused.value.problems[1].message
    assert "more than 100" in refused.value.problems[2].message
    assert not Return.objects.exists() and not ReturnValue.objects.exists()


def test_a_return_missing_a_measure_refuses_the_whole_file(personas, carers):
    data = _csv(
        ("Carers' support SLA", "2011-12 Q1", "Carers satisfied with support", "65"),
        ("Carers' support SLA", "2011-12 Q1", "Carers supported", "120"),
        ("Carers' support SLA", "2011-12 Q2", "Carers supported", "130"),
    )
    with pytest.raises(ImportRefused) as refused:
        services.returns_import(user=personas.provider, name="returns.csv", data=data)
    assert "Give a figure" in refused.value.problems[0].message
    assert not Return.objects.exists()


def test_the_import_page_lists_problems_beside_the_form(client, personas, carers):
    client.force_login(personas.provider)
    upload = SimpleUploadedFile(
        "returns.csv", _csv(("Respite for carers", "2011-12 Q1", "Respite nights", "4")), content_type="text/csv"
    )
    response = client.post(reverse("review:return_import"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Nothing was saved from returns.csv" in page and "is not one of the services you make returns for" in page
    assert not Return.objects.exists()
