"""Before scoring a bid or deciding an item, the evaluator or decider ticks "I have no interest in this" or declares
one (issue 13 item 3; the VendorPanel/Cotiss practice). The answer is recorded per person per item (who, what, when,
answer) and shown on the item's page; a declared interest is recorded and blocks the step with a clear message."""

from decimal import Decimal

import pytest
from django.urls import reverse

from core_groups.models import Commission, Decision, DeclaredInterest, InterestConfirmation
from growth_bids import services as bid_services
from growth_bids.models import Decision as FundingDecision
from growth_bids.models import Evaluation, FundingRound
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db


def _single_tender(cymorth):
    Commission.objects.filter(pk=cymorth.commission.pk).update(route="single_tender", business_case="One provider.")
    cymorth.commission.refresh_from_db()
    return cymorth.commission


def _bc_post(client, commission, **extra):
    data = {
        "business_case_decision": "approved",
        "business_case_decided_on": "2010-01-20",
        "version": commission.version,
        **extra,
    }
    return client.post(reverse("core_groups:commission_business_case", args=[commission.pk]), data)


def test_a_business_case_decision_without_the_confirmation_is_refused_and_nothing_is_written(client, personas, cymorth):
    commission = _single_tender(cymorth)
    client.force_login(personas.body)
    response = _bc_post(client, commission)
    assert response.status_code == 400
    assert "Confirm that you have no interest in this" in response.content.decode()
    assert not Decision.objects.for_subject(commission).exists()
    assert not InterestConfirmation.objects.exists()


def test_no_interest_is_recorded_with_the_decision_and_shown_on_the_page(client, personas, cymorth):
    commission = _single_tender(cymorth)
    client.force_login(personas.body)
    assert _bc_post(client, commission, interest="no_interest").status_code == 302
    confirmation = InterestConfirmation.objects.get()
    assert confirmation.user == personas.body
    assert confirmation.subject == commission
    assert confirmation.step == InterestConfirmation.Step.BUSINESS_CASE
    assert confirmation.answer == InterestConfirmation.Answer.NO_INTEREST
    assert confirmation.partnership_id == commission.core_group.partnership_id
    assert Decision.objects.for_subject(commission).current().get().decided_by == personas.body
    html = client.get(reverse("core_groups:commission", args=[commission.pk])).content.decode()
    assert "Interests confirmed before scoring or deciding" in html
    assert f"{personas.body.display_name}, before the business case decision: confirmed no interest" in html


