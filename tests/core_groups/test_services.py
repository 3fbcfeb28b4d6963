"""Writes: validation rules, permissions inside the services, conflicts on approvals, concurrent edits."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core_groups import services
from core_groups.models import Allocation, Commission, Risk, SpendEntry
from foundation.editing import StaleEdit
from tests.factories import DeclaredInterestFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def test_single_tender_needs_a_business_case(personas, cymorth):
    with pytest.raises(ValidationError) as exc:
        services.commission_create(
            user=personas.member, core_group=cymorth.group, title="Holiday play", route=Commission.Route.SINGLE_TENDER
        )
    assert "business_case" in exc.value.error_dict
    assert not Commission.objects.filter(title="Holiday play").exists()
    made = services.commission_create(
        user=personas.member,
        core_group=cymorth.group,
        title="Holiday play",
        route=Commission.Route.SINGLE_TENDER,
        business_case="Only one provider can run the schemes this summer.",
    )
    assert made.history.count() == 1


def test_outsider_cannot_add_to_a_groups_work_plan(personas, cymorth):
    with pytest.raises(PermissionDenied):
        services.commission_create(user=personas.outsider, core_group=cymorth.group, title="Sneaky")
    with pytest.raises(PermissionDenied):
        services.commission_create(user=personas.member, core_group=cymorth.other_group, title="Not my group")
    assert services.commission_create(user=personas.evaluator, core_group=cymorth.other_group, title="Team adds")


def test_provider_member_edits_the_plan_but_cannot_set_its_value(personas, cymorth):
    updated = services.commission_update(
        user=personas.provider,
        commission=cymorth.commission,
        expected_version=cymorth.commission.version,
        title="Parenting support (draft wording)",
        annual_value=Decimal("1.00"),
    )
    assert updated.title == "Parenting support (draft wording)"
    assert updated.annual_value == Decimal("45678.91")


def test_second_editor_is_told_and_nothing_is_overwritten(personas, cymorth):
    version = cymorth.commission.version
    services.commission_update(
        user=personas.member, commission=cymorth.commission, expected_version=version, title="First edit"
    )
    with pytest.raises(StaleEdit) as exc:
        services.commission_update(
            user=personas.evaluator, commission=cymorth.commission, expected_version=version, title="Second edit"
        )
    assert "while you were editing" in exc.value.messages[0]
    cymorth.commission.refresh_from_db()
    assert cymorth.commission.title == "First edit"


def test_risk_edit_conflict_is_detected(personas, cymorth):
    version = cymorth.risk.version
    services.risk_update(user=personas.member, risk=cymorth.risk, expected_version=version, likelihood=2)
    with pytest.raises(StaleEdit):
        services.risk_update(user=personas.evaluator, risk=cymorth.risk, expected_version=version, likelihood=5)
    cymorth.risk.refresh_from_db()
    assert (cymorth.risk.likelihood, cymorth.risk.score, cymorth.risk.rating) == (2, 8, "amber")


def test_second_allocation_for_the_same_group_and_year_is_refused(personas, cymorth):
    with pytest.raises(ValidationError) as exc:
        services.allocation_set(
            user=personas.body, core_group=cymorth.group, financial_year=2010, amount=Decimal("5.00")
        )
    assert "already has an allocation" in str(exc.value)
    assert Allocation.objects.filter(core_group=cymorth.group).count() == 1


def test_only_the_jcg_or_programme_team_set_allocations(personas, cymorth):
    with pytest.raises(PermissionDenied):
        services.allocation_set(user=personas.member, core_group=cymorth.group, financial_year=2011, amount="10")
    allocation = services.allocation_set(
        user=personas.body, core_group=cymorth.group, financial_year=2011, amount="1000.005"
    )
    assert allocation.amount == Decimal("1000.01")  # rounded half up to the penny


@pytest.mark.parametrize("amount", ["-5", "abc", "0"])
def test_bad_spend_amounts_are_refused(personas, cymorth, amount):
    before = SpendEntry.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.spend_record(
            user=personas.member,
            core_group=cymorth.group,
            spent_on=dt.date(2010, 5, 1),
            amount=amount,
            description="x",
        )
    assert "amount" in exc.value.error_dict
    assert SpendEntry.objects.count() == before


def test_spend_with_no_allocation_for_its_year_is_refused(personas, cymorth):
    with pytest.raises(ValidationError) as exc:
        services.spend_record(
            user=personas.member,
            core_group=cymorth.group,
            spent_on=dt.date(2011, 4, 1),  # 2011-12: no allocation
            amount="10.00",
            description="Too early",
        )
    assert "no allocation for 2011-12" in exc.value.error_dict["spent_on"][0].message
    entry = services.spend_record(
        user=personas.member,
        core_group=cymorth.group,
        spent_on=dt.date(2011, 3, 31),
        amount="10.00",
        description="Last day of 2010-11",
    )
    assert entry.financial_year == 2010 and entry.recorded_by == personas.member


def test_provider_cannot_record_spend(personas, cymorth):
    with pytest.raises(PermissionDenied):
        services.spend_record(
            user=personas.provider,
            core_group=cymorth.group,
            spent_on=dt.date(2010, 5, 1),
            amount="10",
            description="x",
        )


# --- approvals and the conflict rule -------------------------------------------------------------------


def test_core_group_member_may_send_a_specification_to_the_jcg_but_not_approve_it(personas, cymorth):
    c = services.specification_decide(
        user=personas.member,
        commission=cymorth.commission,
        expected_version=cymorth.commission.version,
        state="with_jcg",
    )
    assert c.specification_state == "with_jcg"
    with pytest.raises(ValidationError) as exc:
        services.specification_decide(
            user=personas.member, commission=cymorth.commission, expected_version=c.version, state="approved"
        )
    assert "Only the JCG" in exc.value.error_dict["specification_state"][0].message


def test_jcg_member_approves_a_specification_and_who_and_when_are_kept(personas, cymorth):
    c = services.specification_decide(
        user=personas.body, commission=cymorth.commission, expected_version=cymorth.commission.version, state="approved"
    )
    assert c.specification_state == "approved"
    assert c.specification_decided_by == personas.body
    assert c.specification_decided_at is not None


def test_jcg_member_with_a_declared_interest_cannot_approve(personas, cymorth):
    provider = OrganisationFactory(name="Asist")
    cymorth.commission.provider = provider
    cymorth.commission.save()
    DeclaredInterestFactory(user=personas.body, organisation=provider, declared_on=dt.date(2010, 1, 1))
    with pytest.raises(ValidationError) as exc:
        services.specification_decide(
            user=personas.body,
            commission=cymorth.commission,
            expected_version=cymorth.commission.version,
            state="approved",
        )
    message = exc.value.error_dict["specification_state"][0].message
    assert "declared an interest in Asist" in message
    assert "may comment on and draft" in message
    cymorth.commission.refresh_from_db()
    assert cymorth.commission.specification_state == "draft"
    # ...but they may still draft: edits to the commission are allowed to group members with an interest.
    services.commission_update(
        user=personas.provider,
        commission=cymorth.commission,
        expected_version=cymorth.commission.version,
        notes="Draft wording",
    )


def test_interest_in_the_commission_itself_blocks_the_business_case_decision(personas, cymorth):
    commission = services.commission_update(
        user=personas.member,
        commission=cymorth.commission,
        expected_version=cymorth.commission.version,
        route=Commission.Route.SINGLE_TENDER,
        business_case="Only one provider.",
    )
    services.interest_declare(user=personas.evaluator, subject=commission, description="I chair its board.")
    with pytest.raises(ValidationError) as exc:
        services.business_case_decide(
            user=personas.evaluator,
            commission=commission,
            expected_version=commission.version,
            decision="approved",
            decided_on=dt.date(2010, 1, 20),
        )
    assert "declared an interest" in exc.value.error_dict["business_case_decision"][0].message
    decided = services.business_case_decide(
        user=personas.body,
        commission=commission,
        expected_version=commission.version,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
    )
    assert decided.business_case_decision == "approved"
    assert decided.business_case_decided_on == dt.date(2010, 1, 20)


def test_withdrawn_interest_no_longer_blocks(personas, cymorth):
    interest = services.interest_declare(
        user=personas.body, subject=cymorth.commission, description="x", declared_on=dt.date(2010, 1, 1)
    )
    services.interest_withdraw(user=personas.body, interest=interest)
    assert services.specification_decide(
        user=personas.body, commission=cymorth.commission, expected_version=cymorth.commission.version, state="approved"
    )


def test_someone_else_cannot_withdraw_my_interest(personas, cymorth):
    interest = services.interest_declare(user=personas.member, subject=cymorth.commission, description="x")
    with pytest.raises(PermissionDenied):
        services.interest_withdraw(user=personas.outsider, interest=interest)


# --- risks --------------------------------------------------------------------------------------------


def test_risk_score_and_rating_are_kept_in_step(personas, cymorth):
    risk = services.risk_create(
        user=personas.member,
        core_group=cymorth.group,
        title="TUPE",
        description="Staff may transfer.",
        impact=5,
        likelihood=3,
    )
    assert (risk.score, risk.rating, risk.programme) == (15, "red", cymorth.programme)
    assert list(Risk.objects.rated("red")) == [cymorth.risk, risk]  # 16 before 15


def test_programme_risks_are_for_the_programme_team(personas, cymorth):
    with pytest.raises(PermissionDenied):
        services.risk_create(
            user=personas.member, programme=cymorth.programme, title="x", description="x", impact=1, likelihood=1
        )
    risk = services.risk_create(
        user=personas.evaluator, programme=cymorth.programme, title="x", description="x", impact=1, likelihood=1
    )
    assert risk.rating == "green"


def test_a_risk_can_belong_to_any_record_through_the_generic_scope(personas, cymorth):
    # Any saved model stands in for a procurement project: core_groups never imports procurement.
    project = OrganisationFactory(name="Procurement project 4092")
    risk = services.risk_create(
        user=personas.evaluator, scope_object=project, title="Timetable slips", description="x", impact=2, likelihood=4
    )
    assert list(Risk.objects.for_object(project)) == [risk]
    assert risk.scope_label == "Procurement project 4092"


@pytest.mark.parametrize(("impact", "likelihood"), [(0, 3), (6, 1)])
def test_impact_and_likelihood_are_1_to_5(personas, cymorth, impact, likelihood):
    with pytest.raises(ValidationError):
        services.risk_create(
            user=personas.member,
            core_group=cymorth.group,
            title="x",
            description="x",
            impact=impact,
            likelihood=likelihood,
        )
