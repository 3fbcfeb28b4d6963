"""The decision queue (issue 13 item 6): what awaits the JCG, the Body and the programme team, oldest first."""

import datetime as dt

import pytest
from django.urls import reverse

from core_groups import services
from core_groups.models import Commission
from tests.factories import CommissionFactory, CoreGroupFactory

pytestmark = pytest.mark.django_db


def test_business_cases_and_specifications_wait_oldest_first_with_counts(client, personas):
    group = CoreGroupFactory(name="Family Support")
    older = CommissionFactory(
        core_group=group, title="Older case", route=Commission.Route.SINGLE_TENDER, business_case="Only one."
    )
    newer = CommissionFactory(
        core_group=group, title="Newer case", route=Commission.Route.SINGLE_TENDER, business_case="Only one."
    )
    CommissionFactory(core_group=group, title="Spec", specification_state=Commission.SpecificationState.WITH_JCG)
    Commission.objects.filter(pk=older.pk).update(updated_at=newer.updated_at.replace(year=2009))
    client.force_login(personas.body)
    html = client.get(reverse("decision_queue")).content.decode()
    assert html.index("Older case") < html.index("Newer case")
    assert "Business cases</a>: <strong>2</strong>" in html and "Specifications</a>: <strong>1</strong>" in html
    services.business_case_decide(
        user=personas.body,
        commission=older,
        decision="approved",
        decided_on=dt.date(2010, 1, 20),
        expected_version=Commission.objects.get(pk=older.pk).version,
    )
    html = client.get(reverse("decision_queue")).content.decode()
    assert "Older case" not in html and "Business cases</a>: <strong>1</strong>" in html


def test_only_deciders_see_the_queue(client, personas):
    for persona, status in (("member", 403), ("provider", 403), ("officer", 403), ("evaluator", 200)):
        client.force_login(personas[persona])
        assert client.get(reverse("decision_queue")).status_code == status


def test_another_partnerships_body_sees_none_of_this_queue(client, personas):
    from core_groups import roles
    from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory

    group = CoreGroupFactory(name="Family Support")
    CommissionFactory(
        core_group=group, title="Home case", route=Commission.Route.SINGLE_TENDER, business_case="Only one."
    )
    other = PartnershipFactory(short_name="elsewhere", name="Elsewhere partnership")
    stranger = UserFactory(
        username="elsewhere_body",
        organisation=OrganisationFactory(name="Elsewhere Council", partnerships=[other]),
        partnership=other,
        roles=[roles.COMMISSIONING_BODY],
    )
    client.force_login(stranger)
    response = client.get(reverse("decision_queue"))
    assert response.status_code == 200
    assert "Home case" not in response.content.decode()


def test_the_dashboard_shows_the_counts_to_deciders_only(client, personas):
    group = CoreGroupFactory(name="Family Support")
    CommissionFactory(
        core_group=group, title="Waiting case", route=Commission.Route.SINGLE_TENDER, business_case="Only one."
    )
    client.force_login(personas.body)
    html = client.get(reverse("home")).content.decode()
    assert "decision-queue-panel" in html and "Business cases for the JCG: <strong>1</strong>" in html
    client.force_login(personas.member)
    assert "decision-queue-panel" not in client.get(reverse("home")).content.decode()


def test_a_long_queue_is_counted_to_a_cap_on_the_dashboard_and_listed_in_part_on_its_page(
    client, personas, monkeypatch
):
    from commissioning import decision_queue

    monkeypatch.setattr(decision_queue, "SUMMARY_CAP", 2)
    monkeypatch.setattr(decision_queue, "LISTED", 2)
    group = CoreGroupFactory(name="Family Support")
    for n in range(3):
        CommissionFactory(
            core_group=group, title=f"Case {n}", route=Commission.Route.SINGLE_TENDER, business_case="Only one."
        )
    client.force_login(personas.body)
    html = client.get(reverse("home")).content.decode()
    assert "Business cases for the JCG: <strong>more than 2</strong>" in html
    assert "All more than 2 waiting" in html
    html = client.get(reverse("decision_queue")).content.decode()
    # The page counts them all and lists the oldest two, saying so.
    assert "Business cases</a>: <strong>3</strong>" in html and "The 2 oldest of 3." in html
    assert html.count(">Case ") == 2
