"""The pure rules: periods, units, attendance patterns and the chart's accessible text."""

import re
from datetime import date
from decimal import Decimal

from review import charts, rules
from review.selectors import Point


def test_percentage_over_100_is_refused_and_100_is_not():
    assert "cannot be more than 100" in rules.value_problem("percentage", Decimal("100.5"))
    assert rules.value_problem("percentage", Decimal("100")) is None
    assert rules.value_problem("number", Decimal("250")) is None


def test_negative_figures_are_refused():
    assert rules.value_problem("number", Decimal("-1")) == "A figure cannot be negative."


def test_financial_quarters_and_their_labels():
    assert rules.quarters(date(2011, 5, 10), date(2011, 12, 1)) == [
        (date(2011, 4, 1), date(2011, 6, 30)),
        (date(2011, 7, 1), date(2011, 9, 30)),
        (date(2011, 10, 1), date(2011, 12, 31)),
    ]
    assert rules.period_label(date(2012, 1, 1), date(2012, 3, 31)) == "2011-12 Q4"
    assert rules.period_label(date(2011, 4, 1), date(2011, 6, 30)) == "2011-12 Q1"
    assert rules.period_label(date(2011, 4, 2), date(2011, 6, 30)) == "02 Apr 2011 to 30 Jun 2011"


def test_period_outside_the_service_life_is_refused():
    life = (date(2011, 4, 1), date(2012, 3, 31))
    assert "outside the service's life" in rules.period_problem(date(2011, 1, 1), date(2011, 3, 31), *life)
    assert "outside the service's life" in rules.period_problem(date(2012, 4, 1), date(2012, 6, 30), *life)
    assert rules.period_problem(date(2011, 4, 1), date(2011, 6, 30), *life) is None
    # A quarter that a mid-quarter start shares days with is inside.
    assert rules.period_problem(date(2011, 4, 1), date(2011, 6, 30), date(2011, 5, 1), None) is None
    assert "no start date" in rules.period_problem(date(2011, 4, 1), date(2011, 6, 30), None, None)


def test_attendance_pattern_in_the_sources_words():
    records = [("a", False), ("a", False), ("b", True), ("b", False), ("c", True), ("d", True), ("d", True)]
    count = rules.count_attendance(records, meetings=2)
    assert count.pattern() == ["1 member never attended", "2 members attended once", "1 member attended twice"]


def test_chart_says_no_baseline_in_words_and_lists_each_period():
    svg = charts.trend_chart(
        [Point(date(2011, 4, 1), "2011-12 Q1", actual=Decimal("65"), target=Decimal("70"))],
        title="Carers satisfied",
        baseline=None,
    )
    assert "No baseline set" in svg
    assert "2011-12 Q1: actual 65, target 70" in svg
    assert 'role="img"' in svg and "<title>Carers satisfied</title>" in svg
    assert "style=" not in svg and "<script" not in svg


def test_chart_draws_baseline_when_set():
    svg = charts.trend_chart([], title="T", baseline=Decimal("62"))
    assert "Baseline 62" in svg
    assert "No targets or returns yet." in svg


def test_a_chart_printed_beside_its_table_names_fewer_periods_on_its_axis_the_last_always():
    points = [
        Point(date(2010 + n // 4, 4, 1), f"{2010 + n // 4}-{(11 + n // 4) % 100:02d} Q{n % 4 + 1}", actual=Decimal(n))
        for n in range(12)
    ]

    def axis(svg):
        return re.findall(r'transform="rotate\(-30[^"]*"\>([^<]+)</text>', svg)

    every = axis(charts.trend_chart(points, title="T"))
    assert every == [p.label for p in points]
    some = axis(charts.trend_chart(points, title="T", most_labels=6))
    assert some == [points[i].label for i in (1, 3, 5, 7, 9, 11)]
    # Every period is still in the chart's description, which a screen reader reads.
    assert all(p.label in charts.trend_chart(points, title="T", most_labels=6) for p in points)
