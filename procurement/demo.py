"""Demo data: Leeds project 4092 (Neighbourhood Networks Review) at v10, drawn from the Leeds partnership's own
template; a Procurement Act 2023 project; the Cymorth underspend policies.

Idempotent: each record is looked up by its natural key first.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core_groups import partnership_catalogue as pc
from core_groups.demo import partnership as demo_partnership
from core_groups.models import Allocation, CoreGroup, Organisation, Programme, SpendEntry, User

from . import services
from .models import ProcurementProject, Task, TimetableTemplate, UnderspendPolicy


def _org(name, kind=Organisation.Kind.UNITARY):
    org, _ = Organisation.objects.get_or_create(name=name, defaults={"kind": kind, "is_commissioning_partner": True})
    return org


def _user(username):
    return User.objects.filter(username=username).first()


def seed_leeds(out):
    if ProcurementProject.objects.filter(reference="4092").exists():
        return
    leeds = _org("Leeds City Council")
    nhs = _org("NHS Leeds", Organisation.Kind.HEALTH)
    manager = _user("evaluator")
    leeds_partnership = demo_partnership(pc.LEEDS)
    project = services.project_create(
        title="Neighbourhood Networks Review",
        reference="4092",
        procedure="open",
        regime="light_touch",
        approach="aligned",
        lead_organisation=leeds,
        partnership=leeds_partnership,
        partners=[(nhs, Decimal("250000"))],
        contract_start=dt.date(2010, 4, 1),
        # The Leeds partnership's own template: Leeds' 36 steps are this project's timetable, not a national one.
        template=services.leeds_template_install(partnership=leeds_partnership),
        tupe=True,
        description="Review and re-tendering of Neighbourhood Networks: a joint commissioning exercise between Adult "
        "Social Care, Supporting People and NHS Leeds, with support from the Corporate Procurement Unit "
        "(Open procedure process for an Annexe 1B service).",
        estimated_annual_value=Decimal("3000000"),
        contract_years=3,
        project_manager=manager,
        status=ProcurementProject.Status.TENDERING,
        version_number=9,
        change_note="v9",
    )
    timetable = project.timetables.get(is_current=True)
    # As reported to Scrutiny Board on 11 March 2009: everything due before then is done.
    for task in timetable.tasks.filter(due__lt=dt.date(2009, 3, 11)):
        task.status, task.done_on = Task.Status.DONE, task.due
        task.save(update_fields=["status", "done_on"])
    services.timetable_publish(
        timetable=timetable,
        expected_number=timetable.number,
        user=manager,
        change_note="Timetable accounts for full potential of TUPE transfer of staff to apply",
    )
    out.write("Procurement: Leeds project 4092 Neighbourhood Networks Review, timetable v10.\n")


def seed_pa2023(out):
    if ProcurementProject.objects.filter(reference="PA23-001").exists():
        return
    kent = _org("Kent County Council", Organisation.Kind.COUNTY)
    today = timezone.localdate()
    start = (today.replace(day=1) + dt.timedelta(days=32 * 9)).replace(day=1)
    project = services.project_create(
        title="Housing-related floating support (Procurement Act 2023)",
        reference="PA23-001",
        procedure="open",
        regime="standard",
        approach="single",
        lead_organisation=kent,
        partnership=demo_partnership(pc.KENT),
        contract_start=start,
        template=TimetableTemplate.objects.get(name="Open procedure (Procurement Act 2023)"),
        tupe=False,
        estimated_annual_value=Decimal("850000"),
        contract_years=5,
        project_manager=_user("evaluator"),
    )
    officer = _user("officer")
    if officer:
        for task in project.timetables.get().tasks.filter(stage__in=["pre_procurement", "tender"]):
            task.responsible_user = officer
            task.save(update_fields=["responsible_user"])  # one save each, so that history records it
    out.write(f"Procurement: PA23-001 open procedure, contract start {start:%d %B %Y}.\n")


def seed_cymorth(out):
    cymorth, _ = Programme.objects.get_or_create(
        name="Cymorth",
        defaults={
            "funder": "Welsh Assembly Government",
            "decided_by": "Joint Commissioning Group (JCG)",
            "lead_organisation": Organisation.objects.filter(name="Cardiff Council").first(),
            "partnership": demo_partnership(pc.CARDIFF),
            "first_year": 2009,
        },
    )
    for name, pct, floor, active in [
        ("Option 1: 2.5% or £20,000", "2.5", "20000", True),
        ("Option 2: 3.5% or £25,000", "3.5", "25000", False),
    ]:
        UnderspendPolicy.objects.get_or_create(
            programme=cymorth,
            effective_from=2010,
            name=name,
            defaults={
                "commissioning_pct": Decimal("1"),
                "discretion_pct": Decimal(pct),
                "discretion_floor": Decimal(floor),
                "is_active": active,
                "notes": "The two discretion limits the JCG considered (seed 000).",
            },
        )
    if not cymorth.core_groups.exists():
        # The DOMAIN worked examples, so the page has something to show.
        for name, allocation, spend in [
            ("Early years and childcare", "1000000", "940000"),
            ("Play and youth", "400000", "380000"),
            ("Family support", "250000", "262000"),
        ]:
            group = CoreGroup.objects.create(programme=cymorth, name=name)
            Allocation.objects.create(core_group=group, financial_year=2010, amount=Decimal(allocation))
            SpendEntry.objects.create(
                core_group=group, spent_on=dt.date(2011, 3, 1), amount=Decimal(spend), description="Year's spend"
            )
    out.write("Procurement: Cymorth underspend policies (2.5%/£20k active, 3.5%/£25k alongside) for 2010-11.\n")


def seed(out):
    seed_leeds(out)
    seed_pa2023(out)
    seed_cymorth(out)
