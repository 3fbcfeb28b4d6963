"""The dashboard's bid queues read the bids of a few round ids (IN, hashed) with NOT EXISTS for the decided or
moderated ones: never a join through round and programme, which PostgreSQL misjudged at 50,000 bids and walked in
nested loops (2.5 s for the oldest awaiting bid at 10x, issue 17). An equivalent of an EXPLAIN at volume."""

import pytest

from commissioning import decision_queue
from tests.factories import home_partnership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("read", [decision_queue.bids_awaiting_the_body, decision_queue.bids_awaiting_moderation])
def test_the_bid_queues_filter_by_round_ids_not_joins(read):
    sql = str(read(home_partnership(), lazy=True).query)
    outer = sql.split(" WHERE ", 1)
    assert '"growth_bids_bid"."funding_round_id" IN (SELECT' in outer[1]
    assert "NOT EXISTS" in outer[1] or "NOT (EXISTS" in outer[1]
    # The only joins before WHERE are the page's select_related (round and applicant), one row each.
    assert "core_groups_programme" not in outer[0]
    assert "growth_bids_decision" not in outer[0]
