"""The timetable templates shipped with the product (loaded by a data migration).

The national templates (``TEMPLATES``: open, competitive flexible, direct award, light-touch, the NHS Provider
Selection Regime and grant) belong to no council: their wording names no place, board or date of anyone's project
(issue 14).

``LEEDS_TEMPLATE`` is not one of them: it is the Leeds partnership's own, the 36 numbered tasks of Leeds'
Neighbourhood Networks Review timetable v10 (seed 003) and its closing, un-numbered review row, from which the
Leeds demo project is drawn. Its steps hang from the TUPE lead-in (step 34), which hangs from mobilisation, which
ends the day before the contract start: with a contract start of 1 April 2010 and TUPE applying, the dates come
out as Leeds wrote them. Without TUPE the lead-in drops out and every earlier step moves three months later.
"""

from .dates import Precision as P
from .scheduling import Condition, Kind, Stage, Step, Unit

PRE, TENDER, AWARD, REVIEW = Stage.PRE, Stage.TENDER, Stage.AWARD, Stage.REVIEW
TUPE = Condition.TUPE
PA_TENDERING = "Procurement Act 2023 s.54: minimum tendering period of 25 days (open procedure, electronic tenders)"
PA_PARTICIPATION = "Procurement Act 2023 s.54: minimum participation period of 25 days (competitive flexible)"
PA_STANDSTILL = "Procurement Act 2023 s.51: mandatory standstill period of 8 working days"
PA_DIRECT_STANDSTILL = (
    "Procurement Act 2023 s.51: standstill of 8 working days after the contract award notice, before a direct award"
)
PSR_STANDSTILL = (
    "Health Care Services (Provider Selection Regime) Regulations 2023 reg. 12: standstill of 8 working days, "
    "counted from the day after the notice of intention to award"
)


def _leeds(position, stage, activity, responsibility, months, precision, *, days=0, span=0, notes="", milestone=False):
    """A Leeds step hanging from the start of the TUPE lead-in (1 October 2009 for a 1 April 2010 start)."""
    return Step(
        position=position,
        stage=stage,
        activity=activity,
        responsibility=responsibility,
        anchor=34,
        offset_months=months,
        offset_days=days,
        duration=span,
        duration_unit=Unit.MONTHS if span else Unit.DAYS,
        precision=precision,
        notes=notes,
        milestone=milestone,
    )


