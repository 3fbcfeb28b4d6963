"""One check for every uploaded file: its size, what its content really is, and (for a spreadsheet
the server will read) whether it can be read safely.

A file's name and the browser's Content-Type are whatever the sender says; the first bytes are what
the file is. ``validate_upload`` reads them (with the ``filetype`` package, plus fallbacks for the old
OLE formats .doc/.xls, for Office files whose signature sits beyond the first 8 KB, and for CSV, which
has no signature) and refuses a file that is too big (settings.MAX_UPLOAD_SIZE unless told), empty, of
a type not allowed, or whose content does not match its name. It returns the kind (the extension).

Use it in a form (``clean_<field>``), as a field validator, or in a service:

    from foundation.uploads import DOCUMENTS, SPREADSHEETS, upload_validator, validate_upload

    document = forms.FileField(validators=[upload_validator(DOCUMENTS)])

    def clean_register(self):
        f = self.cleaned_data["register"]
        validate_upload(f, allowed=SPREADSHEETS, parse=True)   # ValidationError with a plain message
        return f

``parse=True`` is for files the server will open (imports): a workbook is then also checked by
``workbook_error`` before any parser sees it. A 1 KB .xlsx can declare a sheet of a million rows by
16,384 columns (openpyxl pads every row it reads to the declared width) and a 5 MB one can unzip to
gigabytes; both are refused in words, naming the limit, from the zip's central directory and the first
bytes of each part (settings.SPREADSHEET_MAX_ROWS, SPREADSHEET_MAX_COLUMNS, SPREADSHEET_MAX_EXPANDED_SIZE).
Python's zipfile stops every part at the size the directory declares, so the declared total bounds
what a parser can be made to read.

``upload_error(file, allowed)`` returns the same message (or None) for code that wants no exception.
"""

import re
import zipfile
import zlib
from collections.abc import Iterable
from pathlib import PurePath
from typing import IO, Any

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

DEFAULT_ALLOWED = frozenset({"pdf", "docx", "xlsx", "doc", "xls", "csv"})
# Documents people attach for others to read (not for the server to parse).
DOCUMENTS = frozenset({"pdf", "docx", "doc", "xlsx", "xls"})
# Tables the server imports.
SPREADSHEETS = frozenset({"csv", "xlsx"})

# The type a stored upload is served with, by kind.
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
}

LABELS = {
    "pdf": "PDF",
    "docx": "Word (.docx)",
    "doc": "Word 97-2003 (.doc)",
    "xlsx": "Excel (.xlsx)",
    "xls": "Excel 97-2003 (.xls)",
    "csv": "CSV",
}
ORDER = ["pdf", "docx", "doc", "xlsx", "xls", "csv"]

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
OOXML_PARTS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
HEAD_BYTES = 8192
CSV_SAMPLE_BYTES = 64 * 1024
# Text may hold tabs and line ends; any other control character means the file is not text.
CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))


def _size_label(n: float) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _over_label(size: int, limit: int) -> str:
    """The size of something over the limit, never shown as equal to it ("just over 10 MB")."""
    shown = _size_label(size)
    return f"just over {shown}" if shown == _size_label(limit) else shown


def _article(word: str) -> str:
    return "an" if word.lstrip(".")[:1].lower() in "aeiox" else "a"


def _allowed_phrase(allowed: Iterable[str]) -> str:
    names = [LABELS.get(ext, f".{ext}") for ext in ORDER if ext in allowed]
    names += [f".{ext}" for ext in sorted(allowed) if ext not in ORDER]
    if len(names) == 1:
        return f"{_article(names[0])} {names[0]} file"
    return f"{_article(names[0])} " + ", ".join(names[:-1]) + f" or {names[-1]} file"


def _read(file: IO[Any], n: int) -> bytes:
    file.seek(0)
    data = file.read(n)
    file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _is_text(sample: bytes) -> bool:
    if any(b in CONTROL_BYTES for b in sample):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            sample.decode(encoding)
            return True
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the end of the sample is still text.
            if encoding == "utf-8-sig" and exc.start >= len(sample) - 3:
                return True
    return False


