"""The Procurement Act 2023 periods measured between tasks, and the order of tasks (issue 14, items 1 and 4).

Each finding of the issue is a case here: the service refuses it, names both tasks and the section, puts the
message beside the field, and saves nothing; the task page and admin say the same.
"""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from procurement import services
from procurement.models import Task
from procurement.scheduling import Kind, PlannedTask, Stage, statutory_problems, validate_timetable
from procurement.working_days import is_working_day, working_days_inclusive

from .conftest import PA2023_TEMPLATE, make_project

D = dt.date
START = D(2030, 4, 1)


@pytest.fixture
def project(db, leeds_org, personas):
    return make_project(
        leeds_org, reference="PA-1", template=PA2023_TEMPLATE, start=START, tupe=False, project_manager=personas.member
    )


def _kind(project, kind):
    return Task.objects.get(timetable__project=project, timetable__is_current=True, kind=kind)


def _unchanged(project):
    return list(
        Task.objects.filter(timetable__project=project, timetable__is_current=True)
        .order_by("number")
        .values_list("number", "due", "starts_on")
    )


@pytest.mark.django_db
def test_the_drawn_timetable_holds_every_rule(project):
    notice, deadline = _kind(project, Kind.UK4), _kind(project, Kind.TENDER_DEADLINE)
    award, entered = _kind(project, Kind.UK6), _kind(project, Kind.CONTRACT_ENTERED)
    assert (deadline.due - notice.due).days >= 25
    assert working_days_inclusive(award.due, entered.due - dt.timedelta(days=1)) >= 8
    assert all(is_working_day(t.due) for t in (notice, deadline, award, entered))


@pytest.mark.django_db
def test_tender_notice_nine_days_before_the_deadline_is_refused(project):
    notice, deadline = _kind(project, Kind.UK4), _kind(project, Kind.TENDER_DEADLINE)
    before = _unchanged(project)
    with pytest.raises(ValidationError) as caught:
        day = deadline.due - dt.timedelta(days=9)
        services.task_update(task=notice, expected_version=services.task_version(notice), starts_on=day, due=day)
    message = " ".join(caught.value.message_dict["due"])
    assert f"Task {notice.number} 'Publish the tender notice" in message
    assert f"task {deadline.number} 'Tendering period'" in message
    assert "9 days" in message and "at least 25 days" in message and "s.54" in message
    assert _unchanged(project) == before


@pytest.mark.django_db
def test_entering_into_the_contract_two_days_after_the_award_notice_is_refused(project):
    award, entered = _kind(project, Kind.UK6), _kind(project, Kind.CONTRACT_ENTERED)
    before = _unchanged(project)
    with pytest.raises(ValidationError) as caught:
        day = award.due + dt.timedelta(days=2)
        services.task_update(task=entered, expected_version=services.task_version(entered), starts_on=day, due=day)
    message = " ".join(caught.value.message_dict["due"])
    assert f"task {award.number} 'Publish the contract award notice'" in message
    assert "standstill is 8 working days" in message and "s.51" in message
    assert _unchanged(project) == before


@pytest.mark.django_db
def test_clearing_a_periods_start_does_not_let_a_one_day_standstill_save(project):
    standstill, award = _kind(project, Kind.STANDSTILL), _kind(project, Kind.UK6)
    before = _unchanged(project)
    with pytest.raises(ValidationError) as caught:
        services.task_update(
            task=standstill, expected_version=services.task_version(standstill), starts_on=None, due=award.due
        )
    assert "has no 'Starts on'" in " ".join(caught.value.message_dict["starts_on"])
    assert "s.51" in " ".join(caught.value.message_dict["starts_on"])
    with pytest.raises(ValidationError):
        services.task_update(
            task=standstill, expected_version=services.task_version(standstill), starts_on=award.due, due=award.due
        )
    assert _unchanged(project) == before


