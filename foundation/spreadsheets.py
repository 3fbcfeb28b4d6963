"""Every spreadsheet the product writes or reads: safe cells, CSV and Excel downloads, streamed imports.

Writing. A cell a person typed can reach someone else's spreadsheet program, which runs text starting
with ``=`` (or ``+ - @``, a tab, a carriage return ...) as a formula: ``=HYPERLINK(...)`` in a risk title
becomes a link that leaks data, ``=cmd|...`` once ran programs. ``safe_cell`` puts a ``'`` before such
text so the program shows it as text; real numbers, dates and ``None`` pass through untouched, so money
stays a number a spreadsheet can add up. ``csv_response`` and ``excel_response`` pass every cell through
it, so a view never has to remember:

    return csv_response("work-plan.csv", header, rows)
    return excel_response("growth-bids-2025.xlsx", "Growth bids 2025/26", header, rows,
                          number_formats={"Annual amount": MONEY_FORMAT})

Reading. ``read_rows`` turns an uploaded CSV or .xlsx into lists of cell values. A workbook is checked
by ``foundation.uploads.workbook_error`` before openpyxl sees it (declared size and expanded size, so a
1 KB file declaring a million rows, or a zip bomb, is refused in words) and then read in openpyxl's
read-only streaming mode with the rows and columns bounded.
"""

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header

from . import uploads

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MONEY_FORMAT = "£#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"

# What makes a spreadsheet program read a cell as a formula when it is the first character. OWASP's
# CSV injection guidance names = + - @ tab and carriage return; ASVS 5.0 (1.2.10) adds NUL. The
# full-width forms are there too: some spreadsheet programs and input methods fold them to the ASCII
# ones, and a prefix on an innocent full-width cell costs nothing.
FORMULA_TRIGGERS = frozenset("=+-@\t\r\0" + "\uff1d\uff0b\uff0d\uff20")
# Spaces and control characters before a trigger do not make it safe: an import that trims them (or an
# Excel writer that drops the control characters) would leave the formula first.
_LEADING_IGNORED = "".join(chr(c) for c in range(33)) + "\u00a0\u3000"

# Excel cannot hold these control characters in a cell at all (openpyxl refuses them); they never
# belong in the product's text, so they are dropped from Excel output rather than failing the export.
_EXCEL_ILLEGAL = re.compile(r"[\000-\010\013\014\016-\037]")
# Excel's own limit on the text in one cell.
_EXCEL_CELL_MAX = 32_767
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

Cell = Any
Row = Sequence[Cell]


# ------------------------------------------------------------------------------------------ writing


def safe_cell(value: Cell) -> Cell:
    """The value as a spreadsheet should receive it: text that would be a formula (once any leading
    spaces and control characters are gone) gets a ``'`` first.

    Numbers (int, float, Decimal; bool too) and dates are returned as they are, so a negative amount
    stays a number. ``None`` stays ``None`` (an empty cell). Anything else becomes its text.
    """
    if value is None or isinstance(value, int | float | Decimal | date):
        return value
    text = value if isinstance(value, str) else str(value)
    if text[:1] in FORMULA_TRIGGERS or text.lstrip(_LEADING_IGNORED)[:1] in FORMULA_TRIGGERS:
        return "'" + text
    return text


def safe_row(values: Iterable[Cell]) -> list[Cell]:
    return [safe_cell(value) for value in values]


def safe_filename(filename: str, default: str = "export") -> str:
    """A download name that is plain ASCII letters, digits, ``.``, ``-`` and ``_``: nothing a header,
    a shell or a file system could read as more than a name."""
    ascii_name = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode()
    cleaned = _FILENAME_UNSAFE.sub("-", ascii_name).strip("-._")
    return cleaned[:150] or default


def attachment_response(content: bytes, filename: str) -> HttpResponse:
    """Spreadsheet bytes (from ``csv_bytes`` or ``excel_bytes``) as a download named ``filename``
    (made safe); the type follows the extension, .xlsx or else CSV."""
    content_type = XLSX_CONTENT_TYPE if filename.lower().endswith(".xlsx") else CSV_CONTENT_TYPE
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=safe_filename(filename))
    return response


