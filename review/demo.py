"""Demo data for review: the Merthyr Tydfil and Rhondda Cynon Taf Compact's Commissioning Policy Development
Project (seed 002).

From the source: the five partners; the Project Steering Group and its members; local authority
attendance ("1 member never attended, 2 members attended once, 2 members attended 2 or 3 times only",
the third sector and the Health Board attending well); the events (Cracking the Code, June 2010: 74
people, 31 public and 43 third sector, 98% very good or excellent; the Commission Accomplished launch,
2011: 76 people, 28 and 48, 63% very good or excellent and 37% good; Demystifying Commissioning, July
2011: 20 from the third sector, all scores 4 or 5). The source gives neither the number of steering group
meetings nor their dates, the events' days, nor any baseline figure (its own finding is that no baseline
was set): those below are illustrative and say so.

Idempotent: running it twice leaves one copy of everything.
"""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group

from core_groups import partnership_catalogue, roles, tenancy
from core_groups.demo import DEMO_PASSWORD
from core_groups.demo import partnership as demo_partnership
from core_groups.models import Commission, CoreGroup, Organisation, Programme, User

from . import services
from .models import Attendance, Measure, Meeting, Return

K = Organisation.Kind

PROGRAMME = "Commissioning Policy Development Project (Merthyr Tydfil and RCT Compact)"

# name, short name, kind, commissioning partner: the five partners, then the carers' organisations.
PARTNERS = [
    ("Cwm Taf Health Board", "Cwm Taf HB", K.HEALTH, True),
    ("Interlink", "Interlink", K.OTHER, False),
    ("Voluntary Action Merthyr Tydfil", "VAMT", K.OTHER, False),
    ("Merthyr Tydfil County Borough Council", "Merthyr", K.UNITARY, True),
    ("Rhondda Cynon Taf County Borough Council", "RCT", K.UNITARY, True),
]
CARERS_ORGS = [
    ("Merthyr Tydfil carers' organisation A (demo)", "Carers A"),
    ("Merthyr Tydfil carers' organisation B (demo)", "Carers B"),
]

# The steering group (source, "Project Steering Group and governance"): username, job title, organisation,
# meetings attended out of MEETINGS. The five local authority members attend as the source counts: 1 never,
# 2 once, 2 "2 or 3 times only"; the third sector and the Health Board attend well.
MEETINGS = 8
STEERING_GROUP = [
    ("mt_cpdo", "Commissioning Policy Development Officer (secretariat)", "Interlink", 8),
    ("mt_ctapd", "Assistant Partnerships Director", "Cwm Taf Health Board", 7),
    ("mt_ctibm", "Independent Board Member for the third sector", "Cwm Taf Health Board", 6),
    ("mt_lead_ias", "Commissioning Lead, Integrated Adult Services", "Merthyr Tydfil County Borough Council", 0),
    ("mt_regen", "Regeneration Manager", "Merthyr Tydfil County Borough Council", 1),
    ("mt_lead_cyp", "Services Commissioning Lead, CYP", "Merthyr Tydfil County Borough Council", 2),
    ("rct_lead_hsc", "Services Commissioning Lead, HSC and CYPP", "Rhondda Cynon Taf County Borough Council", 1),
    ("rct_procure", "Senior Procurement Officer", "Rhondda Cynon Taf County Borough Council", 3),
    ("rct_champion", "Third Sector Procurement Champion", "Interlink", 7),
    ("vamt_director", "Director", "Voluntary Action Merthyr Tydfil", 8),
    ("interlink_ops", "Operations Manager", "Interlink", 7),
    (
        "mt_hsc_forum",
        "Third sector representative, MT Health and Social Care Forum",
        "Voluntary Action Merthyr Tydfil",
        6,
    ),  # noqa: E501
    ("rct_third", "Third sector representative, RCT", "Interlink", 6),
]
# Illustrative dates: the source says only that the two-year project began in 2009.
MEETING_DATES = [dt.date(2009, 11, 10) + dt.timedelta(days=84 * i) for i in range(MEETINGS)]

