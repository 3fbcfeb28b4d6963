"""One check for every uploaded document: its size, and what its content really is.

A file's name and the browser's Content-Type are whatever the sender says; the first bytes are what
the file is. ``validate_upload`` reads them (with the ``filetype`` package, plus fallbacks for the old
OLE formats .doc/.xls, for Office files whose signature sits beyond the first 8 KB, and for CSV, which
has no signature) and refuses a file that is too big, empty, of a type not allowed, or whose content
does not match its name.

Use it in a form (``clean_<field>``) or as a model/form field validator:

    from commissioning.uploads import upload_validator, validate_upload

    document = forms.FileField(validators=[upload_validator({"pdf", "docx"})])

    def clean_document(self):
        f = self.cleaned_data["document"]
        validate_upload(f, allowed={"pdf", "docx"})   # raises ValidationError with a plain message
        return f

``upload_error(file, allowed)`` returns the same message (or None) for code that is not a form.
"""

import zipfile
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

DEFAULT_ALLOWED = frozenset({"pdf", "docx", "xlsx", "doc", "xls", "csv"})

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


def _size_label(n):
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def _article(word):
    return "an" if word.lstrip(".")[:1].lower() in "aeiox" else "a"


def _allowed_phrase(allowed):
    names = [LABELS.get(ext, f".{ext}") for ext in ORDER if ext in allowed]
    names += [f".{ext}" for ext in sorted(allowed) if ext not in ORDER]
    if len(names) == 1:
        return f"{_article(names[0])} {names[0]} file"
    return f"{_article(names[0])} " + ", ".join(names[:-1]) + f" or {names[-1]} file"


def _read(file, n):
    file.seek(0)
    data = file.read(n)
    file.seek(0)
    return data if isinstance(data, bytes) else data.encode()


def _is_text(sample):
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


def _ooxml_kind(file):
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


def detect_kind(file):
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


def _matches(extension, kind):
    if kind == extension:
        return True
    return kind == "ole" and extension in ("doc", "xls")


def upload_error(file, allowed=DEFAULT_ALLOWED, max_size=None):
    """The reason to refuse this upload, in words for the person uploading it, or None if it is fine."""
    allowed = {ext.lower().lstrip(".") for ext in allowed}
    if file is None:
        return "Choose a file to upload."
    limit = max_size if max_size is not None else settings.MAX_UPLOAD_SIZE
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        return "The file is empty."
    if size > limit:
        return f"The file is {_size_label(size)}; the largest file accepted is {_size_label(limit)}."
    name = getattr(file, "name", "") or ""
    extension = PurePath(name).suffix.lower().lstrip(".")
    if extension not in allowed:
        shown = f".{extension} files" if extension else "Files without an extension"
        return f"{shown} are not accepted: upload {_allowed_phrase(allowed)}."
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
        if described:
            return (
                f"The file's name ends in .{extension} but its content is {described}: "
                f"upload {_allowed_phrase(allowed)}."
            )
        return f"The file's name ends in .{extension} but its content is not {LABELS.get(extension, extension)}."
    return None


def validate_upload(file, allowed=DEFAULT_ALLOWED, max_size=None):
    """Raise ValidationError (code "upload") with a plain message when the upload must be refused."""
    message = upload_error(file, allowed=allowed, max_size=max_size)
    if message:
        raise ValidationError(message, code="upload")


@deconstructible
class upload_validator:  # noqa: N801  (reads as a function at the call site: validators=[upload_validator(...)])
    """A field validator: ``FileField(validators=[upload_validator({"pdf"})])``."""

    def __init__(self, allowed=DEFAULT_ALLOWED, max_size=None):
        self.allowed = frozenset(allowed)
        self.max_size = max_size

    def __call__(self, file):
        validate_upload(file, allowed=self.allowed, max_size=self.max_size)

    def __eq__(self, other):
        return isinstance(other, upload_validator) and (self.allowed, self.max_size) == (
            other.allowed,
            other.max_size,
        )