LEEDS_STEPS = [
    _leeds(1, PRE, "Project Scoping", "Project team", 19, P.MONTH),
    _leeds(2, PRE, "Identification of funding agreements", "Project team", 19, P.MONTH),
    _leeds(3, PRE, "Draft PID / Project timetable", "Project Manager", 18, P.MONTH),
    _leeds(4, PRE, "Promote consultation day events", "Project manager", 19, P.MONTH),
    _leeds(
        5,
        PRE,
        "Consult Stakeholders through consultation / communication events (5 or 6) held geographically in Leeds",
        "Project team (inc Supporting people / PCT)",
        17,
        P.SPAN,
        span=2,
    ),
    _leeds(
        6, PRE, "Analysis of Neighbourhood Networks self assessment forms", "Project leader to coordinate", 13, P.END
    ),
    _leeds(7, PRE, "Baseline assessment of all funding agreements / contracts", "Project team", 13, P.END),
    _leeds(
        8, PRE, "Decision if contracts or grants or combination of both", "Project manager / Project Board", 13, P.END
    ),
    _leeds(9, PRE, "Draft Project Brief to Project Board", "Project Manager", 12, P.EARLY),
    _leeds(10, PRE, "Seek legal advise as to TUPE applying to funding agreements", "Project manager/PU", 12, P.EARLY),
    _leeds(11, PRE, "Hold Options Appraisal workshop", "Project team", 11, P.DAY, days=8, milestone=True),
    _leeds(12, PRE, "Risk analysis", "Project team", 10, P.DAY, days=17),
    _leeds(13, PRE, "Decision re Service Mapping / Funding Formulae", "Project team", 7, P.MONTH),
    _leeds(14, PRE, "Identify Service Packaging", "Project team / Project Board", 11, P.END),
    _leeds(15, PRE, "Agree tendering strategy", "Project team / project Board", 7, P.MONTH, milestone=True),
    _leeds(
        16,
        PRE,
        "Neighbourhood network information awareness sessions",
        "Project team",
        8,
        P.MONTH,
        notes="Sessions on 18th, 19th, 24th and 27th February 2009.",
    ),
    Step(17, PRE, "Soft Market testing", "Project Team", anchor=34, precision=P.TBD),
    _leeds(
        18,
        TENDER,
        "** Project brief to be prepared – Incorporate into the Pre-Qualification Questionnaire (PQQ)",
        "Project Manager",
        8,
        P.MONTH,
    ),
    _leeds(19, TENDER, "** Create technical questions for PQQ", "Project team", 8, P.MONTH),
    _leeds(
        20,
        TENDER,
        "** Drafting, consulting and finalising the outcome based specification",
        "Project Manager",
        7,
        P.MONTH,
    ),
    _leeds(21, TENDER, "Draft evaluation criteria", "Project team", 7, P.MONTH),
    _leeds(22, TENDER, "Identify evaluation team", "Project team", 9, P.END),
    _leeds(23, TENDER, "Terms & Conditions applicable to Contracts", "PU Legal team", 7, P.MONTH),
    _leeds(24, TENDER, "Advertise (YP / SCMS / VAL etc)", "Project team / PU", 6, P.MONTH, milestone=True),
    _leeds(25, TENDER, "Period for submission of applications", "", 6, P.SPAN, span=2),
    _leeds(26, TENDER, "Period of city-wide consultations with Elected members", "Project Team", 6, P.SPAN, span=2),
    _leeds(27, TENDER, "Place on Forward Plan", "Project Manager", 5, P.MONTH),
    _leeds(28, TENDER, "Disseminate submissions for evaluation", "Project team", 5, P.EARLY),
    _leeds(
        29,
        TENDER,
        "Evaluation of application proposals / method statements",
        "Project team / Evaluation team",
        4,
        P.SPAN,
        span=2,
    ),
    _leeds(30, TENDER, "Select organisations for awards", "Project team / Evaluation team", 3, P.EARLY),
    _leeds(31, TENDER, "Project Board ratify decision for awards", "Project Board", 2, P.SPAN, span=2, milestone=True),
    _leeds(
        32,
        AWARD,
        "Delegated decision process for all awards – Key Decision (also to the PCT Board)",
        "Project Manager",
        1,
        P.EARLY,
    ),
    _leeds(
        33,
        AWARD,
        "Award Contracts",
        "Adult Social Care contracts team – contracts drafted by PU legal team",
        1,
        P.MONTH,
        milestone=True,
    ),
    Step(
        34,
        AWARD,
        "TUPE lead in period if TUPE was to apply",
        "",
        anchor=35,
        offset_months=1,
        duration=3,
        duration_unit=Unit.MONTHS,
        precision=P.SPAN,
        condition=TUPE,
        kind=Kind.TUPE_LEAD_IN,
    ),
    Step(
        35,
        AWARD,
        "Lead-in period / mobilisation period",
        "",
        offset_months=1,
        duration=3,
        duration_unit=Unit.MONTHS,
        precision=P.SPAN,
        kind=Kind.MOBILISATION,
    ),
    Step(36, AWARD, "Start date for Contract", "", precision=P.DAY, milestone=True, kind=Kind.CONTRACT_START),
    # Un-numbered in the source, with no one named as responsible.
    Step(
        37,
        REVIEW,
        "Review of Procurement Process",
        "",
        offset_months=-1,
        precision=P.MONTH,
        notes="Gateway review procedure not deemed necessary – Project Board / Adult Commissioning Board to sign off.",
        numbered=False,
    ),
]