def _ooxml_kind(file: IO[Any]) -> str | None:
    """docx or xlsx by the parts inside the zip (reads only the central directory)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        file.seek(0)
    for kind, part in OOXML_PARTS.items():
        if part in names:
            return kind
    return "zip"


def detect_kind(file: IO[Any]) -> str | None:
    """What the content is: pdf, docx, xlsx, doc, xls, ole (an old Office file of either kind), csv,
    another extension filetype knows (exe, png ...), or None."""
    head = _read(file, HEAD_BYTES)
    if not head:
        return None
    guess = filetype.guess(head)
    if guess is not None:
        if guess.extension == "zip":
            return _ooxml_kind(file)
        return guess.extension
    if head.startswith(OLE_SIGNATURE):
        return "ole"
    if head.startswith(b"PK\x03\x04"):
        return _ooxml_kind(file)
    if head.lstrip().startswith(b"%PDF-"):
        return "pdf"
    if _is_text(_read(file, CSV_SAMPLE_BYTES)):
        return "csv"
    return None


def _matches(extension: str, kind: str | None) -> bool:
    if kind == extension:
        return True
    return kind == "ole" and extension in ("doc", "xls")


def _check(file: Any, allowed: Iterable[str], max_size: int | None, parse: bool) -> tuple[str | None, str | None]:
    """(the file's extension, None) when the upload is fine, else (None, the reason in words)."""
    allowed = {ext.lower().lstrip(".") for ext in allowed}
    if file is None:
        return None, "Choose a file to upload."
    limit = max_size if max_size is not None else settings.MAX_UPLOAD_SIZE
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        return None, "The file is empty."
    if size > limit:
        return None, f"The file is {_over_label(size, limit)}; the largest file accepted is {_size_label(limit)}."
    name = getattr(file, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in allowed:
        shown = f".{extension} files" if extension else "Files without an extension"
        return None, f"{shown} are not accepted: upload {_allowed_phrase(allowed)}."
    kind = detect_kind(file)
    if not _matches(extension, kind):
        described = None
        if kind in LABELS:
            described = f"{_article(LABELS[kind])} {LABELS[kind]} file"
        elif kind == "ole":
            described = "an old-style Office file (.doc or .xls)"
        elif kind and kind != "zip":
            described = f"{_article(kind)} .{kind} file"
        elif kind == "zip":
            described = "a zip archive"
        mismatch = f"The file is not what its name says: its name ends in .{extension}"
        if described:
            return None, f"{mismatch} but its content is {described}. Upload {_allowed_phrase(allowed)}."
        return None, f"{mismatch} but its content is not {LABELS.get(extension, extension)}."
    if parse and kind == "xlsx":
        problem = workbook_error(file)
        if problem:
            return None, problem
    return extension, None


def upload_error(
    file: Any, allowed: Iterable[str] = DEFAULT_ALLOWED, max_size: int | None = None, *, parse: bool = False
) -> str | None:
    """The reason to refuse this upload, in words for the person uploading it, or None if it is fine.

    ``parse``: the server will open the file (an import), so a workbook must also pass ``workbook_error``.
    """
    return _check(file, allowed, max_size, parse)[1]


def validate_upload(
    file: Any, allowed: Iterable[str] = DEFAULT_ALLOWED, max_size: int | None = None, *, parse: bool = False
) -> str | None:
    """The upload's kind (its extension: "pdf", "xlsx" ...); raises ValidationError (code "upload") with
    a plain message when it must be refused. ``parse`` as for ``upload_error``."""
    kind, message = _check(file, allowed, max_size, parse)
    if message:
        raise ValidationError(message, code="upload")
    return kind


@deconstructible
class upload_validator:  # noqa: N801  (reads as a function at the call site: validators=[upload_validator(...)])
    """A field validator: ``FileField(validators=[upload_validator({"pdf"})])``."""

    def __init__(
        self, allowed: Iterable[str] = DEFAULT_ALLOWED, max_size: int | None = None, *, parse: bool = False
    ) -> None:
        self.allowed = frozenset(allowed)
        self.max_size = max_size
        self.parse = parse

    def __call__(self, file: Any) -> None:
        validate_upload(file, allowed=self.allowed, max_size=self.max_size, parse=self.parse)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, upload_validator) and (self.allowed, self.max_size, self.parse) == (
            other.allowed,
            other.max_size,
            other.parse,
        )


# ------------------------------------------------------------------------ workbooks the server opens

# The <dimension ref="A1:XFD1048576"/> element sits near the top of a worksheet part, before its data.
_DIMENSION = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?dimension\b[^>]*?\bref\s*=\s*[\"']([^\"']*)[\"']")
_DIMENSION_PROBE_BYTES = 64 * 1024
_EXCEL_MAX_ROWS = 1_048_576
_EXCEL_MAX_COLUMNS = 16_384
_UNOPENABLE = "The Excel workbook could not be opened."


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _declared_size(ref: str) -> tuple[int, int]:
    """(rows, columns) a parser reading from A1 produces for a dimension such as "A1:XFD1048576", "B2"
    or "A:C": it pads every row out to the last column and fills the rows before the first one."""
    from openpyxl.utils.cell import range_boundaries

    _min_col, _min_row, max_col, max_row = range_boundaries(ref.upper())
    return max_row or _EXCEL_MAX_ROWS, max_col or _EXCEL_MAX_COLUMNS


def workbook_error(
    file: IO[Any],
    *,
    max_rows: int | None = None,
    max_columns: int | None = None,
    max_expanded: int | None = None,
) -> str | None:
    """Why an .xlsx must not be parsed (too many rows or columns declared, or too big once unzipped), in
    words naming the limit, or None. Reads the zip's directory and the first 64 KB of each part only."""
    max_rows = max_rows if max_rows is not None else settings.SPREADSHEET_MAX_ROWS
    max_columns = max_columns if max_columns is not None else settings.SPREADSHEET_MAX_COLUMNS
    max_expanded = max_expanded if max_expanded is not None else settings.SPREADSHEET_MAX_EXPANDED_SIZE
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            members = [m for m in archive.infolist() if not m.is_dir()]
            expanded = sum(m.file_size for m in members)
            if expanded > max_expanded:
                shown, limit = _over_label(expanded, max_expanded), _size_label(max_expanded)
                return (
                    f"The workbook unzips to {shown}; at most {limit} can be imported. "
                    "Save only the sheet to import, or save it as CSV, and upload that."
                )
            # Every part, not just *.xml: a workbook's relationships may give a sheet any name.
            for member in members:
                with archive.open(member) as part:
                    found = _DIMENSION.search(part.read(_DIMENSION_PROBE_BYTES))
                if not found:
                    continue
                rows, columns = _declared_size(found.group(1).decode("ascii"))
                if rows > max_rows or columns > max_columns:
                    return (
                        f"A sheet in the workbook spans {_count(rows, 'row')} and {_count(columns, 'column')}; "
                        f"at most {max_rows:,} rows and {max_columns:,} columns can be imported. Excel counts "
                        "formatted empty cells too: delete the unused rows and columns, or save the sheet as "
                        "CSV, and upload it again."
                    )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, RuntimeError):
        # Damaged, encrypted or packed with a compression zipfile cannot read (NotImplementedError is a
        # RuntimeError): the parser could not open it either.
        return _UNOPENABLE
    except (ValueError, TypeError, UnicodeDecodeError):
        # A dimension that is no cell range ("A1:ZZZZ0"): nothing Excel writes.
        return _UNOPENABLE
    finally:
        file.seek(0)
    return None
