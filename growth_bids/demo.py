"""Demo data: the Kent round of 2010-11 with DOMAIN Rule 1's worked example (bids A-E), evaluated.

The recommendation page then shows A, C and E funded (£410,000 of £450,000) and B in reserve. The Body has
funded bid A, and the programme team has turned it into a procurement project (issue 5 item 8); the Body's
other decisions are left for the demo's Body member to make.
Idempotent: a second run finds the round, the decision and the project and leaves them alone.
"""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from core_groups import partnership_catalogue as pc
from core_groups.demo import partnership as demo_partnership
from core_groups.models import Organisation, Programme, User

from . import services
from .defaults import ensure_reference_data
from .models import Bid, ClientGroup, District, FundingRound, Outcome, end_of_day

YEAR = 2010

# letter, author, supporter, amount, service users, criteria not met, client group, districts, title
BIDS = [
    (
        "A",
        "officer",
        "supporter",
        "200000",
        40,
        [],
        "Young people leaving care",
        ["Ashford", "Canterbury"],
        "Supported lodgings for young people leaving care",
    ),
    (
        "B",
        "supporter",
        "officer",
        "180000",
        30,
        ["g"],
        "Single homeless with support needs",
        ["Ashford"],
        "Floating support for single homeless people",
    ),
    (
        "C",
        "officer",
        "supporter",
        "150000",
        30,
        ["f"],
        "Women at risk of domestic violence",
        ["Maidstone", "Swale"],
        "Refuge outreach for women at risk of domestic violence",
    ),
    (
        "D",
        "supporter",
        None,
        "120000",
        20,
        ["c"],
        "People with mental health problems",
        ["Ashford"],
        "Step-down housing support after mental health care",
    ),
    (
        "E",
        "officer",
        None,
        "60000",
        15,
        ["b", "c"],
        "Offenders or people at risk of offending",
        ["Thanet"],
        "Resettlement support for short-sentence offenders",
    ),
]


def _programme():
    programme, _ = Programme.objects.get_or_create(
        name="Kent Supporting People",
        defaults={
            "funder": "Communities and Local Government",
            "decided_by": "Commissioning Body",
            "reports_to": "Kent Supporting People Commissioning Body",
            "first_year": YEAR,
            "lead_organisation": Organisation.objects.filter(name="Kent County Council").first(),
            "partnership": demo_partnership(pc.KENT),
        },
    )
    return programme


def seed(out):
    ensure_reference_data()
    programme = _programme()
    if FundingRound.objects.filter(programme=programme, financial_year=YEAR).exists():
        out.write("Growth bids: the Kent 2010-11 round is already there.")
    else:
        seed_round(programme, out)
    seed_procurement(programme, out)


def seed_round(programme, out):
    users = {name: User.objects.get(username=name) for name in ("officer", "supporter", "evaluator")}
    funding_round = services.round_create(
        programme=programme,
        financial_year=YEAR,
        title="Kent Supporting People growth bids 2010-11",
        growth_money=Decimal("500000"),
        holdback_pct=Decimal("10"),
        opens_on=dt.date(2010, 6, 1),
        # Open for the moment it takes to file the bids below; closed again straight after.
        closes_at=timezone.now() + dt.timedelta(hours=1),
    )
    services.round_open(funding_round=funding_round)
    outcomes = list(Outcome.objects.all()[:3])
    bids = []
    for letter, author, supporter, amount, users_count, not_met, group, districts, title in BIDS:
        by = users[author]
        data = {
            "title": f"{letter}: {title}",
            "contact_names": by.display_name,
            "contact_email": by.email,
            "contact_phone": "01622 221179",
            "summary": f"Bid {letter} of the worked example in DOMAIN Rule 1: {title.lower()}.",
            "client_group": ClientGroup.objects.get(name=group),
            "districts": list(District.objects.filter(name__in=districts)),
            "service_users": users_count,
            "hours_per_week": Decimal("4"),
            "annual_amount": Decimal(amount),
            "start_date": dt.date(YEAR, 10, 1),
            "outcomes": outcomes,
            "statements": {
                c.code: f"How bid {letter} answers criterion {c.code}." for c in funding_round.criteria.all()
            },
        }
        bid = services.bid_create(funding_round=funding_round, by=by, data=data)
        if supporter:
            asked = services.support_ask(bid=bid, organisation=users[supporter].organisation, by=by)
            services.support_answer(support_request=asked, by=users[supporter], confirm=True, note="Agreed.")
        bid = services.bid_submit(bid=bid, by=by, version=bid.version)
        bids.append((bid, not_met))
    # The demo's round closed in the past: saved, not updated in bulk, so that its history records the close.
    funding_round.refresh_from_db()
    funding_round.closes_at = end_of_day(funding_round.submissions_by)
    funding_round.save(update_fields=["closes_at"])
    services.round_close(funding_round=funding_round)
    for bid, not_met in bids:
        marks = {
            c.pk: (c.code not in not_met, "Evidence in the statement." if c.code not in not_met else "Not shown.")
            for c in funding_round.criteria.all()
            if not c.system_rule
        }
        services.evaluation_save(
            bid=bid,
            by=users["evaluator"],
            marks=marks,
            written_evaluation=f"The programme team's evaluation of {bid.reference}.",
            moderated=True,
        )
    services.round_mark_evaluated(funding_round=funding_round)
    out.write(f"Growth bids: {funding_round} with bids A-E, evaluated and with the Body.")


def seed_procurement(programme, out):
    """Bid A funded at its £200,000 and turned into a procurement project starting on 1 April 2011."""
    from procurement.models import TimetableTemplate

    funding_round = FundingRound.objects.filter(programme=programme, financial_year=YEAR).first()
    bid = Bid.objects.filter(funding_round=funding_round, title__startswith="A:").first() if funding_round else None
    if bid is None:
        return
    decision = getattr(bid, "decision", None)
    if decision is None and funding_round.status == FundingRound.Status.EVALUATED:
        body = User.objects.filter(username="body").first()
        if body is None:
            return
        decision = services.decision_record(
            bid=bid,
            by=body,
            outcome="funded",
            amount=bid.annual_amount,
            meeting_date=dt.date(YEAR, 8, 20),
            minute_ref="CB/2010/12",
        )
        bid.refresh_from_db()
    if decision is None or decision.outcome != "funded" or bid.procurement_project_id:
        return
    team = User.objects.filter(username="evaluator").first()
    template = TimetableTemplate.objects.filter(name="Open procedure, light-touch services").first()
    if team is None or template is None:
        return
    project = services.bid_to_procurement_project(
        bid=bid, by=team, template=template, contract_start=dt.date(YEAR + 1, 4, 1)
    )
    out.write(f"Growth bids: {bid.reference} funded and turned into procurement project {project.reference}.")
