"""The growth-bid process through its services: rounds, bids, supporters, evaluations, decisions."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core_groups.models import DeclaredInterest
from foundation import outbox
from foundation.editing import StaleEdit
from growth_bids import services
from growth_bids.exceptions import Conflict, WindowClosed
from growth_bids.models import Bid, BidRevision, Decision, FundingRound, propose_timetable
from tests.factories import UserFactory
from tests.growth_bids.helpers import bid_data, close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- rounds


def test_available_is_growth_money_less_the_holdback():
    funding_round = make_round(growth="500000", holdback="10", open_it=False)
    assert funding_round.holdback == Decimal("50000.00")
    assert funding_round.available == Decimal("450000.00")


def test_timetable_is_proposed_from_the_opening_date_with_appendix_b_lengths():
    dates = propose_timetable(dt.date(2010, 6, 1))
    assert dates["proposals_by"] == dt.date(2010, 6, 15)
    assert dates["intent_by"] == dt.date(2010, 6, 22)
    assert dates["submissions_by"] == dt.date(2010, 7, 20)
    assert dates["evaluation_by"] == dt.date(2010, 8, 3)
    assert dates["pack_by"] == dt.date(2010, 8, 10)
    assert dates["decision_by"] == dt.date(2010, 8, 20)
    assert dates["told_by"] == dt.date(2010, 9, 10)


def test_round_copies_kents_criteria_a_to_g_with_d_decided_by_the_system():
    funding_round = make_round(open_it=False)
    criteria = list(funding_round.criteria.all())
    assert [c.code for c in criteria] == list("abcdefg")
    assert all(c.weight == 1 for c in criteria)
    assert [c.code for c in criteria if c.system_decided] == ["d"]


def test_a_round_with_no_money_cannot_open():
    funding_round = make_round(growth="0", open_it=False)
    with pytest.raises(ValidationError, match="No money, no round"):
        services.round_open(funding_round=funding_round)
    funding_round.refresh_from_db()
    assert funding_round.status == FundingRound.Status.DRAFT


def test_criteria_are_editable_until_the_round_opens():
    funding_round = make_round(open_it=False)
    criterion = funding_round.criteria.get(code="a")
    services.criterion_update(criterion=criterion, weight=2, mandatory=True)
    services.round_open(funding_round=funding_round)
    with pytest.raises(ValidationError, match="locked"):
        services.criterion_update(criterion=criterion, weight=3)
    criterion.refresh_from_db()
    assert criterion.weight == 2


def test_round_edit_by_two_people_tells_the_second():
    funding_round = make_round(open_it=False)
    services.round_update(funding_round=funding_round, version=1, title="First")
    with pytest.raises(StaleEdit):
        services.round_update(funding_round=funding_round, version=1, title="Second")
    funding_round.refresh_from_db()
    assert funding_round.title == "First"


def test_the_window_cannot_close_early():
    funding_round = make_round()
    with pytest.raises(ValidationError, match="open until"):
        services.round_close(funding_round=funding_round)


# ---------------------------------------------------------------- bids


def test_a_draft_saves_with_anything_missing_and_gets_a_reference(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "Half an idea"})
    assert bid.status == Bid.Status.DRAFT
    assert bid.reference == f"GB-{funding_round.financial_year}-001"
    second = services.bid_create(funding_round=funding_round, by=personas.officer, data={})
    assert second.reference.endswith("-002")


def test_submission_requires_everything(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "Half an idea"})
    with pytest.raises(ValidationError) as info:
        services.bid_submit(bid=bid, by=personas.officer, version=bid.version)
    errors = info.value.message_dict
    for key in ["summary", "client_group", "districts", "service_users", "annual_amount", "start_date", "outcomes"]:
        assert key in errors
    assert "statement_a" in errors and "statement_g" in errors
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT


def test_a_complete_bid_submits_and_keeps_a_revision(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    assert bid.status == Bid.Status.SUBMITTED and bid.submitted_at
    assert bid.hours_per_year == Decimal("182.00")
    assert bid.revisions.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("annual_amount", Decimal("0"), "more than £0"),
        ("annual_amount", Decimal("-5"), "more than £0"),
        ("service_users", 0, "At least one"),
        ("hours_per_week", Decimal("169"), "168"),
        ("start_date", "before_fy", "cannot be before the financial year"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_saved(personas, field, value, message):
    funding_round = make_round()
    if value == "before_fy":
        value = dt.date(funding_round.financial_year, 3, 31)
    with pytest.raises(ValidationError) as info:
        services.bid_create(
            funding_round=funding_round, by=personas.officer, data=bid_data(funding_round, **{field: value})
        )
    assert message in " ".join(info.value.message_dict[field])
    assert not Bid.objects.exists()


def test_no_district_blocks_submission(personas):
    funding_round = make_round()
    with pytest.raises(ValidationError) as info:
        services.bid_create(
            funding_round=funding_round, by=personas.officer, data=bid_data(funding_round, districts=[]), submit=True
        )
    assert "Choose at least one district." in info.value.message_dict["districts"]
    assert not Bid.objects.exists()


def test_a_providers_user_cannot_start_a_bid(personas):
    funding_round = make_round()
    with pytest.raises(ValidationError, match="providers never do"):
        services.bid_create(funding_round=funding_round, by=personas.provider, data={})


def test_officer_edits_a_submitted_bid_until_close_and_each_revision_is_kept(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    services.bid_update(bid=bid, by=personas.officer, version=bid.version, data={"title": "Better title"})
    assert BidRevision.objects.filter(bid=bid).count() == 2
    close_round(funding_round)
    bid.refresh_from_db()
    with pytest.raises(WindowClosed):
        services.bid_update(bid=bid, by=personas.officer, version=bid.version, data={"title": "Too late"})
    bid.refresh_from_db()
    assert bid.title == "Better title"


def test_two_officers_editing_one_bid_never_overwrite_each_other(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data={"title": "v1"})
    colleague = UserFactory(organisation=personas.home, roles=["Officer"])
    services.bid_update(bid=bid, by=colleague, version=1, data={"title": "colleague"})
    with pytest.raises(StaleEdit):
        services.bid_update(bid=bid, by=personas.officer, version=1, data={"title": "mine"})
    bid.refresh_from_db()
    assert bid.title == "colleague"


def test_submission_after_the_close_is_refused_even_from_a_form_opened_before(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data=bid_data(funding_round))
    version_seen_in_the_tab = bid.version
    FundingRound.objects.filter(pk=funding_round.pk).update(closes_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(WindowClosed, match="closed"):
        services.bid_update(bid=bid, by=personas.officer, version=version_seen_in_the_tab, data={}, submit=True)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.DRAFT


def test_withdraw(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    services.bid_withdraw(bid=bid, by=personas.officer)
    bid.refresh_from_db()
    assert bid.status == Bid.Status.WITHDRAWN
    with pytest.raises(ValidationError):
        services.bid_withdraw(bid=bid, by=personas.other_officer)


# ---------------------------------------------------------------- supporters and evaluation


def test_criterion_d_is_met_when_a_second_partner_confirms(personas):
    funding_round = make_round()
    alone = submitted_bid(funding_round, personas.officer)
    supported = submitted_bid(funding_round, personas.officer, supporters=[(personas.other, personas.other_officer)])
    close_round(funding_round)
    evaluator = personas.evaluator
    assert moderate(alone, evaluator).score == 6
    evaluation = moderate(supported, evaluator)
    assert evaluation.score == 7
    assert evaluation.marks.get(criterion__code="d").met


def test_only_an_officer_of_the_partner_asked_can_confirm(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data={})
    request = services.support_ask(bid=bid, organisation=personas.other, by=personas.officer)
    with pytest.raises(ValidationError):
        services.support_answer(support_request=request, by=personas.officer, confirm=True)
    services.support_answer(support_request=request, by=personas.other_officer, confirm=False)
    request.refresh_from_db()
    assert request.status == "declined"


def test_providers_cannot_be_asked_to_support(personas):
    funding_round = make_round()
    bid = services.bid_create(funding_round=funding_round, by=personas.officer, data={})
    with pytest.raises(ValidationError, match="Only commissioning partners"):
        services.support_ask(bid=bid, organisation=personas.provider_org, by=personas.officer)


def test_score_is_the_sum_of_weights_met_and_a_mandatory_failure_makes_a_bid_ineligible(personas):
    funding_round = make_round(open_it=False)
    services.criterion_update(criterion=funding_round.criteria.get(code="a"), weight=3, mandatory=True)
    services.round_open(funding_round=funding_round)
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    evaluation = moderate(bid, personas.evaluator, overrides={"a": False})
    assert evaluation.score == 5  # b, c, e, f, g met; a (weight 3) not met; d not met (no supporter)
    assert evaluation.eligible is False
    bid.refresh_from_db()
    assert bid.score == 5 and bid.eligible is False


def test_evaluation_needs_a_reason_for_each_criterion_and_a_written_evaluation(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    criterion = funding_round.criteria.get(code="a")
    with pytest.raises(ValidationError) as info:
        services.evaluation_save(
            bid=bid, by=personas.evaluator, marks={criterion.pk: (True, "")}, written_evaluation=""
        )
    errors = info.value.message_dict
    assert "reason_a" in errors and "met_b" in errors and "written_evaluation" in errors
    assert not bid.evaluations.exists()


def test_two_evaluators_each_score_and_one_moderated_evaluation_is_final(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    second = UserFactory(organisation=personas.evaluator.organisation, roles=["Programme team"])
    from tests.growth_bids.helpers import all_marks

    for evaluator in (personas.evaluator, second):
        services.evaluation_save(
            bid=bid, by=evaluator, marks=all_marks(funding_round), written_evaluation="Mine", moderated=False
        )
    moderate(bid, personas.evaluator)
    moderate(bid, second)
    assert bid.evaluations.filter(moderated=False).count() == 2
    assert bid.evaluations.filter(moderated=True).count() == 1


def test_evaluator_from_a_supporting_organisation_is_refused_with_the_reason(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer, supporters=[(personas.other, personas.other_officer)])
    close_round(funding_round)
    conflicted = UserFactory(organisation=personas.other, roles=["Programme team"])
    with pytest.raises(Conflict, match="Ashford Borough Council"):
        moderate(bid, conflicted)


def test_evaluator_with_a_declared_interest_is_refused(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    close_round(funding_round)
    DeclaredInterest.objects.create(
        user=personas.evaluator, organisation=personas.home, description="Spouse works there."
    )
    with pytest.raises(Conflict, match="declared an interest"):
        moderate(bid, personas.evaluator)


def test_nothing_is_evaluated_before_the_window_closes(personas):
    funding_round = make_round()
    bid = submitted_bid(funding_round, personas.officer)
    with pytest.raises(Conflict, match="after the submission window has closed"):
        moderate(bid, personas.evaluator)


# ---------------------------------------------------------------- decisions


@pytest.fixture
def evaluated_round(personas):
    """Three bids of £200k, £180k and £150k in a round with £450,000 available, evaluated."""
    funding_round = make_round()
    bids = [
        submitted_bid(funding_round, personas.officer, annual_amount=Decimal(amount), title=title)
        for title, amount in (("A", "200000"), ("B", "180000"), ("C", "150000"))
    ]
    close_round(funding_round)
    for bid in bids:
        moderate(bid, personas.evaluator)
    funding_round = services.round_mark_evaluated(funding_round=funding_round)
    return funding_round, bids


def _decide(bid, body, outcome, amount=None):
    return services.decision_record(
        reason="As minuted by the Body.",
        bid=bid,
        by=body,
        outcome=outcome,
        amount=amount,
        meeting_date=dt.date(2010, 9, 20),
        minute_ref="CB/10/7",
    )


def test_a_decision_that_would_overspend_is_refused(personas, evaluated_round):
    _round, (a, b, c) = evaluated_round
    _decide(a, personas.body, "funded", Decimal("200000"))
    _decide(c, personas.body, "funded", Decimal("150000"))
    with pytest.raises(ValidationError) as info:
        _decide(b, personas.body, "funded", Decimal("180000"))
    assert "£100,000.00 is left" in info.value.message_dict["amount"][0]
    assert not Decision.objects.filter(bid=b).exists()


def test_a_second_reserve_is_refused_by_the_service_and_by_the_database(personas, evaluated_round):
    funding_round, (a, b, c) = evaluated_round
    _decide(b, personas.body, "reserve")
    with pytest.raises(ValidationError, match="already has a reserve"):
        _decide(c, personas.body, "reserve")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            bid=c, funding_round=funding_round, outcome="reserve", meeting_date=timezone.localdate()
        )


def test_a_member_with_an_interest_cannot_decide(personas, evaluated_round):
    _round, (a, _b, _c) = evaluated_round
    member = UserFactory(organisation=personas.home, roles=["Commissioning Body"])
    with pytest.raises(Conflict, match="Kent County Council"):
        _decide(a, member, "funded", Decimal("1000"))


def test_a_funded_bid_that_falls_through_promotes_the_reserve_when_it_fits(personas, evaluated_round):
    _round, (a, b, c) = evaluated_round
    _decide(a, personas.body, "funded", Decimal("200000"))
    _decide(c, personas.body, "funded", Decimal("150000"))
    _decide(b, personas.body, "reserve")
    decision, promoted = services.decision_fall_through(bid=a, by=personas.body, meeting_date=dt.date(2010, 11, 1))
    assert decision.outcome == "fell_through"
    assert promoted.bid == b and promoted.outcome == "funded" and promoted.amount == Decimal("180000.00")
    assert services.funded_total(_round) == Decimal("330000.00")


def test_decisions_are_published_once_and_everyone_is_told_once(
    personas, evaluated_round, mailoutbox, django_capture_on_commit_callbacks
):
    funding_round, (a, b, c) = evaluated_round
    _decide(a, personas.body, "funded", Decimal("200000"))
    _decide(b, personas.body, "reserve")
    with pytest.raises(ValidationError, match="no decision yet"):
        services.round_publish_decisions(funding_round=funding_round, by=personas.body)
    _decide(c, personas.body, "not_funded")
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_decisions(funding_round=funding_round, by=personas.body)
    # What the fixture queued (outside the captured commits) holds back this test's nudge: dispatch here.
    outbox.dispatch()
    sent = len(mailoutbox)
    assert sent >= 3
    assert any("Funded" in m.subject for m in mailoutbox)
    from growth_bids.notifications import queue_decision_notices

    with django_capture_on_commit_callbacks(execute=True):
        assert queue_decision_notices(funding_round) == 0
    outbox.dispatch()
    assert len(mailoutbox) == sent
