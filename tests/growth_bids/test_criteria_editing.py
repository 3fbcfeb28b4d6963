"""Criteria sets the programme team owns (issue 18 item 3): edited in the app while the round is a draft,
locked once it opens, history kept, copied from the partnership's last round; other partnerships see nothing."""

import pytest
from django.urls import reverse

from core_groups import roles
from core_groups.models import Organisation
from growth_bids.models import Criterion
from tests.factories import OrganisationFactory, PartnershipFactory, UserFactory
from tests.growth_bids.helpers import make_round

pytestmark = pytest.mark.django_db


def _formset_data(funding_round, changes=None, add=None, delete=()):
    criteria = list(funding_round.criteria.all())
    data = {"form-TOTAL_FORMS": str(len(criteria) + 1), "form-INITIAL_FORMS": str(len(criteria))}
    for i, c in enumerate(criteria):
        row = {"id": c.pk, "code": c.code, "question": c.question, "guidance": c.guidance, "weight": c.weight}
        row["order"] = c.order
        if c.mandatory:
            row["mandatory"] = "on"
        row.update((changes or {}).get(c.code, {}))
        if c.code in delete:
            row["DELETE"] = "on"
        data.update({f"form-{i}-{k}": v for k, v in row.items()})
    for k, v in (add or {}).items():
        data[f"form-{len(criteria)}-{k}"] = v
    return data


def test_the_programme_team_edits_a_draft_rounds_criteria(client, personas):
    funding_round = make_round(open_it=False)
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:criteria_edit", args=[funding_round.pk])
    assert client.get(url).status_code == 200
    data = _formset_data(
        funding_round,
        changes={"a": {"question": "Meet a need in the 2026 needs assessment?", "weight": "3", "mandatory": "on"}},
        add={"code": "h", "question": "Reduce rough sleeping?", "guidance": "Count people housed.", "weight": "2"},
        delete=("g",),
    )
    response = client.post(url, data)
    html = response.content.decode()
    assert response.status_code == 302, html[html.find("There is a problem") : html.find("There is a problem") + 1500]
    a = funding_round.criteria.get(code="a")
    assert a.question == "Meet a need in the 2026 needs assessment?" and a.weight == 3 and a.mandatory
    assert funding_round.criteria.get(code="h").guidance == "Count people housed."
    assert not funding_round.criteria.filter(code="g").exists()
    history = Criterion.history.filter(funding_round_id=funding_round.pk)
    assert history.filter(code="a", history_type="~").exists() and history.filter(code="g", history_type="-").exists()
    assert history.filter(code="a", history_type="~").first().history_user == personas.evaluator


def test_a_bad_row_keeps_what_was_typed(client, personas):
    funding_round = make_round(open_it=False)
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:criteria_edit", args=[funding_round.pk])
    data = _formset_data(funding_round, changes={"a": {"question": "Kept wording", "weight": "0"}})
    response = client.post(url, data)
    assert response.status_code == 200 and "Kept wording" in response.content.decode()
    assert funding_round.criteria.get(code="a").question != "Kept wording"


def test_criteria_are_refused_once_the_round_is_open(client, personas):
    funding_round = make_round(open_it=True)
    before = funding_round.criteria.get(code="a").question
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:criteria_edit", args=[funding_round.pk])
    assert "The criteria are locked" in client.get(url).content.decode()
    response = client.post(url, _formset_data(funding_round, changes={"a": {"question": "Too late"}}))
    assert response.status_code == 200 and "The criteria are locked" in response.content.decode()
    assert funding_round.criteria.get(code="a").question == before


def test_copy_criteria_from_the_partnerships_last_round(client, personas):
    last = make_round(open_it=False, year=2025)
    last.criteria.filter(code="a").update(question="Wording of 2025")
    funding_round = make_round(open_it=False, year=2026)
    client.force_login(personas.evaluator)
    page = client.get(reverse("growth_bids:criteria_edit", args=[funding_round.pk])).content.decode()
    assert "Copy these criteria in" in page
    response = client.post(reverse("growth_bids:criteria_copy", args=[funding_round.pk]), {"source": last.pk})
    assert response.status_code == 302
    assert funding_round.criteria.get(code="a").question == "Wording of 2025"
    assert funding_round.criteria.count() == last.criteria.count()


def test_only_the_team_and_not_another_partnerships_team(client, personas):
    funding_round = make_round(open_it=False)
    url = reverse("growth_bids:criteria_edit", args=[funding_round.pk])
    client.force_login(personas.officer)
    assert client.get(url).status_code in (403, 404)
    cardiff = PartnershipFactory(short_name="cardiff", name="Cardiff CYPP")
    council = OrganisationFactory(name="Cardiff Council", kind=Organisation.Kind.UNITARY, partnerships=[cardiff])
    cardiff_team = UserFactory(
        username="cardiff_team", organisation=council, partnership=cardiff, roles=[roles.PROGRAMME_TEAM]
    )
    client.force_login(cardiff_team)
    assert client.get(url).status_code == 404
    assert client.post(url, _formset_data(funding_round, changes={"a": {"question": "Theirs"}})).status_code == 404
    assert client.post(reverse("growth_bids:criteria_copy", args=[funding_round.pk]), {"source": 1}).status_code == 404
    assert funding_round.criteria.get(code="a").question != "Theirs"


def test_start_again_from_the_kent_set(client, personas):
    funding_round = make_round(open_it=False)
    kent_a = funding_round.criteria.get(code="a").question
    funding_round.criteria.filter(code="a").update(question="Changed")
    client.force_login(personas.evaluator)
    response = client.post(reverse("growth_bids:criteria_copy", args=[funding_round.pk]), {"source": "kent"})
    assert response.status_code == 302
    assert funding_round.criteria.get(code="a").question == kent_a


def test_copying_is_refused_once_open(client, personas):
    last = make_round(open_it=False, year=2025)
    funding_round = make_round(open_it=True)
    client.force_login(personas.evaluator)
    response = client.post(reverse("growth_bids:criteria_copy", args=[funding_round.pk]), {"source": last.pk})
    assert response.status_code == 200 and "The criteria are locked" in response.content.decode()
