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
