"""Data for the board-report tests: the Cymorth programme of seed 000 with core groups, money and work plans.

Kept beside the report tests (not in tests/factories.py) so that the apps landing in parallel can add
their own factories there without colliding with these.
"""

import datetime as dt
from decimal import Decimal

from commissioning.models import BoardReport
from commissioning.reports import catalogue
from core_groups.models import Allocation, Commission, CoreGroup, CoreGroupMembership, Programme, SpendEntry
from tests.factories import home_partnership

SEED_BACKGROUND = (
    "This report is intended to update the Children and Young People's Partnership [CYPP] Board on progress "
    "made with the Cymorth Commissioning Project since the previous report to the Board in October 2009."
)


def cymorth(members=()):
    programme, _ = Programme.objects.get_or_create(
        name="Cymorth",
        defaults={
            "funder": "Welsh Assembly Government",
            "reports_to": "CYPP Board",
            "decided_by": "Joint Commissioning Group (JCG)",
            "first_year": 2010,
            "partnership": home_partnership(),
        },
    )
    groups = {}
    # Allocation £1,000,000 and spend £940,000: the worked example of Rule 2 (U = £60,000).
    for name, allocated, spent in [
        ("Early Years", Decimal("1000000.00"), Decimal("940000.00")),
        ("Youth Support", Decimal("400000.00"), Decimal("380000.00")),
        ("Family Support", Decimal("250000.00"), Decimal("262500.50")),
    ]:
        group, _ = CoreGroup.objects.get_or_create(programme=programme, name=name)
        groups[name] = group
        Allocation.objects.get_or_create(core_group=group, financial_year=2009, defaults={"amount": allocated})
        if not group.spend_entries.exists():
            SpendEntry.objects.create(
                core_group=group, spent_on=dt.date(2009, 11, 30), amount=spent, description="Contracts to date"
            )
    for user in members:
        CoreGroupMembership.objects.get_or_create(core_group=groups["Early Years"], user=user)
    P, R, S = Commission.Phase, Commission.Route, Commission.Status
    for group, title, phase, route, status, value in [
        ("Early Years", "Play and childcare sufficiency", P.PHASE_1, R.SINGLE_TENDER, S.SPECIFICATION, "120000"),
        ("Early Years", "Parenting support", P.PHASE_1, R.OPEN_TENDER, S.READY, "85000"),
        ("Youth Support", "Youth information and advice", P.PHASE_1, R.SINGLE_TENDER, S.TENDERING, "64000"),
        ("Youth Support", "Young carers", P.PHASE_2, R.OPEN_TENDER, S.SCOPING, "40000"),
        ("Family Support", "Family mediation", P.FURTHER, R.CONTINUE, S.LIVE, "30000"),
    ]:
        Commission.objects.get_or_create(
            core_group=groups[group],
            title=title,
            defaults={"phase": phase, "route": route, "status": status, "annual_value": Decimal(value)},
        )
    from core_groups.models import Risk
    from procurement.models import UnderspendPolicy

    for name, pct, floor, active in [
        ("Option 1: 2.5% or £20,000", "2.5", "20000", True),
        ("Option 2: 3.5% or £25,000", "3.5", "25000", False),
    ]:
        UnderspendPolicy.objects.get_or_create(
            programme=programme,
            effective_from=2009,
            name=name,
            defaults={
                "commissioning_pct": Decimal("1"),
                "discretion_pct": Decimal(pct),
                "discretion_floor": Decimal(floor),
                "is_active": active,
            },
        )

    for title, group, impact, likelihood, status, mitigation in [
        ("Complaints from projects whose funding ended", None, 4, 4, "open", "Briefings for the Leader and press."),
        ("Core group capacity", "Early Years", 3, 4, "open", "Joint Commissioning Officer supports the groups."),
        ("Voluntary sector capacity to tender with TUPE", "Youth Support", 4, 2, "mitigated", "Compact route."),
        ("Minor slippage in reports", None, 1, 2, "open", "Keep under review."),
        ("An old risk", None, 5, 5, "closed", "Closed long ago."),
    ]:
        Risk.objects.get_or_create(
            programme=programme,
            title=title,
            defaults={
                "core_group": groups.get(group),
                "description": f"{title}: what might happen.",
                "impact": impact,
                "likelihood": likelihood,
                "status": status,
                "mitigation": mitigation,
            },
        )
    return programme


