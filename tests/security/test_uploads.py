"""Uploads are limited by size and recognised by their content, not their name."""

import io
import zipfile

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from foundation.uploads import detect_kind, upload_error, upload_validator, validate_upload

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _pdf():
    from weasyprint import HTML

    return HTML(string="<h1>Growth bid</h1><p>Floating support for young people.</p>").write_pdf()


def _docx(padding=0):
    """A minimal Word document; padding puts a large part first so word/ is beyond the first 8 KB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>' + " " * padding)
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document><w:body><w:p/></w:body></w:document>")
    return buffer.getvalue()


def _xlsx():
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Bid", "Amount"])
    book.active.append(["Floating support", 12500])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _doc():
    return OLE + bytes(504) + b"\xec\xa5\xc1\x00" + bytes(2048)


def _xls():
    return OLE + bytes(504) + b"\x09\x08\x10\x00\x00\x06\x05\x00" + bytes(2048)


def _ole_unknown():
    return OLE + bytes(4096)


def _png():
    return b"\x89PNG\r\n\x1a\n" + bytes(64)


def _upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("bid.pdf", _pdf),
        ("Bid Form.PDF", _pdf),
        ("specification.docx", _docx),
        ("large-first-part.docx", lambda: _docx(padding=20000)),
        ("register.xlsx", _xlsx),
        ("old-bid.doc", _doc),
        ("old-register.xls", _xls),
        ("old-unknown-ole.doc", _ole_unknown),
        ("old-unknown-ole.xls", _ole_unknown),
        ("spend.csv", lambda: "Date,Amount,Description\n2010-04-01,£1,234.56,Rent\n".encode()),
        ("spend-windows.csv", lambda: "Date,Amount\n01/04/2010,£99\r\n".encode("cp1252")),
    ],
)
def test_real_documents_are_accepted(name, build):
    assert upload_error(_upload(name, build())) is None


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", b"MZ\x90\x00" + bytes(300), "name ends in .pdf but its content is an .exe file"),
        ("photo.docx", _png(), "name ends in .docx but its content is a .png file"),
        ("bid.xlsx", None, "name ends in .xlsx but its content is a PDF file"),
        ("archive.docx", None, "name ends in .docx but its content is a zip archive"),
        ("register.docx", None, "name ends in .docx but its content is an Excel (.xlsx) file"),
        ("macro.docx", _doc(), "name ends in .docx but its content is a Word 97-2003 (.doc) file"),
        ("old.docx", _ole_unknown(), "name ends in .docx but its content is an old-style Office file"),
        ("spend.csv", bytes(range(256)) * 4, "name ends in .csv but its content is not CSV"),
        ("spend.csv", b"%PDF-1.4\n" + bytes(100), "name ends in .csv but its content is a PDF file"),
        ("tool.exe", b"MZ" + bytes(100), ".exe files are not accepted: upload a PDF, Word (.docx),"),
        ("README", b"hello", "Files without an extension are not accepted"),
        ("empty.pdf", b"", "The file is empty."),
    ],
)
def test_files_that_are_not_what_they_say_are_refused_with_a_plain_reason(name, content, message):
    if content is None:
        content = {"bid.xlsx": _pdf, "register.docx": _xlsx}.get(name, lambda: None)()
    if content is None:  # a zip that is no Office document
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("payload.txt", "not a document")
        content = buffer.getvalue()
    error = upload_error(_upload(name, content))
    assert error is not None and message in error, error


def test_size_limit_comes_from_settings_and_says_both_sizes(settings):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024
    big = _upload("big.csv", b"a,b\n" * 300_000)
    assert upload_error(big) == "The file is 1.1 MB; the largest file accepted is 1 MB."
    assert upload_error(_upload("small.csv", b"a,b\n")) is None
    assert upload_error(_upload("small.csv", b"a,b\n" * 100), max_size=50).startswith("The file is 400 bytes")


def test_allowed_types_can_be_narrowed():
    assert upload_error(_upload("register.xlsx", _xlsx()), allowed={"pdf"}) == (
        ".xlsx files are not accepted: upload a PDF file."
    )


def test_the_file_is_left_at_its_start_for_whoever_saves_it():
    f = _upload("bid.pdf", _pdf())
    validate_upload(f)
    assert f.read(5) == b"%PDF-"


def test_detect_kind_reads_content():
    assert detect_kind(_upload("x", _xlsx())) == "xlsx"
    assert detect_kind(_upload("x", _docx(padding=20000))) == "docx"
    assert detect_kind(_upload("x", _ole_unknown())) == "ole"


class DocumentForm(forms.Form):
    document = forms.FileField(validators=[upload_validator({"pdf", "docx"})])


def test_a_form_shows_the_reason_beside_the_field():
    form = DocumentForm(data={}, files={"document": _upload("bid.pdf", b"MZ" + bytes(100))})
    assert not form.is_valid()
    assert "its content is an .exe file" in form.errors["document"][0]
    assert DocumentForm(data={}, files={"document": _upload("bid.pdf", _pdf())}).is_valid()


def test_validate_upload_raises_a_validation_error_with_a_code():
    with pytest.raises(ValidationError) as caught:
        validate_upload(_upload("a.txt", b"x"))
    assert caught.value.code == "upload"
