"""The evaluation workspace: statements beside the criteria, a half-done evaluation kept and completed later,
who evaluates what (assigned by the programme team, progress per evaluator and per bid), and a moderation that
shows the evaluators' marks side by side and says why it departs from them (their evaluations stay)."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from growth_bids import services
from growth_bids.models import Evaluation, EvaluationDraft, EvaluatorAssignment
from tests.factories import UserFactory
from tests.growth_bids.helpers import all_marks, close_round, make_round, submitted_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_bid(personas):
    funding_round = make_round()
    statements = {c.code: f"Statement for {c.code}." for c in funding_round.criteria.all()}
    statements["a"] = "Our need is evidenced in the 2025 review."
    bid = submitted_bid(funding_round, personas.officer, statements=statements)
    close_round(funding_round)
    return bid


def test_the_applicants_statement_is_beside_each_criterion(client, personas, closed_bid):
    client.force_login(personas.evaluator)
    html = client.get(reverse("growth_bids:evaluate", args=[closed_bid.pk])).content.decode()
    section = html[html.index('id="criterion-a"') : html.index('id="criterion-b"')]
    assert "Our need is evidenced in the 2025 review." in section and 'name="met_a"' in section


def test_a_half_done_evaluation_is_kept_and_completed_later(client, personas, closed_bid):
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:evaluate", args=[closed_bid.pk])
    response = client.post(
        url, {"met_a": "yes", "reason_a": "Clear evidence of need.", "written_evaluation": "", "finish_later": ""}
    )
    assert response.status_code == 302
    assert not Evaluation.objects.filter(bid=closed_bid).exists()
    draft = EvaluationDraft.objects.get(bid=closed_bid, evaluator=personas.evaluator)
    assert draft.data["reason_a"] == "Clear evidence of need."
    detail = client.get(reverse("growth_bids:bid_detail", args=[closed_bid.pk])).content.decode()
    assert 'id="evaluation-drafts"' in detail and "Your half-done evaluation of this bid is saved" in detail
    # Later: the page opens with what was typed, and completing it makes the evaluation and drops the draft.
    html = client.get(url).content.decode()
    assert "Clear evidence of need." in html and 'id="evaluation-draft-note"' in html
    assert re.search(r'<input[^>]*name="met_a" value="yes"[^>]*checked', html)
    post = {"draft_version": str(draft.version), "written_evaluation": "A sound bid.", "interest": "no_interest"}
    for code in "abcefg":
        post[f"met_{code}"] = "yes"
        post[f"reason_{code}"] = f"Evidence for {code}."
    assert client.post(url, post).status_code == 302
    assert Evaluation.objects.get(bid=closed_bid, evaluator=personas.evaluator).written_evaluation == "A sound bid."
    assert not EvaluationDraft.objects.filter(bid=closed_bid).exists()


def test_a_failed_completion_keeps_what_was_typed(client, personas, closed_bid):
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:evaluate", args=[closed_bid.pk])
    posted = {
        "met_b": "no",
        "reason_b": "No indicator named.",
        "written_evaluation": "Half.",
        "interest": "no_interest",
    }
    response = client.post(url, posted)
    assert response.status_code == 200
    assert "Say whether criterion a is met." in response.content.decode()
    draft = EvaluationDraft.objects.get(bid=closed_bid, evaluator=personas.evaluator)
    assert draft.data == {"met_b": "no", "reason_b": "No indicator named.", "written_evaluation": "Half."}


def test_two_tabs_saving_a_draft_the_second_is_told(personas, closed_bid):
    first = services.evaluation_draft_save(bid=closed_bid, by=personas.evaluator, data={"reason_a": "One"})
    services.evaluation_draft_save(bid=closed_bid, by=personas.evaluator, data={"reason_a": "Two"}, version=1)
    with pytest.raises(ValidationError, match="changed this draft evaluation"):
        services.evaluation_draft_save(
            bid=closed_bid, by=personas.evaluator, data={"reason_a": "Three"}, version=first.version
        )
    assert EvaluationDraft.objects.get().data == {"reason_a": "Two"}


def test_moderation_shows_each_evaluators_marks_and_needs_a_reason_to_depart(client, personas, closed_bid):
    funding_round = closed_bid.funding_round
    second = UserFactory(organisation=personas.evaluator.organisation, roles=["Programme team"], last_name="Zed")
    services.evaluation_save(
        bid=closed_bid, by=personas.evaluator, marks=all_marks(funding_round), written_evaluation="Mine"
    )
    services.evaluation_save(
        bid=closed_bid,
        by=second,
        marks=all_marks(funding_round, overrides={"a": False}),
        written_evaluation="Theirs",
    )
    moderator = UserFactory(organisation=personas.evaluator.organisation, roles=["Programme team"])
    client.force_login(moderator)
    url = reverse("growth_bids:moderate", args=[closed_bid.pk])
    html = client.get(url).content.decode()
    start = html.index('data-evaluator-marks="a"')
    table = html[start : html.index("</table>", start)]
    assert personas.evaluator.display_name in table and second.display_name in table
    assert "Met" in table and "Not met" in table and "Reason for a." in table
    # Where the evaluators agree, the moderation starts from their mark.
    assert re.search(r'<input[^>]*name="met_b" value="yes"[^>]*checked', html)
    assert not re.search(r'<input[^>]*name="met_a" value="[a-z]+"[^>]*checked', html)
    post = {"written_evaluation": "Moderated.", "interest": "no_interest"}
    for code in "abcefg":
        post[f"met_{code}"] = "yes"
        post[f"reason_{code}"] = f"Moderated {code}."
    response = client.post(url, post)
    assert response.status_code == 200
    assert "departs from" in response.content.decode() and 'href="#id_departure_a"' in response.content.decode()
    assert not Evaluation.objects.filter(bid=closed_bid, moderated=True).exists()
    post["departure_a"] = "The needs analysis of 2025 names this group; the second evaluator missed it."
    post["draft_version"] = str(EvaluationDraft.objects.get(bid=closed_bid, moderated=True).version)
    assert client.post(url, post).status_code == 302
    moderated = Evaluation.objects.get(bid=closed_bid, moderated=True)
    assert moderated.marks.get(criterion__code="a").departure_reason.startswith("The needs analysis")
    # The originals stay as their evaluators wrote them.
    theirs = Evaluation.objects.get(bid=closed_bid, evaluator=second, moderated=False)
    assert theirs.marks.get(criterion__code="a").met is False and theirs.written_evaluation == "Theirs"


def test_the_programme_team_assigns_evaluators_and_sees_progress(client, personas, closed_bid):
    second = UserFactory(organisation=personas.evaluator.organisation, roles=["Programme team"])
    funding_round = closed_bid.funding_round
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:assignments", args=[funding_round.pk])
    response = client.post(
        url, {f"shown_{closed_bid.pk}": "1", f"evaluators_{closed_bid.pk}": [personas.evaluator.pk, second.pk]}
    )
    assert response.status_code == 302
    assert set(EvaluatorAssignment.objects.values_list("evaluator_id", flat=True)) == {personas.evaluator.pk, second.pk}
    services.evaluation_save(
        bid=closed_bid, by=personas.evaluator, marks=all_marks(funding_round), written_evaluation="Done"
    )
    services.evaluation_draft_save(bid=closed_bid, by=second, data={"reason_a": "Half"})
    rows, evaluators = services.assignment_progress(funding_round)
    assert [(u.pk, state) for u, state in rows[0]["assigned"]] == sorted(
        [(personas.evaluator.pk, "Completed"), (second.pk, "In progress")],
        key=lambda pair: [u.pk for u, _s in rows[0]["assigned"]].index(pair[0]),
    )
    assert rows[0]["done"] == 1
    by_person = {p["user"].pk: (p["assigned"], p["done"], p["in_progress"], p["not_started"]) for p in evaluators}
    assert by_person == {personas.evaluator.pk: (1, 1, 0, 0), second.pk: (1, 0, 1, 0)}
    html = client.get(url).content.decode()
    assert "In progress" in html and "Completed" in html and "1 of 2" in html
    detail = client.get(reverse("growth_bids:bid_detail", args=[closed_bid.pk])).content.decode()
    assert 'id="assigned-evaluators"' in detail and second.display_name in detail
    # Unticking removes the assignment; the evaluation already made stays.
    client.post(url, {f"shown_{closed_bid.pk}": "1", f"evaluators_{closed_bid.pk}": [second.pk]})
    assert list(EvaluatorAssignment.objects.values_list("evaluator_id", flat=True)) == [second.pk]
    assert Evaluation.objects.filter(evaluator=personas.evaluator).exists()


def test_only_the_programme_team_is_assigned_and_only_by_the_team(client, personas, closed_bid):
    funding_round = closed_bid.funding_round
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:assignments", args=[funding_round.pk])
    response = client.post(url, {f"shown_{closed_bid.pk}": "1", f"evaluators_{closed_bid.pk}": [personas.body.pk]})
    # Someone outside the team is not offered and not taken.
    assert response.status_code == 302 and not EvaluatorAssignment.objects.exists()
    with pytest.raises(ValidationError, match="not in the programme team"):
        services.assignments_save(
            funding_round=funding_round, by=personas.evaluator, chosen={closed_bid.pk: [personas.body]}
        )
    client.force_login(personas.body)
    assert client.get(url).status_code == 403


def test_completing_without_confirming_no_interest_is_refused_and_keeps_the_draft(client, personas, closed_bid):
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:evaluate", args=[closed_bid.pk])
    post = {"written_evaluation": "All met."}
    for code in "abcefg":
        post[f"met_{code}"] = "yes"
        post[f"reason_{code}"] = f"Evidence for {code}."
    response = client.post(url, post)
    assert response.status_code == 200
    assert "Confirm that you have no interest in this" in response.content.decode()
    assert not Evaluation.objects.filter(bid=closed_bid).exists()
    assert (
        EvaluationDraft.objects.get(bid=closed_bid, evaluator=personas.evaluator).data["reason_g"] == "Evidence for g."
    )
