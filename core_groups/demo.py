"""Demo organisations of the five source documents and one login per role."""

import datetime as dt
from decimal import Decimal

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType

from . import partnership_catalogue as catalogue
from . import roles, tenancy
from .models import (
    Allocation,
    Commission,
    CoreGroup,
    CoreGroupMembership,
    Decision,
    DeclaredInterest,
    Organisation,
    Partnership,
    Programme,
    Risk,
    SpendEntry,
    User,
)

DEMO_PASSWORD = "commission-demo-2026"  # noqa: S105 - printed for people trying the demo; never in production

K = Organisation.Kind

ORGANISATIONS = [
    # Kent Supporting People (seed 004): the county, its twelve districts, health and probation.
    ("Kent County Council", "KCC", K.COUNTY, True, "GB-LAE-KEN"),
    ("Ashford Borough Council", "Ashford", K.DISTRICT, True, "GB-LAE-ASF"),
    ("Canterbury City Council", "Canterbury", K.DISTRICT, True, "GB-LAE-CAT"),
    ("Dartford Borough Council", "Dartford", K.DISTRICT, True, "GB-LAE-DAR"),
    ("Dover District Council", "Dover", K.DISTRICT, True, "GB-LAE-DOV"),
    ("Gravesham Borough Council", "Gravesham", K.DISTRICT, True, "GB-LAE-GRA"),
    ("Maidstone Borough Council", "Maidstone", K.DISTRICT, True, "GB-LAE-MAI"),
    ("Sevenoaks District Council", "Sevenoaks", K.DISTRICT, True, "GB-LAE-SEV"),
    ("Shepway District Council", "Shepway", K.DISTRICT, True, "GB-LAE-SHE"),
    ("Swale Borough Council", "Swale", K.DISTRICT, True, "GB-LAE-SWL"),
    ("Thanet District Council", "Thanet", K.DISTRICT, True, "GB-LAE-THA"),
    ("Tonbridge and Malling Borough Council", "Tonbridge & Malling", K.DISTRICT, True, "GB-LAE-TON"),
    ("Tunbridge Wells Borough Council", "Tunbridge Wells", K.DISTRICT, True, "GB-LAE-TUN"),
    ("NHS Eastern and Coastal Kent", "NHS E&CK", K.HEALTH, True, ""),
    ("NHS West Kent", "NHS WK", K.HEALTH, True, ""),
    ("Kent Probation Area", "Probation", K.OTHER, True, ""),
    ("Kent Supporting People Team", "SP Team", K.OTHER, False, ""),
    # Cardiff Cymorth (seed 000).
    ("Cardiff Council", "Cardiff", K.UNITARY, True, "GB-WLG-CRF"),
    ("Cardiff and Vale University Health Board", "C&V UHB", K.HEALTH, True, ""),
    ("Voluntary Action Cardiff", "VAC", K.PROVIDER, False, ""),
    # Merthyr Tydfil and Rhondda Cynon Taf (seed 002).
    ("Merthyr Tydfil County Borough Council", "Merthyr", K.UNITARY, True, "GB-WLG-MTY"),
    ("Rhondda Cynon Taf County Borough Council", "RCT", K.UNITARY, True, "GB-WLG-RCT"),
    # Staffordshire Third Sector Commissioning Partnership (seed 001): fifteen public bodies, three providers.
    ("Staffordshire County Council", "SCC", K.COUNTY, True, "GB-LAE-STS"),
    ("Stoke-on-Trent City Council", "Stoke", K.UNITARY, True, "GB-LAE-STE"),
    ("Cannock Chase District Council", "Cannock", K.DISTRICT, True, "GB-LAE-CAN"),
    ("East Staffordshire Borough Council", "East Staffs", K.DISTRICT, True, "GB-LAE-EST"),
    ("Lichfield District Council", "Lichfield", K.DISTRICT, True, "GB-LAE-LIC"),
    ("Newcastle-under-Lyme Borough Council", "Newcastle", K.DISTRICT, True, "GB-LAE-NEC"),
    ("South Staffordshire Council", "South Staffs", K.DISTRICT, True, "GB-LAE-SST"),
    ("Stafford Borough Council", "Stafford", K.DISTRICT, True, "GB-LAE-STF"),
    ("Staffordshire Moorlands District Council", "Moorlands", K.DISTRICT, True, "GB-LAE-SMD"),
    ("Tamworth Borough Council", "Tamworth", K.DISTRICT, True, "GB-LAE-TAW"),
    ("North Staffordshire PCT", "North Staffs PCT", K.HEALTH, True, ""),
    ("South Staffordshire PCT", "South Staffs PCT", K.HEALTH, True, ""),
    ("Stoke on Trent PCT", "Stoke PCT", K.HEALTH, True, ""),
    ("Staffordshire Police", "Police", K.OTHER, True, ""),
    ("Staffordshire Fire and Rescue Service", "Fire", K.OTHER, True, ""),
    ("Citizens Advice Bureaux (CABx)", "CABx", K.PROVIDER, False, ""),
    ("CVS/VAST", "CVS/VAST", K.PROVIDER, False, ""),
    ("Asist", "Asist", K.PROVIDER, False, ""),
    # Leeds Neighbourhood Networks (seed 003).
    ("Leeds City Council", "Leeds", K.UNITARY, True, "GB-LAE-LDS"),
    ("NHS Leeds", "NHS Leeds", K.HEALTH, True, ""),
]

