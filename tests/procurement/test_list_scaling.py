"""The project list stays flat as a partnership's data grows: same queries, indexed plans, the right projects."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core_groups.models import Commission, CoreGroup, CoreGroupMembership, Organisation, Programme
from procurement import selectors
from procurement.models import ProcurementProject, ProjectPartner, Task, Timetable
from tests.factories import home_partnership

pytestmark = pytest.mark.django_db

TASKS = 36


def _projects(lead, n, *, start=0, manager=None, responsible=None):
    """``n`` projects of 36 tasks each (a third overdue), made in bulk: volume, not the services' rules."""
    today = timezone.localdate()
    projects = ProcurementProject.objects.bulk_create(
        ProcurementProject(
            reference=f"VOL-{start + i:04d}",
            title=f"Volume project {start + i}",
            procedure="open",
            lead_organisation=lead,
            partnership=home_partnership(),
            contract_start=today + dt.timedelta(days=i),
            project_manager=manager,
        )
        for i in range(n)
    )
    timetables = Timetable.objects.bulk_create(
        Timetable(project=p, number=1, contract_start=p.contract_start) for p in projects
    )
    Task.objects.bulk_create(
        Task(
            timetable=t,
            number=k + 1,
            stage="pre_procurement",
            activity=f"Task {k}",
            due=today + dt.timedelta(days=k - 12),
            status=Task.Status.NOT_STARTED if k % 2 else Task.Status.DONE,
            done_on=None if k % 2 else today,
            responsible_user=responsible,
        )
        for t in timetables
        for k in range(TASKS)
    )
    return projects


def _page_queries(client, user):
    client.force_login(user)
    client.get(reverse("procurement:project_list"))  # warm: sessions, content types
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("procurement:project_list"))
    assert page.status_code == 200
    return page, [q["sql"] for q in queries.captured_queries]


@pytest.mark.parametrize("who", ["admin", "officer"])
def test_the_project_list_runs_the_same_queries_for_3_and_60_projects(client, personas, who):
    stranger = Organisation.objects.create(name="Stranger Council")
    _projects(personas.home, 3)
    _projects(stranger, 3, start=100)
    _, small = _page_queries(client, getattr(personas, who))
    _projects(personas.home, 57, start=200)
    _projects(stranger, 57, start=300)
    page, large = _page_queries(client, getattr(personas, who))
    assert len(small) == len(large)
    assert "VOL-0000" in page.text
    assert ("VOL-0100" in page.text) is (who == "admin")


def test_overdue_counts_are_the_current_timetables_open_tasks_past_due(client, personas):
    [project] = _projects(personas.home, 1)
    old = Timetable.objects.get(project=project)
    Timetable.objects.filter(pk=old.pk).update(is_current=False)
    Timetable.objects.create(project=project, number=2, contract_start=project.contract_start)
    Task.objects.create(
        timetable=old.project.timetables.get(number=2),
        number=1,
        stage="pre_procurement",
        activity="Late",
        due=timezone.localdate() - dt.timedelta(days=1),
    )
    row = selectors.project_list(user=personas.admin, partnership=home_partnership()).qs.get(pk=project.pk)
    assert row.overdue_count == 1  # the old version's six overdue open tasks do not count
    Timetable.objects.filter(project=project, number=2).update(is_current=False)
    Timetable.objects.filter(pk=old.pk).update(is_current=True)
    # Due 12..1 days ago and open (odd numbers): tasks 2, 4, ..., 12 -> six.
    assert (
        selectors.project_list(user=personas.admin, partnership=home_partnership()).qs.get(pk=project.pk).overdue_count
        == 6
    )
    sorted_page = client.get(reverse("procurement:project_list"), {"sort": "-overdue"})
    assert sorted_page.status_code in (200, 302)


def test_each_way_of_seeing_a_project_counts_and_nothing_else(personas):
    officer = personas.officer
    stranger = Organisation.objects.create(name="Stranger Council")
    [managed] = _projects(stranger, 1, start=1, manager=officer)
    [led] = _projects(personas.home, 1, start=2)
    [partnered] = _projects(stranger, 1, start=3)
    ProjectPartner.objects.create(project=partnered, organisation=personas.home)
    [tasked] = _projects(stranger, 1, start=4, responsible=officer)
    [old_task] = _projects(stranger, 1, start=5, responsible=officer)
    Timetable.objects.filter(project=old_task).update(is_current=False)  # a superseded version does not count
    group = CoreGroup.objects.create(programme=Programme.objects.create(name="P", first_year=2010), name="G")
    [member] = _projects(stranger, 1, start=6)
    ProcurementProject.objects.filter(pk=member.pk).update(
        commission=Commission.objects.create(core_group=group, title="C")
    )
    CoreGroupMembership.objects.create(core_group=group, user=officer)
    other_group = CoreGroup.objects.create(programme=group.programme, name="H", lead_support_officer=officer)
    [supported] = _projects(stranger, 1, start=7)
    ProcurementProject.objects.filter(pk=supported.pk).update(
        commission=Commission.objects.create(core_group=other_group, title="D")
    )
    _projects(stranger, 3, start=10)  # none of the ways
    seen = set(selectors.visible_projects(officer).values_list("pk", flat=True))
    assert seen == {managed.pk, led.pk, partnered.pk, tasked.pk, member.pk, supported.pk}
    # No join multiplies the rows: a project the officer sees in three ways is listed once.
    ProjectPartner.objects.create(project=tasked, organisation=personas.home)
    assert selectors.visible_projects(officer).filter(pk=tasked.pk).count() == 1


