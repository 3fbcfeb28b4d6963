"""Declared interests on any date (issue 13 item 3): no future start, and an interest in force on the
decision date (or on the day the decision is recorded) blocks the decision whatever the order of entry."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core_groups import services
from core_groups.models import Commission, DeclaredInterest
from tests.factories import DeclaredInterestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def single_tender(personas, cymorth):
    return services.commission_update(
        user=personas.member,
        commission=cymorth.commission,
        expected_version=cymorth.commission.version,
        route=Commission.Route.SINGLE_TENDER,
        business_case="Only one provider holds the accreditation.",
    )


def test_a_declaration_dated_in_the_future_is_refused_with_a_clear_error(client, personas, single_tender):
    future = timezone.localdate() + dt.timedelta(days=400)
    with pytest.raises(ValidationError) as exc:
        services.interest_declare(user=personas.body, description="Trustee", subject=single_tender, declared_on=future)
    assert "cannot take effect in the future" in exc.value.error_dict["declared_on"][0].message
    assert not DeclaredInterest.objects.filter(user=personas.body).exists()
    client.force_login(personas.body)
    response = client.post(
        reverse("core_groups:declarations"),
        {"commission": single_tender.pk, "description": "Trustee", "declared_on": "2027-06-01"},
    )
    if dt.date(2027, 6, 1) > timezone.localdate():
        assert response.status_code == 200
        assert "cannot take effect in the future" in response.content.decode()
        assert not DeclaredInterest.objects.filter(user=personas.body).exists()


def test_interest_dated_2027_then_approving_the_business_case_is_blocked(personas, single_tender):
    """The finding: a declaration with a 2027 date was ignored by the conflict check. A row that exists
    with a future start (made before this rule, or in the admin) counts from the day it was made."""
    DeclaredInterestFactory(
        user=personas.body, organisation=None, subject=single_tender, declared_on=dt.date(2027, 1, 1)
    )
    before = Commission.objects.get(pk=single_tender.pk)
    with pytest.raises(ValidationError) as exc:
        services.business_case_decide(
            user=personas.body,
            commission=single_tender,
            expected_version=single_tender.version,
            decision="approved",
            decided_on=timezone.localdate(),
        )
    assert "declared an interest" in exc.value.error_dict["business_case_decision"][0].message
    after = Commission.objects.get(pk=single_tender.pk)
    assert (after.business_case_decision, after.version) == (before.business_case_decision, before.version)


def test_interest_in_force_on_the_decision_date_blocks_even_if_ended_since(personas, single_tender):
    """Entered in any order: an interest from 2009 to 2011, the decision dated 2010, recorded today."""
    DeclaredInterestFactory(
        user=personas.body,
        organisation=None,
        subject=single_tender,
        declared_on=dt.date(2009, 1, 1),
        withdrawn_on=dt.date(2011, 1, 1),
    )
    with pytest.raises(ValidationError):
        services.business_case_decide(
            user=personas.body,
            commission=single_tender,
            expected_version=single_tender.version,
            decision="approved",
            decided_on=dt.date(2010, 1, 20),
        )
    # The same interest did not cover a decision dated 2012 (and it is not in force today): that one stands.
    decided = services.business_case_decide(
        user=personas.body,
        commission=single_tender,
        expected_version=single_tender.version,
        decision="approved",
        decided_on=dt.date(2012, 1, 20),
    )
    assert decided.business_case_decision == "approved"


def test_interest_ended_before_the_decision_does_not_block(personas, single_tender):
    DeclaredInterestFactory(
        user=personas.body,
        organisation=None,
        subject=single_tender,
        declared_on=dt.date(2008, 1, 1),
        withdrawn_on=dt.date(2009, 1, 1),
    )
    decided = services.business_case_decide(
        user=personas.body,
        commission=single_tender,
        expected_version=single_tender.version,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
    )
    assert decided.business_case_decision == "approved"


def test_declaration_takes_an_end_date(personas, single_tender):
    interest = services.interest_declare(
        user=personas.member,
        description="Secondment",
        subject=single_tender,
        declared_on=dt.date(2010, 1, 1),
        ends_on=dt.date(2010, 12, 31),
    )
    assert interest.withdrawn_on == dt.date(2010, 12, 31)
    assert DeclaredInterest.objects.in_force(dt.date(2010, 6, 1)).filter(pk=interest.pk).exists()
    assert not DeclaredInterest.objects.in_force(dt.date(2011, 6, 1)).filter(pk=interest.pk).exists()


def test_an_interest_declared_after_the_decision_but_in_force_on_its_date_reopens_it(personas, single_tender):
    """Entered the other way round: the decision first, then the interest, dated before the decision."""
    from core_groups.models import Decision

    decided = services.business_case_decide(
        user=personas.body,
        commission=single_tender,
        expected_version=single_tender.version,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
    )
    assert decided.business_case_decision == "approved"
    services.interest_declare(
        user=personas.body, description="Trustee since 2009", subject=single_tender, declared_on=dt.date(2009, 6, 1)
    )
    fresh = Commission.objects.get(pk=single_tender.pk)
    assert fresh.business_case_decision == ""
    old = Decision.objects.for_subject(fresh).get()
    assert old.is_superseded and "declared an interest in force on the decision date" in old.superseded_reason


def test_an_interest_starting_after_the_decision_leaves_it_standing(personas, single_tender):
    services.business_case_decide(
        user=personas.body,
        commission=single_tender,
        expected_version=single_tender.version,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
    )
    services.interest_declare(
        user=personas.body, description="Joined the board", subject=single_tender, declared_on=dt.date(2011, 1, 1)
    )
    assert Commission.objects.get(pk=single_tender.pk).business_case_decision == "approved"