def _pa2023_award_tail(first, *, notice_activity, notice_rule, notice_kind=Kind.UK6, uk7_days=30):
    """The award steps every Procurement Act 2023 route shares, from ``first`` onwards."""
    n = first
    return [
        Step(
            n,
            AWARD,
            notice_activity,
            "Procurement unit",
            anchor=n + 1,
            precision=P.DAY,
            milestone=True,
            kind=notice_kind,
        ),
        Step(
            n + 1,
            AWARD,
            "Standstill period",
            "Procurement unit",
            anchor=n + 2,
            offset_days=1,
            offset_unit=Unit.WORKING_DAYS,
            duration=8,
            duration_unit=Unit.WORKING_DAYS,
            statutory_minimum=8,
            statutory_unit=Unit.WORKING_DAYS,
            statutory_rule=notice_rule,
            kind=Kind.STANDSTILL,
        ),
        Step(
            n + 2,
            AWARD,
            "Enter into the contract",
            "Legal team",
            anchor=n + 4,
            offset_days=1,
            milestone=True,
            kind=Kind.CONTRACT_ENTERED,
        ),
        Step(
            n + 3,
            AWARD,
            f"Publish the contract details notice (within {uk7_days} days of entering into the contract)",
            "Procurement unit",
            anchor=n + 2,
            offset_days=-20,
            milestone=True,
            kind=Kind.UK7,
        ),
        # 90 days to the day before mobilisation starts: a span snapped to the end of its month would run into
        # mobilisation (issue 14).
        Step(
            n + 4,
            AWARD,
            "TUPE lead-in: consultation with transferring staff",
            "Outgoing and incoming providers",
            anchor=n + 5,
            offset_days=1,
            duration=90,
            condition=TUPE,
            kind=Kind.TUPE_LEAD_IN,
        ),
        Step(
            n + 5,
            AWARD,
            "Mobilisation",
            "Provider and contract manager",
            offset_days=1,
            duration=56,
            kind=Kind.MOBILISATION,
        ),
        Step(n + 6, AWARD, "Contract start", "", milestone=True, kind=Kind.CONTRACT_START),
        Step(n + 7, REVIEW, "Review of the procurement", "Project Board", offset_months=-3, precision=P.MONTH),
    ]


OPEN_PA2023_STEPS = [
    Step(
        1,
        PRE,
        "Agree the procurement strategy and business case",
        "Project Board",
        anchor=4,
        offset_months=3,
        precision=P.MONTH,
        milestone=True,
    ),
    Step(
        2,
        PRE,
        "Preliminary market engagement (notice and events)",
        "Project team",
        anchor=4,
        offset_months=2,
        duration=2,
        duration_unit=Unit.MONTHS,
        precision=P.SPAN,
        kind=Kind.UK2,
    ),
    Step(
        3,
        PRE,
        "Finalise the specification, award criteria and tender documents",
        "Project Manager",
        anchor=4,
        offset_days=7,
        duration=30,
    ),
    Step(
        4,
        TENDER,
        "Publish the tender notice and tender documents",
        "Procurement unit",
        anchor=5,
        offset_days=1,
        milestone=True,
        kind=Kind.UK4,
    ),
    Step(
        5,
        TENDER,
        "Tendering period",
        "Bidders",
        anchor=6,
        offset_days=1,
        duration=30,
        statutory_minimum=25,
        statutory_rule=PA_TENDERING,
        kind=Kind.TENDER_DEADLINE,
    ),
    Step(
        6,
        TENDER,
        "Evaluate tenders and moderate scores",
        "Evaluation team",
        anchor=7,
        offset_days=1,
        offset_unit=Unit.WORKING_DAYS,
        duration=15,
        duration_unit=Unit.WORKING_DAYS,
    ),
    Step(
        7,
        AWARD,
        "Award decision approved; assessment summaries sent to every bidder",
        "Project Board",
        anchor=8,
        offset_days=0,
        milestone=True,
    ),
    *_pa2023_award_tail(8, notice_activity="Publish the contract award notice", notice_rule=PA_STANDSTILL),
]