# username, first, last, organisation, roles, staff/superuser
LOGINS = [
    ("officer", "Olivia", "Officer", "Kent County Council", [roles.OFFICER], False),
    ("supporter", "Sam", "Supporter", "Ashford Borough Council", [roles.OFFICER], False),
    ("evaluator", "Eve", "Evaluator", "Kent Supporting People Team", [roles.PROGRAMME_TEAM], False),
    ("body", "Bola", "Body", "Kent Probation Area", [roles.COMMISSIONING_BODY], False),
    ("member", "Megan", "Member", "Cardiff Council", [roles.CORE_GROUP_MEMBER], False),
    ("provider", "Priya", "Provider", "Voluntary Action Cardiff", [roles.CORE_GROUP_MEMBER], False),
    ("admin", "Ada", "Admin", "Kent Supporting People Team", [roles.ADMINISTRATOR, roles.PROGRAMME_TEAM], True),
]


# Which partnership each demo login works in: "body" sits on Kent's Commissioning Body and Cardiff's JCG.
LOGIN_PARTNERSHIPS = {
    "officer": [catalogue.KENT],
    "supporter": [catalogue.KENT],
    "evaluator": [catalogue.KENT],
    "body": [catalogue.KENT, catalogue.CARDIFF],
    "member": [catalogue.CARDIFF],
    "provider": [catalogue.CARDIFF],
    "admin": [catalogue.KENT],
}


def seed_partnerships():
    """The five partnerships of the sources, with those of their member organisations that the demo holds."""
    for short_name, name, reports_to, decided_by, prefix, _programmes, org_names in catalogue.PARTNERSHIPS:
        partnership, _ = Partnership.objects.update_or_create(
            short_name=short_name,
            defaults={"name": name, "reports_to": reports_to, "decided_by": decided_by, "identifier_prefix": prefix},
        )
        partnership.organisations.add(*Organisation.objects.filter(name__in=org_names))


def partnership(short_name):
    """A demo partnership by its short name (made on first use, so each app's seed runs on its own)."""
    found = Partnership.objects.filter(short_name=short_name).first()
    if found is None:
        seed_partnerships()
        found = Partnership.objects.get(short_name=short_name)
    return found


def _bind_demo_decision(commission, *, decided_by):
    """The JCG's approval of a demo business case, as a Decision bound to what the business case says."""
    from .services import record_decision

    _decision, applies = commission.business_case_standing()
    if applies:
        return
    record_decision(
        subject=commission,
        kind=Decision.Kind.BUSINESS_CASE,
        outcome=commission.business_case_decision,
        decided_by=decided_by,
        decided_on=commission.business_case_decided_on,
        subject_version=commission.version,
        values=commission.business_case_values(),
        deciding_body="Joint Commissioning Group",
        meeting="JCG, 20 January 2010",
        minute="5",
        conditions="Confirmed procurement's recommendation on the single-tender business cases.",
    )


def seed_organisations():
    for name, short, kind, partner, identifier in ORGANISATIONS:
        Organisation.objects.update_or_create(
            name=name,
            defaults={"short_name": short, "kind": kind, "is_commissioning_partner": partner, "identifier": identifier},
        )


