"""Feasible or told (issue 14, item 5): a contract start too soon says by how much and the earliest feasible one."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement.models import ProcurementProject, TimetableTemplate
from procurement.scheduling import Stage, draw_timetable, feasibility
from procurement.template_library import OPEN_PA2023_STEPS, TEMPLATES

D = dt.date


def test_a_start_five_weeks_away_is_too_soon_by_a_number_of_days_with_the_earliest_feasible_start():
    today = D(2027, 1, 4)
    result = feasibility(OPEN_PA2023_STEPS, today + dt.timedelta(weeks=5), today)
    assert not result.feasible and len(result.overdue) >= 5
    assert result.short_by_days > 0
    assert result.earliest_start == today + dt.timedelta(weeks=5, days=result.short_by_days)
    plan = draw_timetable(OPEN_PA2023_STEPS, result.earliest_start)
    assert all(t.due >= today for t in plan if t.due and t.stage != Stage.REVIEW)
    # A day earlier is not feasible: it really is the earliest.
    assert not feasibility(OPEN_PA2023_STEPS, result.earliest_start - dt.timedelta(days=1), today).feasible
    message = result.message(today)
    assert f"{result.short_by_days} days too soon" in message
    assert f"{result.earliest_start:%d %B %Y}" in message and "would already be overdue" in message


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda t: t["name"])
def test_every_template_finds_an_earliest_start(template):
    today = D(2027, 3, 1)
    result = feasibility(template["steps"], today, today, tupe=True)
    assert not result.feasible and result.earliest_start is not None
    assert feasibility(template["steps"], result.earliest_start, today, tupe=True).feasible


def test_a_distant_start_is_feasible():
    today = D(2027, 1, 4)
    result = feasibility(OPEN_PA2023_STEPS, D(2029, 1, 1), today)
    assert result.feasible and result.message(today) == ""


@pytest.mark.django_db
def test_creating_a_project_too_soon_says_so_in_words(client, personas, leeds_org):
    today = timezone.localdate()
    template = TimetableTemplate.objects.get(name="Open procedure (Procurement Act 2023)")
    client.force_login(personas.evaluator)
    data = {
        "reference": "SOON-1",
        "title": "Advocacy",
        "procedure": "open",
        "regime": "standard",
        "approach": "single",
        "lead_organisation": leeds_org.pk,
        "contract_years": 3,
        "contract_start": (today + dt.timedelta(weeks=5)).isoformat(),
        "template": template.pk,
        "status": "planning",
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "30",
    }
    page = client.post(reverse("procurement:project_create"), data, follow=True)
    assert ProcurementProject.objects.filter(reference="SOON-1").exists(), page.context["form"].errors
    text = " ".join(str(m) for m in page.context["messages"])
    assert "would already be overdue" in text and "days too soon" in text and "earliest contract start" in text
