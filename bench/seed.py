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
from django.utils import timezone

CORE_GROUPS = 100
BIDS = 5000
PROJECTS = 500
TASKS_PER_PROJECT = 36
# The volumes above are "1x"; seed(scale=10) multiplies them (bench/run.py --scale 10), seed(scale=0.1) is a small
# volume for development. Each seeder tops up to its target, so a database can be grown from one scale to a larger.
SCALE = 1.0


def scaled(n: int) -> int:
    return max(1, round(n * SCALE))


def bench_partnership():
    """Every bench row belongs to Kent's partnership, the one the demo's officer, body and admin work in."""
    from core_groups import partnership_catalogue as pc
    from core_groups.demo import partnership

    return partnership(pc.KENT)


def largest_bench_programme():
    """The bench partnership's programme with the most core groups (50 at 1x); the last one made is the growth
    programme, which has none."""
    from django.db.models import Count

    from core_groups.models import Programme

    return (
        Programme.objects.filter(partnership=bench_partnership())
        .annotate(n=Count("core_groups"))
        .order_by("-n", "pk")
        .first()
    )


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

    existing = set(CoreGroup.objects.filter(name__startswith="Bench core group").values_list("name", flat=True))
    have = len(existing)
    target = scaled(CORE_GROUPS)
    # Bulk inserts skip save(), which fills a risk's partnership from its programme: risks seeded before this line
    # existed had none, so every risk register measured an empty one. Mended here for databases seeded then.
    mended = Risk.objects.filter(partnership__isnull=True, core_group__name__startswith="Bench core group").update(
        partnership=bench_partnership()
    )
    if mended:
        out(f"core groups: {mended} risks given the bench partnership")
    if have >= target:
        out(f"core groups: {have} already")
        return
    rng = random.Random(8)
    kent = bench_partnership()
    programmes = [
        Programme.objects.get_or_create(
            name=f"Bench programme {n}", defaults={"first_year": 2009, "partnership": kent}
        )[0]
        for n in (1, 2)
    ]
    users = list(User.objects.filter(is_active=True)[:40])
    providers = list(Organisation.objects.filter(kind="provider")[:10])
    groups = CoreGroup.objects.bulk_create(
        CoreGroup(programme=programmes[n % 2], partnership=kent, name=f"Bench core group {n:03d}", remit="Bench data.")
        for n in range(target)
        if f"Bench core group {n:03d}" not in existing
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
                    partnership=kent,
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


ROUNDS = 5


@transaction.atomic
def seed_bids(out):
    """5,000 submitted bids across five evaluated rounds (1,000 each), from the partner councils."""
    from django.utils import timezone

    from core_groups.models import Organisation, Programme, User
    from growth_bids.defaults import ensure_reference_data
    from growth_bids.models import Bid, ClientGroup, District, FundingRound

    have = Bid.objects.filter(reference__startswith="BENCH-").count()
    if have >= scaled(BIDS):
        out(f"growth bids: {have:,} bench bids already")
        return
    ensure_reference_data()
    programme, _ = Programme.objects.get_or_create(
        name="Bench growth programme", defaults={"first_year": 2020, "partnership": bench_partnership()}
    )
    partners = list(Organisation.objects.filter(is_commissioning_partner=True)[:12])
    author = User.objects.filter(is_superuser=True).first()
    groups, districts = list(ClientGroup.objects.all()), list(District.objects.all())
    now = timezone.now()
    per_round = scaled(BIDS) // ROUNDS
    created_total = 0
    for r in range(ROUNDS):
        year = 2020 + r
        funding_round, _ = FundingRound.objects.get_or_create(
            programme=programme,
            financial_year=year,
            defaults=dict(
                growth_money=Decimal("5000000"),
                holdback_pct=Decimal("10"),
                opens_on=datetime.date(year, 6, 1),
                proposals_by=datetime.date(year, 6, 15),
                intent_by=datetime.date(year, 6, 22),
                submissions_by=datetime.date(year, 7, 20),
                closes_at=now - datetime.timedelta(days=1),
                evaluation_by=datetime.date(year, 8, 3),
                pack_by=datetime.date(year, 8, 10),
                decision_by=datetime.date(year, 8, 20),
                told_by=datetime.date(year, 9, 10),
                plans_by=datetime.date(year, 10, 8),
                status=FundingRound.Status.EVALUATED,
            ),
        )
        first = Bid.objects.filter(funding_round=funding_round, reference__startswith="BENCH-").count()
        bids = Bid.objects.bulk_create(
            [
                Bid(
                    funding_round=funding_round,
                    number=i + 1,
                    reference=f"BENCH-{year}-{i + 1:05d}",
                    applicant=partners[i % len(partners)],
                    created_by=author,
                    title=f"Bench bid {year}-{i + 1}",
                    client_group=groups[i % len(groups)],
                    service_users=1 + i % 40,
                    hours_per_week=Decimal("3"),
                    annual_amount=Decimal(1000 + (i % 97) * 1000),
                    start_date=datetime.date(year, 10, 1),
                    status=Bid.Status.SUBMITTED,
                    submitted_at=now + datetime.timedelta(seconds=i),
                    score=i % 8,
                    eligible=i % 13 != 0,
                )
                for i in range(first, per_round)
            ],
            batch_size=1000,
        )
        through = Bid.districts.through
        through.objects.bulk_create(
            [through(bid_id=b.pk, district_id=districts[i % len(districts)].pk) for i, b in enumerate(bids)],
            batch_size=2000,
        )
        created_total += len(bids)
    out(f"growth bids: {created_total:,} bids in {ROUNDS} evaluated rounds")


OPEN_TASKS = 5000


@transaction.atomic
def seed_procurement(out):
    """500 projects, each with a current timetable of 36 tasks; 5,000 of the tasks still open."""
    from core_groups.models import Organisation, User
    from procurement import services
    from procurement.models import ProcurementProject, Task, Timetable

    have = ProcurementProject.objects.filter(reference__startswith="BENCH-").count()
    target = scaled(PROJECTS)
    if have >= target:
        out(f"procurement: {have} bench projects already")
        return
    services.templates_install()
    kent = bench_partnership()
    rng = random.Random(5)
    today = timezone.localdate()
    leads = list(Organisation.objects.filter(is_commissioning_partner=True)[:10])
    users = list(User.objects.filter(is_active=True)[:40])
    projects = ProcurementProject.objects.bulk_create(
        ProcurementProject(
            reference=f"BENCH-{n:04d}",
            partnership=kent,
            title=f"Bench project {n}",
            procedure="open",
            lead_organisation=leads[n % len(leads)],
            contract_start=today + datetime.timedelta(days=rng.randint(60, 700)),
            project_manager=users[n % len(users)],
        )
        for n in range(have, target)
    )
    timetables = Timetable.objects.bulk_create(
        Timetable(project=p, number=1, contract_start=p.contract_start) for p in projects
    )
    open_tasks = scaled(OPEN_TASKS) * len(timetables) // target
    tasks, open_left = [], open_tasks
    total = len(timetables) * TASKS_PER_PROJECT
    for index, timetable in enumerate(timetables):
        for n in range(TASKS_PER_PROJECT):
            position = index * TASKS_PER_PROJECT + n
            is_open = open_left > 0 and position % max(total // max(open_tasks, 1), 1) == 0
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
    out(f"procurement: {len(projects)} projects, {len(tasks):,} tasks ({open_tasks - open_left:,} open)")


REVIEW_SERVICES = 50
REVIEW_QUARTERS = 12


@transaction.atomic
def seed_review(out):
    """50 services of the bench programme (the last one, with 50 core groups), each with a measure, a baseline,
    targets and 12 quarters of submitted returns: the review programme page's volume."""
    from core_groups.models import Commission
    from review import rules
    from review.models import Measure, Return, ReturnValue, Target

    programme = largest_bench_programme()
    if Measure.objects.filter(programme=programme).count() >= REVIEW_SERVICES:
        out("review: already seeded")
        return
    services = list(Commission.objects.filter(core_group__programme=programme).order_by("pk")[:REVIEW_SERVICES])
    quarters = rules.quarters(datetime.date(2010, 4, 1), datetime.date(2013, 3, 31))[:REVIEW_QUARTERS]
    rng = random.Random(16)
    measures = Measure.objects.bulk_create(
        Measure(
            programme=programme,
            commission=service,
            title="People supported",
            kind=Measure.Kind.HOW_MUCH,
            unit=Measure.Unit.NUMBER,
            baseline_value=Decimal(100),
            baseline_date=datetime.date(2010, 3, 31),
            baseline_source="Bench baseline",
        )
        for service in services
    )
    Target.objects.bulk_create(
        Target(
            measure=m,
            period_start=start,
            period_end=end,
            period_label=rules.period_label(start, end),
            value=Decimal(110 + i),
        )
        for m in measures
        for i, (start, end) in enumerate(quarters)
    )
    returns = Return.objects.bulk_create(
        Return(
            commission=service,
            period_start=start,
            period_end=end,
            due_on=rules.due_date(end),
            status=Return.Status.SUBMITTED,
            submitted_at=timezone.now(),
        )
        for service in services
        for start, end in quarters
    )
    by_service = {m.commission_id: m for m in measures}
    ReturnValue.objects.bulk_create(
        ReturnValue(return_record=r, measure=by_service[r.commission_id], value=Decimal(rng.randint(80, 140)))
        for r in returns
    )
    out(f"review: {len(measures)} services x {len(quarters)} quarters, {len(returns):,} returns")


SEEDERS = [
    ("core_groups", lambda: _has_model("core_groups", "CoreGroup"), seed_core_groups),
    ("growth_bids", lambda: _has_model("growth_bids", "Bid"), seed_bids),
    (
        "procurement",
        lambda: _has_model("procurement", "Project") or _has_model("procurement", "ProcurementProject"),
        seed_procurement,
    ),
    ("review", lambda: _has_model("review", "Measure"), seed_review),
]


def seed(out=print, scale=1.0):
    global SCALE
    SCALE = scale
    notes = []
    for name, available, build in SEEDERS:
        if not available():
            note = f"{name}: its models are not on this branch yet; skipped"
            out(note)
            notes.append(note)
            continue
        build(out)
    return notes
