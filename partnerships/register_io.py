"""Reading and writing the funding arrangements register as CSV or Excel.

Reading never saves: ``parse_upload`` turns the file into rows, ``validate_rows`` checks every row and
returns every problem as (line, column, message) so that the person can fix the whole file at once.
services.register_import saves only a file with no problems at all.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from foundation import spreadsheets

from . import costing

ARRANGEMENT_COLUMNS = [
    ("reference", "Reference", True),
    ("funder", "Funder", True),
    ("provider", "Provider", True),
    ("type", "Type", True),
    ("service_area", "Service area", True),
    ("title", "Title", False),
    ("annual_value", "Annual value", True),
    ("start_date", "Start date", True),
    ("end_date", "End date", True),
    ("rolls_over", "Rolls over", True),
    ("last_openly_procured", "Last openly procured", True),
    *[(name, label + " (hours)", True) for name, label in costing.STAGES],
    ("funder_hourly_cost", "Funder hourly cost", False),
    ("notes", "Notes", False),
]
COLUMN_KEYS = [key for key, _label, _required in ARRANGEMENT_COLUMNS]
REQUIRED_KEYS = [key for key, _label, required in ARRANGEMENT_COLUMNS if required]
MAX_ROWS = 5000
MAX_BYTES = 5 * 1024 * 1024

TRUE_WORDS = {"yes", "y", "true", "1"}
FALSE_WORDS = {"no", "n", "false", "0", ""}
NEVER_WORDS = {"", "never", "n/a", "none"}


# services.register_validate_upload turns this into a problem on line 1.
UnreadableFile = spreadsheets.UnreadableSpreadsheet


@dataclass
class Problem:
    line: int
    column: str
    message: str
    value: str = ""


def _header_key(text):
    text = str(text or "").strip().lower()
    text = re.sub(r"\(hours\)", "", text)
    text = re.sub(r"[^a-z0-9]+", "_", text).strip("_")
    for key, label, _required in ARRANGEMENT_COLUMNS:
        if text in (key, re.sub(r"[^a-z0-9]+", "_", label.lower().replace("(hours)", "")).strip("_")):
            return key
    return text


def parse_upload(name, data: bytes):
    """Return (header keys, list of (line number, {key: raw value})). Excel when the content is a zip."""
    if len(data) > MAX_BYTES:
        raise UnreadableFile("The file is larger than 5 MB.")
    # A workbook's size is checked before it is opened, then it is streamed (foundation.spreadsheets).
    return _to_records(spreadsheets.read_rows(data, name=name, sheet="Register"))


def _to_records(rows):
    if not rows or not any(cell not in (None, "") for cell in rows[0]):
        raise UnreadableFile("The file is empty: the first line must name the columns.")
    header = [_header_key(cell) for cell in rows[0]]
    records = []
    for index, row in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") and str(cell).strip() for cell in row):
            continue
        values = {}
        for key, cell in zip(header, row, strict=False):
            if key:
                values[key] = cell
        records.append((index, values))
    if len(records) > MAX_ROWS:
        raise UnreadableFile(f"The file has {len(records)} rows; at most {MAX_ROWS} can be imported at once.")
    return header, records


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_money(value):
    if isinstance(value, float):
        value = repr(value)
    text = _text(value).replace("£", "").replace(",", "")
    if text == "":
        raise ValueError("is missing")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError("is not a number") from exc
    if not amount.is_finite():
        raise ValueError("is not a number")
    if amount < 0:
        raise ValueError("cannot be negative")
    return amount


def parse_date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = _text(value)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(text, fmt).date()  # noqa: DTZ007 - only the date is kept, no time or zone
        except ValueError:
            continue
    raise ValueError("is not a date (use YYYY-MM-DD or DD/MM/YYYY)")


def validate_rows(header, records, *, funders, providers, service_areas, elsewhere=None):
    """Check every row. funders/providers/service_areas map lower-case names, short names or codes to objects.

    Returns (cleaned rows, problems). A cleaned row is a dict ready for services.register_import.
    """
    problems = []
    labels = {key: label for key, label, _required in ARRANGEMENT_COLUMNS}
    missing = [key for key in REQUIRED_KEYS if key not in header]
    for key in missing:
        problems.append(Problem(1, labels[key], "This column is missing from the first line."))
    if missing:
        return [], problems
    if not records:
        problems.append(Problem(2, "", "The file has no rows below the column names."))
        return [], problems

    cleaned = []
    seen_refs = {}
    hourly_by_funder = {}
    for line, values in records:
        row = {"line": line}
        row_problems = []

        def problem(key, message, raw, row_problems=row_problems, line=line):
            row_problems.append(Problem(line, labels.get(key, key), message, _text(raw)[:80]))

        reference = _text(values.get("reference"))
        if not reference:
            problem("reference", "The reference is missing.", "")
        elif len(reference) > 40:
            problem("reference", "The reference is longer than 40 characters.", reference)
        elif reference.lower() in seen_refs:
            problem("reference", f"The reference repeats line {seen_refs[reference.lower()]}.", reference)
        else:
            seen_refs[reference.lower()] = line
        row["reference"] = reference

        for key, lookup, what in (
            ("funder", funders, "commissioning partner"),
            ("provider", providers, "provider"),
            ("service_area", service_areas, "service area"),
        ):
            raw = _text(values.get(key))
            found = lookup.get(raw.lower()) if raw else None
            if not raw:
                problem(key, f"The {what} is missing.", raw)
            elif found is None and elsewhere and raw.lower() in elsewhere and key != "service_area":
                problem(key, f"{raw!r} is not a member of this partnership: only its own {what}s may be named.", raw)
            elif found is None:
                problem(key, f"Unknown {what}: {raw!r}.", raw)
            row[key] = found

        raw_type = _text(values.get("type")).lower()
        types = {"contract": "contract", "sla": "sla", "service level agreement": "sla", "grant": "grant"}
        if raw_type not in types:
            problem("type", "The type must be Contract, SLA or Grant.", values.get("type"))
        row["arrangement_type"] = types.get(raw_type)
        row["title"] = _text(values.get("title"))[:200]
        row["notes"] = _text(values.get("notes"))

        try:
            row["annual_value"] = parse_money(values.get("annual_value"))
        except ValueError as exc:
            problem("annual_value", f"The annual value {exc}.", values.get("annual_value"))

        for key in ("start_date", "end_date", "last_openly_procured"):
            raw = values.get(key)
            text = _text(raw)
            if key == "end_date" and text == "":
                row[key] = None
                continue
            if key == "last_openly_procured" and text.lower() in NEVER_WORDS:
                row[key] = None
                continue
            try:
                row[key] = parse_date(raw)
            except ValueError as exc:
                problem(key, f"{labels[key]} {exc}.", raw)

        raw_roll = _text(values.get("rolls_over")).lower()
        if raw_roll in TRUE_WORDS:
            row["rolls_over"] = True
        elif raw_roll in FALSE_WORDS:
            row["rolls_over"] = False
        else:
            problem("rolls_over", "Rolls over must be Yes or No.", values.get("rolls_over"))

        for key in costing.STAGE_FIELDS:
            raw = values.get(key)
            if _text(raw) == "":
                row[key] = Decimal(0)
                continue
            try:
                hours = parse_money(raw)
            except ValueError as exc:
                problem(key, f"The hours {exc}.", raw)
                continue
            if hours != hours.quantize(Decimal("0.01")) or hours >= Decimal("1000000"):
                problem(key, "The hours must have at most two decimal places and be under 1,000,000.", raw)
            row[key] = hours

        start, end = row.get("start_date"), row.get("end_date")
        if start and end and end < start:
            problem("end_date", "The end date is before the start date.", values.get("end_date"))
        if "end_date" in row and end is None and row.get("rolls_over") is False:
            problem("end_date", "Give an end date, or mark the arrangement as rolling over.", "")

        raw_hourly = values.get("funder_hourly_cost")
        row["funder_hourly_cost"] = None
        if _text(raw_hourly) != "":
            try:
                hourly = parse_money(raw_hourly)
                row["funder_hourly_cost"] = hourly
                funder = row.get("funder")
                if funder is not None:
                    earlier = hourly_by_funder.setdefault(funder.pk, (hourly, line))
                    if earlier[0] != hourly:
                        problem(
                            "funder_hourly_cost",
                            f"A different hourly cost for {funder.label} is on line {earlier[1]}.",
                            raw_hourly,
                        )
            except ValueError as exc:
                problem("funder_hourly_cost", f"The hourly cost {exc}.", raw_hourly)

        problems.extend(row_problems)
        if not row_problems:
            cleaned.append(row)
    return cleaned, problems


def arrangement_row(arrangement):
    """One register row in the column order of the template (export and import round-trip)."""
    hourly = getattr(arrangement.funder, "hourly_cost", None)
    return [
        arrangement.reference,
        arrangement.funder.name,
        arrangement.provider.name,
        arrangement.get_arrangement_type_display() if arrangement.arrangement_type != "sla" else "SLA",
        arrangement.service_area.code,
        arrangement.title,
        arrangement.annual_value,
        arrangement.start_date,
        arrangement.end_date,
        "Yes" if arrangement.rolls_over else "No",
        arrangement.last_openly_procured or "Never",
        *[getattr(arrangement, name) for name in costing.STAGE_FIELDS],
        hourly.hourly_cost if hourly else "",
        arrangement.notes,
    ]


def header_labels():
    return [label for _key, label, _required in ARRANGEMENT_COLUMNS]


def write_csv(rows) -> bytes:
    # With a byte-order mark: people open the template in Excel, fill it in and send it back.
    return spreadsheets.csv_bytes(header_labels(), rows, bom=True)


def write_excel(rows, *, guide=None) -> bytes:
    return spreadsheets.excel_bytes(
        "Funding arrangements register",
        header_labels(),
        rows,
        sheet_name="Register",
        # No title row: the import reads the first row as the column names, and this is its template.
        title_row=False,
        number_formats={"Annual value": spreadsheets.MONEY_FORMAT, "Funder hourly cost": spreadsheets.MONEY_FORMAT},
        extra_sheets={"Guide": guide} if guide else None,
    )
