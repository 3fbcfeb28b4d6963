"""Demo data for shared commissioning: the Staffordshire map (seed 001) and the partners' preferences.

The seed's report gives only totals (its appendices were not published), so the register here is
generated: 100 arrangements of the fifteen public bodies with CABx (28), CVS/VAST (55) and Asist (17);
about £6m a year of investment (almost £5m of it from the county, the city and the three PCTs, in 74
arrangements); and staff hours that cost £426,937 in all and £347,365 for those five partners, adjusted
to three-year contracts exactly as partnerships.costing does. ``build_rows()`` is pure and deterministic;
``partnerships/demo_data/funding_register.csv`` is its output (``python -m partnerships.demo`` rewrites it)
and is what the browser test imports.
"""

import random
from datetime import date
from decimal import Decimal
from pathlib import Path

from core_groups import partnership_catalogue as pc
from core_groups.demo import partnership as demo_partnership

from . import costing, register_io

DEMO_CSV = Path(__file__).resolve().parent / "demo_data" / "funding_register.csv"

CABX = "Citizens Advice Bureaux (CABx)"
CVS = "CVS/VAST"
ASIST = "Asist"
PROVIDER_AREA = {CABX: "debt-advice", CVS: "infrastructure-volunteering", ASIST: "advocacy"}
PROVIDER_TITLE = {
    CABX: "Debt, benefits and consumer advice",
    CVS: "Infrastructure support and volunteering",
    ASIST: "Independent advocacy",
}

# The five partners of paragraphs 3.6 and 3.7, then the other ten.
FIVE = [
    # funder, hourly cost, CABx, CVS/VAST, Asist, annual investment weight
    ("Staffordshire County Council", 25, 5, 12, 5, 5),
    ("Stoke-on-Trent City Council", 25, 4, 9, 4, 4),
    ("North Staffordshire PCT", 30, 3, 6, 3, 2),
    ("South Staffordshire PCT", 30, 4, 8, 3, 3),
    ("Stoke on Trent PCT", 30, 2, 4, 2, 2),
]
TEN = [
    ("Stafford Borough Council", 20, 1, 2, 0, 2),
    ("Cannock Chase District Council", 20, 1, 2, 0, 2),
    ("East Staffordshire Borough Council", 20, 1, 2, 0, 2),
    ("Lichfield District Council", 20, 1, 2, 0, 2),
    ("Newcastle-under-Lyme Borough Council", 20, 1, 2, 0, 2),
    ("South Staffordshire Council", 20, 1, 2, 0, 1),
    ("Staffordshire Moorlands District Council", 20, 1, 2, 0, 1),
    ("Tamworth Borough Council", 20, 1, 2, 0, 2),
    ("Staffordshire Police", 25, 1, 0, 0, 1),
    ("Staffordshire Fire and Rescue Service", 20, 1, 0, 0, 1),
]
# (target annual investment, target three-year resource cost) of each group.
FIVE_TARGETS = (Decimal("4936420"), Decimal("347365"))
TEN_TARGETS = (Decimal("1071580"), Decimal("79572"))

# Life patterns: (type, start, end, rolls over, last openly procured). Lives of 12, 36 and 60 months with
# hourly costs in multiples of £5 keep every adjusted cost in whole pounds, so the totals come out exact.
PATTERNS = [
    ("contract", date(2009, 4, 1), date(2012, 3, 31), False, date(2008, 11, 14)),
    ("sla", date(2011, 4, 1), date(2012, 3, 31), True, None),
    ("grant", date(2011, 4, 1), date(2012, 3, 31), False, None),
    ("sla", date(2006, 4, 1), None, True, None),
    ("contract", date(2008, 4, 1), date(2013, 3, 31), False, None),
    ("grant", date(2011, 4, 1), date(2012, 3, 31), True, None),
]
BASE_HOURS = {
    "contract": [6, 10, 24, 40, 12, 30, 8],
    "sla": [4, 3, 6, 4, 6, 18, 6],
    "grant": [3, 2, 3, 2, 2, 8, 4],
}


