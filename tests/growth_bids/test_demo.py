"""The demo round carries DOMAIN Rule 1's worked example end to end through the database."""

import io
from decimal import Decimal

import pytest

from core_groups import demo as core_demo
from growth_bids import demo, selectors
from growth_bids.models import Bid, Decision, FundingRound
from procurement import services as procurement_services
from procurement.models import ProcurementProject

pytestmark = pytest.mark.django_db


def test_demo_round_recommends_a_c_e_and_keeps_b_in_reserve():
    procurement_services.templates_install()
    out = io.StringIO()
    core_demo.seed(out)
    demo.seed(out)
    demo.seed(out)  # idempotent
    funding_round = FundingRound.objects.get(financial_year=2010)
    assert FundingRound.objects.count() == 1 and Bid.objects.count() == 5
    assert funding_round.available == Decimal("450000.00")
    scores = {b.title[0]: b.score for b in funding_round.bids.all()}
    assert scores == {"A": 7, "B": 6, "C": 6, "D": 5, "E": 4}
    result = selectors.round_recommendation(funding_round)
    letter = {b.reference: b.title[0] for b in funding_round.bids.all()}
    assert [letter[r] for r in result.ranked] == ["A", "C", "B", "D", "E"]
    assert [letter[r] for r in result.funded] == ["A", "C", "E"]
    assert letter[result.reserve] == "B"
    assert result.funded_total == Decimal("410000.00")


def test_demo_bid_a_is_funded_and_became_a_procurement_project_once():
    procurement_services.templates_install()
    out = io.StringIO()
    core_demo.seed(out)
    demo.seed(out)
    demo.seed(out)  # idempotent
    a = Bid.objects.get(title__startswith="A:")
    assert a.decision.outcome == "funded" and a.decision.amount == Decimal("200000.00")
    assert Decision.objects.count() == 1  # the Body's other decisions are left to try in the demo
    project = ProcurementProject.objects.get(growth_bids=a)
    assert project.reference == a.reference and project.lead_organisation == a.applicant
    assert project.estimated_annual_value == Decimal("200000.00")
    assert {link.organisation.name for link in project.partner_links.all()} == {
        "Kent County Council",
        "Ashford Borough Council",
    }
    assert project.timetables.get(is_current=True).tasks.exists()
    assert ProcurementProject.objects.filter(reference=a.reference).count() == 1