@pytest.mark.django_db
def test_the_award_notice_after_entering_into_the_contract_is_refused(project):
    award, entered = _kind(project, Kind.UK6), _kind(project, Kind.CONTRACT_ENTERED)
    before = _unchanged(project)
    with pytest.raises(ValidationError) as caught:
        day = entered.due + dt.timedelta(days=1)
        services.task_update(task=award, expected_version=services.task_version(award), starts_on=day, due=day)
    message = " ".join(caught.value.message_dict["due"])
    assert f"task {entered.number} 'Enter into the contract'" in message
    assert "before entering into the contract" in message and "s.50" in message
    assert _unchanged(project) == before


@pytest.mark.django_db
def test_the_task_page_shows_the_rule_beside_the_due_date(client, personas, project):
    notice, deadline = _kind(project, Kind.UK4), _kind(project, Kind.TENDER_DEADLINE)
    url = reverse("procurement:task_update", args=[project.pk, notice.pk])
    client.force_login(personas.member)
    form = client.get(url).context["form"]
    data = {n: form[n].value() for n in form.fields if form[n].value() is not None}
    data = {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in data.items()}
    data["due"] = (deadline.due - dt.timedelta(days=9)).isoformat()
    page = client.post(url, data)
    assert page.status_code == 200
    assert "s.54" in " ".join(page.context["form"].errors["due"])
    notice.refresh_from_db()
    assert notice.due == _kind(project, Kind.UK4).due != deadline.due - dt.timedelta(days=9)


@pytest.mark.django_db
def test_admin_refuses_the_award_notice_after_the_contract(client, personas, project):
    from .test_admin import _form_data, _index_of

    admin_client = client
    admin_client.force_login(personas.admin)
    timetable = project.timetables.get()
    award, entered = _kind(project, Kind.UK6), _kind(project, Kind.CONTRACT_ENTERED)
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    data, prefix = _form_data(admin_client, url)
    data[f"{prefix}-{_index_of(data, prefix, award.number)}-due"] = (entered.due + dt.timedelta(days=1)).isoformat()
    page = admin_client.post(url, data)
    assert page.status_code == 200 and "s.50" in page.text
    award.refresh_from_db()
    assert award.due < entered.due


def _task(number, kind, due, starts_on=None, activity=None, **kw):
    return PlannedTask(number, Stage.AWARD, activity or kind, due=due, starts_on=starts_on, kind=kind, **kw)


def test_a_qualifying_planned_procurement_notice_shortens_the_tendering_period_to_ten_days():
    notice = _task(2, Kind.UK4, D(2030, 1, 10))
    deadline = _task(3, Kind.TENDER_DEADLINE, D(2030, 1, 22))
    assert statutory_problems([notice, deadline])[0]  # 12 days: too short without a UK3
    uk3 = _task(1, Kind.UK3, D(2029, 11, 1))
    assert statutory_problems([uk3, notice, deadline])[0] == []
    too_late = _task(1, Kind.UK3, D(2029, 12, 20))  # only 21 days before the tender notice: does not qualify
    assert statutory_problems([too_late, notice, deadline])[0]


def test_a_blank_date_is_not_checked_but_said_so():
    notice = _task(1, Kind.UK6, None, precision="tbd")
    entered = _task(2, Kind.CONTRACT_ENTERED, D(2030, 3, 1))
    problems, unchecked = statutory_problems([notice, entered])
    assert problems == [] and any("cannot be checked yet" in u and "task 1" in u for u in unchecked)


def test_uk7_within_30_days_or_120_for_light_touch():
    entered = _task(1, Kind.CONTRACT_ENTERED, D(2030, 3, 1))
    uk7 = _task(2, Kind.UK7, D(2030, 5, 1))
    assert any("s.53" in p.message for p in statutory_problems([entered, uk7])[0])
    assert statutory_problems([entered, uk7], regime="light_touch")[0] == []
    assert statutory_problems([entered, uk7], procedure="grant")[0] == []