def _local(value: Cell) -> Cell:
    # Spreadsheets have no time zones: a moment is shown as the clock in London read it.
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value, timezone.get_default_timezone())
    return value


def csv_bytes(header: Row, rows: Iterable[Row], *, bom: bool = False) -> bytes:
    """CSV text (UTF-8, Excel's line ends) with every cell made safe.

    ``bom`` puts a byte-order mark first: Excel then reads the file as UTF-8 instead of the Windows
    code page (so £ and accented names survive a double-click). Files people edit in Excel and send
    back want it; files other programs read may not.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(header))
    for row in rows:
        writer.writerow([_local(cell) for cell in safe_row(row)])
    return buffer.getvalue().encode("utf-8-sig" if bom else "utf-8")


def csv_response(filename: str, header: Row, rows: Iterable[Row], *, bom: bool = False) -> HttpResponse:
    """A CSV download; see ``csv_bytes``."""
    return attachment_response(csv_bytes(header, rows, bom=bom), filename)


def _excel_cell(value: Cell) -> Cell:
    value = _local(safe_cell(value))
    if isinstance(value, str):
        value = _EXCEL_ILLEGAL.sub("", value)[:_EXCEL_CELL_MAX]
    return value


def _text_width(value: Cell) -> int:
    if value is None:
        return 0
    if isinstance(value, date):
        return 16 if isinstance(value, datetime) else 10
    if isinstance(value, int | float | Decimal):
        return len(f"{value:,.2f}") + 1  # room for the £ of a money format
    return max((len(line) for line in str(value).splitlines()), default=0)


def excel_bytes(
    title: str,
    header: Row,
    rows: Iterable[Row],
    *,
    sheet_name: str | None = None,
    title_row: bool = False,
    number_formats: Mapping[str, str] | None = None,
    widths: Mapping[str, float] | None = None,
    extra_sheets: Mapping[str, Iterable[Row]] | None = None,
) -> bytes:
    """An .xlsx workbook: one styled sheet of ``header`` and ``rows``, every cell made safe.

    The column names are bold on a dark band, frozen so they stay in view, with an autofilter over
    the table; columns are as wide as their content (``widths`` overrides by column name); dates and
    times get UK formats and ``number_formats`` maps a column name to a format (``MONEY_FORMAT``).

    ``title`` names the workbook (its document title and the header printed on every page). With
    ``title_row`` it is also written in bold above the column names; leave that off for a file that is
    read back by a program or re-imported, which expects the column names on the first row.
    ``extra_sheets`` adds plain sheets (a guide to the columns, say) after the first, in order.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.properties.title = title
    sheet = book.active
    sheet.title = (sheet_name or safe_filename(title, "Sheet"))[:31]
    sheet.oddHeader.center.text = _EXCEL_ILLEGAL.sub("", title).replace("&", "&&")  # & starts a print code
    header = list(header)
    number_formats = number_formats or {}
    widths = widths or {}

    header_row = 1
    if title_row:
        sheet.append([_excel_cell(title)])
        sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
        header_row = 2
    sheet.append([_excel_cell(label) for label in header])
    band = PatternFill("solid", fgColor="1D3557")
    rule = Border(bottom=Side(style="thin", color="000000"))
    for cell in sheet[header_row]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = band
        cell.border = rule
        cell.alignment = Alignment(vertical="center", wrap_text=True)

    formats = {index: number_formats[label] for index, label in enumerate(header) if label in number_formats}
    longest = [_text_width(label) for label in header]
    for row in rows:
        values = [_excel_cell(value) for value in row]
        sheet.append(values)
        for index, cell in enumerate(sheet[sheet.max_row]):
            if index in formats:
                cell.number_format = formats[index]
            elif isinstance(cell.value, datetime):
                cell.number_format = DATETIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            if index < len(longest):
                longest[index] = max(longest[index], _text_width(cell.value))

    for index, label in enumerate(header):
        letter = get_column_letter(index + 1)
        sheet.column_dimensions[letter].width = widths.get(label, min(max(longest[index] + 2, 8), 60))
    last_column = get_column_letter(max(len(header), 1))
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.auto_filter.ref = f"A{header_row}:{last_column}{max(sheet.max_row, header_row)}"
    sheet.print_title_rows = f"{header_row}:{header_row}"

    for name, extra_rows in (extra_sheets or {}).items():
        extra = book.create_sheet(name[:31])
        for row in extra_rows:
            extra.append([_excel_cell(value) for value in row])

    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def excel_response(filename: str, title: str, header: Row, rows: Iterable[Row], **options: Any) -> HttpResponse:
    """An .xlsx download; ``options`` are those of ``excel_bytes``."""
    return attachment_response(excel_bytes(title, header, rows, **options), filename)


