"""Realistic volumes for the bench: 100 core groups, 5,000 bids across rounds, 500 procurement projects
with 36 tasks each. Each app's part is one function in SEEDERS; an app that has not landed yet is
skipped with a printed note. To add one: write ``seed_<thing>(out)`` (idempotent: check a count first)
and append it to SEEDERS with the check that says whether its models exist.
"""

import datetime
import random
from decimal import Decimal

from django.apps import apps
from django.db import transaction

CORE_GROUPS = 100
BIDS = 5000
PROJECTS = 500
TASKS_PER_PROJECT = 36


def _has_model(label, name):
    try:
        apps.get_model(label, name)
        return True
    except LookupError:
        return False


@transaction.atomic
def seed_core_groups(out):
    from core_groups.models import (
        Allocation,
        Commission,
        CoreGroup,
        CoreGroupMembership,
        Organisation,
        Programme,
        Risk,
        SpendEntry,
        User,
    )

    have = CoreGroup.objects.count()
    if have >= CORE_GROUPS:
        out(f"core groups: {have} already")
        return
    rng = random.Random(8)
    programmes = [
        Programme.objects.get_or_create(name=f"Bench programme {n}", defaults={"first_year": 2009})[0] for n in (1, 2)
    ]
    users = list(User.objects.filter(is_active=True)[:40])
    providers = list(Organisation.objects.filter(kind="provider")[:10])
    groups = CoreGroup.objects.bulk_create(
        CoreGroup(programme=programmes[n % 2], name=f"Bench core group {n:03d}", remit="Bench data.")
        for n in range(have, CORE_GROUPS)
    )
    memberships, commissions, allocations, spend, risks = [], [], [], [], []
    for group in groups:
        for user in rng.sample(users, min(5, len(users))):
            memberships.append(CoreGroupMembership(core_group=group, user=user, role="Member"))
        for year in (2009, 2010, 2011):
            allocations.append(
                Allocation(core_group=group, financial_year=year, amount=Decimal(rng.randint(50, 500) * 1000))
            )
        for n in range(10):
            commissions.append(
                Commission(
                    core_group=group,
                    title=f"{group.name} service {n}",
                    service_area="Family support",
                    provider=rng.choice(providers) if providers else None,
                    annual_value=Decimal(rng.randint(5, 90) * 1000),
                )
            )
        for n in range(20):
            spent_on = datetime.date(2010, 4, 1) + datetime.timedelta(days=rng.randint(0, 360))
            spend.append(
                SpendEntry(
                    core_group=group,
                    spent_on=spent_on,
                    financial_year=2010,
                    amount=Decimal(rng.randint(100, 9000)),
                    description=f"Payment {n}",
                )
            )
        for n in range(3):
            impact, likelihood = rng.randint(1, 5), rng.randint(1, 5)
            risks.append(
                Risk(
                    core_group=group,
                    programme=group.programme,
                    title=f"{group.name} risk {n}",
                    description="Bench risk.",
                    impact=impact,
                    likelihood=likelihood,
                    score=impact * likelihood,
                )
            )
    CoreGroupMembership.objects.bulk_create(memberships, ignore_conflicts=True)
    Allocation.objects.bulk_create(allocations, ignore_conflicts=True)
    Commission.objects.bulk_create(commissions)
    SpendEntry.objects.bulk_create(spend)
    Risk.objects.bulk_create(risks)
    out(
        f"core groups: {len(groups)} added ({len(commissions)} commissions, {len(spend)} spend entries, "
        f"{len(risks)} risks)"
    )


def seed_bids(out):
    out(f"growth bids: not seeded yet; write seed_bids in bench/seed.py ({BIDS:,} bids across rounds)")


OPEN_TASKS = 5000


@transaction.atomic
def seed_procurement(out):
    """500 projects, each with a current timetable of 36 tasks; 5,000 of the tasks still open."""
    from core_groups.models import Organisation, User
    from procurement import services
    from procurement.models import ProcurementProject, Task, Timetable

    have = ProcurementProject.objects.filter(reference__startswith="BENCH-").count()
    if have >= PROJECTS:
        out(f"procurement: {have} bench projects already")
        return
    services.templates_install()
    rng = random.Random(5)
    today = datetime.date.today()
    leads = list(Organisation.objects.filter(is_commissioning_partner=True)[:10])
    users = list(User.objects.filter(is_active=True)[:40])
    projects = ProcurementProject.objects.bulk_create(
        ProcurementProject(
            reference=f"BENCH-{n:04d}",
            title=f"Bench project {n}",
            procedure="open",
            lead_organisation=leads[n % len(leads)],
            contract_start=today + datetime.timedelta(days=rng.randint(60, 700)),
            project_manager=users[n % len(users)],
        )
        for n in range(have, PROJECTS)
    )
    timetables = Timetable.objects.bulk_create(
        Timetable(project=p, number=1, contract_start=p.contract_start) for p in projects
    )
    tasks, open_left = [], OPEN_TASKS
    total = len(timetables) * TASKS_PER_PROJECT
    for index, timetable in enumerate(timetables):
        for n in range(TASKS_PER_PROJECT):
            position = index * TASKS_PER_PROJECT + n
            is_open = open_left > 0 and position % max(total // OPEN_TASKS, 1) == 0
            open_left -= is_open
            due = today + datetime.timedelta(days=rng.randint(-30, 300))
            tasks.append(
                Task(
                    timetable=timetable,
                    number=n + 1,
                    stage="pre_procurement",
                    activity=f"Task {n + 1}",
                    due=due,
                    responsible_user=users[(index + n) % len(users)],
                    status=Task.Status.NOT_STARTED if is_open else Task.Status.DONE,
                    done_on=None if is_open else min(due, today),
                )
            )
    Task.objects.bulk_create(tasks, batch_size=5000)
    out(f"procurement: {len(projects)} projects, {len(tasks):,} tasks ({OPEN_TASKS - open_left:,} open)")


SEEDERS = [
    ("core_groups", lambda: _has_model("core_groups", "CoreGroup"), seed_core_groups),
    ("growth_bids", lambda: _has_model("growth_bids", "Bid"), seed_bids),
    (
        "procurement",
        lambda: _has_model("procurement", "Project") or _has_model("procurement", "ProcurementProject"),
        seed_procurement,
    ),
]


def seed(out=print):
    notes = []
    for name, available, build in SEEDERS:
        if not available():
            note = f"{name}: its models are not on this branch yet; skipped"
            out(note)
            notes.append(note)
            continue
        build(out)
    return notes
