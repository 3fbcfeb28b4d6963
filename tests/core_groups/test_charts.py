import re
from decimal import Decimal

from core_groups.charts import bar_chart_allocation_vs_spend, heat_map_counts, risk_heat_map


def test_bar_chart_is_an_accessible_svg_without_styles():
    svg = bar_chart_allocation_vs_spend(
        [
            {"name": "Family Support", "allocated": Decimal("1000000"), "spent": Decimal("940000")},
            {"name": "Play <script>", "allocated": Decimal("350000"), "spent": Decimal("362500")},
        ]
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>" in svg and "aria-label=" in svg
    assert "style=" not in svg and "<script" not in svg
    assert "Play &lt;script&gt;" in svg
    assert "£362,500 over" in svg  # the overspend is named, not only coloured
    assert "#b02a37" in svg


def test_bar_chart_with_no_rows_says_so():
    assert "No core groups." in bar_chart_allocation_vs_spend([])


def test_heat_map_has_25_cells_and_counts():
    risks = [{"impact": 4, "likelihood": 4}, {"impact": 4, "likelihood": 4}, {"impact": 1, "likelihood": 2}]
    assert heat_map_counts(risks) == {(4, 4): 2, (1, 2): 1}
    svg = risk_heat_map(risks)
    assert len(re.findall(r"<rect ", svg)) == 25
    assert 'role="img"' in svg and "3 risks" in svg
    assert "Impact 4, likelihood 4: score 16, Red, 2 risks" in svg
    assert "Impact 1, likelihood 2: score 2, Green, 1 risk<" in svg
    assert "style=" not in svg
