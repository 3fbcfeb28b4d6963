"""The dashboard's bid queues read the bids of a few round ids (an IN list of ids read first) with NOT EXISTS for
the decided or moderated ones: never a join through round and programme, which PostgreSQL misjudged at 50,000 bids
and walked in nested loops (2.5 s for the oldest awaiting bid at 10x, issue 17), and never a subquery of rounds,
whose size it guessed (with no round closed it walked every submitted bid). An equivalent of an EXPLAIN at volume."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commissioning import decision_queue
from growth_bids.models import FundingRound
from tests.factories import home_partnership
from tests.growth_bids.helpers import make_round

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "read, status",
    [
        (decision_queue.bids_awaiting_the_body, FundingRound.Status.EVALUATED),
        (decision_queue.bids_awaiting_moderation, FundingRound.Status.CLOSED),
    ],
)
def test_the_bid_queues_filter_by_round_ids_not_joins(read, status):
    funding_round = make_round(open_it=False)
    FundingRound.objects.filter(pk=funding_round.pk).update(status=status)
    sql = str(read(home_partnership()).query)
    outer = sql.split(" WHERE ", 1)
    assert f'"growth_bids_bid"."funding_round_id" IN ({funding_round.pk})' in outer[1]
    assert "NOT EXISTS" in outer[1] or "NOT (EXISTS" in outer[1]
    # The only joins before WHERE are the page's select_related (round and applicant), one row each.
    assert "core_groups_programme" not in outer[0]
    assert "growth_bids_decision" not in outer[0]


def test_a_queue_with_no_round_in_its_status_asks_nothing_of_the_bids():
    queues_read = decision_queue.bids_awaiting_moderation(home_partnership())
    with CaptureQueriesContext(connection) as ctx:
        assert queues_read.first() is None and queues_read.count() == 0
    assert ctx.captured_queries == []