COMPETITIVE_FLEXIBLE_STEPS = [
    Step(
        1,
        PRE,
        "Agree the procurement strategy and the design of the procedure",
        "Project Board",
        anchor=3,
        offset_months=3,
        precision=P.MONTH,
        milestone=True,
    ),
    Step(
        2,
        PRE,
        "Preliminary market engagement (notice and events)",
        "Project team",
        anchor=3,
        offset_months=2,
        duration=2,
        duration_unit=Unit.MONTHS,
        precision=P.SPAN,
        kind=Kind.UK2,
    ),
    Step(
        3,
        TENDER,
        "Publish the tender notice (competitive flexible procedure)",
        "Procurement unit",
        anchor=4,
        offset_days=1,
        milestone=True,
        kind=Kind.UK4,
    ),
    Step(
        4,
        TENDER,
        "Participation period (requests to participate)",
        "Bidders",
        anchor=5,
        offset_days=1,
        duration=28,
        statutory_minimum=25,
        statutory_rule=PA_PARTICIPATION,
        kind=Kind.PARTICIPATION_DEADLINE,
    ),
    Step(
        5,
        TENDER,
        "Assess conditions of participation and shortlist",
        "Evaluation team",
        anchor=6,
        offset_days=1,
        duration=14,
    ),
    Step(
        6,
        TENDER,
        "Tendering period, with negotiation rounds",
        "Bidders and evaluation team",
        anchor=7,
        offset_days=1,
        duration=42,
        statutory_minimum=25,
        statutory_rule=PA_TENDERING.replace("open procedure, electronic tenders", "competitive flexible procedure"),
        kind=Kind.TENDER_DEADLINE,
    ),
    Step(
        7,
        TENDER,
        "Evaluate final tenders and moderate scores",
        "Evaluation team",
        anchor=8,
        offset_days=1,
        offset_unit=Unit.WORKING_DAYS,
        duration=15,
        duration_unit=Unit.WORKING_DAYS,
    ),
    Step(
        8,
        AWARD,
        "Award decision approved; assessment summaries sent to every bidder",
        "Project Board",
        anchor=9,
        milestone=True,
    ),
    *_pa2023_award_tail(9, notice_activity="Publish the contract award notice", notice_rule=PA_STANDSTILL),
]

DIRECT_AWARD_STEPS = [
    Step(
        1,
        PRE,
        "Business case for direct award (justification under s.41 / Schedule 5) approved",
        "Project Board",
        anchor=3,
        offset_months=2,
        precision=P.MONTH,
        milestone=True,
    ),
    Step(
        2,
        PRE,
        "Publish the transparency notice",
        "Procurement unit",
        anchor=3,
        offset_days=7,
        milestone=True,
        kind=Kind.UK5,
    ),
    Step(3, PRE, "Agree terms with the supplier", "Project Manager", anchor=4, offset_days=1, duration=28),
    *_pa2023_award_tail(4, notice_activity="Publish the contract award notice", notice_rule=PA_DIRECT_STANDSTILL),
]

LIGHT_TOUCH_STEPS = [
    Step(
        1,
        PRE,
        "Agree the procurement strategy and business case",
        "Project Board",
        anchor=4,
        offset_months=3,
        precision=P.MONTH,
        milestone=True,
    ),
    Step(
        2,
        PRE,
        "Engage people who use the service, providers and stakeholders (preliminary market engagement)",
        "Project team",
        anchor=4,
        offset_months=2,
        duration=2,
        duration_unit=Unit.MONTHS,
        precision=P.SPAN,
        kind=Kind.UK2,
    ),
    Step(
        3,
        PRE,
        "Finalise the outcome-based specification, award criteria and tender documents",
        "Project Manager",
        anchor=4,
        offset_days=7,
        duration=30,
    ),
    Step(
        4,
        TENDER,
        "Publish the tender notice and tender documents",
        "Procurement unit",
        anchor=5,
        offset_days=1,
        milestone=True,
        kind=Kind.UK4,
    ),
    # No minimum tendering period for a light-touch contract (s.54(5)): 30 days are planned.
    Step(
        5,
        TENDER,
        "Tendering period",
        "Bidders",
        anchor=6,
        offset_days=1,
        duration=30,
        kind=Kind.TENDER_DEADLINE,
    ),
    Step(
        6,
        TENDER,
        "Evaluate tenders, moderate scores and hold any presentations",
        "Evaluation team",
        anchor=7,
        offset_days=1,
        offset_unit=Unit.WORKING_DAYS,
        duration=20,
        duration_unit=Unit.WORKING_DAYS,
    ),
    Step(
        7,
        AWARD,
        "Award decision approved; assessment summaries sent to every bidder",
        "Project Board",
        anchor=8,
        milestone=True,
    ),
    *_pa2023_award_tail(
        8, notice_activity="Publish the contract award notice", notice_rule=PA_STANDSTILL, uk7_days=120
    ),
]

