"""The year's money position of a core group and a programme: Decimal, to the penny, one query."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core_groups.models import SpendEntry
from core_groups.selectors import group_year_position, programme_year_position
from tests.factories import AllocationFactory, CoreGroupFactory, ProgrammeFactory, SpendEntryFactory

pytestmark = pytest.mark.django_db

D = Decimal


def test_underspend_to_the_penny():
    group = CoreGroupFactory()
    AllocationFactory(core_group=group, financial_year=2010, amount=D("1000000.00"), forecast_outturn=D("950000.01"))
    SpendEntryFactory(core_group=group, spent_on=dt.date(2010, 4, 1), amount=D("469999.99"))
    SpendEntryFactory(core_group=group, spent_on=dt.date(2011, 3, 31), amount=D("470000.00"))
    # Spend in the next financial year does not count.
    AllocationFactory(core_group=group, financial_year=2011, amount=D("5.00"))
    SpendEntryFactory(core_group=group, spent_on=dt.date(2011, 4, 1), amount=D("1.00"))

    position = group_year_position(group, 2010)

    assert position.allocated == D("1000000.00")
    assert position.spent == D("939999.99")
    assert position.variance == D("60000.01")
    assert position.forecast == D("950000.01")
    assert position.forecast_variance == D("49999.99")
    assert position.underspend and not position.overspend
    assert isinstance(position.spent, Decimal)
    assert position.year_label == "2010-11"


def test_overspend_is_flagged_with_a_negative_variance():
    group = CoreGroupFactory()
    AllocationFactory(core_group=group, amount=D("400000.00"))
    SpendEntryFactory(core_group=group, amount=D("400000.01"))
    position = group_year_position(group, 2010)
    assert position.overspend and not position.underspend
    assert position.variance == D("-0.01")
    assert position.overspend_amount == D("0.01")
    assert position.underspend_amount == D("0.00")


def test_exactly_spent_is_neither_under_nor_over():
    group = CoreGroupFactory()
    AllocationFactory(core_group=group, amount=D("100.10"))
    SpendEntryFactory(core_group=group, amount=D("100.10"))
    position = group_year_position(group, 2010)
    assert position.variance == D("0.00")
    assert not position.underspend and not position.overspend


def test_a_group_without_allocation_or_spend_is_all_zero():
    position = group_year_position(CoreGroupFactory(), 2010)
    assert position.allocated == position.spent == position.variance == D("0.00")
    assert position.forecast is None
    assert not position.has_allocation and not position.underspend and not position.overspend


def test_programme_totals_sum_every_group_and_flag_overspends():
    programme = ProgrammeFactory()
    under = CoreGroupFactory(programme=programme, name="A under")
    over = CoreGroupFactory(programme=programme, name="B over")
    AllocationFactory(core_group=under, amount=D("1000000.00"))
    SpendEntryFactory(core_group=under, amount=D("940000.00"))
    AllocationFactory(core_group=over, amount=D("400000.00"), forecast_outturn=D("420000.00"))
    SpendEntryFactory(core_group=over, amount=D("410000.50"))
    CoreGroupFactory(name="Another programme's group")

    position = programme_year_position(programme, 2010)

    assert [r.name for r in position.rows] == ["A under", "B over"]
    assert position.allocated == D("1400000.00")
    assert position.spent == D("1350000.50")
    assert position.variance == D("49999.50")
    assert position.forecast == D("1360000.00")  # 940,000 spent (no forecast) + 420,000 forecast
    assert [r.name for r in position.overspent_groups] == ["B over"]
    assert position.as_dict()["rows"][1]["overspend"] is True


def test_programme_position_is_one_query_however_many_groups():
    programme = ProgrammeFactory()
    for n in range(6):
        group = CoreGroupFactory(programme=programme)
        AllocationFactory(core_group=group, amount=D("1000.00"))
        for _ in range(3):
            SpendEntryFactory(core_group=group, amount=D(f"{n + 1}.00"))
    with CaptureQueriesContext(connection) as ctx:
        position = programme_year_position(programme, 2010)
        totals = (position.allocated, position.spent, position.variance)
    assert len(ctx.captured_queries) == 1
    assert totals == (D("6000.00"), D("63.00"), D("5937.00"))


def test_a_page_of_the_programme_carries_the_whole_programmes_sums_in_a_fixed_number_of_queries(monkeypatch):
    from core_groups import selectors

    monkeypatch.setattr(selectors, "PROGRAMME_PAGE", 2)
    monkeypatch.setattr(selectors, "OVERSPENT_NAMED", 2)
    programme = ProgrammeFactory()
    for n, name in enumerate(["A", "B", "C", "D", "E"]):
        group = CoreGroupFactory(programme=programme, name=name)
        AllocationFactory(core_group=group, amount=D("100.00"), forecast_outturn=D("90.00") if name == "A" else None)
        SpendEntryFactory(core_group=group, amount=D("99.00") if n % 2 == 0 else D("101.50"))
    CoreGroupFactory(name="Another programme's group")
    whole = programme_year_position(programme, 2010)

    with CaptureQueriesContext(connection) as ctx:
        position, page = selectors.programme_year_page(programme, 2010, "2")
        figures = (position.allocated, position.spent, position.forecast, position.variance, position.overspend)
    # Count, page, sums with the number overspent, and the overspent groups named: four, whatever the number of
    # groups (three when none is overspent, below).
    assert len(ctx.captured_queries) == 4
    assert [r.name for r in position.rows] == ["C", "D"] and page.paginator.count == 5
    assert figures == (whole.allocated, whole.spent, whole.forecast, whole.variance, whole.overspend)
    assert figures[:3] == (D("500.00"), D("500.00"), D("491.00"))  # A's forecast 90 + the others' spend 401
    assert [r.name for r in position.overspent_groups] == ["B", "D"] and position.overspent_count == 2
    # A page past the end is the last page, not an error.
    assert selectors.programme_year_page(programme, 2010, "99")[1].number == 3
    # Nobody overspent: the sums say so, and nobody is looked for by name.
    for entry in SpendEntry.objects.filter(core_group__programme=programme, amount=D("101.50")):
        entry.amount = D("1.50")
        entry.save()
    with CaptureQueriesContext(connection) as ctx:
        position, _page = selectors.programme_year_page(programme, 2010, "2")
    assert len(ctx.captured_queries) == 3
    assert (position.overspent_groups, position.overspent_count) == ([], 0)


def test_a_programme_that_fits_on_one_page_is_read_in_two_queries():
    from core_groups import selectors

    programme = ProgrammeFactory()
    for name in ("A", "B"):
        group = CoreGroupFactory(programme=programme, name=name)
        AllocationFactory(core_group=group, amount=D("100.00"))
        SpendEntryFactory(core_group=group, amount=D("120.00") if name == "B" else D("10.00"))
    with CaptureQueriesContext(connection) as ctx:
        position, page = selectors.programme_year_page(programme, 2010, None)
        figures = (position.allocated, position.spent, [r.name for r in position.overspent_groups])
    assert len(ctx.captured_queries) == 2 and page.paginator.num_pages == 1
    assert figures == (D("200.00"), D("130.00"), ["B"]) and position.overspent_count == 1