def seed_logins():
    for username, first, last, org_name, role_names, admin in LOGINS:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first,
                "last_name": last,
                "email": f"{username}@example.gov.uk",
                "organisation": Organisation.objects.get(name=org_name),
                "is_staff": admin,
                "is_superuser": admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        user.groups.set([Group.objects.get_or_create(name=name)[0] for name in role_names])
        for short_name in LOGIN_PARTNERSHIPS.get(username, []):
            tenancy.grant_roles(user=user, partnership=partnership(short_name), role_names=role_names)


def user(username):
    return User.objects.get(username=username)


def seed(out):
    seed_organisations()
    seed_partnerships()
    seed_logins()
    out.write(f"Organisations: {Organisation.objects.count()}")
    seed_cymorth(out)


# --- Cardiff's Cymorth programme (seed 000) ----------------------------------------------------------

D = Decimal

# name, remit, allocation 2010-11, forecast outturn, spend entries (date, amount, description)
CYMORTH_GROUPS = [
    (
        "Family Support",
        "Parenting, family information and early support for families with children aged 0-19.",
        D("1000000.00"),
        D("950000.00"),
        [
            (dt.date(2010, 6, 30), D("310000.00"), "Quarter 1 payments to family support projects"),
            (dt.date(2010, 9, 30), D("315000.00"), "Quarter 2 payments to family support projects"),
            (dt.date(2010, 12, 31), D("315000.00"), "Quarter 3 payments to family support projects"),
        ],
    ),
    (
        "Health and Well-being",
        "Emotional health, healthy lifestyles and young carers.",
        D("400000.00"),
        D("395000.00"),
        [
            (dt.date(2010, 7, 31), D("190000.00"), "First half-year payments"),
            (dt.date(2011, 1, 31), D("190000.00"), "Second half-year payments"),
        ],
    ),
    (
        "Play, Leisure and Enrichment",
        "Open-access play, holiday schemes and enrichment activities.",
        D("350000.00"),
        D("362500.00"),
        [
            (dt.date(2010, 8, 31), D("212500.00"), "Summer holiday play schemes"),
            (dt.date(2011, 2, 28), D("150000.00"), "Open-access play, autumn and winter"),
        ],
    ),
    (
        "Youth Support and Participation",
        "Youth information, participation and support for young people not in education, employment or training.",
        D("600000.00"),
        None,
        [
            (dt.date(2010, 9, 30), D("290000.00"), "First half-year payments"),
            (dt.date(2011, 3, 31), D("295000.00"), "Second half-year payments"),
        ],
    ),
]