PSR_STEPS = [
    Step(
        1,
        PRE,
        "Agree the provider selection process and the key criteria (reg. 5)",
        "Project Board",
        anchor=3,
        offset_months=3,
        precision=P.MONTH,
        milestone=True,
    ),
    Step(
        2,
        TENDER,
        "Publish the contract notice (competitive process, reg. 11)",
        "Procurement unit",
        anchor=3,
        offset_days=1,
        milestone=True,
        kind=Kind.PSR_CONTRACT_NOTICE,
    ),
    Step(
        3,
        TENDER,
        "Period for offers",
        "Providers",
        anchor=4,
        offset_days=1,
        duration=30,
        kind=Kind.TENDER_DEADLINE,
    ),
    Step(
        4,
        TENDER,
        "Assess offers against the key criteria and the basic selection criteria",
        "Evaluation team",
        anchor=5,
        offset_days=1,
        offset_unit=Unit.WORKING_DAYS,
        duration=15,
        duration_unit=Unit.WORKING_DAYS,
    ),
    Step(
        5,
        AWARD,
        "Publish the notice of intention to award; tell the providers taking part",
        "Procurement unit",
        anchor=6,
        # The standstill is counted from the day after the notice (reg. 12).
        offset_days=1,
        offset_unit=Unit.WORKING_DAYS,
        milestone=True,
        kind=Kind.PSR_INTENTION,
    ),
    Step(
        6,
        AWARD,
        "Standstill period",
        "Procurement unit",
        anchor=7,
        offset_days=1,
        offset_unit=Unit.WORKING_DAYS,
        duration=8,
        duration_unit=Unit.WORKING_DAYS,
        statutory_minimum=8,
        statutory_unit=Unit.WORKING_DAYS,
        statutory_rule=PSR_STANDSTILL,
        kind=Kind.STANDSTILL,
    ),
    Step(
        7,
        AWARD,
        "Award the contract",
        "Legal team",
        anchor=9,
        offset_days=1,
        milestone=True,
        kind=Kind.CONTRACT_ENTERED,
    ),
    Step(
        8,
        AWARD,
        "Publish the notice confirming the award (within 30 days of the award)",
        "Procurement unit",
        anchor=7,
        offset_days=-20,
        milestone=True,
        kind=Kind.PSR_AWARD,
    ),
    Step(
        9,
        AWARD,
        "TUPE lead-in: consultation with transferring staff",
        "Outgoing and incoming providers",
        anchor=10,
        offset_days=1,
        duration=90,
        condition=TUPE,
        kind=Kind.TUPE_LEAD_IN,
    ),
    Step(
        10, AWARD, "Mobilisation", "Provider and contract manager", offset_days=1, duration=56, kind=Kind.MOBILISATION
    ),
    Step(11, AWARD, "Contract start", "", milestone=True, kind=Kind.CONTRACT_START),
    Step(12, REVIEW, "Review of the provider selection", "Project Board", offset_months=-3, precision=P.MONTH),
]