def test_a_declared_interest_is_recorded_and_blocks_the_decision(client, personas, cymorth):
    commission = _single_tender(cymorth)
    client.force_login(personas.body)
    response = _bc_post(
        client, commission, interest="declare", interest_description="My partner chairs the provider's board."
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "You declared an interest in" in html and "Your declaration is recorded" in html
    assert not Decision.objects.for_subject(commission).exists()
    interest = DeclaredInterest.objects.get(user=personas.body)
    assert interest.subject == commission and interest.description == "My partner chairs the provider's board."
    confirmation = InterestConfirmation.objects.get()
    assert confirmation.answer == InterestConfirmation.Answer.DECLARED and confirmation.interest == interest
    # The declaration blocks them from now on, whatever they tick.
    response = _bc_post(client, commission, interest="no_interest")
    assert response.status_code == 400 and "declared an interest" in response.content.decode()
    assert not Decision.objects.for_subject(commission).exists()
    assert InterestConfirmation.objects.count() == 1
    html = client.get(reverse("core_groups:commission", args=[commission.pk])).content.decode()
    assert "declared an interest</strong>" in html


def test_declaring_needs_to_say_what_the_interest_is(client, personas, cymorth):
    commission = _single_tender(cymorth)
    client.force_login(personas.body)
    response = _bc_post(client, commission, interest="declare")
    assert response.status_code == 400 and "Say what your interest is." in response.content.decode()
    assert not DeclaredInterest.objects.exists() and not InterestConfirmation.objects.exists()


def test_approving_a_specification_asks_for_the_confirmation_but_sending_it_to_the_jcg_does_not(
    client, personas, cymorth
):
    commission = cymorth.commission
    url = reverse("core_groups:commission_specification", args=[commission.pk])
    client.force_login(personas.member)
    assert client.post(url, {"specification_state": "with_jcg", "version": commission.version}).status_code == 302
    commission.refresh_from_db()
    client.force_login(personas.body)
    response = client.post(url, {"specification_state": "approved", "version": commission.version})
    assert response.status_code == 400 and "Confirm that you have no interest" in response.content.decode()
    commission.refresh_from_db()
    assert commission.specification_state == "with_jcg"
    response = client.post(
        url, {"specification_state": "approved", "version": commission.version, "interest": "no_interest"}
    )
    assert response.status_code == 302
    confirmation = InterestConfirmation.objects.get()
    assert confirmation.step == InterestConfirmation.Step.SPECIFICATION and confirmation.user == personas.body


# --- Bids: evaluation, moderation, the Body's decision one at a time and many at once ---------------------------


@pytest.fixture
def closed_bid(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    return bid


def _evaluation_post(bid, **extra):
    post = {"written_evaluation": "Strong bid.", **extra}
    for c in bid.funding_round.criteria.exclude(system_rule="two_partners"):
        post[f"met_{c.code}"] = "yes"
        post[f"reason_{c.code}"] = "Evidence given."
    return post


def test_an_evaluator_confirms_no_interest_before_scoring(client, personas, closed_bid):
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:evaluate", args=[closed_bid.pk])
    page = client.get(url).content.decode()
    assert "I have no interest in this" in page and "I have an interest in this: declare it" in page
    response = client.post(url, _evaluation_post(closed_bid))
    assert response.status_code == 200 and "Confirm that you have no interest" in response.content.decode()
    assert not Evaluation.objects.filter(bid=closed_bid).exists()
    assert client.post(url, _evaluation_post(closed_bid, interest="no_interest")).status_code == 302
    confirmation = InterestConfirmation.objects.get()
    assert confirmation.step == InterestConfirmation.Step.EVALUATION and confirmation.subject == closed_bid
    html = client.get(reverse("growth_bids:bid_detail", args=[closed_bid.pk])).content.decode()
    assert f"{personas.evaluator.display_name}, before the evaluation: confirmed no interest" in html


def test_a_moderator_who_declares_an_interest_is_refused_and_the_declaration_kept(client, personas, closed_bid):
    client.force_login(personas.evaluator)
    url = reverse("growth_bids:moderate", args=[closed_bid.pk])
    response = client.post(url, _evaluation_post(closed_bid, interest="declare", interest_description="Trustee."))
    assert response.status_code == 200
    assert "you may not take part in the moderated evaluation" in response.content.decode()
    assert not Evaluation.objects.filter(bid=closed_bid).exists()
    interest = DeclaredInterest.objects.get(user=personas.evaluator)
    assert interest.subject == closed_bid
    assert InterestConfirmation.objects.get().interest == interest
    # From now on the form itself is closed to them, with the reason.
    page = client.get(url)
    assert page.status_code == 403 and "declared an interest" in page.content.decode()


@pytest.fixture
def evaluated_bids(personas):
    funding_round = make_round(growth="300000", holdback="0")
    bids = [
        submitted_bid(funding_round, personas.officer, annual_amount=Decimal(amount), title=title)
        for amount, title in (("100000", "A"), ("120000", "B"))
    ]
    close_round(funding_round)
    for bid in bids:
        moderate(bid, personas.evaluator)
    bid_services.round_mark_evaluated(funding_round=FundingRound.objects.get(pk=funding_round.pk))
    return funding_round, bids


def _decision_post(**extra):
    return {"outcome": "funded", "amount": "100000", "meeting_date": "2010-09-20", "minute_ref": "CB/1", **extra}


def test_the_body_confirms_no_interest_before_deciding_a_bid(client, personas, evaluated_bids):
    _round, (a, _b) = evaluated_bids
    client.force_login(personas.body)
    url = reverse("growth_bids:decide", args=[a.pk])
    response = client.post(url, _decision_post())
    assert response.status_code == 200 and "Confirm that you have no interest" in response.content.decode()
    assert not FundingDecision.objects.filter(bid=a).exists()
    response = client.post(url, _decision_post(interest="declare", interest_description="I sit on its board."))
    assert response.status_code == 200 and "Your declaration is recorded" in response.content.decode()
    assert not FundingDecision.objects.filter(bid=a).exists()
    assert client.get(url).status_code == 403
    assert InterestConfirmation.objects.get().step == InterestConfirmation.Step.FUNDING


def test_a_body_decision_records_the_confirmation_with_it(client, personas, evaluated_bids):
    _round, (a, _b) = evaluated_bids
    client.force_login(personas.body)
    response = client.post(reverse("growth_bids:decide", args=[a.pk]), _decision_post(interest="no_interest"))
    assert response.status_code == 302
    assert FundingDecision.objects.get(bid=a).outcome == "funded"
    assert InterestConfirmation.objects.get().answer == InterestConfirmation.Answer.NO_INTEREST


def _many(client, funding_round, bids, rows):
    data = {
        "form-TOTAL_FORMS": str(len(bids)),
        "form-INITIAL_FORMS": str(len(bids)),
        "meeting_date": "2010-09-20",
        "minute_ref": "CB/9",
    }
    for i, (bid, row) in enumerate(zip(bids, rows, strict=True)):
        data[f"form-{i}-bid"] = str(bid.pk)
        for key in ("outcome", "amount", "reason", "notes", "interest"):
            data[f"form-{i}-{key}"] = row.get(key, "")
    return client.post(reverse("growth_bids:decide_many", args=[funding_round.pk]), data)


def test_deciding_many_asks_each_bid_and_records_each_answer(client, personas, evaluated_bids):
    funding_round, (a, b) = evaluated_bids
    client.force_login(personas.body)
    rows = [
        {"outcome": "funded", "amount": "100000"},
        {"outcome": "not_funded", "reason": "Meets four criteria of seven.", "interest": "no_interest"},
    ]
    response = _many(client, funding_round, [a, b], rows)
    assert response.status_code == 200
    assert "Confirm that you have no interest in this bid" in response.content.decode()
    assert not FundingDecision.objects.exists() and not InterestConfirmation.objects.exists()
    rows[0]["interest"] = "no_interest"
    assert _many(client, funding_round, [a, b], rows).status_code == 302
    assert FundingDecision.objects.count() == 2
    assert {c.object_id for c in InterestConfirmation.objects.filter(answer="no_interest")} == {a.pk, b.pk}


def test_declaring_in_a_batch_records_the_declaration_and_saves_no_decision(client, personas, evaluated_bids):
    funding_round, (a, b) = evaluated_bids
    client.force_login(personas.body)
    rows = [
        {"outcome": "funded", "amount": "100000", "interest": "declare"},
        {"outcome": "not_funded", "reason": "Meets four criteria of seven.", "interest": "no_interest"},
    ]
    response = _many(client, funding_round, [a, b], rows)
    assert response.status_code == 302
    assert not FundingDecision.objects.exists()
    assert DeclaredInterest.objects.get(user=personas.body).subject == a
    # Only the declaration's confirmation is kept: no "no interest" stands for a batch that was not recorded.
    assert list(InterestConfirmation.objects.values_list("object_id", "answer")) == [(a.pk, "declared")]
    html = client.get(response.url).content.decode()
    assert "you declared an interest in a bid of this batch" in html  # told, on the form drawn again
    assert 'name="form-0-outcome"' in html and 'name="form-1-outcome"' not in html  # only b is decidable now
    assert 'name="form-TOTAL_FORMS" value="1"' in html
    assert "You have declared an interest" in html  # a is shown with the reason