EVENTS = [
    {
        "title": "Cracking the Code consultation event",
        "held_on": dt.date(2010, 6, 1),
        "attended_public": 31,
        "attended_third": 43,
        "share_very_good_or_excellent": Decimal("98"),
        "rating_note": "Consultation on the draft Code of Practice (June 2010).",
    },
    {
        "title": "Commission Accomplished launch event",
        "held_on": dt.date(2011, 3, 1),
        "attended_public": 28,
        "attended_third": 48,
        "share_very_good_or_excellent": Decimal("63"),
        "share_good": Decimal("37"),
        "rating_note": "Launch of the Code of Practice (2011).",
    },
    {
        "title": "Demystifying Commissioning (training for the third sector)",
        "held_on": dt.date(2011, 7, 1),
        "attended_public": 0,
        "attended_third": 20,
        "rating_note": "All 20 (100%) rated every measure 4 or 5.",
    },
]

SURVEY = "VAMT and Interlink sector survey, 2011 (illustrative figure: the source reports none)"
SLA_START, SLA_END = dt.date(2011, 4, 1), dt.date(2014, 3, 31)
# Three quarters of returns for each carers' SLA: (satisfied %, carers supported); the last stays a draft.
RETURNS = [
    (dt.date(2011, 4, 1), dt.date(2011, 6, 30), ("58", "112"), ("61", "74")),
    (dt.date(2011, 7, 1), dt.date(2011, 9, 30), ("63", "118"), ("60", "80")),
    (dt.date(2011, 10, 1), dt.date(2011, 12, 31), ("66", "121"), ("64", "85")),
]


def _org(name, short, kind, partner):
    # get_or_create: another app's demo may have made the organisation first, with its own details.
    org, _ = Organisation.objects.get_or_create(
        name=name, defaults={"short_name": short, "kind": kind, "is_commissioning_partner": partner}
    )
    return org


def _person(username, job_title, organisation, *, login=False):
    first, _, last = job_title.partition(" ")
    person, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first[:150],
            "last_name": last[:150] or "Member",
            "organisation": organisation,
            "job_title": job_title[:120],
            "email": f"{username}@example.gov.uk",
        },
    )
    if created:
        if login:
            person.set_password(DEMO_PASSWORD)
        else:
            person.set_unusable_password()
        person.save()
    return person


def seed(out):
    orgs = {name: _org(name, short, kind, partner) for name, short, kind, partner in PARTNERS}
    carers_orgs = [_org(name, short, K.PROVIDER, False) for name, short in CARERS_ORGS]
    # The Compact is a partnership of its own: its partners and the carers' organisations are its members.
    compact = demo_partnership(partnership_catalogue.MERTHYR_RCT)
    compact.organisations.add(*orgs.values(), *carers_orgs)
    programme, _ = Programme.objects.get_or_create(
        name=PROGRAMME,
        defaults={
            "partnership": compact,
            "funder": "Rhondda Cynon Taf Teaching Local Health Board's Big Idea Fund",
            "reports_to": "Merthyr Tydfil Compact Board and the joint Local Service Boards",
            "decided_by": "Project Steering Group",
            "lead_organisation": orgs["Merthyr Tydfil County Borough Council"],
            "length_years": 2,
            "first_year": 2009,
        },
    )
    if programme.partnership_id != compact.pk:
        programme.partnership = compact
        programme.save(update_fields=["partnership"])
    # The demo's programme-team login also works for the Compact, so one login shows the review pages.
    evaluator = User.objects.filter(username="evaluator").first()
    if evaluator is not None:
        tenancy.grant_roles(user=evaluator, partnership=compact, role_names=[roles.PROGRAMME_TEAM])
    seed_steering_group(programme, orgs)
    for event in EVENTS:
        fields = {k: v for k, v in event.items() if k not in ("title", "held_on")}
        services.event_record(programme=programme, title=event["title"], held_on=event["held_on"], **fields)
    seed_carers_slas(programme, orgs, carers_orgs)
    seed_action_plan(programme, orgs)
    out.write(
        f"Review (Merthyr Tydfil and RCT): {programme.meetings.count()} steering group meetings, "
        f"{programme.events.count()} events, {programme.measures.count()} measures, "
        f"{Return.objects.filter(commission__core_group__programme=programme).count()} returns, "
        f"{programme.actions.count()} actions"
    )
    out.write("  carers     (provider's user: returns for Carers A's SLA)  Merthyr Tydfil carers' organisation A")


