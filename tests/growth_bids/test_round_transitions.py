"""A funding round's life as one table on the model, and one ``advance_to`` that refuses any other move."""

import pytest
from django.core.exceptions import ValidationError

from growth_bids.models import FundingRound

S = FundingRound.Status
ORDER = [S.DRAFT, S.OPEN, S.CLOSED, S.EVALUATED, S.DECIDED]


@pytest.mark.parametrize(("source", "target"), list(zip(ORDER, ORDER[1:], strict=False)))
def test_each_step_moves_on_from_the_status_before_it(source, target):
    funding_round = FundingRound(status=source)
    funding_round.advance_to(target)
    assert funding_round.status == target


@pytest.mark.parametrize("source", ORDER)
@pytest.mark.parametrize("target", ORDER)
def test_every_other_move_is_refused_in_words_and_changes_nothing(source, target):
    if ORDER.index(target) == ORDER.index(source) + 1:
        return
    funding_round = FundingRound(status=source)
    with pytest.raises(ValidationError) as refused:
        funding_round.advance_to(target)
    assert funding_round.status == source
    expected = FundingRound.TRANSITIONS[target][1] if target in FundingRound.TRANSITIONS else None
    assert refused.value.messages == [expected or "A round cannot be moved to “draft”."]