C = Commission
# group, title, service area, phase, route, status, annual value, business case (single tenders)
CYMORTH_COMMISSIONS = [
    (
        "Family Support",
        "Parenting support programme",
        "Parenting",
        C.Phase.PHASE_1,
        C.Route.SINGLE_TENDER,
        C.Status.SPECIFICATION,
        D("180000.00"),
        "Only one local provider delivers the accredited programme at the scale needed; a tender would not "
        "attract competition and would interrupt support to families mid-course.",
    ),
    (
        "Family Support",
        "Family information and signposting",
        "Information",
        C.Phase.PHASE_1,
        C.Route.OPEN_TENDER,
        C.Status.READY,
        D("120000.00"),
        "",
    ),
    (
        "Family Support",
        "Early intervention for families with complex needs",
        "Early intervention",
        C.Phase.PHASE_2,
        C.Route.OPEN_TENDER,
        C.Status.SCOPING,
        D("250000.00"),
        "",
    ),
    (
        "Family Support",
        "Support for fathers",
        "Parenting",
        C.Phase.FURTHER,
        C.Route.CONTINUE,
        C.Status.LIVE,
        D("45000.00"),
        "",
    ),
    (
        "Health and Well-being",
        "Young carers support service",
        "Young carers",
        C.Phase.PHASE_1,
        C.Route.SINGLE_TENDER,
        C.Status.SPECIFICATION,
        D("95000.00"),
        "The current service holds the young carers' register and trusted relationships with schools; a change of "
        "provider in the first year would put vulnerable young carers at risk.",
    ),
    (
        "Health and Well-being",
        "Emotional health and counselling in schools",
        "Emotional health",
        C.Phase.PHASE_2,
        C.Route.OPEN_TENDER,
        C.Status.SCOPING,
        D("150000.00"),
        "",
    ),
    (
        "Play, Leisure and Enrichment",
        "Holiday play schemes",
        "Play",
        C.Phase.PHASE_1,
        C.Route.SINGLE_TENDER,
        C.Status.READY,
        D("140000.00"),
        "Schemes for summer 2010 must be booked by April; only the current provider holds the venues and "
        "registered staff in time.",
    ),
    (
        "Play, Leisure and Enrichment",
        "Open-access play in communities first",
        "Play",
        C.Phase.PHASE_2,
        C.Route.COMPETITIVE_FLEXIBLE,
        C.Status.SCOPING,
        D("110000.00"),
        "",
    ),
    (
        "Youth Support and Participation",
        "Young people's participation and youth forum",
        "Participation",
        C.Phase.PHASE_1,
        C.Route.SINGLE_TENDER,
        C.Status.TENDERING,
        D("85000.00"),
        "The youth forum is led by young people with the current provider; a short single-tender contract keeps it "
        "running while a three-year specification is written with them.",
    ),
    (
        "Youth Support and Participation",
        "Support for young people not in education, employment or training",
        "NEET",
        C.Phase.PHASE_1,
        C.Route.OPEN_TENDER,
        C.Status.SPECIFICATION,
        D("210000.00"),
        "",
    ),
    (
        "Youth Support and Participation",
        "Youth information service",
        "Information",
        C.Phase.PHASE_2,
        C.Route.GRANT,
        C.Status.SCOPING,
        D("60000.00"),
        "",
    ),
]

R = Risk
# title, group (None: programme), impact, likelihood, description, mitigation, owner role, status
CYMORTH_RISKS = [
    (
        "Complaints from projects whose funding ended",
        None,
        3,
        3,
        "Two letters were received from projects whose funding had ended raising concerns about the decisions and "
        "process. Neither has gone on to a formal complaint, but the letters were copied widely: a risk to the "
        "Partnership's reputation.",
        "The County Grants Officer informally reviewed the process and found no breach of the Compact. "
        "Senior staff at VAC have been met to explain the process. "
        "Briefings prepared for the Leader of the Council and the press office.",
        "Joint Commissioning Officer",
        R.Status.MITIGATED,
    ),
    (
        "Core group capacity",
        None,
        4,
        4,
        "Core groups are raising concerns about the demands of the process: time spent in core group meetings and the "
        "capacity of key officers to carry out the work within the timescales.",
        "The Joint Commissioning Officer and Project Support Officer support the core groups and lead officers. "
        "Underspend recompenses organisations for lead officers' time. The impact on core group meetings is kept "
        "under review.",
        "Joint Commissioning Officer",
        R.Status.OPEN,
    ),
    (
        "TUPE implications of open tenders",
        "Youth Support and Participation",
        4,
        3,
        "Where staff are currently employed by a statutory provider, TUPE may apply to an open tender, adding a "
        "lead-in period and cost that bidders must price.",
        "The most appropriate commissioning route is chosen with procurement, following the Compact Funding and "
        "Commissioning Framework; legal advise on TUPE before each specification is issued.",
        "Lead Support Officer",
        R.Status.OPEN,
    ),
    (
        "Voluntary-sector capacity to tender",
        None,
        3,
        4,
        "Voluntary organisations may lack the capacity to compete for open tenders, especially where TUPE applies.",
        "Route chosen with procurement under the Compact Funding and Commissioning Framework; VAC briefed on the "
        "timetable so that organisations can prepare; pre-tender information shared early.",
        "Joint Commissioning Officer",
        R.Status.OPEN,
    ),
]