def seed_steering_group(programme, orgs):
    members = [(_person(u, title, orgs[org]), attended) for u, title, org, attended in STEERING_GROUP]
    for index, held_on in enumerate(MEETING_DATES):
        attendance = {}
        for person, attended in members:
            # The first ``attended`` meetings a member came to, spread over the project (every other one
            # first), so that the pattern is the source's whatever the period chosen covers in full.
            order = list(range(0, MEETINGS, 2)) + list(range(1, MEETINGS, 2))
            came = index in order[:attended]
            absent = Attendance.Status.APOLOGIES if index % 3 == 0 else Attendance.Status.ABSENT
            attendance[person] = Attendance.Status.ATTENDED if came else absent
        meeting = services.meeting_record(
            programme=programme,
            body=Meeting.Body.STEERING_GROUP,
            body_name="Project Steering Group",
            held_on=held_on,
            attendance=attendance,
            minutes="Project Action Plan: progress reported to members (illustrative date).",
        )
        if index == len(MEETING_DATES) - 1:
            seed_minutes(meeting)


# The last steering group meeting's numbered minutes (illustrative: the source gives the subjects, not the minutes).
MINUTE_ITEMS = [
    ("Apologies and attendance", "Members noted that local authority commissioning leads rarely attend."),
    ("Commission Accomplished launch", "76 attended: 63% rated it very good or excellent, 37% good."),
    (
        "Performance measures for the carers' SLAs",
        "Agreed to use the CVCs' sector survey as the baseline; the SLAs report quarterly.",
    ),
    ("Project evaluation and next steps", "The evaluation's recommendations become the action plan."),
]


def seed_minutes(meeting):
    """Numbered minute items for a meeting, once (idempotent: a meeting with items is left as it is)."""
    from .models import MinuteItem

    if meeting.minute_items.exists():
        return
    for number, (title, text) in enumerate(MINUTE_ITEMS, start=1):
        item = MinuteItem(meeting=meeting, number=number, title=title, text=text)
        item.full_clean(validate_constraints=False)
        item.save()