def test_the_tupe_lead_in_ends_before_mobilisation_starts():
    tupe = _task(1, Kind.TUPE_LEAD_IN, D(2030, 2, 28), D(2029, 12, 1))
    mobilisation = _task(2, Kind.MOBILISATION, D(2030, 3, 31), D(2030, 2, 10))
    errors = validate_timetable([tupe, mobilisation], None)
    assert any("TUPE" in e and "task 2" in e for e in errors)


@pytest.mark.django_db
def test_the_project_page_says_which_rules_cannot_be_checked_yet(client, personas, project):
    award = _kind(project, Kind.UK6)
    Task.objects.filter(pk=award.pk).update(precision="tbd", due=None, starts_on=None)
    client.force_login(personas.member)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert page.status_code == 200
    assert "cannot be checked yet" in page.text and f"task {award.number} " in page.text and "s.51" in page.text


@pytest.mark.django_db
def test_a_standard_open_procedure_from_the_light_touch_template_is_refused(leeds_org):
    from .conftest import LEEDS_TEMPLATE

    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="LT-STD", template=LEEDS_TEMPLATE, regime="standard", procedure="open")
    message = " ".join(caught.value.message_dict["template"])
    assert "UK4 tender notice" in message and "Standstill period" in message and "s" in message
    assert not Task.objects.filter(timetable__project__reference="LT-STD").exists()


@pytest.mark.django_db
def test_changing_the_regime_rechecks_the_timetable(leeds_org):
    from .conftest import LEEDS_TEMPLATE

    project = make_project(leeds_org, reference="LT", template=LEEDS_TEMPLATE, start=START)
    with pytest.raises(ValidationError) as caught:
        services.project_update(project=project, expected_version=project.version, regime="standard")
    assert "UK6 contract award notice" in " ".join(caught.value.message_dict["regime"])
    project.refresh_from_db()
    assert project.regime == "light_touch"


@pytest.mark.django_db
@pytest.mark.parametrize("day", [D(1989, 12, 31), D(2101, 1, 1)])
def test_dates_before_1990_or_after_2100_are_refused_beside_the_field(project, leeds_org, day):
    task = _kind(project, Kind.UK4)
    with pytest.raises(ValidationError) as caught:
        services.task_update(task=task, expected_version=services.task_version(task), starts_on=day, due=day)
    assert "from 1990 to 2100" in " ".join(caught.value.message_dict["due"])
    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="FAR", template=PA2023_TEMPLATE, start=day, tupe=False)
    assert "from 1990 to 2100" in " ".join(caught.value.message_dict["contract_start"])


@pytest.mark.django_db
def test_a_scottish_devolved_authority_is_refused_a_procurement_act_template_naming_its_regime(
    client, personas, leeds_org
):
    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="SCOT", template=PA2023_TEMPLATE, start=START, jurisdiction="scotland")
    message = " ".join(caught.value.message_dict["jurisdiction"])
    assert "Procurement Reform (Scotland) Act 2014" in message and "Public Contracts (Scotland) Regulations" in message
    grant = make_project(
        leeds_org, reference="SCOT-G", template="Grant agreement", start=START, tupe=False, jurisdiction="scotland"
    )
    assert grant.jurisdiction == "scotland"
    ni = make_project(leeds_org, reference="NI", template=PA2023_TEMPLATE, start=START, jurisdiction="northern_ireland")
    assert ni.jurisdiction == "northern_ireland"


# ---------------------------------------------------------------- the rules each regime chooses (issue 14, item 3)


def test_ten_days_under_a_declared_state_of_urgency():
    notice = _task(1, Kind.UK4, D(2030, 1, 10))
    deadline = _task(2, Kind.TENDER_DEADLINE, D(2030, 1, 21))  # 11 days
    assert statutory_problems([notice, deadline])[0]
    assert statutory_problems([notice, deadline], urgency=True)[0] == []
    short = _task(2, Kind.TENDER_DEADLINE, D(2030, 1, 18))  # 8 days: too short even under urgency
    (problem,) = statutory_problems([notice, short], urgency=True)[0]
    assert "at least 10 days" in problem.message and "state of urgency" in problem.message and "s.54" in problem.rule


