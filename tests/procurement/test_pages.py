"""Pages: list, project, Gantt chart, compare, re-plan form, underspend, dashboard, demo data."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core_groups import roles, tenancy
from core_groups.models import Allocation, CoreGroup, Programme, SpendEntry
from procurement import demo, services
from procurement.models import ProcurementProject, Task, Timetable, UnderspendPolicy
from tests.factories import home_partnership

from .conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(leeds_org, personas):
    return make_project(leeds_org, project_manager=personas.member)


def test_project_list_filters_and_sorts(client, personas, project, leeds_org):
    make_project(
        leeds_org,
        reference="PA1",
        template="Open procedure (Procurement Act 2023)",
        start=dt.date(2030, 4, 1),
        tupe=False,
        title="Advice services",
    )
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:project_list"))
    assert page.status_code == 200
    assert "Neighbourhood Networks" in page.text and "Advice services" in page.text
    overdue = client.get(reverse("procurement:project_list"), {"overdue": "yes"})
    assert "Neighbourhood Networks" in overdue.text and "Advice services" not in overdue.text
    none = client.get(reverse("procurement:project_list"), {"status": "closed"})
    assert "No procurement projects match" in none.text
    assert (
        client.get(reverse("procurement:project_list"), {"sort": "-contract_start", "status": "bogus"}).status_code
        == 200
    )


def test_project_page_shows_the_timetable_by_stage_with_its_version(client, personas, project):
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert page.status_code == 200
    assert "Procurement timetable – v1" in page.text
    assert "Pre-procurement" in page.text and "Contract award and lead-in" in page.text
    assert "24 October 2008" in page.text and "October to December 2009" in page.text
    assert 'class="rag-red"' in page.text  # Leeds 2010 tasks are long overdue today


def test_amber_for_tasks_due_within_14_days(client, personas, leeds_org):
    project = make_project(leeds_org, reference="SOON", start=timezone.localdate() + dt.timedelta(days=10))
    client.force_login(personas.evaluator)
    assert 'class="rag-amber"' in client.get(reverse("procurement:project_detail", args=[project.pk])).text


def test_outsiders_get_404_and_providers_never_see_money(client, personas, project):
    client.force_login(personas.outsider)
    assert client.get(reverse("procurement:project_detail", args=[project.pk])).status_code == 404
    assert client.get(reverse("procurement:project_gantt", args=[project.pk])).status_code == 404
    assert "Neighbourhood" not in client.get(reverse("procurement:project_list")).text
    project.estimated_annual_value = Decimal("123456")
    project.save()
    client.force_login(personas.member)  # the project manager sees it, with money
    assert "£123,456" in client.get(reverse("procurement:project_detail", args=[project.pk])).text
    Task.objects.filter(number=1).update(responsible_user=personas.provider)
    client.force_login(personas.provider)
    page = client.get(reverse("procurement:project_detail", args=[project.pk]))
    assert page.status_code == 200 and "£123,456" not in page.text
    assert client.get(reverse("procurement:underspend")).status_code == 403


def test_gantt_chart_is_server_side_svg_without_inline_style(client, personas, project):
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:project_gantt", args=[project.pk]))
    assert page.status_code == 200
    assert "<svg" in page.text and 'role="img"' in page.text and "style=" not in page.text
    assert page.text.count("<polygon") >= 5  # milestones as diamonds


def test_compare_versions_task_by_task(client, personas, project):
    timetable = project.timetables.get()
    current = services.timetable_publish(timetable=timetable, expected_number=timetable.number, user=personas.admin)
    services.task_update(
        task=current.tasks.get(number=24),
        expected_version=services.task_version(current.tasks.get(number=24)),
        activity="Advertise on Contracts Finder",
    )
    client.force_login(personas.evaluator)
    page = client.get(reverse("procurement:timetable_compare", args=[project.pk]), {"a": 1, "b": 2})
    assert "1 task differ between v1 and v2" in page.text
    assert "Advertise on Contracts Finder" in page.text
    bad = client.get(reverse("procurement:timetable_compare", args=[project.pk]), {"a": "x", "b": 99})
    assert bad.status_code == 200 and "Choose two versions" in bad.text


def test_contract_start_form_redisplays_bad_input_with_the_error(client, personas, project):
    timetable = project.timetables.get()
    Task.objects.filter(timetable=timetable, number__in=[24, 31]).update(status="done", done_on=dt.date(2009, 8, 1))
    client.force_login(personas.evaluator)
    url = reverse("procurement:contract_start", args=[project.pk])
    page = client.post(url, {"contract_start": "2009-06-01", "expected_version": project.version})
    assert page.status_code == 200
    assert "before the end of the tender stage" in page.text and 'value="2009-06-01"' in page.text
    page = client.post(url, {"contract_start": "not a date", "expected_version": project.version})
    assert page.status_code == 200 and "Enter a valid date" in page.text
    moved = client.post(url, {"contract_start": "2010-05-01", "expected_version": project.version})
    assert moved.status_code == 302
    stale = client.post(url, {"contract_start": "2010-06-01", "expected_version": project.version})
    assert "changed this project" in stale.text and "while you were editing it" in stale.text
    client.force_login(personas.officer)
    assert client.get(url).status_code == 404


def test_underspend_page_shows_both_options_side_by_side_with_totals(client, personas):
    cymorth = Programme.objects.create(name="Cymorth", first_year=2009, partnership=home_partnership())
    for name, pct, floor, active in [("2.5% or £20,000", "2.5", 20000, True), ("3.5% or £25,000", "3.5", 25000, False)]:
        UnderspendPolicy.objects.create(
            programme=cymorth,
            name=name,
            discretion_pct=Decimal(pct),
            discretion_floor=floor,
            effective_from=2010,
            is_active=active,
        )
    for name, allocation, spend in [("A", 1000000, 940000), ("B", 400000, 380000), ("C", 100000, 120000)]:
        group = CoreGroup.objects.create(programme=cymorth, name=name)
        Allocation.objects.create(core_group=group, financial_year=2010, amount=allocation)
        SpendEntry.objects.create(core_group=group, spent_on=dt.date(2010, 6, 1), amount=spend / 2, description="q1")
        SpendEntry.objects.create(core_group=group, spent_on=dt.date(2011, 1, 1), amount=spend / 2, description="q3")
        SpendEntry.objects.create(core_group=group, spent_on=dt.date(2011, 6, 1), amount=1, description="next year")
    client.force_login(personas.evaluator)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("procurement:underspend"), {"programme": cymorth.pk, "year": 2010})
    assert page.status_code == 200
    text = page.text
    assert "£25,000.00" in text and "£35,000.00" in text and "£15,000.00" in text and "£16,000.00" in text
    assert "overspent" in text
    assert "£1,500,000.00" in text  # total allocation
    # Totals: costs £14,000 under both; discretion £41,000 or £51,000; returned £25,000 or £15,000.
    assert "£14,000.00" in text and "£41,000.00" in text and "£51,000.00" in text
    # < 15 for the page, plus 2: the partnership setting of the database's second wall, set and reset (RLS).
    assert len(queries) < 17
    bad = client.get(reverse("procurement:underspend"), {"programme": "nope", "year": "1066"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.text


def _project_with_tasks(lead, n, reference):
    project = make_project(lead, reference=reference, template="Grant agreement", start=dt.date(2030, 4, 1), tupe=False)
    timetable = project.timetables.get()
    timetable.tasks.all().delete()
    Task.objects.bulk_create(
        Task(timetable=timetable, number=i + 1, stage="pre_procurement", activity=f"Task {i}", due=dt.date(2029, 1, 1))
        for i in range(n)
    )
    return project


def test_project_page_runs_the_same_queries_for_10_and_500_tasks(client, personas, leeds_org):
    small = _project_with_tasks(leeds_org, 10, "Q10")
    large = _project_with_tasks(leeds_org, 500, "Q500")
    client.force_login(personas.evaluator)
    client.get(reverse("procurement:project_detail", args=[small.pk]))
    counts = []
    for project in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("procurement:project_detail", args=[project.pk])).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_dashboard_shows_next_milestones_to_the_person_responsible(client, personas, leeds_org):
    project = make_project(leeds_org, reference="DASH", start=timezone.localdate() + dt.timedelta(days=40))
    Task.objects.filter(timetable__project=project, number=36).update(responsible_user=personas.officer)
    client.force_login(personas.officer)
    page = client.get("/")
    assert "Your next procurement deadlines" in page.text and "DASH task 36" in page.text
    client.force_login(personas.other_officer)
    assert "Your next procurement deadlines" not in client.get("/").text


def test_navigation_has_procurement(client, personas):
    client.force_login(personas.evaluator)
    text = client.get("/").text
    assert reverse("procurement:project_list") in text and reverse("procurement:underspend") in text


def test_demo_is_idempotent_and_leeds_reads_v10(client, personas):
    out = io.StringIO()
    demo.seed(out)
    demo.seed(out)
    leeds = ProcurementProject.objects.get(reference="4092")
    current = Timetable.objects.get(project=leeds, is_current=True)
    assert current.label == "v10" and current.tasks.exclude(stage="review").count() == 36
    # Leeds' 36 steps are the Leeds project's own timetable, drawn from the Leeds partnership's template.
    assert leeds.title == "Neighbourhood Networks Review"
    assert leeds.template.partnership is not None and leeds.template.name.startswith("Neighbourhood Networks Review")
    assert Timetable.objects.filter(project=leeds).count() == 2
    assert ProcurementProject.objects.filter(reference="PA23-001").count() == 1
    assert UnderspendPolicy.objects.filter(programme__name="Cymorth").count() == 2
    # The demo's Leeds project belongs to Leeds' partnership: the programme team of another sees it only
    # once they hold a role there and work in it.
    client.force_login(personas.evaluator)
    assert client.get(reverse("procurement:project_detail", args=[leeds.pk])).status_code == 404
    tenancy.grant_roles(user=personas.evaluator, partnership=leeds.partnership, role_names=[roles.PROGRAMME_TEAM])
    client.post(reverse("partnership:switch"), {"partnership": leeds.partnership_id})
    assert "Procurement timetable – v10" in client.get(reverse("procurement:project_detail", args=[leeds.pk])).text


def test_a_partner_organisation_sees_the_project_with_its_true_overdue_count(client, personas, leeds_org):
    project = make_project(leeds_org, reference="PARTNER", partners=[(personas.home, Decimal("1000"))])
    Task.objects.filter(timetable__project=project, number__in=[1, 2]).update(responsible_user=personas.officer)
    open_overdue = Task.objects.filter(timetable__project=project, due__lt=timezone.localdate()).count()
    client.force_login(personas.officer)
    page = client.get(reverse("procurement:project_list"))
    assert "Neighbourhood Networks" in page.text
    assert page.context["projects"][0].overdue_count == open_overdue