def seed_carers_slas(programme, orgs, carers_orgs):
    group, _ = CoreGroup.objects.get_or_create(
        programme=programme, name="Carers", defaults={"remit": "Carers' organisations with local authority SLAs."}
    )
    carers_login = _person("carers", "Carers' SLA manager", carers_orgs[0], login=True)
    team, _ = Group.objects.get_or_create(name=roles.CORE_GROUP_MEMBER)
    carers_login.groups.add(team)
    reviewer = User.objects.filter(username="evaluator").first()
    programme_measure = Measure.objects.filter(programme=programme, commission=None).first()
    if programme_measure is None:
        services.measure_create(
            programme=programme,
            title="Third sector organisations satisfied with funding and commissioning processes",
            kind=Measure.Kind.BETTER_OFF,
            unit=Measure.Unit.PERCENTAGE,
            baseline_value=Decimal("41"),
            baseline_date=dt.date(2011, 9, 30),
            baseline_source=SURVEY,
            turn_the_curve="Recommendation 3: agree clear performance measures; use the sector survey as the baseline.",
        )
    for index, org in enumerate(carers_orgs):
        sla, _ = Commission.objects.get_or_create(
            core_group=group,
            title="Carers' support SLA",
            provider=org,
            defaults={
                "service_area": "Carers",
                "route": Commission.Route.CONTINUE,
                "status": Commission.Status.LIVE,
                "lead_officer": User.objects.filter(username="mt_lead_ias").first(),
                "indicative_start": SLA_START,
                "indicative_end": SLA_END,
                "annual_value": Decimal("24000.00") if index == 0 else Decimal("18500.00"),
            },
        )
        satisfied = Measure.objects.filter(commission=sla, title="Carers satisfied with the support").first()
        if satisfied is None:
            satisfied = services.measure_create(
                programme=programme,
                commission=sla,
                title="Carers satisfied with the support",
                kind=Measure.Kind.HOW_WELL,
                unit=Measure.Unit.PERCENTAGE,
                baseline_value=Decimal("55") if index == 0 else Decimal("57"),
                baseline_date=dt.date(2011, 3, 31),
                baseline_source=SURVEY,
            )
        supported = Measure.objects.filter(commission=sla, title="Carers supported").first()
        if supported is None:
            # Left without a baseline on purpose: the page says so, as the source found of the project.
            supported = services.measure_create(
                programme=programme,
                commission=sla,
                title="Carers supported",
                kind=Measure.Kind.HOW_MUCH,
                unit=Measure.Unit.NUMBER,
                unit_label="carers",
            )
        for start, end, *figures in RETURNS:
            services.target_set(
                measure=satisfied, period_start=start, period_end=end, value=Decimal("60") + (start.month % 12) // 3
            )
            if Return.objects.filter(commission=sla, period_start=start).exists():
                continue
            pct, count = figures[index]
            last = start == RETURNS[-1][0]
            # Carers A returns through its own login; the programme team keys in Carers B's from its paper return.
            ret = services.return_submit(
                user=carers_login if index == 0 else reviewer,
                commission=sla,
                period_start=start,
                period_end=end,
                values={satisfied.pk: pct, supported.pk: count},
                submit=not (last and index == 1),
            )
            if reviewer is not None and start == RETURNS[0][0]:
                rag, comment = ("amber", "Below the quarter's target: actions agreed.") if index == 0 else ("green", "")
                services.return_review(user=reviewer, return_record=ret, rag=rag, comment=comment)


# The source's recommendations become the action plan (source, "Recommendations"); owners are steering group
# members; the due dates and statuses are illustrative. The obstacle is recommendation 4's: reported to the
# Local Service Boards.
ACTIONS = [
    (
        "Arrange a Compact workshop in each Borough to identify an action plan for implementing the Code of Practice",
        "mt_cpdo",
        "Interlink",
        dt.date(2011, 12, 31),
        "in_progress",
        "Action",
        "Workshop for Merthyr Tydfil held; RCT's to be arranged (illustrative).",
    ),
    (
        "Agree clear performance measures with a baseline for every SLA, using the sector survey",
        "vamt_director",
        "Voluntary Action Merthyr Tydfil",
        dt.date(2011, 9, 30),
        "open",
        "Action",
        "",
    ),
    (
        "Publish the Code of Practice on each partner's website",
        "rct_procure",
        "Rhondda Cynon Taf County Borough Council",
        dt.date(2011, 6, 30),
        "done",
        "Action",
        "Published (illustrative).",
    ),
    (
        "Local authority commissioning leads rarely attend the Steering Group",
        "mt_cpdo",
        "Interlink",
        dt.date(2011, 10, 31),
        "blocked",
        "Obstacle",
        "1 member never attended, 2 attended once, 2 attended 2 or 3 times only.",
    ),
]


def seed_action_plan(programme, orgs):
    from .models import Action

    for title, owner, org, due, status, kind, progress in ACTIONS:
        if Action.objects.filter(programme=programme, title=title).exists():
            continue
        obstacle = kind == "Obstacle"
        action = Action(
            programme=programme,
            title=title,
            owner=User.objects.filter(username=owner).first(),
            organisation=Organisation.objects.filter(name=org).first(),
            due_on=due,
            status=status,
            kind=Action.Kind.OBSTACLE if obstacle else Action.Kind.ACTION,
            reported_to=Meeting.Body.LOCAL_SERVICE_BOARD if obstacle else "",
            progress=progress,
        )
        action.full_clean()
        action.save()
