"""Status changes never widen who may read a record; a record scoped to a parent is seen as the parent is."""

import pytest
from django.urls import reverse

from core_groups import services as core_services
from growth_bids import services
from tests.growth_bids.helpers import make_round, submitted_bid
from tests.procurement.conftest import make_project

pytestmark = pytest.mark.django_db


@pytest.fixture
def round_(personas):
    return make_round()


def test_a_draft_withdrawn_before_it_was_submitted_stays_the_applicants(client, personas, round_):
    draft = services.bid_create(funding_round=round_, by=personas.officer, data={"title": "Secret draft idea"})
    services.bid_withdraw(bid=draft, by=personas.officer)
    url = reverse("growth_bids:bid_detail", args=[draft.pk])
    for person in (personas.evaluator, personas.body, personas.admin, personas.other_officer):
        client.force_login(person)
        assert client.get(url).status_code == 404, person.username
        listing = client.get(reverse("growth_bids:round_detail", args=[round_.pk]))
        assert "Secret draft idea" not in listing.text, person.username
    client.force_login(personas.officer)
    assert client.get(url).status_code == 200


def test_a_bid_withdrawn_after_it_was_submitted_is_still_read_by_the_team(client, personas, round_):
    bid = submitted_bid(round_, personas.officer)
    services.bid_withdraw(bid=bid, by=personas.officer)
    client.force_login(personas.evaluator)
    assert client.get(reverse("growth_bids:bid_detail", args=[bid.pk])).status_code == 200


def _project_risk(personas, project):
    return core_services.risk_create(
        user=personas.evaluator,
        scope_object=project,
        title="Incumbent may challenge the award",
        description="A challenge would delay the contract start.",
        impact=4,
        likelihood=3,
    )


def test_a_risk_on_a_procurement_project_is_read_only_by_those_who_see_the_project(client, personas, leeds_org):
    project = make_project(leeds_org, project_manager=personas.evaluator)
    risk = _project_risk(personas, project)
    client.force_login(personas.other_officer)
    assert client.get(reverse("procurement:project_detail", args=[project.pk])).status_code in (403, 404)
    assert client.get(reverse("core_groups:risk", args=[risk.pk])).status_code == 404
    assert client.get(reverse("core_groups:risk_edit", args=[risk.pk])).status_code == 404
    assert "Incumbent may challenge" not in client.get(reverse("core_groups:risks")).text
    assert "Incumbent may challenge" not in client.get(reverse("core_groups:risks_csv")).content.decode()
    client.force_login(personas.evaluator)
    assert client.get(reverse("core_groups:risk", args=[risk.pk])).status_code == 200
    assert "Incumbent may challenge" in client.get(reverse("core_groups:risks")).text