def _group_rows(funders, targets, rng, start_ref):
    value_target, cost_target = targets
    rows = []
    ref = start_ref
    for funder, rate, cabx, cvs, asist, weight in funders:
        for provider, count in ((CABX, cabx), (CVS, cvs), (ASIST, asist)):
            for _ in range(count):
                kind, start, end, rolls, procured = PATTERNS[rng.randrange(len(PATTERNS))]
                if ref == start_ref:
                    # The first row of each group balances the totals: a three-year contract.
                    kind, start, end, rolls, procured = PATTERNS[0]
                hours = [h * rng.choice([1, 1, 2, 3]) for h in BASE_HOURS[kind]]
                rows.append(
                    {
                        "reference": f"TSC-{ref:03d}",
                        "funder": funder,
                        "provider": provider,
                        "type": kind,
                        "service_area": PROVIDER_AREA[provider],
                        "title": PROVIDER_TITLE[provider],
                        "weight": Decimal(weight * rng.randint(5, 15)),
                        "start": start,
                        "end": end,
                        "rolls": rolls,
                        "procured": procured,
                        "hours": hours,
                        "rate": Decimal(rate),
                    }
                )
                ref += 1
    _fit_values(rows, value_target)
    _fit_costs(rows, cost_target)
    return rows


def _fit_values(rows, target):
    weights = sum(r["weight"] for r in rows)
    for row in rows:
        row["value"] = (target * row["weight"] / weights).quantize(Decimal("10"))
    rows[0]["value"] += target - sum(r["value"] for r in rows)


def _cost(row):
    months = costing.contract_life_months(row["start"], row["end"], rolls_over=row["rolls"])
    return costing.resource_cost([Decimal(h) for h in row["hours"]], row["rate"], life_months=months).three_year_cost


def _fit_costs(rows, target):
    total = sum(_cost(r) for r in rows)
    scale = target / total
    for row in rows:
        row["hours"] = [Decimal(max(0, round(h * scale))) for h in row["hours"]]
    # The balancing row is a three-year contract (no adjustment) at £20 or £25 an hour: any whole-pound
    # residual is a whole number of hundredths of an hour of its monitoring time.
    balancer = rows[0]
    residual = target - sum(_cost(r) for r in rows)
    # Rounding whole hours leaves a residual; walk it down an hour of monitoring at a time on the other rows.
    changed = True
    while changed:
        changed = False
        for row in rows[1:]:
            step = 1 if residual > 0 else -1
            if row["hours"][5] + step < 0:
                continue
            before = _cost(row)
            row["hours"][5] += step
            delta = _cost(row) - before
            if abs(residual - delta) < abs(residual):
                residual -= delta
                changed = True
            else:
                row["hours"][5] -= step
    balancer["hours"][5] += residual / balancer["rate"]
    assert balancer["hours"][5] >= 0 and sum(_cost(r) for r in rows) == target  # noqa: S101 - generator check


def build_rows():
    """The demo register as rows in the column order of the import template."""
    rng = random.Random(20110908)  # the date of the seed's report
    rows = _group_rows(FIVE, FIVE_TARGETS, rng, 1) + _group_rows(TEN, TEN_TARGETS, rng, 75)
    return [
        [
            r["reference"],
            r["funder"],
            r["provider"],
            "SLA" if r["type"] == "sla" else r["type"].title(),
            r["service_area"],
            r["title"],
            r["value"],
            r["start"],
            r["end"],
            "Yes" if r["rolls"] else "No",
            r["procured"] or "Never",
            *[h.quantize(Decimal("0.01")) for h in r["hours"]],
            r["rate"].quantize(Decimal("0.01")),
            "",
        ]
        for r in rows
    ]


def demo_csv_bytes():
    return register_io.write_csv(build_rows())


