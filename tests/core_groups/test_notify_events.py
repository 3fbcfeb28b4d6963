"""Core-group events through foundation.notifications (issue 15): the JCG decided a business case or a
specification. The commission's lead officer and its core group's members are told once, in the app and by
email with the commission's absolute link; the decider and people of other partnerships are not."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups import notifications, services
from core_groups.models import Commission
from foundation.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, PartnershipFactory, UserFactory
from tests.notify_assertions import SITE, assert_told

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


@pytest.fixture
def stranger(cymorth):
    """A member of the core group who works only in another partnership (left, or added by mistake)."""
    partnership = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    far = OrganisationFactory(name="Far Away Council", partnerships=[partnership])
    user = UserFactory(username="far_member", organisation=far, roles=["Core group member"], partnership=partnership)
    MembershipFactory(core_group=cymorth.group, user=user)
    return user


def test_a_business_case_decision_tells_the_core_group_with_its_conditions(personas, cymorth, stranger):
    lead = UserFactory(username="lead", organisation=personas.home, roles=["Officer"])
    commission = services.commission_update(
        expected_version=cymorth.commission.version,
        user=personas.member,
        commission=cymorth.commission,
        route=Commission.Route.SINGLE_TENDER,
        lead_officer=lead,
        annual_value=Decimal("180000.00"),
        business_case="Only one accredited provider can start by April.",
    )
    services.business_case_decide(
        user=personas.body,
        commission=commission,
        expected_version=commission.version,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
        meeting="JCG, 20 January 2010",
        minute="7.2",
        conditions="Review after one year.",
    )
    emails = assert_told(
        notifications.BUSINESS_CASE_DECIDED,
        [personas.member, personas.provider, lead],
        reverse("core_groups:commission", args=[commission.pk]),
    )
    body = emails[lead.email]
    assert "approved the business case for Parenting support" in body
    assert "Conditions or reasons: Review after one year." in body
    assert "Business case approved" in Notification.objects.get(recipient=lead).title
    assert not Notification.objects.filter(recipient__in=[personas.body, stranger]).exists()


def test_approving_a_specification_tells_the_core_group(personas, cymorth, stranger):
    commission = cymorth.commission
    services.specification_decide(
        user=personas.member, commission=commission, state="with_jcg", expected_version=commission.version
    )
    assert not Notification.objects.exists()  # sending it to the JCG decides nothing
    commission.refresh_from_db()
    services.specification_decide(
        user=personas.body, commission=commission, state="approved", expected_version=commission.version
    )
    emails = assert_told(
        notifications.SPECIFICATION_DECIDED,
        [personas.member, personas.provider],
        reverse("core_groups:commission", args=[commission.pk]),
    )
    assert "The specification for Parenting support" in emails[personas.member.email]
    assert "was approved" in emails[personas.member.email]
    assert not Notification.objects.filter(recipient__in=[personas.body, stranger]).exists()
