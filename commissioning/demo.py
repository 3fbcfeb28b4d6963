"""Demo board report: the Cymorth highlight report to the CYPP Board of 12 March 2010 (seed 000).

The narrative is the officers' text from the seed; the figures (risks, money, work plans, timetables)
come from the demo data of the other apps when the report is rendered. Idempotent.
"""

import datetime as dt

from core_groups import partnership_catalogue as pc
from core_groups.demo import partnership as demo_partnership
from core_groups.models import Programme

from .models import BoardReport
from .reports import catalogue

BACKGROUND = """This report is intended to update the Children and Young People's Partnership [CYPP] Board on \
progress made with the Cymorth Commissioning Project since the previous report to the Board in October 2009. It \
will provide an overview of the conduct of the project and the current situation in relation to risks and how they \
are being managed."""

ISSUES = """WORK OF CORE GROUPS
- During their last round of meetings, core groups considered their commissioning programme of work in the light \
of the funding allocated to them by the JCG and the decision to move to a three year rolling programme. All the \
core groups are now clear about the areas of work that will be moving forward for commissioning for 2010-11. \
However, core group members have raised concerns about their capacity to carry out the necessary work within \
timescales.
- Core groups have also started to prepare for tendering in those areas that are moving to new commissioning \
arrangements straightaway. Lead Support Officers and core group members have requested support to be able to \
carry out the work required.
- As well as progressing the arrangements for services which will be commissioned in phase 1, core groups also \
need to make progress in the areas where further work has to be carried out to prepare for the next phase.

LEGAL AND PROCUREMENT ISSUES
- The project needs to ensure that arrangements are in place with procurement and legal services for appropriate \
support to be provided as it is required throughout the process.
- The support provided so far has been carried out within existing financial Service Level Agreements. However, \
provision will need to be made for future commissioning costs (2010-11) which are likely to be 'above the line'."""

ACTIONS = """- A summary has been produced for each core group to provide an overview of their proposed work plans. \
This identifies what work will be carried out in each phase, the tasks needed and indicative timescales.
- CUPS Team have supported LSOs and core groups to prepare business cases for four of the commissions in phase 1 \
to be by way of single tenders.
- Guidance and a template document are being prepared to support the development of service specifications and \
to provide a consistent approach.
- Work has started on the preparation of service specifications for new work.
- There is regular contact with procurement and legal to keep them informed about progress and an overview brief \
has been prepared setting out the timescales and contract details for the first phase.
- Bespoke Terms and Conditions [T&Cs] will be prepared for the first service to be commissioned.
- The possibility of a reserve fund from this year's underspend is being explored with WAG.
- JCG has agreed that the first 1% of each core group's underspend should be set aside for commissioning costs."""

EQUITY = """- The Children and Young People's Officer with Voluntary Action Cardiff [VAC] has raised questions about \
how effectively voluntary sector representatives have been able to feed back through the network about the \
decision-making process because certain information has had to be kept confidential.
- Core groups have asked for clarification about the role of core group members who are involved in the \
development of service specifications because they have a particular expertise but whose organisations might also \
be potential providers, to avoid conflicts of interest.
- Explanations have been given at core group meetings that it is only the sensitive financial details that members \
have been asked to keep confidential but that any information relating to the process or criteria for \
decision-making can be passed on.
- Advice from procurement suggests that the final decision on service specifications should not lie with the core \
group but with the JCG which maintains a distance from this process.
- A review of the process needs to be undertaken when the first phase is completed, as part of the commissioning \
cycle of 'analyse, plan, do and review', to identify if any improvements might be made."""

ACHIEVEMENTS = """1. A range of documents relating to the Cymorth commissioning process have been posted to the Ifanc \
website providing detailed information about the process so far, to support openness and transparency.
2. Core Groups have made great progress and now have clear programmes of work, setting out the plans for phase 1 \
and phase 2 commissioning and identifying areas where further development is needed.
3. The outline programme for 2010-11 has been submitted to WAG and letters have been sent to projects continuing \
under current arrangements to inform them of indicative funding.
4. Work has commenced on tendering arrangements for the first contracts. The JCG has confirmed the recommendation \
of procurement in relation to the single tender business cases put forward by core groups.
5. The JCG agreed that the first 1% of underspend should be used for costs associated with the commissioning \
process; members are considering whether core group discretion is 2.5% or £20k, whichever is larger, or 3.5% or \
£25k."""

NEXT_STEPS = """1. The CUPS Team and lead officers will prepare the information needed to complete the tender packs \
for the first commissions with the aim of at least five contracts being tendered for the start of the financial year \
2010-11.
2. Core groups will continue to progress other areas of work and bring forward work to be commissioned according \
to their work plans and the timescales set out in these.
3. The CUPS Team will put arrangements into place for the management of the underspend process in line with the \
decision of JCG.
4. There will be a presentation and discussion with voluntary sector members at the VAC Children, Young People \
and Families Network meeting 24th March.
5. The Joint Commissioning Officer to start to consider the best point in the cycle for a review and how this \
might be conducted and bring a proposal to the JCG."""


