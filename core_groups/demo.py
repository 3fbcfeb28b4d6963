"""Demo organisations of the five source documents and one login per role."""

from django.contrib.auth.models import Group

from . import roles
from .models import Organisation, User

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
        user.groups.set(Group.objects.filter(name__in=role_names))


def user(username):
    return User.objects.get(username=username)


def seed(out):
    seed_organisations()
    seed_logins()
    out.write(f"Organisations: {Organisation.objects.count()}")


def print_logins(out):
    out.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
    for username, _first, _last, org_name, role_names, _ in LOGINS:
        out.write(f"  {username:<10} {', '.join(role_names):<36} {org_name}")
