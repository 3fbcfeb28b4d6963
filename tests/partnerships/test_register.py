"""The register: the demo reproduces the seed's map to the penny; imports are all or nothing."""

import io
from decimal import Decimal

import pytest

from core_groups.demo import seed_organisations
from partnerships import demo, selectors, services
from partnerships.exceptions import ImportRefused
from partnerships.models import FunderHourlyCost, FundingArrangement, ServiceArea
from tests.factories import PartnershipFactory, home_partnership, join_home_partnership

pytestmark = pytest.mark.django_db

FIVE = [name for name, *_ in demo.FIVE]


@pytest.fixture
def orgs():
    seed_organisations()
    join_home_partnership()


def _csv_lines():
    return demo.demo_csv_bytes().decode("utf-8-sig").splitlines()


def _bytes(lines):
    return ("\n".join(lines) + "\n").encode()


def test_the_committed_demo_file_is_what_the_generator_writes():
    assert demo.DEMO_CSV.read_bytes() == demo.demo_csv_bytes()


def test_demo_register_reproduces_the_seeds_map_to_the_penny(orgs):
    created, updated = services.register_import(
        partnership=home_partnership(), name="demo.csv", data=demo.DEMO_CSV.read_bytes()
    )
    assert (created, updated) == (100, 0)
    result = selectors.register_map()
    counts = {g.label: g.count for g in result.by_provider}
    assert counts == {"CABx": 28, "CVS/VAST": 55, "Asist": 17}
    assert result.total.count == 100
    assert result.total.resource_cost == Decimal("426937.00")
    assert result.uncosted == 0
    assert Decimal("5900000") <= result.total.annual_value <= Decimal("6100000")
    assert len(result.by_funder) == 15

    five = FundingArrangement.objects.filter(funder__name__in=FIVE)
    assert five.count() == 74
    five_map = selectors.register_map(five.with_parties())
    assert five_map.total.resource_cost == Decimal("347365.00")
    assert Decimal("4800000") <= five_map.total.annual_value < Decimal("5000000")
    # Advocacy (Asist) is funded by the five partners only, as in paragraph 3.5.
    assert set(FundingArrangement.objects.filter(provider__name="Asist").values_list("funder__name", flat=True)) <= set(
        FIVE
    )


def test_savings_from_the_register_reproduce_paragraphs_3_5_and_3_7(orgs):
    from partnerships.costing import SharedContract, savings

    services.register_import(partnership=home_partnership(), name="demo.csv", data=demo.DEMO_CSV.read_bytes())
    areas = list(ServiceArea.objects.order_by("pk"))
    all_ids = list(FundingArrangement.objects.values_list("funder_id", flat=True).distinct())
    today, count, uncosted = selectors.current_resource_cost(
        partner_ids=all_ids, service_area_ids=[a.pk for a in areas]
    )
    assert (today, count, uncosted) == (Decimal("426937.00"), 100, 0)
    result = savings(
        current_cost=today,
        contracts=[SharedContract(a.name, a.shared_cost_per_contract) for a in areas],
        partners=len(all_ids),
    )
    assert (result.shared_cost, result.saving) == (Decimal("109289.00"), Decimal("317648.00"))

    five_ids = list(FundingArrangement.objects.filter(funder__name__in=FIVE).values_list("funder_id", flat=True))
    today5, count5, _ = selectors.current_resource_cost(partner_ids=five_ids, service_area_ids=[a.pk for a in areas])
    assert (today5, count5) == (Decimal("347365.00"), 74)
    result5 = savings(
        current_cost=today5, contracts=[SharedContract(a.name, Decimal("27289")) for a in areas], partners=5
    )
    assert (result5.shared_cost, result5.saving) == (Decimal("81867.00"), Decimal("265498.00"))


def test_a_100_row_file_with_one_bad_row_saves_nothing_and_names_that_row(orgs):
    lines = _csv_lines()
    cells = lines[42].split(",")
    cells[1] = "Atlantis District Council"  # line 43 of the file: unknown funder
    lines[42] = ",".join(cells)
    with pytest.raises(ImportRefused) as refused:
        services.register_import(partnership=home_partnership(), name="register.csv", data=_bytes(lines))
    problems = refused.value.problems
    assert [(p.line, p.column) for p in problems] == [(43, "Funder")]
    assert "Atlantis" in problems[0].message
    assert FundingArrangement.objects.count() == 0
    assert FunderHourlyCost.objects.count() == 0

    created, _ = services.register_import(
        partnership=home_partnership(), name="register.csv", data=_bytes(_csv_lines())
    )
    assert created == 100
    assert FundingArrangement.objects.count() == 100


