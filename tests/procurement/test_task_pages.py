"""Task updates and publishing from the project page: the person responsible, the project manager, programme team."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from procurement import services
from procurement.models import Reminder, Task, Timetable

from .conftest import PA2023_TEMPLATE, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(leeds_org, personas):
    project = make_project(leeds_org, project_manager=personas.member)
    project.timetables.get().tasks.filter(number=36).update(responsible_user=personas.officer)
    return project


def _task(project, number):
    return Task.objects.get(timetable__project=project, timetable__is_current=True, number=number)


def _url(project, task):
    return reverse("procurement:task_update", args=[project.pk, task.pk])


def _data(client, url, **changes):
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = value.isoformat() if isinstance(value, dt.date) else value
    data.update(changes)
    return data


def test_the_person_responsible_records_progress_but_cannot_move_the_date(client, personas, project):
    task = _task(project, 36)
    url = _url(project, task)
    client.force_login(personas.officer)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert page.status_code == 200
    assert url in page.text  # their task has an Update link...
    assert _url(project, _task(project, 35)) not in page.text  # ...the others do not
    assert reverse("procurement:timetable_publish", args=[project.pk]) not in page.text
    form = client.get(url).context["form"]
    assert set(form.fields) == {"status", "done_on", "notes", "version"}
    data = _data(client, url, status="done", done_on="2010-03-30", notes="Contract signed", due="2011-01-01")
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#task-36")
    task.refresh_from_db()
    assert (task.status, task.done_on, task.notes) == ("done", dt.date(2010, 3, 30), "Contract signed")
    assert task.due == dt.date(2010, 4, 1)  # the posted due date was not theirs to change
    assert "It will send no more reminders" in client.get(response["Location"]).text


def test_a_finished_task_stops_reminding(client, personas, project, django_capture_on_commit_callbacks):
    task = _task(project, 36)
    client.force_login(personas.officer)
    url = _url(project, task)
    assert client.post(url, _data(client, url, status="done", done_on="")).status_code == 302
    task.refresh_from_db()
    assert task.done_on is not None  # marked done without a date: today
    with django_capture_on_commit_callbacks(execute=True):
        services.reminders_sweep(today=dt.date(2010, 3, 25))
    assert not Reminder.objects.filter(task=task).exists()
    assert Reminder.objects.filter(task__number=35).exists()  # an open task still reminds


def test_the_project_manager_moves_a_due_date_with_its_precision(client, personas, project):
    task = _task(project, 17)
    url = _url(project, task)
    client.force_login(personas.member)  # the project manager
    form = client.get(url).context["form"]
    assert {"precision", "due", "starts_on"} <= set(form.fields)
    data = _data(client, url, precision="end", due="2009-06-03", starts_on="", notes="Soft market testing in June")
    assert client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.due == dt.date(2009, 6, 30) and task.date_label == "End of June 2009"
    data = _data(client, url, precision="tbd", due="")
    assert client.post(url, data).status_code == 302
    task.refresh_from_db()
    assert task.due is None and task.date_label == "To be decided"


def test_bad_input_is_shown_beside_the_fields_and_nothing_is_saved(client, personas, project):
    task = _task(project, 33)
    url = _url(project, task)
    client.force_login(personas.evaluator)  # programme team
    before = (task.status, task.due, task.notes)
    cases = [
        ({"due": "2010-06-30", "precision": "day"}, "due", "after the contract start"),
        ({"due": "", "precision": "day"}, "due", "Give a due date"),
        ({"due": "31/02/2010"}, "due", "Enter a valid date"),
        ({"status": "done", "done_on": "2099-01-01"}, "done_on", "cannot be in the future"),
        ({"status": "in_progress", "done_on": "2009-01-01"}, "done_on", "Only a finished task has a date done"),
        ({"status": "finished"}, "status", "Select a valid choice"),
    ]
    for changes, field, message in cases:
        page = client.post(url, _data(client, url, notes="Typed notes stay", **changes))
        assert page.status_code == 200, changes
        assert message in str(page.context["form"].errors[field]), changes
        assert "Typed notes stay" in page.text
    task.refresh_from_db()
    assert (task.status, task.due, task.notes) == before


def test_a_statutory_period_cut_short_is_refused_naming_the_rule(client, personas, leeds_org):
    start = timezone.localdate() + dt.timedelta(days=400)
    project = make_project(leeds_org, reference="PA1", template=PA2023_TEMPLATE, start=start, tupe=False)
    tendering = Task.objects.get(timetable__project=project, activity="Tendering period")
    url = _url(project, tendering)
    client.force_login(personas.evaluator)
    short = tendering.starts_on + dt.timedelta(days=20)
    page = client.post(url, _data(client, url, due=short.isoformat()))
    assert page.status_code == 200
    assert "Procurement Act 2023 s.54" in str(page.context["form"].errors["due"])
    tendering.refresh_from_db()
    assert tendering.due != short


def test_two_people_editing_one_task_the_second_is_told(client, personas, project):
    task = _task(project, 36)
    url = _url(project, task)
    client.force_login(personas.member)
    stale = _data(client, url)
    assert client.post(url, dict(stale, notes="The manager's note")).status_code == 302
    client.force_login(personas.officer)
    page = client.post(url, dict(stale, notes="The officer's note"))
    assert page.status_code == 200 and "changed this task" in page.text and "while you were editing" in page.text
    assert "The officer&#x27;s note" in page.text
    task.refresh_from_db()
    assert task.notes == "The manager's note"


def test_task_updates_are_refused_to_others_and_change_nothing(client, personas, project):
    task = _task(project, 36)
    url = _url(project, task)
    client.force_login(personas.member)
    data = _data(client, url, notes="Should not be saved")
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404 and client.post(url, data).status_code == 404
    client.force_login(personas.other_officer)
    assert client.post(url, data).status_code == 404
    client.force_login(personas.body)  # reads every project; updates none
    assert client.post(url, data).status_code == 403
    Task.objects.filter(pk=task.pk).update(responsible_user=personas.provider)
    client.force_login(personas.provider)  # a provider's user, even one named on the task
    assert client.get(url).status_code == 403 and client.post(url, data).status_code == 403
    assert url not in client.get(reverse("procurement:project_detail", args=[project.pk])).text
    other = make_project(personas.home, reference="OTHER")
    client.force_login(personas.evaluator)
    assert client.get(reverse("procurement:task_update", args=[other.pk, task.pk])).status_code == 404
    task.refresh_from_db()
    assert task.notes == ""


def test_a_task_of_an_earlier_version_cannot_be_updated(client, personas, project):
    services.timetable_publish(
        timetable=project.timetables.get(), expected_number=project.timetables.get().number, user=personas.member
    )
    old = Task.objects.get(timetable__project=project, timetable__is_current=False, number=36)
    client.force_login(personas.evaluator)
    url = _url(project, old)
    assert client.get(url).status_code == 403
    assert client.post(url, {"status": "done", "notes": "x"}).status_code == 403
    old.refresh_from_db()
    assert old.notes == ""


# ---------------------------------------------------------------- publishing


def test_the_project_manager_publishes_a_new_version_from_the_page(client, personas, project):
    url = reverse("procurement:timetable_publish", args=[project.pk])
    client.force_login(personas.member)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert url in page.text and "Publish as v2" in page.text
    response = client.post(url, {"expected_number": 1, "change_note": "Soft market testing moved"})
    assert response.status_code == 302
    current = Timetable.objects.get(project=project, is_current=True)
    assert current.label == "v2" and current.change_note == "Soft market testing moved"
    assert current.published_by == personas.member
    assert Timetable.objects.get(project=project, number=1).tasks.count() == current.tasks.count()
    assert "Published v2; v1 is kept as it was" in client.get(response["Location"]).text


def test_someone_else_published_first_the_second_is_told(client, personas, project):
    url = reverse("procurement:timetable_publish", args=[project.pk])
    client.force_login(personas.evaluator)
    assert client.post(url, {"expected_number": 1, "change_note": "First"}).status_code == 302
    client.force_login(personas.member)
    page = client.post(url, {"expected_number": 1, "change_note": "Second, from a stale page"})
    assert page.status_code == 200
    assert "Someone else published v2 while you were editing v1" in page.text
    assert 'value="Second, from a stale page"' in page.text
    assert Timetable.objects.filter(project=project).count() == 2
    assert Timetable.objects.get(project=project, is_current=True).change_note == "First"
    page = client.post(url, {"expected_number": "x"})
    assert page.status_code == 200 and "This page is out of date" in page.text


def test_publishing_is_refused_to_others_and_changes_nothing(client, personas, project):
    url = reverse("procurement:timetable_publish", args=[project.pk])
    for who, status in [
        (personas.outsider, 404),
        (personas.officer, 403),  # responsible for a task: may update it, not publish
        (personas.body, 403),
    ]:
        client.force_login(who)
        assert client.get(url).status_code == status
        assert client.post(url, {"expected_number": 1}).status_code == status
    Task.objects.filter(timetable__project=project, number=1).update(responsible_user=personas.provider)
    client.force_login(personas.provider)
    assert client.post(url, {"expected_number": 1}).status_code == 403
    assert Timetable.objects.filter(project=project).count() == 1
    assert Timetable.objects.get(project=project).label == "v1"


# ---------------------------------------------------------------- reorder, insert and remove on the project page


@pytest.fixture
def pa_project(leeds_org, personas):
    return make_project(
        leeds_org,
        reference="PA-R",
        template=PA2023_TEMPLATE,
        start=dt.date(2030, 4, 1),
        tupe=False,
        project_manager=personas.member,
    )


def _lock(project):
    return Timetable.objects.get(project=project, is_current=True).lock_version


def _arrange(client, project, task, **data):
    url = reverse("procurement:task_arrange", args=[project.pk, task.pk])
    return client.post(url, {"expected_lock": _lock(project), **data})


def _order(project):
    return list(
        Task.objects.filter(timetable__project=project, timetable__is_current=True)
        .order_by("number")
        .values_list("activity", flat=True)
    )


def test_the_project_manager_moves_a_task_up_and_down_from_the_project_page(client, personas, project):
    client.force_login(personas.member)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert reverse("procurement:task_arrange", args=[project.pk, _task(project, 13).pk]) in page.text
    assert reverse("procurement:task_insert", args=[project.pk]) in page.text
    before = _order(project)
    response = _arrange(client, project, _task(project, 14), action="up")
    assert response.status_code == 302 and response["Location"].endswith("#task-13")
    after = _order(project)
    assert after[12] == before[13] and after[13] == before[12]  # 13 and 14 swapped
    response = _arrange(client, project, _task(project, 13), action="down")
    assert response.status_code == 302 and _order(project) == before
    # The page of one task moves it to any number.
    url = reverse("procurement:task_arrange", args=[project.pk, _task(project, 2).pk])
    assert client.get(url).status_code == 200
    response = _arrange(client, project, _task(project, 2), action="to", number=5)
    assert response.status_code == 302 and _order(project)[4] == before[1]


def test_a_move_that_breaks_the_order_names_both_tasks_and_saves_nothing(client, personas, pa_project):
    client.force_login(personas.member)
    before = _order(pa_project)
    notice = Task.objects.get(timetable__project=pa_project, kind="uk4")
    page = _arrange(client, pa_project, notice, action="up")
    assert page.status_code == 200 and "Nothing was saved" in page.text
    errors = " ".join(page.context["form"].non_field_errors())
    assert (
        f"Task {notice.number} " in errors
        and f"task {notice.number - 1} " in errors
        and "stages must be in order" in errors
    )
    assert _order(pa_project) == before
    first = Task.objects.get(timetable__project=pa_project, number=1)
    page = _arrange(client, pa_project, first, action="up")
    assert page.status_code == 200 and "already the first task" in page.text
    page = _arrange(client, pa_project, first, action="to", number=99)
    assert page.status_code == 200 and "Choose a number from 1 to" in page.text


def test_a_stale_reorder_is_refused(client, personas, pa_project):
    client.force_login(personas.member)
    before = _order(pa_project)
    url = reverse(
        "procurement:task_arrange", args=[pa_project.pk, Task.objects.get(timetable__project=pa_project, number=2).pk]
    )
    page = client.post(url, {"expected_lock": _lock(pa_project) - 1 if _lock(pa_project) else 99, "action": "down"})
    assert page.status_code == 200 and "Someone else changed this timetable" in page.text
    assert _order(pa_project) == before


def test_inserting_and_removing_a_task_from_the_pages(client, personas, pa_project):
    client.force_login(personas.member)
    url = reverse("procurement:task_insert", args=[pa_project.pk])
    assert client.get(url).status_code == 200
    before = _order(pa_project)
    data = {
        "number": 3,
        "stage": "pre_procurement",
        "activity": "Equality impact assessment",
        "precision": "month",
        "due": "2029-06-15",
        "expected_lock": _lock(pa_project),
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    assert _order(pa_project) == [*before[:2], "Equality impact assessment", *before[2:]]
    # Inserted where it breaks the rules: refused, naming both tasks, nothing saved.
    bad = dict(data, number=7, stage="pre_procurement", due="2029-07-31", expected_lock=_lock(pa_project))
    page = client.post(url, bad)
    assert page.status_code == 200 and "stages must be in order" in " ".join(page.context["form"].non_field_errors())
    assert len(_order(pa_project)) == len(before) + 1
    # Bad input beside the field.
    page = client.post(url, dict(data, number="x", due="", expected_lock=_lock(pa_project)))
    assert page.status_code == 200 and "number" in page.context["form"].errors and "due" in page.context["form"].errors
    inserted = Task.objects.get(timetable__project=pa_project, activity="Equality impact assessment")
    response = _arrange(client, pa_project, inserted, action="remove")
    assert response.status_code == 302 and _order(pa_project) == before


def test_reordering_is_for_the_planners_only(client, personas, project):
    task = _task(project, 13)
    client.force_login(personas.officer)  # responsible for a task, not the project manager
    assert _arrange(client, project, task, action="down").status_code == 403
    assert client.get(reverse("procurement:task_insert", args=[project.pk])).status_code == 403
    assert _task(project, 13).pk == task.pk


def test_a_new_projects_contract_start_before_today_is_refused(client, personas, leeds_org):
    from procurement.models import ProcurementProject, TimetableTemplate

    client.force_login(personas.evaluator)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = {
        "reference": "PAST",
        "title": "Advice",
        "procedure": "open",
        "regime": "standard",
        "approach": "single",
        "lead_organisation": leeds_org.pk,
        "status": "planning",
        "contract_start": yesterday.isoformat(),
        "contract_years": "3",
        "template": TimetableTemplate.objects.get(name=PA2023_TEMPLATE).pk,
        "partners-TOTAL_FORMS": "0",
        "partners-INITIAL_FORMS": "0",
    }
    page = client.post(reverse("procurement:project_create"), data)
    assert page.status_code == 200
    assert "cannot be before today" in " ".join(page.context["form"].errors["contract_start"])
    assert not ProcurementProject.objects.filter(reference="PAST").exists()


def test_the_version_compare_highlights_moved_and_changed_rows_and_fields(client, personas, pa_project):
    from procurement.selectors import compare_versions

    timetable = pa_project.timetables.get()
    services.timetable_publish(timetable=timetable, expected_number=timetable.number, user=personas.admin)
    current = Timetable.objects.get(project=pa_project, is_current=True)
    services.task_move(task=current.tasks.get(number=2), to_number=3)
    services.task_insert(
        timetable=current, number=5, stage="tender", activity="Bidders' clarification day", precision="tbd"
    )
    task = current.tasks.get(number=1)
    services.task_update(task=task, expected_version=services.task_version(task), notes="Approved in principle")
    old = Timetable.objects.get(project=pa_project, number=1)
    diffs = {d.new.activity if d.new else d.old.activity: d for d in compare_versions(old, current)}
    assert diffs["Bidders' clarification day"].change == "added"
    assert diffs[old.tasks.get(number=1).activity].change == "changed"
    assert diffs[old.tasks.get(number=1).activity].fields == ["notes"]
    moved = [d for d in diffs.values() if d.change == "moved"]
    assert moved and all(d.moved_from for d in moved)
    # Tasks only renumbered by the insert are not reported.
    assert diffs[old.tasks.get(number=8).activity].change == "same"
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:timetable_compare", args=[pa_project.pk]), {"a": 1, "b": 2})
    assert page.status_code == 200
    assert '<mark data-field="notes">Approved in principle</mark>' in page.text
    assert 'data-change="moved"' in page.text and "(was 2)" in page.text and 'data-change="added"' in page.text
