"""Generated text fits its column: a long service name never makes a 500 (issue 19, item 6)."""

import pytest

from partnerships.models import ServiceArea
from procurement.models import Timetable
from tests.partnerships.test_procurement_link import _reference_data, advocacy, convert  # noqa: F401

pytestmark = pytest.mark.django_db

LONG_NAME = "Third sector infrastructure and volunteering across the whole county"


def test_a_service_with_a_long_name_becomes_a_project(personas, advocacy):  # noqa: F811
    ServiceArea.objects.filter(pk=advocacy.pk).update(name=LONG_NAME)
    advocacy.refresh_from_db()
    project = convert(advocacy, personas.evaluator)
    timetable = Timetable.objects.get(project=project)
    assert LONG_NAME in timetable.change_note
    reasons = set(
        timetable.tasks.model.history.filter(timetable=timetable).values_list("history_change_reason", flat=True)
    )
    assert all(len(reason or "") <= 100 for reason in reasons)
