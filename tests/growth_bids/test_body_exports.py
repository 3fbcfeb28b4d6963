"""The Body's exports: the styled Excel list and the criteria matrix (bids x criteria met) on the page, CSV, Excel."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from growth_bids import services
from tests.growth_bids.helpers import close_round, make_round, moderate, submitted_bid

pytestmark = pytest.mark.django_db


@pytest.fixture
def marked(personas):
    funding_round = make_round()
    bids = [
        submitted_bid(funding_round, personas.officer, annual_amount=Decimal(a), service_users=u, title=t)
        for t, a, u in (("A", "200000", 40), ("B", "180000", 30), ("C", "150000", 30))
    ]
    close_round(funding_round)
    failed = next(c for c in funding_round.criteria.all() if not c.system_rule)
    for bid in bids:
        moderate(bid, personas.evaluator, overrides={failed.code: False} if bid.title == "B" else None)
    return services.round_mark_evaluated(funding_round=funding_round), bids, failed


def test_the_excel_list_has_a_title_row_a_styled_frozen_header_widths_formats_and_a_filter(client, personas, marked):
    funding_round, _bids, _failed = marked
    client.force_login(personas.body)
    response = client.get(reverse("growth_bids:body_list", args=[funding_round.pk]), {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == str(funding_round) and sheet["A1"].font.bold
    header = [cell.value for cell in sheet[2]]
    assert header[0] == "Reference" and "Running total in rank order" in header
    assert all(cell.font.bold for cell in sheet[2]) and sheet["A2"].fill.fgColor.rgb.endswith("1D3557")
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == f"A2:{sheet.cell(row=2, column=len(header)).column_letter}5"
    amount = header.index("Annual amount") + 1
    assert sheet.cell(row=3, column=amount).number_format == "£#,##0.00"
    assert sheet.cell(row=3, column=amount).value == 200000
    organisation = sheet.cell(row=2, column=header.index("Organisation") + 1).column_letter
    assert sheet.column_dimensions[organisation].width >= len("Kent County Council")


def test_the_criteria_matrix_on_the_page(client, personas, marked):
    funding_round, bids, failed = marked
    client.force_login(personas.body)
    response = client.get(reverse("growth_bids:body_list", args=[funding_round.pk]))
    matrix = response.context["matrix"]
    criteria = list(funding_round.criteria.all())
    assert [c.code for c in matrix.criteria] == [c.code for c in criteria]
    met = {bid.title: row for bid, row in matrix.rows}
    column = [c.code for c in criteria].index(failed.code)
    assert met["B"][column] is False and met["A"][column] is True and met["C"][column] is True
    assert matrix.met_counts()[column] == 2
    html = response.content.decode()
    assert "Criteria met, bid by bid" in html and "export=matrix-csv" in html


def test_the_criteria_matrix_in_csv_and_excel(client, personas, marked):
    funding_round, bids, failed = marked
    client.force_login(personas.body)
    url = reverse("growth_bids:body_list", args=[funding_round.pk])
    criteria = list(funding_round.criteria.all())
    rows = list(csv.reader(io.StringIO(client.get(url, {"export": "matrix-csv"}).content.decode())))
    assert rows[0][:2] == ["Reference", "Title"] and rows[0][-2:] == ["Score", "Meets every mandatory criterion"]
    assert rows[1] == ["Weight", "", *(str(c.weight) for c in criteria), str(sum(c.weight for c in criteria)), ""]
    by_title = {row[1]: row for row in rows[2:-1]}
    column = 2 + [c.code for c in criteria].index(failed.code)
    assert by_title["B"][column] == "Not met" and by_title["A"][column] == "Met"
    assert by_title["B"][-2] == str(int(by_title["A"][-2]) - failed.weight)
    assert rows[-1][0] == "Bids meeting it" and rows[-1][column] == "2"
    book = load_workbook(io.BytesIO(client.get(url, {"export": "matrix-xlsx"}).content))
    sheet = book.active
    assert sheet.title == "Criteria" and sheet["A1"].value.startswith("Criteria met by each bid")
    assert sheet["A2"].value == "Reference" and sheet.freeze_panes == "A3" and sheet.auto_filter.ref
    assert sheet.max_row == 2 + 1 + 3 + 1