def highlight_report(programme=None, user=None, **overrides):
    programme = programme or cymorth()
    fields = {
        "kind": BoardReport.Kind.HIGHLIGHT,
        "programme": programme,
        "title": "Cymorth Commissioning",
        "senior_responsible_officer": "Neelam Bhardwaja, Corporate Manager",
        "project_manager": "Dr Ceri George",
        "period_start": dt.date(2009, 10, 1),
        "period_end": dt.date(2010, 3, 31),
        "board": "CYPP Board",
        "meeting_date": dt.date(2010, 3, 12),
        "classification": "Unrestricted",
        "background": SEED_BACKGROUND,
        "issues": "WORK OF CORE GROUPS\n- Core group members have raised concerns about their capacity.",
        "actions": "- A summary has been produced for each core group.\n- Guidance and a template are being prepared.",
        "equity_and_transparency": "- Only the sensitive financial details are confidential.",
        "recent_achievements": "1. Documents posted to the Ifanc website.\n2. Core groups have clear programmes.",
        "next_steps": "1. Prepare the tender packs for the first commissions.",
        "sections": catalogue.DEFAULTS["highlight"],
        "created_by": user,
    }
    fields.update(overrides)
    report = BoardReport(**fields)
    report.full_clean()
    report.save()
    return report


def ensure_roles():
    """The role groups come from a data migration, which a transactional test's flush removes: put them back."""
    from django.contrib.auth.models import Group

    from core_groups import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


def leeds_project():
    """Leeds project 4092, Neighbourhood Networks, at timetable v10 (seed 003), as the procurement demo makes it."""
    import io

    from procurement.demo import seed_leeds
    from procurement.models import ProcurementProject

    seed_leeds(io.StringIO())
    return ProcurementProject.objects.get(reference="4092")


def timetable_report(project, programme=None, user=None, **overrides):
    from commissioning.reports import services

    fields = {
        "kind": BoardReport.Kind.TIMETABLE,
        "programme": programme or cymorth(),
        "title": "Neighbourhood Networks: procurement timetable",
        "board": "Scrutiny Board (Adult Social Care)",
        "meeting_date": dt.date(2009, 3, 11),
        "classification": "Unrestricted",
        "sections": ["timetable"],
    }
    fields.update(overrides)
    return services.report_create(user=user, projects=[project], **fields)


# The worked example of DOMAIN Rule 1: £500,000 growth money, 10% held back, £450,000 available.
WORKED_EXAMPLE = [
    ("A", 7, "200000", 40),
    ("B", 6, "180000", 30),
    ("C", 6, "150000", 30),
    ("D", 5, "120000", 20),
    ("E", 4, "60000", 15),
]