GRANT_STEPS = [
    Step(
        1,
        PRE,
        "Agree the grant scheme, criteria and budget",
        "Project Board",
        anchor=3,
        offset_months=2,
        precision=P.MONTH,
        milestone=True,
    ),
    Step(2, PRE, "Publicise the funding opportunity", "Project team", anchor=3, offset_months=1, precision=P.EARLY),
    Step(
        3,
        TENDER,
        "Period for applications",
        "Applicants",
        anchor=4,
        offset_months=1,
        duration=2,
        duration_unit=Unit.MONTHS,
        precision=P.SPAN,
    ),
    Step(4, TENDER, "Assess applications", "Evaluation team", anchor=5, offset_months=1, precision=P.MONTH),
    Step(5, AWARD, "Panel decision on grants", "Grants panel", anchor=6, offset_days=14, milestone=True),
    Step(
        6,
        AWARD,
        "Grant offer letters and grant agreements signed",
        "Legal team",
        offset_months=1,
        precision=P.END,
        milestone=True,
    ),
    Step(7, AWARD, "Grant start", "", milestone=True),
    Step(8, REVIEW, "Review of the grant scheme", "Project Board", offset_months=-6, precision=P.MONTH),
]

LIGHT_TOUCH_TEMPLATE = "Open procedure, light-touch services"
PSR_TEMPLATE = "Provider Selection Regime (NHS health care services): competitive process"
LEEDS_TEMPLATE_NAME = "Neighbourhood Networks Review (Leeds timetable v10)"

# The Leeds partnership's own template (not a national one): installed for a partnership by
# services.template_install(LEEDS_TEMPLATE, partnership=...), as the Leeds demo does.
LEEDS_TEMPLATE = {
    "name": LEEDS_TEMPLATE_NAME,
    "procedure": "open",
    "regime": "light_touch",
    "description": "Leeds' Neighbourhood Networks Review timetable v10 (project 4092, seed 003): an open procedure "
    "for a light-touch (Annexe 1B) service, with a TUPE lead-in.",
    "steps": LEEDS_STEPS,
}

TEMPLATES = [
    {
        "name": LIGHT_TOUCH_TEMPLATE,
        "procedure": "open",
        "regime": "light_touch",
        "description": "Procurement Act 2023, light-touch services (Schedule 1 of the Procurement Regulations 2024): "
        "tender notice, tendering period, contract award notice, a standstill of 8 working days, and the contract "
        "details notice within 120 days; an optional TUPE lead-in.",
        "steps": LIGHT_TOUCH_STEPS,
    },
    {
        "name": PSR_TEMPLATE,
        "procedure": "open",
        "regime": "psr",
        "description": "Health care services in England under the Provider Selection Regime (2023 regulations): "
        "contract notice, offers, assessment, notice of intention to award, a standstill of 8 working days, the "
        "award and its confirmation notice within 30 days.",
        "steps": PSR_STEPS,
    },
    {
        "name": "Open procedure (Procurement Act 2023)",
        "procedure": "open",
        "regime": "standard",
        "description": "Tender notice, a tendering period of at least 25 days, the contract award notice, a standstill "
        "of 8 working days (bank holidays of every part of the UK, s.123) and the contract details notice.",
        "steps": OPEN_PA2023_STEPS,
    },
    {
        "name": "Competitive flexible",
        "procedure": "competitive_flexible",
        "regime": "standard",
        "description": "Procurement Act 2023 competitive flexible procedure: participation stage, then negotiation.",
        "steps": COMPETITIVE_FLEXIBLE_STEPS,
    },
    {
        "name": "Direct award",
        "procedure": "direct_award",
        "regime": "standard",
        "description": "Direct award: the transparency notice (s.44), then the contract award notice and the "
        "standstill of 8 working days (s.51) before entering into the contract.",
        "steps": DIRECT_AWARD_STEPS,
    },
    {
        "name": "Grant agreement",
        "procedure": "grant",
        "regime": "standard",
        "description": "A grant scheme: criteria, applications, assessment, panel decision and grant agreements.",
        "steps": GRANT_STEPS,
    },
]