# ------------------------------------------------------------------------------------------ reading


class UnreadableSpreadsheet(ValueError):
    """The upload cannot be read as a table; the message says why in words for the person uploading it."""


def read_rows(
    data: bytes,
    *,
    name: str = "",
    sheet: str | None = None,
    max_rows: int | None = None,
) -> list[list[Cell]]:
    """The rows of an uploaded CSV or .xlsx (chosen by content, not name) as lists of cell values.

    A workbook is read from ``sheet`` when it has a sheet of that name, else from its first sheet.
    Trailing empty cells are dropped. More than ``max_rows`` rows (default settings.SPREADSHEET_MAX_ROWS)
    is refused with UnreadableSpreadsheet, as is anything that is neither CSV text nor a sound workbook.
    """
    max_rows = max_rows if max_rows is not None else settings.SPREADSHEET_MAX_ROWS
    if data[:4] == b"PK\x03\x04":
        return _read_workbook(data, sheet=sheet, max_rows=max_rows)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise UnreadableSpreadsheet("This does not look like an Excel (.xlsx) workbook. Save it as .xlsx or CSV.")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableSpreadsheet("The file is neither a CSV text file nor an Excel workbook.")
    rows = []
    try:
        for row in csv.reader(io.StringIO(text)):
            rows.append(row)
            if len(rows) > max_rows:
                raise UnreadableSpreadsheet(_too_many_rows(max_rows))
    except csv.Error as exc:
        raise UnreadableSpreadsheet(f"The CSV file could not be read: {exc}.") from exc
    return rows


def _too_many_rows(max_rows: int) -> str:
    return f"The file has more than {max_rows:,} rows; at most {max_rows:,} can be imported at once."


def _read_workbook(data: bytes, *, sheet: str | None, max_rows: int) -> list[list[Cell]]:
    from openpyxl import load_workbook

    # Before openpyxl opens anything: a workbook that declares or expands to more than the limits
    # would hold this worker for minutes (issue 19).
    problem = uploads.workbook_error(io.BytesIO(data), max_rows=max_rows)
    if problem:
        raise UnreadableSpreadsheet(problem)
    max_columns = settings.SPREADSHEET_MAX_COLUMNS
    rows = []
    try:
        # read_only streams the sheet's XML instead of building every cell in memory.
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            worksheet = book[sheet] if sheet and sheet in book.sheetnames else book.worksheets[0]
            # The declared width (already checked) bounds the padding openpyxl adds to every row; a
            # sheet that declares none is bounded by the column limit instead.
            width = min(worksheet.max_column or max_columns, max_columns)
            for values in worksheet.iter_rows(max_row=max_rows + 1, max_col=width, values_only=True):
                end = len(values)
                while end and values[end - 1] is None:
                    end -= 1
                rows.append(list(values[:end]))
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - any broken workbook is the same mistake to the person uploading it
        raise UnreadableSpreadsheet("The Excel workbook could not be opened.") from exc
    if len(rows) > max_rows:
        raise UnreadableSpreadsheet(_too_many_rows(max_rows))
    return rows