def test_every_problem_is_listed_by_line_and_column(orgs):
    lines = _csv_lines()[:4]
    header = lines[0].split(",")
    row2 = lines[1].split(",")
    row3 = lines[2].split(",")
    row4 = lines[3].split(",")
    col = {name: i for i, name in enumerate(header)}
    row2[col["Provider"]] = "Nobody Ltd"
    row2[col["Start date"] + 1] = "31/02/2011"  # the title has a comma: shift by one quoted column
    row3[col["Annual value"] + 1] = "-5"
    row4[col["Confirming the budget (hours)"] + 1] = "-2"
    data = _bytes([lines[0], ",".join(row2), ",".join(row3), ",".join(row4)])
    rows, problems = services.register_validate_upload(name="x.csv", data=data)
    found = {(p.line, p.column) for p in problems}
    assert (2, "Provider") in found
    assert (2, "Start date") in found
    assert (3, "Annual value") in found
    assert (4, "Confirming the budget (hours)") in found
    assert not rows or len(rows) < 3


def test_a_missing_column_refuses_the_file(orgs):
    lines = _csv_lines()[:3]
    stripped = [",".join(line.split(",")[:1] + line.split(",")[2:]) for line in lines]  # no Funder column
    with pytest.raises(ImportRefused) as refused:
        services.register_import(partnership=home_partnership(), name="x.csv", data=_bytes(stripped))
    assert [(p.line, p.column) for p in refused.value.problems] == [(1, "Funder")]


def test_excel_round_trip_and_reimport_updates(orgs):
    from partnerships import register_io

    services.register_import(partnership=home_partnership(), name="demo.csv", data=demo.DEMO_CSV.read_bytes())
    rows = [register_io.arrangement_row(a) for a in FundingArrangement.objects.with_parties()]
    workbook = register_io.write_excel(rows)
    assert workbook[:4] == b"PK\x03\x04"
    created, updated = services.register_import(partnership=home_partnership(), name="register.xlsx", data=workbook)
    assert (created, updated) == (0, 100)
    assert selectors.register_map().total.resource_cost == Decimal("426937.00")
    assert FundingArrangement.objects.get(reference="TSC-001").version == 2


def test_a_broken_file_is_refused_in_words(orgs):
    _rows, problems = services.register_validate_upload(name="x.xlsx", data=b"not a workbook")
    assert problems and "Excel" in problems[0].message
    _rows, problems = services.register_validate_upload(name="x.csv", data=b"")
    assert problems and "empty" in problems[0].message


def test_aligned_budget_partners_reads_out_partners_and_contributions(orgs, capsys):
    demo.seed(io.StringIO())
    advocacy = ServiceArea.objects.get(code="advocacy")
    partners = selectors.aligned_budget_partners(advocacy)
    assert {p.partner.name for p in partners} == set(FIVE)
    assert sum(p.annual_contribution for p in partners) == Decimal("470000")
    demo.seed(io.StringIO())  # idempotent
    assert FundingArrangement.objects.count() == 100


def test_a_row_naming_an_organisation_outside_the_partnership_is_refused_by_line_and_column(orgs):
    """Issue 12: Kent County Council as a Staffordshire funder, Voluntary Action Cardiff as its provider."""
    from core_groups.models import Organisation

    Organisation.objects.get_or_create(
        name="Voluntary Action Cardiff",
        defaults={"kind": Organisation.Kind.PROVIDER, "is_commissioning_partner": False},
    )
    Organisation.objects.get_or_create(
        name="Kent County Council", defaults={"kind": Organisation.Kind.COUNTY, "is_commissioning_partner": True}
    )
    elsewhere = PartnershipFactory(short_name="kent-elsewhere", name="Elsewhere")
    home_partnership().organisations.remove(*Organisation.objects.filter(name__in=["Kent County Council"]))
    home_partnership().organisations.remove(*Organisation.objects.filter(name="Voluntary Action Cardiff"))
    elsewhere.organisations.add(
        *Organisation.objects.filter(name__in=["Kent County Council", "Voluntary Action Cardiff"])
    )
    lines = _csv_lines()
    cells = lines[9].split(",")
    cells[1], cells[2] = "Kent County Council", "Voluntary Action Cardiff"  # line 10 of the file
    lines[9] = ",".join(cells)
    with pytest.raises(ImportRefused) as refused:
        services.register_import(partnership=home_partnership(), name="register.csv", data=_bytes(lines))
    problems = refused.value.problems
    assert [(p.line, p.column) for p in problems] == [(10, "Funder"), (10, "Provider")]
    assert all("not a member of this partnership" in p.message for p in problems)
    assert FundingArrangement.objects.count() == 0
