"""Django admin as the timetable editor: ordered inlines, publish a version, shift dates, concurrency, history."""

import datetime as dt

import pytest
from django.urls import reverse

from procurement.models import Task, Timetable

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def timetable(leeds_org):
    return make_project(leeds_org).timetables.get()


def _form_data(client, url):
    """The admin change form's current values, as a browser would post them back."""
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in ["change_note", "seen_lock_version", "seen_number"]}
    formset = page.context["inline_admin_formsets"][0].formset
    data.update(
        {
            f"{formset.prefix}-TOTAL_FORMS": formset.total_form_count(),
            f"{formset.prefix}-INITIAL_FORMS": formset.initial_form_count(),
            f"{formset.prefix}-MIN_NUM_FORMS": 0,
            f"{formset.prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for f in formset.forms:
        for name in f.fields:
            value = f[name].value()
            if value is None or value is False:
                continue
            data[f"{f.prefix}-{name}"] = value.isoformat() if isinstance(value, dt.date) else value
    return data, formset.prefix


def test_admin_edits_a_task_and_publishes_v2_keeping_v1(admin_client, timetable):
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    data, prefix = _form_data(admin_client, url)
    index = next(i for i in range(37) if data.get(f"{prefix}-{i}-number") == 17)
    data[f"{prefix}-{index}-notes"] = "Soft market testing with providers in June"
    data["publish_new_version"] = "on"
    data["change_note"] = "Soft market testing planned"
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    timetable.refresh_from_db()
    assert timetable.label == "v2" and timetable.change_note == "Soft market testing planned"
    assert timetable.tasks.get(number=17).notes == "Soft market testing with providers in June"
    v1 = Timetable.objects.get(project=timetable.project, number=1)
    assert v1.tasks.get(number=17).notes == ""
    # The history of the change is kept.
    assert timetable.tasks.get(number=17).history.count() >= 2


def test_a_second_editor_working_from_v1_is_told_and_loses_nothing(admin_client, timetable):
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    first, prefix = _form_data(admin_client, url)
    second = dict(first)
    first["publish_new_version"] = "on"
    assert admin_client.post(url, first).status_code == 302
    index = next(i for i in range(37) if second.get(f"{prefix}-{i}-number") == 24)
    second[f"{prefix}-{index}-activity"] = "Advertise (their change)"
    second["publish_new_version"] = "on"
    page = admin_client.post(url, second)
    assert page.status_code == 200
    assert "Someone else published v2 while you were editing v1" in page.text
    assert not Task.objects.filter(activity="Advertise (their change)").exists()


def test_admin_refuses_a_task_after_the_contract_start(admin_client, timetable):
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    data, prefix = _form_data(admin_client, url)
    index = next(i for i in range(37) if data.get(f"{prefix}-{i}-number") == 33)
    data[f"{prefix}-{index}-due"] = "2010-06-30"
    page = admin_client.post(url, data)
    assert page.status_code == 200 and "after the contract start" in page.text
    assert Task.objects.get(timetable=timetable, number=33).due == dt.date(2009, 9, 30)


def test_publish_action_and_shift_dates_action(admin_client, timetable):
    changelist = reverse("admin:procurement_timetable_changelist")
    admin_client.post(changelist, {"action": "publish_new_version", "_selected_action": [timetable.pk]})
    timetable.refresh_from_db()
    assert timetable.label == "v2"
    page = admin_client.post(changelist, {"action": "shift_dates", "_selected_action": [timetable.pk]})
    assert page.status_code == 200 and "Shift the dates" in page.text
    admin_client.post(
        changelist,
        {"action": "shift_dates", "_selected_action": [timetable.pk], "apply": "1", "months": "-1", "days": "0"},
    )
    assert timetable.tasks.get(number=35).date_label == "December 2009 to February 2010"
    refused = admin_client.post(
        changelist,
        {"action": "shift_dates", "_selected_action": [timetable.pk], "apply": "1", "months": "6", "days": "0"},
        follow=True,
    )
    assert "not shifted" in refused.text


def test_admin_lists_filter_and_search(admin_client, timetable):
    tasks = reverse("admin:procurement_task_changelist")
    assert admin_client.get(tasks, {"overdue": "yes"}).status_code == 200
    assert admin_client.get(tasks, {"q": "TUPE"}).status_code == 200
    assert (
        admin_client.get(tasks, {"status": "done", "timetable__project__id__exact": timetable.project_id}).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:procurement_timetable_changelist"), {"q": "4092", "overdue": "yes"}).status_code
        == 200
    )
    assert (
        admin_client.get(reverse("admin:procurement_procurementproject_changelist"), {"overdue": "yes"}).status_code
        == 200
    )
    for name in ["underspendpolicy", "timetabletemplate", "remindersettings", "reminder"]:
        assert admin_client.get(reverse(f"admin:procurement_{name}_changelist")).status_code == 200
    template = timetable.project.template
    assert (
        admin_client.get(reverse("admin:procurement_timetabletemplate_change", args=[template.pk])).status_code == 200
    )
    history = reverse("admin:procurement_timetable_history", args=[timetable.pk])
    assert admin_client.get(history).status_code == 200


def test_superseded_versions_are_read_only(client, timetable, personas):
    from procurement import services

    services.timetable_publish(timetable=timetable, expected_number=timetable.number, user=personas.admin)
    v1 = Timetable.objects.get(project=timetable.project, number=1)
    # The personas' administrator, signed in after the personas exist (pytest-django's admin_client shares
    # the username "admin", and making the personas resets its password, which signs that client out).
    client.force_login(personas.admin)
    url = reverse("admin:procurement_timetable_change", args=[v1.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.text and 'name="_continue"' not in page.text
    assert "submit-row" in page.text  # the row is there, with nothing in it that saves
    refused = client.post(url, {"change_note": "sneaky"})
    assert refused.status_code == 403
    v1.refresh_from_db()
    assert v1.change_note != "sneaky"


def test_moving_contract_start_in_admin_replans(admin_client, timetable):
    project = timetable.project
    url = reverse("admin:procurement_procurementproject_change", args=[project.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "contract_start": "2010-06-01",
            "lead_organisation": project.lead_organisation_id,
            "template": project.template_id,
            "tupe": "on",
            "partner_links-TOTAL_FORMS": 0,
            "partner_links-INITIAL_FORMS": 0,
        }
    )
    data.pop("partners", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert timetable.tasks.get(number=36).due == dt.date(2010, 6, 1)


def test_adding_a_project_in_admin_draws_its_timetable(admin_client, leeds_org):
    from procurement.models import ProcurementProject, TimetableTemplate

    template = TimetableTemplate.objects.get(name="Direct award")
    url = reverse("admin:procurement_procurementproject_add")
    data = {
        "reference": "DA-1",
        "title": "Advocacy",
        "procedure": "direct_award",
        "regime": "standard",
        "approach": "single",
        "lead_organisation": leeds_org.pk,
        "contract_years": 3,
        "contract_start": "2030-04-01",
        "template": template.pk,
        "status": "planning",
        "partner_links-TOTAL_FORMS": 0,
        "partner_links-INITIAL_FORMS": 0,
    }
    assert admin_client.post(url, data).status_code == 302
    project = ProcurementProject.objects.get(reference="DA-1")
    assert project.timetables.get().tasks.filter(activity="Publish the transparency notice").exists()
    data["reference"] = "DA-2"
    data["contract_start"] = "not a date"
    page = admin_client.post(url, data)
    assert page.status_code == 200 and "Enter a valid date" in page.text
    assert not ProcurementProject.objects.filter(reference="DA-2").exists()


def test_task_admin_refuses_a_stale_edit_and_a_bad_date(admin_client, timetable):
    task = timetable.tasks.get(number=33)
    url = reverse("admin:procurement_task_change", args=[task.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    bad = dict(data, due="2010-06-30")
    page = admin_client.post(url, bad)
    assert page.status_code == 200 and "after the contract start" in page.text
    from procurement import services

    services.task_update(task=task, expected_version=services.task_version(task), notes="changed by someone else")
    page = admin_client.post(url, dict(data, notes="mine"))
    assert page.status_code == 200 and "Someone else changed this task" in page.text
    task.refresh_from_db()
    assert task.notes == "changed by someone else"


def _index_of(data, prefix, number):
    return next(i for i in range(60) if data.get(f"{prefix}-{i}-number") == number)


def test_swapping_two_task_numbers_in_admin_reorders_them(admin_client, timetable):
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    thirteen = timetable.tasks.get(number=13).activity
    fourteen = timetable.tasks.get(number=14).activity
    data, prefix = _form_data(admin_client, url)
    at13, at14 = _index_of(data, prefix, 13), _index_of(data, prefix, 14)
    data[f"{prefix}-{at13}-number"], data[f"{prefix}-{at14}-number"] = 14, 13
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert timetable.tasks.get(number=13).activity == fourteen
    assert timetable.tasks.get(number=14).activity == thirteen
    assert sorted(timetable.tasks.values_list("number", flat=True)) == list(range(1, 38))


def test_inserting_a_task_in_the_middle_in_admin_moves_the_rest_down(admin_client, timetable):
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    data, prefix = _form_data(admin_client, url)
    total = data[f"{prefix}-TOTAL_FORMS"]
    new = {
        "number": 14,
        "stage": "pre_procurement",
        "activity": "Equality impact assessment",
        "precision": "month",
        "due": "2008-11-30",
        "status": "not_started",
    }
    data.update({f"{prefix}-{total}-{k}": v for k, v in new.items()})
    data[f"{prefix}-TOTAL_FORMS"] = total + 1
    old_fourteen = timetable.tasks.get(number=14).activity
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert timetable.tasks.get(number=14).activity == "Equality impact assessment"
    assert timetable.tasks.get(number=15).activity == old_fourteen
    assert sorted(timetable.tasks.values_list("number", flat=True)) == list(range(1, 39))


def test_removing_a_task_in_admin_closes_the_gap(admin_client, timetable):
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    data, prefix = _form_data(admin_client, url)
    data[f"{prefix}-{_index_of(data, prefix, 17)}-DELETE"] = "on"
    old_eighteen = timetable.tasks.get(number=18).activity
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else response
    assert timetable.tasks.get(number=17).activity == old_eighteen
    assert sorted(timetable.tasks.values_list("number", flat=True)) == list(range(1, 37))


def test_giving_one_task_another_tasks_number_moves_it_there(admin_client, timetable):
    task = timetable.tasks.get(number=13)
    url = reverse("admin:procurement_task_change", args=[task.pk])
    page = admin_client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields if form[name].value() not in (None, False)}
    data = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in data.items()}
    old_fourteen = timetable.tasks.get(number=14)
    response = admin_client.post(url, dict(data, number=14))
    assert response.status_code == 302
    task.refresh_from_db()
    old_fourteen.refresh_from_db()
    assert (task.number, old_fourteen.number) == (14, 13)
    data["seen_history"] = admin_client.get(url).context["adminform"].form["seen_history"].value()
    page = admin_client.post(url, dict(data, number=99))
    assert page.status_code == 200 and "Choose a number from 1 to 37" in page.text