PREFERENCES = [
    # partner, service code, option kind, cabinet, contribution
    ("Staffordshire County Council", "debt-advice", "aligned_budgets", True, "310000"),
    ("Stoke-on-Trent City Council", "debt-advice", "aligned_budgets", True, "240000"),
    ("Stafford Borough Council", "debt-advice", "aligned_budgets", True, "45000"),
    ("Tamworth Borough Council", "debt-advice", "stand_alone", False, None),
    ("Lichfield District Council", "debt-advice", "do_nothing", False, None),
    ("Staffordshire County Council", "infrastructure-volunteering", "aligned_budgets", True, "520000"),
    ("North Staffordshire PCT", "infrastructure-volunteering", "aligned_budgets", False, "150000"),
    ("Cannock Chase District Council", "infrastructure-volunteering", "stand_alone", True, None),
    ("Staffordshire County Council", "advocacy", "aligned_budgets", True, "180000"),
    ("Stoke-on-Trent City Council", "advocacy", "aligned_budgets", True, "120000"),
    ("North Staffordshire PCT", "advocacy", "aligned_budgets", False, "60000"),
    ("South Staffordshire PCT", "advocacy", "aligned_budgets", False, "70000"),
    ("Stoke on Trent PCT", "advocacy", "aligned_budgets", False, "40000"),
]


def ensure_reference_data():
    """The options and service areas of the data migration, again (a flushed test database has lost them)."""
    from importlib import import_module

    from django.apps import apps

    import_module("partnerships.migrations.0002_reference_data").create(apps, None)


def seed(out):
    from core_groups.models import Organisation

    from . import services
    from .models import PartnerPreference, ServiceArea, SharedOption

    ensure_reference_data()
    lead = Organisation.objects.filter(name="Staffordshire County Council").first()
    for area in ServiceArea.objects.filter(lead_commissioner__isnull=True):
        area.lead_commissioner = lead
        area.save(update_fields=["lead_commissioner"])  # one save each, so that history records it
    created, updated = services.register_import(
        name="funding_register.csv", data=demo_csv_bytes(), partnership=demo_partnership(pc.STAFFORDSHIRE)
    )
    options = {o.kind: o for o in SharedOption.objects.all()}
    for partner_name, code, kind, cabinet, contribution in PREFERENCES:
        partner = Organisation.objects.get(name=partner_name)
        area = ServiceArea.objects.get(code=code)
        existing = PartnerPreference.objects.filter(partner=partner, service_area=area).first()
        if existing:
            continue
        services.preference_record(
            partner=partner,
            service_area=area,
            option=options[kind],
            cabinet_decision_needed=cabinet,
            decision_date=date(2011, 11, 24),
            annual_contribution=Decimal(contribution) if contribution else None,
        )
    out.write(f"\nShared commissioning register: {created} added, {updated} updated.")
    seed_procurement(out)


def seed_procurement(out):
    """The partners in aligned budgets for advocacy start their procurement project (idempotent)."""
    from core_groups.models import User
    from procurement.models import TimetableTemplate

    from . import selectors, services
    from .models import ServiceArea

    area = ServiceArea.objects.filter(code="advocacy").select_related("lead_commissioner").first()
    team = User.objects.filter(username="evaluator").first()
    template = TimetableTemplate.objects.filter(name="Open procedure, light-touch services").first()
    if area is None or area.procurement_project_id or not selectors.aligned_budget_partners(area):
        return
    if team is None or template is None or area.lead_commissioner is None:
        return
    project = services.service_to_procurement_project(
        service_area=area,
        by=team,
        template=template,
        contract_start=date(2013, 4, 1),
        title="Independent advocacy: aligned budgets with a lead commissioner",
    )
    out.write(f"\nShared commissioning: advocacy is procurement project {project.reference}.")


if __name__ == "__main__":
    DEMO_CSV.parent.mkdir(exist_ok=True)
    DEMO_CSV.write_bytes(demo_csv_bytes())
    print(f"Wrote {DEMO_CSV}")
