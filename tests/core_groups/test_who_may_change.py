"""Who may change which fields of a commission (issue 13 item 2): one rule, in core_groups.editing,
enforced by the service, the form and the admin."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from core_groups import services
from core_groups.editing import DECISION_FIELDS, PROVIDER_LOCKED_FIELDS, commission_field_locks
from core_groups.exceptions import FieldsLocked
from core_groups.models import Commission
from tests.factories import CommissionFactory, DeclaredInterestFactory

pytestmark = pytest.mark.django_db


def test_the_rule_as_a_pure_function():
    provider = commission_field_locks(is_provider_user=True, has_provider_stake=False, is_decider=False)
    assert set(provider) == PROVIDER_LOCKED_FIELDS | DECISION_FIELDS
    assert "title" not in provider and "notes" not in provider
    member = commission_field_locks(is_provider_user=False, has_provider_stake=False, is_decider=False)
    assert set(member) == DECISION_FIELDS
    assert commission_field_locks(is_provider_user=False, has_provider_stake=False, is_decider=True) == {}
    stake = commission_field_locks(is_provider_user=True, has_provider_stake=True, is_decider=False)
    assert {"title", "notes", "route"} <= set(stake)


@pytest.fixture
def tender(cymorth):
    commission = cymorth.commission
    commission.annual_value = Decimal("210000.00")
    commission.route = Commission.Route.OPEN_TENDER
    commission.save()
    return commission


def _snapshot(commission):
    fresh = Commission.objects.get(pk=commission.pk)
    return (fresh.route, fresh.status, fresh.provider_id, fresh.annual_value, fresh.version, fresh.history.count())


def test_provider_cannot_turn_an_open_tender_into_their_own_continued_award_on_the_page(client, personas, tender):
    """The finding: the provider's user changed route, provider and status and saw "Commission saved"."""
    before = _snapshot(tender)
    client.force_login(personas.provider)
    url = reverse("core_groups:commission_edit", args=[tender.pk])
    form = client.get(url).content.decode()
    assert 'name="route"' in form and "disabled" in form.split('name="route"')[1].split(">")[0]
    response = client.post(
        url,
        {
            "title": tender.title,
            "phase": tender.phase,
            "route": Commission.Route.CONTINUE,
            "status": Commission.Status.AWARDED,
            "provider": personas.provider_org.pk,
            "version": tender.version,
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Commission saved" not in body
    assert "You may not change this field" in body and "your organisation may bid for this work" in body
    assert _snapshot(tender) == before


def test_service_refuses_the_provider_changing_the_route_and_names_the_field(personas, tender):
    before = _snapshot(tender)
    with pytest.raises(FieldsLocked) as exc:
        services.commission_update(
            expected_version=tender.version,
            user=personas.provider,
            commission=tender,
            route=Commission.Route.CONTINUE,
            provider=personas.provider_org,
            status=Commission.Status.AWARDED,
        )
    assert set(exc.value.error_dict) == {"route", "provider", "status"}
    assert _snapshot(tender) == before


def test_provider_may_still_comment_on_the_plan(personas, tender):
    updated = services.commission_update(
        expected_version=tender.version, user=personas.provider, commission=tender, notes="We run a similar service."
    )
    assert updated.notes == "We run a similar service."
    # Posting the same route (no change) is not a change, so it is not refused.
    services.commission_update(
        expected_version=updated.version,
        user=personas.provider,
        commission=tender,
        route=tender.route,
        notes="Again",
    )


def test_provider_changes_nothing_of_a_commission_their_organisation_provides(personas, cymorth):
    theirs = CommissionFactory(core_group=cymorth.group, title="Their contract", provider=personas.provider_org)
    with pytest.raises(PermissionDenied):
        services.commission_update(
            expected_version=theirs.version, user=personas.provider, commission=theirs, notes="Renew us"
        )
    assert Commission.objects.get(pk=theirs.pk).notes == ""


def test_declared_interest_in_a_commission_makes_it_read_only_for_the_provider(client, personas, tender):
    DeclaredInterestFactory(user=personas.provider, organisation=None, subject=tender)
    with pytest.raises(PermissionDenied):
        services.commission_update(
            expected_version=tender.version, user=personas.provider, commission=tender, notes="We will bid"
        )
    client.force_login(personas.provider)
    assert client.get(reverse("core_groups:commission_edit", args=[tender.pk])).status_code == 403


def test_provider_creating_a_commission_cannot_set_its_route_or_value(personas, cymorth):
    with pytest.raises(ValidationError) as exc:
        services.commission_create(
            user=personas.provider, core_group=cymorth.group, title="New", route=Commission.Route.CONTINUE
        )
    assert "route" in exc.value.error_dict
    assert not Commission.objects.filter(title="New").exists()


def test_member_edits_the_work_plan_but_not_the_decision_fields(personas, tender):
    updated = services.commission_update(
        expected_version=tender.version,
        user=personas.member,
        commission=tender,
        route=Commission.Route.COMPETITIVE_FLEXIBLE,
        status="specification",
    )
    assert updated.route == Commission.Route.COMPETITIVE_FLEXIBLE
    locked = services.permissions.commission_locked_fields(personas.member, tender)
    assert set(locked) == DECISION_FIELDS


def test_admin_shows_locked_fields_read_only(rf, personas, tender):
    from django.contrib.admin.sites import site

    admin = site._registry[Commission]
    request = rf.get("/")
    request.user = personas.provider
    assert {"route", "provider", "annual_value", "business_case_decision"} <= set(
        admin.get_readonly_fields(request, tender)
    )
    request.user = personas.admin
    assert "route" not in admin.get_readonly_fields(request, tender)