def test_the_project_list_never_reads_every_task(client, personas):
    """An equivalent of 'EXPLAIN ANALYZE at 10x': at a modest volume, after ANALYZE, no query of the page plans
    a sequential scan over the tasks (the overdue count, visibility and the paginator's count use the indexes)."""
    stranger = Organisation.objects.create(name="Stranger Council")
    _projects(personas.home, 40)
    _projects(stranger, 160, start=1000, responsible=personas.member)
    _projects(stranger, 2, start=2000, responsible=personas.officer)
    with connection.cursor() as cursor:
        for table in ("procurement_task", "procurement_timetable", "procurement_procurementproject"):
            cursor.execute(f"ANALYZE {table}")
    assert Task.objects.count() == 202 * TASKS
    for who in (personas.officer, personas.admin):
        _, queries = _page_queries(client, who)
        on_tasks = [sql for sql in queries if "procurement_task" in sql]
        assert on_tasks, "the page should count overdue tasks"
        with connection.cursor() as cursor:
            for sql in on_tasks:
                cursor.execute("EXPLAIN " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
                assert "Seq Scan on procurement_task" not in plan, plan


def test_next_milestones_come_from_both_ways_soonest_first_once_each(personas):
    officer = personas.officer
    stranger = Organisation.objects.create(name="Stranger Council")
    [managed] = _projects(stranger, 1, start=1, manager=officer)
    [tasked] = _projects(stranger, 1, start=2, responsible=officer)
    [both] = _projects(stranger, 1, start=3, manager=officer, responsible=officer)
    _projects(stranger, 3, start=10, responsible=personas.member)  # neither way
    tasks = selectors.next_milestones(officer, limit=8, partnership=home_partnership())
    assert len(tasks) == 8
    assert len({t.pk for t in tasks}) == 8
    assert [(t.due, t.number) for t in tasks] == sorted((t.due, t.number) for t in tasks)
    assert {t.timetable.project_id for t in tasks} <= {managed.pk, tasked.pk, both.pk}
    assert all(t.status not in Task.FINISHED for t in tasks)
    # The soonest open task is due 11 days ago (task 2, odd numbers are open): one in each project.
    assert {t.timetable.project_id for t in tasks[:3]} == {managed.pk, tasked.pk, both.pk}


def test_next_milestones_never_read_every_task(personas):
    """The dashboard's deadlines: after ANALYZE, neither of its queries plans a sequential scan over the tasks."""
    stranger = Organisation.objects.create(name="Stranger Council")
    _projects(stranger, 200, start=1000, responsible=personas.member)
    _projects(stranger, 2, start=2000, responsible=personas.officer)
    _projects(stranger, 2, start=3000, manager=personas.officer)
    with connection.cursor() as cursor:
        for table in ("procurement_task", "procurement_timetable", "procurement_procurementproject"):
            cursor.execute(f"ANALYZE {table}")
    with CaptureQueriesContext(connection) as queries:
        tasks = selectors.next_milestones(personas.officer, partnership=home_partnership())
    assert tasks
    on_tasks = [q["sql"] for q in queries.captured_queries if "procurement_task" in q["sql"]]
    assert len(on_tasks) == 2
    with connection.cursor() as cursor:
        for sql in on_tasks:
            cursor.execute("EXPLAIN " + sql)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan on procurement_task" not in plan, plan


def test_the_lead_filter_is_read_once_then_kept_until_a_project_or_organisation_changes(client, personas):
    """The filter's organisations that lead a project (foundation/choice_cache.py): read on the first look, kept
    after, and forgotten by a project with a new lead or a renamed organisation."""
    from tests.procurement.conftest import make_project

    def leads():
        with CaptureQueriesContext(connection) as queries:
            page = client.get(reverse("procurement:project_list"))
        select = re.search(r'<select name="lead_organisation".*?</select>', page.text, re.S)
        reads = [q["sql"] for q in queries.captured_queries if 'FROM "core_groups_organisation"' in q["sql"]]
        return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0)), reads

    make_project(personas.home, reference="L-1")
    client.force_login(personas.admin)
    first, reads = leads()
    assert first == ["Any lead", personas.home.name] and reads
    again, reads = leads()
    assert again == first and reads == []

    other = Organisation.objects.create(name="Aardvark District Council")
    other.partnerships.add(home_partnership())
    assert leads()[0] == first  # not a lead yet
    make_project(other, reference="L-2")
    assert leads()[0] == ["Any lead", "Aardvark District Council", personas.home.name]
    other.name = "Zebra District Council"
    other.save()
    assert leads()[0] == ["Any lead", personas.home.name, "Zebra District Council"]