def pack_round(bids=WORKED_EXAMPLE, *, evaluator=None, applicant=None, programme=None, year=2010):
    """An evaluated growth round with submitted, moderated bids (letter, criteria met, amount, users), written
    in bulk so that the benchmark can make hundreds. Criteria a-g weigh 1 each: the score is the number met."""
    import datetime as dt

    from django.utils import timezone

    from core_groups.models import Organisation
    from growth_bids import services as bid_services
    from growth_bids.defaults import ensure_reference_data
    from growth_bids.models import Bid, BidStatement, ClientGroup, District, Evaluation, EvaluationMark, FundingRound
    from tests.factories import UserFactory

    ensure_reference_data()
    programme = (
        programme
        or Programme.objects.get_or_create(
            name="Kent Supporting People",
            defaults={
                "reports_to": "Commissioning Body",
                "decided_by": "Commissioning Body",
                "first_year": 2010,
                "partnership": home_partnership(),
            },
        )[0]
    )
    applicant = (
        applicant
        or Organisation.objects.get_or_create(
            name="Kent County Council", defaults={"kind": Organisation.Kind.COUNTY, "is_commissioning_partner": True}
        )[0]
    )
    evaluator = evaluator or UserFactory(username="pack-evaluator")
    funding_round = bid_services.round_create(
        programme=programme,
        financial_year=year,
        growth_money=Decimal("500000"),
        holdback_pct=Decimal("10"),
        opens_on=dt.date(year, 6, 1),
        title=f"Growth bids {year}-{(year + 1) % 100:02d}",
    )
    FundingRound.objects.filter(pk=funding_round.pk).update(status=FundingRound.Status.EVALUATED)
    funding_round.refresh_from_db()
    criteria = list(funding_round.criteria.order_by("order"))
    client_group = ClientGroup.objects.first()
    district = District.objects.first()
    now = timezone.now()
    made = Bid.objects.bulk_create(
        [
            Bid(
                funding_round=funding_round,
                number=i + 1,
                reference=f"R{funding_round.pk}-{letter}",
                applicant=applicant,
                created_by=evaluator,
                title=f"Proposal {letter}: floating support",
                contact_names="Olivia Officer",
                summary=f"Proposal {letter} supports {users} people at any one time.\n- Outcome one\n- Outcome two",
                client_group=client_group,
                service_users=users,
                hours_per_week=Decimal("3.5"),
                annual_amount=Decimal(amount),
                start_date=dt.date(year, 10, 1),
                status=Bid.Status.SUBMITTED,
                submitted_at=now + dt.timedelta(seconds=i),
                score=met,
                eligible=True,
            )
            for i, (letter, met, amount, users) in enumerate(bids)
        ]
    )
    Bid.districts.through.objects.bulk_create(
        [Bid.districts.through(bid_id=b.pk, district_id=district.pk) for b in made]
    )
    BidStatement.objects.bulk_create(
        [BidStatement(bid=b, criterion=c, text=f"Our statement on criterion {c.code}.") for b in made for c in criteria]
    )
    evaluations = Evaluation.objects.bulk_create(
        [
            Evaluation(
                bid=b,
                evaluator=evaluator,
                moderated=True,
                written_evaluation=f"Bid {b.reference} meets {b.score} of the seven criteria.",
                score=b.score,
                eligible=True,
            )
            for b in made
        ]
    )
    EvaluationMark.objects.bulk_create(
        [
            EvaluationMark(evaluation=e, criterion=c, met=i < e.score, reason=f"Reason for {c.code}.")
            for e in evaluations
            for i, c in enumerate(criteria)
        ]
    )
    return funding_round


def body_pack_report(n_bids=None, user=None, funding_round=None, year=2010, **overrides):
    """The Commissioning Body's pack for a round; with n_bids, a round of that many bids is made first."""
    if funding_round is None:
        bids = WORKED_EXAMPLE
        if n_bids is not None:
            bids = [(f"{i:04d}", 1 + i % 7, str(20000 + (i % 37) * 5000), 5 + i % 40) for i in range(n_bids)]
        funding_round = pack_round(bids, evaluator=user, year=year)
    fields = {
        "kind": BoardReport.Kind.BODY_PACK,
        "programme": funding_round.programme,
        "funding_round": funding_round,
        "title": "Growth bids: recommendation to the Commissioning Body",
        "senior_responsible_officer": "Caroline Highwood, Director of Strategic Business Support",
        "board": "Supporting People in Kent Commissioning Body",
        "meeting_date": funding_round.decision_by,
        "classification": "Unrestricted",
        "sections": catalogue.DEFAULTS["body_pack"],
        "created_by": user,
    }
    fields.update(overrides)
    report = BoardReport(**fields)
    report.full_clean()
    report.save()
    return report
