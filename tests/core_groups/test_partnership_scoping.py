"""Every partnership sees only its own (issue 12): another partnership's objects answer 404, the switch, the page
for a person in no partnership."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from core_groups import roles, tenancy
from core_groups.models import Organisation
from growth_bids import permissions as bid_permissions
from growth_bids import services as bid_services
from growth_bids.defaults import ensure_reference_data
from procurement import services as procurement_services
from procurement.models import TimetableTemplate
from tests.factories import (
    AllocationFactory,
    CommissionFactory,
    CoreGroupFactory,
    MembershipFactory,
    OrganisationFactory,
    PartnershipFactory,
    ProgrammeFactory,
    RiskFactory,
    UserFactory,
)
from tests.growth_bids.helpers import bid_data


@pytest.fixture
def world(db):
    """Kent and Cardiff: each with its own organisation, people, programme, core group, round, bid and project."""
    ensure_reference_data()
    procurement_services.templates_install()
    kent = PartnershipFactory(short_name="kent", name="Supporting People in Kent")
    cardiff = PartnershipFactory(short_name="cardiff", name="Cardiff CYPP")
    kcc = OrganisationFactory(name="Kent County Council", kind=Organisation.Kind.COUNTY, partnerships=[kent])
    council = OrganisationFactory(name="Cardiff Council", kind=Organisation.Kind.UNITARY, partnerships=[cardiff])
    health = OrganisationFactory(name="Cardiff and Vale UHB", kind=Organisation.Kind.HEALTH, partnerships=[cardiff])
    people = {
        "kent_officer": UserFactory(username="kent_officer", organisation=kcc, partnership=kent, roles=[roles.OFFICER]),
        "kent_body": UserFactory(
            username="kent_body", organisation=kcc, partnership=kent, roles=[roles.COMMISSIONING_BODY]
        ),
        "cardiff_officer": UserFactory(
            username="cardiff_officer", organisation=council, partnership=cardiff, roles=[roles.OFFICER]
        ),
        "cardiff_body": UserFactory(
            username="cardiff_body", organisation=health, partnership=cardiff, roles=[roles.COMMISSIONING_BODY]
        ),
        "cardiff_member": UserFactory(
            username="cardiff_member", organisation=council, partnership=cardiff, roles=[roles.CORE_GROUP_MEMBER]
        ),
    }
    programme = ProgrammeFactory(name="Cymorth", partnership=cardiff)
    group = CoreGroupFactory(programme=programme, name="Family Support")
    MembershipFactory(core_group=group, user=people["cardiff_member"])
    AllocationFactory(core_group=group, financial_year=2010, amount=Decimal("1000000.00"))
    commission = CommissionFactory(core_group=group, title="Parenting support")
    risk = RiskFactory(core_group=group, title="Cardiff capacity")
    kent_group = CoreGroupFactory(programme=ProgrammeFactory(name="Kent SP", partnership=kent), name="Kent group")

    today = timezone.localdate()
    funding_round = bid_services.round_create(
        programme=programme,
        financial_year=today.year if today.month >= 4 else today.year - 1,
        growth_money=Decimal("500000"),
        holdback_pct=Decimal("10"),
        opens_on=today,
        closes_at=timezone.now() + dt.timedelta(days=10),
    )
    funding_round = bid_services.round_open(funding_round=funding_round)
    bid = bid_services.bid_create(
        funding_round=funding_round, by=people["cardiff_officer"], data=bid_data(funding_round)
    )
    bid = bid_services.bid_submit(bid=bid, by=people["cardiff_officer"], version=bid.version)
    project = procurement_services.project_create(
        title="Cardiff family support",
        reference="CDF-1",
        procedure="open",
        lead_organisation=council,
        contract_start=dt.date(2030, 4, 1),
        template=TimetableTemplate.objects.get(name="Open procedure (Procurement Act 2023)"),
    )
    return type(
        "World",
        (),
        {
            "kent": kent,
            "cardiff": cardiff,
            "people": people,
            "programme": programme,
            "group": group,
            "commission": commission,
            "risk": risk,
            "round": funding_round,
            "bid": bid,
            "project": project,
            "kent_group": kent_group,
        },
    )


def cardiff_urls(w):
    return [
        reverse("core_groups:programme", args=[w.programme.pk]),
        reverse("core_groups:group", args=[w.group.pk]),
        reverse("core_groups:commission", args=[w.commission.pk]),
        reverse("core_groups:commission_edit", args=[w.commission.pk]),
        reverse("core_groups:risk", args=[w.risk.pk]),
        reverse("core_groups:forecast", args=[w.group.pk, 2010]),
        reverse("growth_bids:round_detail", args=[w.round.pk]),
        reverse("growth_bids:bid_detail", args=[w.bid.pk]),
        reverse("growth_bids:decide", args=[w.bid.pk]),
        reverse("growth_bids:body_list", args=[w.round.pk]),
        reverse("procurement:project_detail", args=[w.project.pk]),
    ]


def test_objects_belong_to_their_partnership(world):
    assert world.group.partnership == world.cardiff
    assert world.project.partnership == world.cardiff
    assert world.risk.partnership == world.cardiff


def test_cardiffs_own_people_open_cardiffs_pages(client, world):
    client.force_login(world.people["cardiff_body"])
    for url in [
        reverse("core_groups:group", args=[world.group.pk]),
        reverse("growth_bids:round_detail", args=[world.round.pk]),
        reverse("growth_bids:bid_detail", args=[world.bid.pk]),
        reverse("procurement:project_detail", args=[world.project.pk]),
    ]:
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["kent_officer", "kent_body"])
def test_kent_gets_404_on_every_cardiff_page_and_never_its_name(client, world, who):
    client.force_login(world.people[who])
    for url in cardiff_urls(world):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Family Support" not in response.text and "Cardiff family support" not in response.text


def test_kent_lists_show_nothing_of_cardiff(client, world):
    client.force_login(world.people["kent_body"])
    for url in [
        reverse("core_groups:index"),
        reverse("core_groups:commissions"),
        reverse("core_groups:risks"),
        reverse("growth_bids:round_list"),
        reverse("procurement:project_list"),
        reverse("home"),
    ]:
        text = client.get(url).text
        for name in (
            "Cymorth",
            "Family Support",
            "Parenting support",
            "Cardiff capacity",
            "CDF-1",
            world.bid.reference,
        ):
            assert name not in text, (url, name)


def test_kents_body_member_cannot_decide_cardiffs_bid(world):
    kent_body, cardiff_body = world.people["kent_body"], world.people["cardiff_body"]
    assert "Only members of the Commissioning Body" in bid_permissions.decision_refusal(kent_body, world.bid)
    assert "Only members of the Commissioning Body" not in (
        bid_permissions.decision_refusal(cardiff_body, world.bid) or ""
    )


def test_a_signed_out_visitor_is_sent_to_sign_in_not_told_404(client, world):
    response = client.get(reverse("core_groups:commission_edit", args=[world.commission.pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_person_in_one_partnership_sees_its_name_and_no_switch(client, world):
    client.force_login(world.people["cardiff_officer"])
    page = client.get(reverse("home")).text
    assert "Cardiff CYPP" in page
    assert reverse("partnership:switch") not in page


def test_a_person_in_two_partnerships_switches_and_the_choice_is_remembered(client, world):
    person = world.people["kent_body"]
    tenancy.grant_roles(user=person, partnership=world.cardiff, role_names=[roles.COMMISSIONING_BODY])
    client.force_login(person)
    page = client.get(reverse("home")).text
    assert reverse("partnership:switch") in page and "Cardiff CYPP" in page and "Supporting People in Kent" in page
    cardiff_group = reverse("core_groups:group", args=[world.group.pk])
    kent_group = reverse("core_groups:group", args=[world.kent_group.pk])
    # Starts in Kent (the first); Cardiff's group is not found until they switch.
    assert client.get(kent_group).status_code == 200
    assert client.get(cardiff_group).status_code == 404
    response = client.post(reverse("partnership:switch"), {"partnership": world.cardiff.pk})
    assert response.status_code == 302
    assert client.get(cardiff_group).status_code == 200
    assert client.get(kent_group).status_code == 404
    # The Body role now counts in Cardiff too: what stops a decision is the round's stage, not the person.
    refusal = bid_permissions.decision_refusal(person, world.bid) or ""
    assert "Only members of the Commissioning Body" not in refusal


def test_switching_to_a_partnership_one_is_not_in_is_not_found(client, world):
    client.force_login(world.people["kent_officer"])
    assert client.post(reverse("partnership:switch"), {"partnership": world.cardiff.pk}).status_code == 404
    assert client.post(reverse("partnership:switch"), {"partnership": "x"}).status_code == 404
    assert client.get(reverse("partnership:switch")).status_code == 405


def test_a_person_in_no_partnership_is_told_whom_to_ask(client, db):
    loner = UserFactory(username="loner", organisation=OrganisationFactory(name="Nowhere", partnerships=[]))
    client.force_login(loner)
    for url in [reverse("home"), reverse("core_groups:index"), reverse("growth_bids:round_list")]:
        response = client.get(url)
        assert response.status_code == 200
        assert "not in any partnership yet" in response.text and "partnership administrator" in response.text