def test_thirty_days_where_tenders_are_not_submitted_electronically():
    notice = _task(1, Kind.UK4, D(2030, 1, 10))
    deadline = _task(2, Kind.TENDER_DEADLINE, D(2030, 2, 5))  # 26 days
    assert statutory_problems([notice, deadline])[0] == []
    (problem,) = statutory_problems([notice, deadline], electronic=False)[0]
    assert "at least 30 days" in problem.message and "not submitted electronically" in problem.message
    assert problem.numbers == (1, 2) and "s.54" in problem.message


def test_the_competitive_flexible_participation_period():
    notice = _task(1, Kind.UK4, D(2030, 1, 10))
    participation = _task(2, Kind.PARTICIPATION_DEADLINE, D(2030, 1, 30))  # 20 days
    deadline = _task(3, Kind.TENDER_DEADLINE, D(2030, 3, 30))
    (problem,) = statutory_problems([notice, participation, deadline], procedure="competitive_flexible")[0]
    assert "participation period" in problem.rule and "at least 25 days" in problem.message
    assert problem.numbers == (1, 2)


def test_a_deadline_before_its_notice_is_a_clear_error_even_for_light_touch():
    notice = _task(1, Kind.UK4, D(2030, 1, 10))
    deadline = _task(2, Kind.TENDER_DEADLINE, D(2030, 1, 5))
    for regime in ("standard", "light_touch"):
        (problem,) = statutory_problems([notice, deadline], regime=regime)[0]
        assert "is not after task 1" in problem.message and "s.54" in problem.message
    # A light-touch contract has no minimum tendering period: a short one that follows its notice is allowed.
    soon = _task(2, Kind.TENDER_DEADLINE, D(2030, 1, 15))
    assert statutory_problems([notice, soon], regime="light_touch")[0] == []


def test_a_direct_award_publishes_a_contract_award_notice_and_waits_the_standstill():
    transparency = _task(1, Kind.UK5, D(2030, 1, 10))
    award = _task(2, Kind.UK6, D(2030, 2, 1))
    entered = _task(3, Kind.CONTRACT_ENTERED, D(2030, 2, 5))  # inside the 8 working days
    problems = statutory_problems([transparency, award, entered], procedure="direct_award")[0]
    assert any("s.51" in p.message and p.numbers == (3, 2) for p in problems)
    late = _task(1, Kind.UK5, D(2030, 2, 6))
    problems = statutory_problems([late, award, _task(3, Kind.CONTRACT_ENTERED, D(2030, 2, 1))])[0]
    assert any("s.44" in p.message for p in problems)


def test_a_direct_award_template_without_a_contract_award_notice_is_refused():
    from procurement.scheduling import missing_steps

    tasks = [_task(1, Kind.UK5, None), _task(2, Kind.STANDSTILL, None), _task(3, Kind.CONTRACT_ENTERED, None)]
    missing = missing_steps(tasks, regime="standard", procedure="direct_award")
    assert Kind.UK6 in missing and Kind.UK7 in missing


def test_the_provider_selection_regime_has_its_own_standstill_and_award_notice():
    intention = _task(1, Kind.PSR_INTENTION, D(2030, 1, 10))  # a Thursday
    # Eight working days counted from the day after the notice: 11 to 22 January; the award on the 23rd at the earliest.
    early = _task(2, Kind.CONTRACT_ENTERED, D(2030, 1, 22))
    (problem,) = statutory_problems([intention, early], regime="psr")[0]
    assert "reg. 12" in problem.message and "23 January 2030" in problem.message and problem.numbers == (2, 1)
    entered = _task(2, Kind.CONTRACT_ENTERED, D(2030, 1, 23))
    assert statutory_problems([intention, entered], regime="psr")[0] == []
    confirmation = _task(3, Kind.PSR_AWARD, D(2030, 3, 1))  # 37 days after the award
    (problem,) = statutory_problems([intention, entered, confirmation], regime="psr")[0]
    assert "within 30 days" in problem.message and "Provider Selection Regime" in problem.rule
    # The Procurement Act's own periods are not the Provider Selection Regime's.
    uk6 = _task(4, Kind.UK6, D(2030, 1, 21))
    assert statutory_problems([uk6, entered], regime="psr")[0] == []


