"""Projects, versioned timetables, re-planning and the bad input of issue 5 (database, services)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from core_groups.models import Programme
from foundation.editing import StaleEdit
from procurement import services
from procurement.models import ProcurementProject, Task, Timetable, TimetableTemplate, UnderspendPolicy
from procurement.selectors import compare_versions
from tests.factories import home_partnership

from .conftest import LEEDS_TEMPLATE, LIGHT_TOUCH_TEMPLATE, PA2023_TEMPLATE, PSR_TEMPLATE, make_project

pytestmark = pytest.mark.django_db


def test_shipped_templates_are_in_the_database():
    national = TimetableTemplate.objects.filter(partnership__isnull=True)
    assert set(national.values_list("name", flat=True)) >= {
        LIGHT_TOUCH_TEMPLATE,
        PSR_TEMPLATE,
        "Open procedure (Procurement Act 2023)",
        "Competitive flexible",
        "Direct award",
        "Grant agreement",
    }
    # Leeds' 36 numbered tasks and the un-numbered review are the Leeds partnership's own, not a national template.
    leeds = TimetableTemplate.objects.get(name=LEEDS_TEMPLATE)
    assert leeds.partnership == home_partnership() and leeds.steps.count() == 37
    assert leeds.steps.filter(numbered=False).get().activity == "Review of Procurement Process"


# Wording of one council's own project (issue 14: a Cardiff project received these from the light-touch template).
COUNCIL_WORDING = [
    "Leeds",
    "Neighbourhood Network",
    "February 2009",
    "PCT",
    "Supporting people",
    "Adult Social Care",
    "YP / SCMS / VAL",
    "Forward Plan",
    "city-wide",
]


def test_national_templates_carry_neutral_wording():
    for template in TimetableTemplate.objects.filter(partnership__isnull=True, is_active=True):
        text = " ".join([template.name, template.description])
        for step in template.steps.all():
            text += " ".join(["", step.activity, step.responsible_role, step.notes, step.statutory_rule])
        found = [w for w in COUNCIL_WORDING if w.lower() in text.lower()]
        assert not found, (template.name, found)


def test_a_cardiff_project_drawn_from_the_light_touch_template_reads_nothing_of_leeds(personas):
    from core_groups.models import Organisation

    cardiff = Organisation.objects.create(name="Cardiff Council", kind="unitary", is_commissioning_partner=True)
    cardiff.partnerships.add(home_partnership())
    project = make_project(cardiff, reference="CDF-1", template=LIGHT_TOUCH_TEMPLATE, start=dt.date(2031, 4, 1))
    tasks = list(project.timetables.get().tasks.order_by("number"))
    text = " ".join(f"{t.activity} {t.responsibility} {t.notes}" for t in tasks)
    assert not [w for w in COUNCIL_WORDING if w.lower() in text.lower()]
    assert [t.number for t in tasks] == list(range(1, len(tasks) + 1))  # task 13 comes before task 14


def test_the_leeds_timetable_matches_its_source(leeds_project):
    review = leeds_project.timetables.get().tasks.get(activity="Review of Procurement Process")
    assert not review.numbered and review.label_number == "" and review.responsibility == ""
    assert review.date_label == "May 2010"
    numbered = leeds_project.timetables.get().tasks.filter(numbered=True)
    assert numbered.count() == 36 and numbered.order_by("-number").first().activity == "Start date for Contract"


def test_project_create_draws_the_leeds_timetable(leeds_project):
    timetable = leeds_project.timetables.get(is_current=True)
    assert timetable.label == "v1"
    tasks = {t.number: t for t in timetable.tasks.all()}
    assert tasks[11].date_label == "24 October 2008"
    assert tasks[34].date_label == "October to December 2009"
    assert tasks[36].due == dt.date(2010, 4, 1)
    # "Project Manager" tasks go to the project manager.
    assert tasks[3].responsible_user == leeds_project.project_manager


def test_project_create_with_partners_and_bad_value_saves_nothing(leeds_org, personas):
    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="X1", estimated_annual_value=Decimal("-5"))
    assert "estimated_annual_value" in caught.value.message_dict
    assert not ProcurementProject.objects.filter(reference="X1").exists()
    project = make_project(leeds_org, reference="X2", partners=[(personas.home, Decimal("125000"))])
    assert project.partner_links.get().annual_contribution == Decimal("125000.00")


def test_negative_partner_contribution_is_refused_and_nothing_saved(leeds_org, personas):
    with pytest.raises(ValidationError):
        make_project(leeds_org, reference="X3", partners=[(personas.home, Decimal("-1"))])
    assert not ProcurementProject.objects.filter(reference="X3").exists()
    assert not Timetable.objects.filter(project__reference="X3").exists()


def test_publishing_keeps_the_earlier_version_and_numbers_them(leeds_project, personas):
    timetable = leeds_project.timetables.get(is_current=True)
    task = timetable.tasks.get(number=17)
    services.task_update(
        task=task,
        expected_version=services.task_version(task),
        notes="Soft market testing in June",
        precision="month",
        due=dt.date(2009, 6, 30),
    )
    current = services.timetable_publish(
        timetable=timetable, expected_number=timetable.number, user=personas.admin, change_note="Soft market testing"
    )
    assert current.label == "v2"
    assert Timetable.objects.filter(project=leeds_project).count() == 2
    old = Timetable.objects.get(project=leeds_project, number=1)
    assert old.is_current is False and old.tasks.count() == current.tasks.count() == 37
    # Change v2 and compare task by task.
    services.task_update(
        task=current.tasks.get(number=24),
        expected_version=services.task_version(current.tasks.get(number=24)),
        activity="Advertise on Find a Tender",
    )
    diffs = {d.number: d for d in compare_versions(old, current)}
    assert diffs[24].change == "changed" and diffs[24].fields == ["activity"]
    assert diffs[1].change == "same"


def test_two_people_publishing_at_once_the_second_is_told(leeds_project, personas):
    timetable = leeds_project.timetables.get(is_current=True)
    services.timetable_publish(timetable=timetable, user=personas.admin, expected_number=1)
    with pytest.raises(StaleEdit, match="Someone else published v2"):
        services.timetable_publish(timetable=timetable, user=personas.evaluator, expected_number=1)
    assert Timetable.objects.filter(project=leeds_project).count() == 2


def test_moving_the_contract_start_replans_open_tasks_only(leeds_project):
    timetable = leeds_project.timetables.get(is_current=True)
    done = timetable.tasks.get(number=1)
    services.task_update(
        task=done, expected_version=services.task_version(done), status=Task.Status.DONE, done_on=dt.date(2008, 3, 20)
    )
    project = services.project_move_contract_start(
        project=leeds_project, contract_start=dt.date(2010, 7, 1), expected_version=1
    )
    tasks = {t.number: t for t in timetable.tasks.all()}
    assert tasks[1].due == dt.date(2008, 3, 31)  # finished: kept
    assert tasks[2].date_label == "June 2008"
    assert tasks[36].due == dt.date(2010, 7, 1)
    assert project.version == 2
    with pytest.raises(StaleEdit):
        services.project_move_contract_start(project=project, contract_start=dt.date(2010, 8, 1), expected_version=1)


def test_contract_start_before_the_done_tender_stage_is_refused(leeds_project):
    timetable = leeds_project.timetables.get(is_current=True)
    for number in (24, 31):
        services.task_update(
            task=timetable.tasks.get(number=number),
            expected_version=services.task_version(timetable.tasks.get(number=number)),
            status=Task.Status.DONE,
            done_on=dt.date(2009, 8, 1),
        )
    with pytest.raises(ValidationError) as caught:
        services.project_move_contract_start(
            project=leeds_project, expected_version=leeds_project.version, contract_start=dt.date(2009, 6, 1)
        )
    assert "before the end of the tender stage" in str(caught.value)
    leeds_project.refresh_from_db()
    assert leeds_project.contract_start == dt.date(2010, 4, 1)
    assert timetable.tasks.get(number=36).due == dt.date(2010, 4, 1)  # nothing half-saved


def test_a_task_due_after_the_contract_start_is_refused(leeds_project):
    task = leeds_project.timetables.get(is_current=True).tasks.get(number=33)
    with pytest.raises(ValidationError, match="after the contract start"):
        services.task_update(
            task=task, expected_version=services.task_version(task), due=dt.date(2010, 5, 1), precision="day"
        )
    task.refresh_from_db()
    assert task.due == dt.date(2009, 9, 30)


def test_an_unordered_stage_is_refused(leeds_project):
    task = leeds_project.timetables.get(is_current=True).tasks.get(number=30)
    with pytest.raises(ValidationError, match="stages must be in order"):
        services.task_update(task=task, expected_version=services.task_version(task), stage="pre_procurement")


def test_a_statutory_period_cut_short_is_refused_with_the_rule(leeds_org):
    project = make_project(leeds_org, reference="PA1", template=PA2023_TEMPLATE, start=dt.date(2027, 4, 1), tupe=False)
    standstill = project.timetables.get().tasks.get(activity="Standstill period")
    with pytest.raises(ValidationError) as caught:
        services.task_update(
            task=standstill,
            expected_version=services.task_version(standstill),
            starts_on=standstill.due - dt.timedelta(days=3),
        )
    assert "Procurement Act 2023 s.51" in str(caught.value)
    tendering = project.timetables.get().tasks.get(activity="Tendering period")
    with pytest.raises(ValidationError, match="25 days"):
        services.task_update(
            task=tendering,
            expected_version=services.task_version(tendering),
            starts_on=tendering.due - dt.timedelta(days=20),
        )


def test_shift_dates_moves_open_tasks(leeds_project):
    timetable = leeds_project.timetables.get(is_current=True)
    services.timetable_shift(timetable=timetable, months=-1)
    assert timetable.tasks.get(number=35).date_label == "December 2009 to February 2010"


def test_shift_that_breaks_the_timetable_is_refused(leeds_project):
    timetable = leeds_project.timetables.get(is_current=True)
    with pytest.raises(ValidationError, match="after the contract start"):
        services.timetable_shift(timetable=timetable, months=2)
    assert timetable.tasks.get(number=35).date_label == "January to March 2010"


def test_second_active_policy_for_a_year_is_refused_with_a_clear_message():
    cymorth, _ = Programme.objects.get_or_create(
        name="Cymorth", defaults={"first_year": 2009, "partnership": home_partnership()}
    )
    UnderspendPolicy.objects.create(
        programme=cymorth,
        name="2.5% or £20,000",
        discretion_pct=Decimal("2.5"),
        discretion_floor=20000,
        effective_from=2010,
        is_active=True,
    )
    second = UnderspendPolicy(
        programme=cymorth,
        name="3.5% or £25,000",
        discretion_pct=Decimal("3.5"),
        discretion_floor=25000,
        effective_from=2010,
        is_active=True,
    )
    with pytest.raises(ValidationError) as caught:
        second.full_clean()
    assert "2010-11 already has an active policy for Cymorth: '2.5% or £20,000'" in str(caught.value)
    second.is_active = False
    second.full_clean()
    second.save()


def test_negative_percentage_policy_is_refused():
    cymorth, _ = Programme.objects.get_or_create(
        name="Cymorth", defaults={"first_year": 2009, "partnership": home_partnership()}
    )
    policy = UnderspendPolicy(
        programme=cymorth, name="bad", discretion_pct=Decimal("-1"), discretion_floor=0, effective_from=2011
    )
    with pytest.raises(ValidationError) as caught:
        policy.full_clean()
    assert "discretion_pct" in caught.value.message_dict


def test_task_move_insert_and_remove_renumber_in_one_transaction(leeds_project):
    timetable = leeds_project.timetables.get()
    names = list(timetable.tasks.order_by("number").values_list("activity", flat=True))
    services.task_move(task=timetable.tasks.get(number=13), to_number=14)
    assert list(timetable.tasks.order_by("number").values_list("activity", flat=True)[12:14]) == [
        names[13],
        names[12],
    ]
    inserted = services.task_insert(
        timetable=timetable,
        number=5,
        stage="pre_procurement",
        activity="Equality impact assessment",
        precision="month",
        due=dt.date(2008, 4, 30),
    )
    assert inserted.number == 5 and timetable.tasks.get(number=6).activity == names[4]
    services.task_remove(task=inserted)
    assert not Task.objects.filter(activity="Equality impact assessment").exists()
    assert timetable.tasks.get(number=5).activity == names[4]
    assert sorted(timetable.tasks.values_list("number", flat=True)) == list(range(1, 38))


def test_a_move_that_breaks_the_order_of_stages_saves_nothing(leeds_project):
    timetable = leeds_project.timetables.get()
    before = list(timetable.tasks.order_by("number").values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="stages must be in order"):
        services.task_move(task=timetable.tasks.get(number=36), to_number=1)
    with pytest.raises(ValidationError, match="from 1 to 37"):
        services.task_move(task=timetable.tasks.get(number=3), to_number=40)
    assert list(timetable.tasks.order_by("number").values_list("pk", flat=True)) == before


def test_a_shared_service_under_aligned_budgets_runs_at_least_three_years(leeds_org):
    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="AL-2", approach="aligned", contract_years=2)
    assert "at least three years" in " ".join(caught.value.message_dict["contract_years"])
    assert "5.6" in " ".join(caught.value.message_dict["contract_years"])
    assert not ProcurementProject.objects.filter(reference="AL-2").exists()
    assert make_project(leeds_org, reference="AL-3", approach="aligned", contract_years=3).contract_years == 3
    assert make_project(leeds_org, reference="SO-1", approach="single", contract_years=1).contract_years == 1