def seed_cymorth(out):
    cardiff = Organisation.objects.get(name="Cardiff Council")
    vac = Organisation.objects.get(name="Voluntary Action Cardiff")
    programme, _ = Programme.objects.update_or_create(
        name="Cymorth",
        defaults={
            "funder": "Welsh Assembly Government",
            "reports_to": "Children and Young People's Partnership (CYPP) Board",
            "decided_by": "Joint Commissioning Group (JCG)",
            "lead_organisation": cardiff,
            "partnership": partnership(catalogue.CARDIFF),
            "length_years": 3,
            "first_year": 2010,
        },
    )
    jco = _person("jco", "Dafydd", "Morgan", cardiff, "Joint Commissioning Officer", [roles.PROGRAMME_TEAM])
    lso = _person("lso", "Rhian", "Evans", cardiff, "Lead Support Officer", [roles.CORE_GROUP_MEMBER])
    groups = {}
    for name, remit, amount, forecast, spends in CYMORTH_GROUPS:
        group, _ = CoreGroup.objects.update_or_create(
            programme=programme, name=name, defaults={"remit": remit, "lead_support_officer": lso}
        )
        groups[name] = group
        Allocation.objects.update_or_create(
            core_group=group,
            financial_year=2010,
            defaults={"amount": amount, "forecast_outturn": forecast, "decided_on": dt.date(2010, 3, 17)},
        )
        for spent_on, value, description in spends:
            SpendEntry.objects.update_or_create(
                core_group=group, spent_on=spent_on, description=description, defaults={"amount": value}
            )
    CoreGroupMembership.objects.get_or_create(
        core_group=groups["Family Support"], user=user("member"), defaults={"role": "Member"}
    )
    CoreGroupMembership.objects.get_or_create(
        core_group=groups["Family Support"], user=lso, defaults={"role": "Lead Support Officer"}
    )
    CoreGroupMembership.objects.get_or_create(
        core_group=groups["Youth Support and Participation"],
        user=user("provider"),
        defaults={"role": "Voluntary-sector member"},
    )
    for group_name, title, area, phase, route, status, value, case in CYMORTH_COMMISSIONS:
        defaults = {
            "service_area": area,
            "phase": phase,
            "route": route,
            "status": status,
            "annual_value": value,
            "business_case": case,
            "lead_officer": lso,
        }
        if route == C.Route.SINGLE_TENDER:
            # The JCG confirmed procurement's recommendation on the four single-tender business cases.
            defaults |= {
                "business_case_decision": C.BusinessCaseDecision.APPROVED,
                "business_case_decided_on": dt.date(2010, 1, 20),
            }
        if group_name == "Youth Support and Participation" and route != C.Route.OPEN_TENDER:
            defaults["provider"] = vac
        commission, _ = Commission.objects.update_or_create(
            core_group=groups[group_name], title=title, defaults=defaults
        )
        if route == C.Route.SINGLE_TENDER:
            _bind_demo_decision(commission, decided_by=jco)
    for title, group_name, impact, likelihood, description, mitigation, owner_role, status in CYMORTH_RISKS:
        group = groups.get(group_name)
        Risk.objects.update_or_create(
            programme=programme,
            title=title,
            defaults={
                "core_group": group,
                "impact": impact,
                "likelihood": likelihood,
                "description": description,
                "mitigation": mitigation,
                "owner_role": owner_role,
                "owner": jco if group is None else lso,
                "status": status,
                "review_on": dt.date(2010, 6, 30),
            },
        )
    ct = ContentType.objects.get_for_model(Commission)
    youth_forum = Commission.objects.get(title="Young people's participation and youth forum")
    DeclaredInterest.objects.get_or_create(
        user=user("provider"),
        content_type=ct,
        object_id=youth_forum.pk,
        defaults={
            "description": "My organisation supports the youth forum and may bid to run it.",
            "declared_on": dt.date(2010, 1, 11),
        },
    )
    commissions = Commission.objects.filter(core_group__programme=programme).count()
    out.write(
        f"Cymorth: {programme.core_groups.count()} core groups, {commissions} commissions, "
        f"{programme.risks.count()} risks"
    )


def _person(username, first, last, organisation, job_title, role_names):
    """A named person of the demo who has no login of their own (no usable password)."""
    person, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "organisation": organisation,
            "job_title": job_title,
            "email": f"{username}@example.gov.uk",
        },
    )
    if created:
        person.set_unusable_password()
        person.save()
    person.groups.set(Group.objects.filter(name__in=role_names))
    tenancy.grant_roles(user=person, partnership=partnership(catalogue.CARDIFF), role_names=role_names)
    return person


def print_logins(out):
    out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for username, _first, _last, org_name, role_names, _ in LOGINS:
        out.write(f"  {username:<10} {', '.join(role_names):<36} {org_name}")