def seed(out):
    programme, _ = Programme.objects.get_or_create(
        name="Cymorth",
        defaults={
            "funder": "Welsh Assembly Government",
            "reports_to": "Children and Young People's Partnership (CYPP) Board",
            "decided_by": "Joint Commissioning Group (JCG)",
            "partnership": demo_partnership(pc.CARDIFF),
            "first_year": 2010,
        },
    )
    report, created = BoardReport.objects.update_or_create(
        programme=programme,
        kind=BoardReport.Kind.HIGHLIGHT,
        title="Cymorth Commissioning",
        meeting_date=dt.date(2010, 3, 12),
        defaults={
            "senior_responsible_officer": "Neelam Bhardwaja, Corporate Manager",
            "project_manager": "Dr Ceri George",
            "period_start": dt.date(2009, 10, 1),
            "period_end": dt.date(2010, 3, 31),
            "financial_year": 2010,
            "board": "CYPP Board",
            "classification": "Unrestricted",
            "background": BACKGROUND,
            "issues": ISSUES,
            "actions": ACTIONS,
            "equity_and_transparency": EQUITY,
            "recent_achievements": ACHIEVEMENTS,
            "next_steps": NEXT_STEPS,
            "sections": catalogue.DEFAULTS["highlight"],
            "edition": BoardReport.Edition.INTERNAL,
        },
    )
    report.full_clean()
    seed_leeds_timetable()
    seed_body_pack()
    seed_merthyr_evaluation()
    out.write(
        f"Board reports: {BoardReport.objects.count()} (Cymorth highlight report {'created' if created else 'kept'})"
    )


def seed_leeds_timetable():
    """Leeds' procurement timetable v10 for project 4092 on its own, as Appendix 1 to the Scrutiny Board (seed 003)."""
    from procurement.models import ProcurementProject

    project = ProcurementProject.objects.filter(reference="4092").first()
    if project is None:
        return None
    programme, _ = Programme.objects.get_or_create(
        name="Leeds Adult Social Care commissioning",
        defaults={
            "funder": "Leeds City Council, Supporting People and NHS Leeds",
            "reports_to": "Scrutiny Board (Adult Social Care)",
            "decided_by": "Project Board",
            "partnership": demo_partnership(pc.LEEDS),
            "first_year": 2008,
        },
    )
    report, _ = BoardReport.objects.update_or_create(
        programme=programme,
        kind=BoardReport.Kind.TIMETABLE,
        title="Neighbourhood Networks Review: procurement timetable",
        defaults={
            "board": "Scrutiny Board (Adult Social Care)",
            "meeting_date": dt.date(2009, 3, 11),
            "classification": "Unrestricted",
            "sections": catalogue.DEFAULTS["timetable"],
            "edition": BoardReport.Edition.PUBLIC,
        },
    )
    report.projects.set([project])
    return report


def seed_body_pack():
    """The Commissioning Body's pack for the demo growth round (seed 004), when growth bids are installed."""
    from growth_bids.models import FundingRound

    funding_round = FundingRound.objects.select_related("programme").order_by("-financial_year").first()
    if funding_round is None:
        return None
    report, _ = BoardReport.objects.update_or_create(
        programme=funding_round.programme,
        kind=BoardReport.Kind.BODY_PACK,
        funding_round=funding_round,
        defaults={
            "title": f"{funding_round}: bids and recommendation",
            "senior_responsible_officer": "Caroline Highwood, Director of Strategic Business Support",
            "board": "Supporting People in Kent Commissioning Body",
            "meeting_date": funding_round.decision_by,
            "classification": "Unrestricted",
            "background": "This report sets out the growth bids received, their evaluation against the criteria "
            "and the recommendation within the money available, for the Commissioning Body's decision.",
            "sections": catalogue.DEFAULTS["body_pack"],
            "edition": BoardReport.Edition.INTERNAL,
        },
    )
    return report


def seed_merthyr_evaluation():
    """A highlight report on the Merthyr Tydfil and RCT project (seed 002): its measures, meetings and events.

    The figures come from the review app's demo (review.demo) when the report is rendered; skipped without it.
    """
    try:
        from review.demo import PROGRAMME
    except ModuleNotFoundError:
        return
    programme = Programme.objects.filter(name=PROGRAMME).first()
    if programme is None:
        return
    report, _ = BoardReport.objects.update_or_create(
        programme=programme,
        kind=BoardReport.Kind.HIGHLIGHT,
        title="Commissioning Policy Development Project: evaluation",
        meeting_date=dt.date(2011, 11, 30),
        defaults={
            "senior_responsible_officer": "Chair, Project Steering Group",
            "project_manager": "Commissioning Policy Development Officer",
            "period_start": dt.date(2009, 10, 1),
            "period_end": dt.date(2011, 12, 31),
            "financial_year": 2011,
            "board": "Merthyr Tydfil Compact Board",
            "classification": "Unrestricted",
            "background": (
                "The two-year Commissioning Policy Development Project was established in 2009 with the primary aim "
                "of producing a Public Sector Code of Practice for Commissioning Third Sector Services in Merthyr "
                "Tydfil and Rhondda Cynon Taf."
            ),
            "next_steps": "Agree clear performance measures, using the CVCs' sector survey to establish a baseline.",
            "sections": ["background", "performance_measures", "engagement", "next_steps"],
            "edition": BoardReport.Edition.INTERNAL,
        },
    )
    report.full_clean()
