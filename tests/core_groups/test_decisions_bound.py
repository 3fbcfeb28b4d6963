"""Decisions bound to what was decided (issue 13 item 1, business cases): the decision records the version
and digest of the decided fields; a change to them reopens it visibly; no page shows an approval for
content it did not approve."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups import services
from core_groups.decisions import BUSINESS_CASE_FIELDS, decided_values, digest
from core_groups.models import Commission, Decision
from foundation.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(personas, cymorth):
    commission = services.commission_update(
        expected_version=cymorth.commission.version,
        user=personas.member,
        commission=cymorth.commission,
        route=Commission.Route.SINGLE_TENDER,
        annual_value=Decimal("180000.00"),
        business_case="Only one accredited provider can start by April.",
    )
    return services.business_case_decide(
        user=personas.body,
        commission=commission,
        expected_version=commission.version,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
        meeting="JCG, 20 January 2010",
        minute="7.2",
        conditions="Review after one year.",
    )


def test_digest_is_stable_and_sensitive():
    values = {"annual_value": Decimal("180000"), "route": "single_tender", "business_case": "Text"}
    assert digest(values) == digest(dict(reversed(list(values.items()))))
    assert digest(values) != digest({**values, "annual_value": Decimal("900000")})


def test_approval_records_who_when_meeting_version_and_digest(personas, approved):
    decision = Decision.objects.for_subject(approved).get()
    assert decision.decided_by == personas.body and decision.minute == "7.2" and decision.outcome == "approved"
    assert decision.subject_version == approved.version - 1
    assert decision.digest == digest(decided_values(approved, BUSINESS_CASE_FIELDS))
    assert decision.decided_values["annual_value"] == "180000.00"


def test_raising_an_approved_business_case_to_900000_reopens_it(client, personas, approved):
    """The finding: the member raised the value from £180,000 to £900,000 and the page still said Approved."""
    client.force_login(personas.member)
    page = reverse("core_groups:commission", args=[approved.pk])
    assert "Approved by the JCG on 20 January 2010" in client.get(page).content.decode()
    response = client.post(
        reverse("core_groups:commission_edit", args=[approved.pk]),
        {
            "title": approved.title,
            "phase": approved.phase,
            "route": approved.route,
            "status": approved.status,
            "annual_value": "900000.00",
            "business_case": approved.business_case + " Now county-wide.",
            "version": approved.version,
        },
        follow=True,
    )
    body = response.content.decode()
    assert "no longer applies" in body and "annual value" in body
    assert "Approved by the JCG on" not in body
    assert "awaiting a new decision" in body
    fresh = Commission.objects.get(pk=approved.pk)
    assert fresh.business_case_decision == "" and fresh.annual_value == Decimal("900000.00")
    old = Decision.objects.for_subject(fresh).get()
    assert old.is_superseded and old.superseded_by == personas.member
    assert "business case and annual value" in old.superseded_reason
    assert OutboxMessage.objects.filter(key=f"core_groups.decision_reopened:{old.pk}").exists()
    # Approved again: both decisions stay on record, one in force.
    services.business_case_decide(
        user=personas.body,
        commission=fresh,
        expected_version=fresh.version,
        decision="approved",
        decided_on=dt.date(2010, 2, 17),
    )
    assert Decision.objects.for_subject(fresh).count() == 2
    assert Decision.objects.for_subject(fresh).current().get().decided_on == dt.date(2010, 2, 17)


def test_a_write_that_bypasses_the_service_never_shows_the_old_approval(client, personas, approved):
    Commission.objects.filter(pk=approved.pk).update(annual_value=Decimal("900000.00"))
    client.force_login(personas.body)
    body = client.get(reverse("core_groups:commission", args=[approved.pk])).content.decode()
    assert "Approved by the JCG on" not in body
    assert "was about an earlier version" in body


def test_changing_an_undecided_field_keeps_the_decision(personas, approved):
    saved = services.commission_update(
        expected_version=approved.version, user=personas.member, commission=approved, notes="Minutes filed."
    )
    assert saved.business_case_decision == "approved"
    assert Decision.objects.for_subject(saved).current().exists()


def test_reopening_tells_the_body_of_the_commissions_partnership_only(client, personas, approved):
    from core_groups import roles
    from tests.factories import PartnershipFactory, UserFactory

    elsewhere = UserFactory(
        username="elsewhere_body", roles=[roles.COMMISSIONING_BODY], partnership=PartnershipFactory(short_name="far")
    )
    services.commission_update(
        user=personas.member,
        commission=approved,
        expected_version=approved.version,
        annual_value=Decimal("900000.00"),
    )
    old = Decision.objects.for_subject(approved).get()
    told = set(
        OutboxMessage.objects.filter(key=f"core_groups.decision_reopened:{old.pk}").values_list("recipient", flat=True)
    )
    assert personas.body.email in told and elsewhere.email not in told
