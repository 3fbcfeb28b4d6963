"""The dashboard's core-group panel: every group's position for a year in one query, however many groups."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core_groups import selectors
from tests.factories import (
    AllocationFactory,
    CoreGroupFactory,
    MembershipFactory,
    ProgrammeFactory,
    SpendEntryFactory,
)

pytestmark = pytest.mark.django_db


def _group(programme, user, n):
    group = CoreGroupFactory(programme=programme, name=f"Group {n}")
    MembershipFactory(core_group=group, user=user)
    AllocationFactory(core_group=group, financial_year=2010, amount=Decimal(1000 * (n + 1)))
    SpendEntryFactory(core_group=group, amount=Decimal(10 * (n + 1)))
    return group


def _home_queries(client):
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("home")).content.decode()
    return page, len(queries)


def test_the_panel_runs_the_same_queries_for_one_group_and_six(client, personas):
    programme = ProgrammeFactory()
    _group(programme, personas.member, 0)
    client.force_login(personas.member)
    client.get(reverse("home"))
    page, one = _home_queries(client)
    assert "Group 0" in page
    for n in range(1, 6):
        _group(programme, personas.member, n)
    page, six = _home_queries(client)
    assert "Group 5</a>: £60 of £6,000 spent" in page and one == six


def test_positions_in_one_query_are_each_groups_own(personas):
    programme = ProgrammeFactory()
    groups = [_group(programme, personas.member, n) for n in range(4)]
    with CaptureQueriesContext(connection) as queries:
        positions = selectors.group_year_positions({g.pk: 2010 for g in groups})
    assert len(queries) == 1
    for n, group in enumerate(groups):
        assert positions[group.pk] == selectors.group_year_position(group, 2010)
        assert positions[group.pk].allocated == Decimal(1000 * (n + 1))
        assert positions[group.pk].spent == Decimal(10 * (n + 1))