@pytest.mark.django_db
def test_the_provider_selection_regime_template_draws_a_timetable_that_holds(leeds_org):
    from .conftest import PSR_TEMPLATE

    project = make_project(leeds_org, reference="PSR-1", template=PSR_TEMPLATE, start=START, tupe=True)
    assert project.regime == "psr"
    kinds = {t.kind: t for t in project.timetables.get().tasks.all()}
    assert {Kind.PSR_INTENTION, Kind.STANDSTILL, Kind.CONTRACT_ENTERED, Kind.PSR_AWARD} <= kinds.keys()
    # A PSR project cannot be drawn from a template without the regime's steps, nor outside England.
    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="PSR-2", template=PA2023_TEMPLATE, start=START, regime="psr")
    assert "Provider Selection Regime" in " ".join(caught.value.message_dict["template"])
    with pytest.raises(ValidationError) as caught:
        make_project(leeds_org, reference="PSR-3", template=PSR_TEMPLATE, start=START, jurisdiction="wales")
    assert "England only" in " ".join(caught.value.message_dict["regime"])


@pytest.mark.django_db
def test_declaring_urgency_or_paper_tenders_rechecks_the_timetable(project):
    deadline = _kind(project, Kind.TENDER_DEADLINE)
    notice = _kind(project, Kind.UK4)
    # A tendering period of 26 days holds for electronic tenders, not for paper ones.
    day = deadline.due - dt.timedelta(days=26)
    services.task_update(task=notice, expected_version=services.task_version(notice), starts_on=day, due=day)
    project.refresh_from_db()
    with pytest.raises(ValidationError) as caught:
        services.project_update(project=project, expected_version=project.version, electronic_tenders=False)
    assert "not submitted electronically" in " ".join(caught.value.message_dict["regime"])
    project.refresh_from_db()
    assert project.electronic_tenders


def test_every_rule_names_its_section():
    from procurement import scheduling

    cases = [
        ([_task(1, Kind.UK4, D(2030, 1, 10)), _task(2, Kind.TENDER_DEADLINE, D(2030, 1, 12))], {}),
        ([_task(1, Kind.UK6, D(2030, 1, 10)), _task(2, Kind.CONTRACT_ENTERED, D(2030, 1, 12))], {}),
        ([_task(1, Kind.CONTRACT_ENTERED, D(2030, 1, 10)), _task(2, Kind.UK7, D(2030, 6, 12))], {}),
        ([_task(1, Kind.UK2, D(2030, 2, 10)), _task(2, Kind.UK4, D(2030, 1, 12))], {}),
        (
            [_task(1, Kind.PSR_INTENTION, D(2030, 1, 10)), _task(2, Kind.CONTRACT_ENTERED, D(2030, 1, 12))],
            {"regime": "psr"},
        ),
        ([_task(1, Kind.TUPE_LEAD_IN, D(2030, 2, 1)), _task(2, Kind.MOBILISATION, D(2030, 3, 1), D(2030, 1, 1))], {}),
    ]
    for tasks, rules in cases:
        problems = scheduling.statutory_problems(tasks, **rules)[0]
        assert problems, tasks
        for problem in problems:
            assert problem.rule and (" s." in problem.rule or "reg." in problem.rule), problem.rule
            assert problem.rule in problem.message or problem.rule.split(":")[0] in problem.message
            assert len(problem.numbers) == 2
