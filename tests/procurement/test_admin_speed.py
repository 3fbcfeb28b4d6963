"""The admin timetable editor at volume: no query per task row, no link per project in the list filters."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.models import Task, Timetable
from tests.factories import UserFactory

from .conftest import make_project

pytestmark = pytest.mark.django_db


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url)
    assert page.status_code == 200
    return page, len(queries)


def test_the_timetable_change_page_runs_the_same_queries_with_nobody_named_or_one_person_per_task(
    admin_client, leeds_org
):
    timetable = make_project(leeds_org).timetables.get()
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    Task.objects.filter(timetable=timetable).update(responsible_user=None)
    people = [UserFactory(username=f"responsible-{n}", last_name=f"Person{n}") for n in range(1, 37)]
    admin_client.get(url)
    _, with_none = _queries(admin_client, url)
    for i, task in enumerate(Task.objects.filter(timetable=timetable).order_by("number")):
        task.responsible_user = people[i % len(people)]
        task.save(update_fields=["responsible_user"])
    page, with_many = _queries(admin_client, url)
    assert with_none == with_many
    # Each row still shows its person as the selected option of the autocomplete.
    assert page.text.count("selected>") >= Task.objects.filter(timetable=timetable).count()
    assert "Person17" in page.text


def test_list_filters_over_projects_are_a_box_not_a_link_per_project(admin_client, leeds_org):
    projects = [make_project(leeds_org, reference=f"F{n:03d}") for n in range(12)]
    timetables = reverse("admin:procurement_timetable_changelist")
    page = admin_client.get(timetables).text
    assert "project__id__exact" not in page and 'name="project_reference"' in page
    filtered = admin_client.get(timetables, {"project_reference": "f007"})
    assert filtered.status_code == 200
    assert list(filtered.context["cl"].result_list) == [projects[7].timetables.get()]
    tasks = reverse("admin:procurement_task_changelist")
    page = admin_client.get(tasks, {"project_reference": "F003"})
    assert page.status_code == 200 and "timetable__project__id__exact" not in page.text
    assert {t.timetable.project.reference for t in page.context["cl"].result_list} == {"F003"}
    # Links made before keep working.
    assert admin_client.get(tasks, {"timetable__project__id__exact": projects[1].pk}).status_code == 200


@pytest.mark.parametrize(
    ("widget", "value", "attrs"),
    [
        ("date", dt.date(2026, 1, 2), {"id": "id_x"}),
        ("date", None, {"id": "id_x"}),
        ("text", 'A "b" <c> & d', {"id": "id_a", "maxlength": 300}),
        ("number", 3, {"id": "n", "min": 0, "required": True}),
        ("checkbox", True, {"id": "m"}),
        ("checkbox", False, {"id": "m"}),
        ("select", "b", {"id": "s"}),
        ("grouped", "a", {"id": "s"}),
        ("textarea", "x <y>\nz", {"id": "t"}),
        ("textarea", "", {"id": "t"}),
        ("hidden", "7", {"id": "h"}),
    ],
)
def test_widgets_rendered_in_python_give_djangos_html(widget, value, attrs):
    from django import forms
    from django.contrib.admin import widgets as admin_widgets

    from procurement.fast_widgets import PythonRendered, speed_up

    made = {
        "date": lambda: admin_widgets.AdminDateWidget(),
        "text": lambda: admin_widgets.AdminTextInputWidget(),
        "number": lambda: admin_widgets.AdminIntegerFieldWidget(),
        "checkbox": lambda: forms.CheckboxInput(),
        "select": lambda: forms.Select(choices=[("a", "A&1"), ("b", "B")]),
        "grouped": lambda: forms.Select(choices=[("G", [("a", "A")]), ("b", "B")]),
        "textarea": lambda: admin_widgets.AdminTextareaWidget(),
        "hidden": lambda: forms.HiddenInput(),
    }
    django_html = made[widget]().render("f-0-x", value, dict(attrs))
    fast = made[widget]()
    speed_up(fast)
    assert isinstance(fast, PythonRendered)
    python_html = fast.render("f-0-x", value, dict(attrs))

    def squeeze(html):
        return "".join(line.strip() for line in str(html).splitlines())

    assert squeeze(python_html) == squeeze(django_html)


def _inline_html(client, url, data=None, template=None, monkeypatch=None):
    """The tasks inline of the timetable change page, whitespace squeezed (HTML does not tell it apart)."""
    import re

    from procurement.admin import TaskInline

    if template:
        monkeypatch.setattr(TaskInline, "template", template)
    page = client.post(url, data) if data else client.get(url)
    assert page.status_code == 200
    inline = page.text[page.text.index('id="tasks-group"') : page.text.index("</tbody>")]
    return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", inline))


@pytest.mark.parametrize("case", ["current", "a date refused", "not a number", "superseded"])
def test_the_task_rows_written_in_python_are_djangos_tabular_rows(admin_client, leeds_org, monkeypatch, case):
    from procurement import services

    from .test_admin import _form_data

    timetable = make_project(leeds_org).timetables.get()
    url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    data = None
    if case in {"a date refused", "not a number"}:
        data, prefix = _form_data(admin_client, url)
        if case == "a date refused":  # after the contract start: errors beside the fields and above the rows
            data[f"{prefix}-3-due"] = "2010-06-30"
        else:
            data[f"{prefix}-5-number"] = "five"
    if case == "superseded":
        admin = UserFactory(username="publisher", is_staff=True, is_superuser=True)
        services.timetable_publish(timetable=timetable, expected_number=timetable.number, user=admin)
        timetable = Timetable.objects.get(project=timetable.project, number=1)
        url = reverse("admin:procurement_timetable_change", args=[timetable.pk])
    ours = _inline_html(admin_client, url, data)
    djangos = _inline_html(admin_client, url, data, "admin/edit_inline/tabular.html", monkeypatch)
    assert ours == djangos
    assert ours.count('class="form-row') == timetable.tasks.count() + (case != "superseded")  # and the empty form
    if data:
        assert "errorlist" in ours
        assert ("after the contract start" in ours) == (case == "a date refused")
    if case == "superseded":
        assert "inlineviewlink" in ours and 'name="tasks-0-number"' not in ours


def test_the_related_field_wrapper_written_in_python_gives_djangos_html(admin_client, leeds_org):
    from django.contrib.admin.widgets import RelatedFieldWidgetWrapper

    from procurement.admin import TaskInline
    from procurement.fast_widgets import PythonRelatedWrapper

    timetable = make_project(leeds_org).timetables.get()
    page = admin_client.get(reverse("admin:procurement_timetable_change", args=[timetable.pk]))
    formset = page.context["inline_admin_formsets"][0].formset
    assert TaskInline.template.endswith("task_inline.html")
    for form in formset.forms[:3]:
        widget = form.fields["responsible_user"].widget
        assert isinstance(widget, PythonRelatedWrapper) and widget.links_cache  # built once, then reused
        ours = str(form["responsible_user"])
        widget.__class__ = RelatedFieldWidgetWrapper
        djangos = str(form["responsible_user"])

        def squeeze(html):
            import re

            return re.sub(r"\s*([<>])\s*", r"\1", re.sub(r"\s+", " ", html))

        assert squeeze(ours) == squeeze(djangos)
        assert 'id="add_id_' + form.prefix + '-responsible_user"' in ours
