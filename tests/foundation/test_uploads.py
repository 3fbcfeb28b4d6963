"""One upload checker for every upload, and spreadsheet imports that cannot be turned into weapons.

Issue 19's probe found a 1.6 KB .xlsx declaring A1:XFD1048576 answered 500 after 7 s, and a 4.7 MB one
expanding to 1.7 GB was never answered. Each is built here and must be refused, in words naming the
limit, before any parser opens it. (The general content checks are in tests/security/test_uploads.py.)
"""

import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from foundation import uploads
from foundation.spreadsheets import UnreadableSpreadsheet, read_rows
from tests.foundation.workbooks import (
    MB,
    declaring_every_cell,
    entity_bomb,
    lying_about_size,
    ordinary,
    with_dimension,
    without_dimension,
    zip_bomb,
)

EXECUTABLE = b"MZ\x90\x00" + bytes(1024)


def _file(name, data):
    return SimpleUploadedFile(name, data)


# ------------------------------------------------------------------------------- declared dimensions


def test_a_tiny_workbook_declaring_every_cell_of_a_sheet_is_refused_naming_the_limit():
    hostile = declaring_every_cell()
    assert len(hostile) < 10_000
    message = uploads.workbook_error(_file("register.xlsx", hostile))
    assert message.startswith("A sheet in the workbook spans 1,048,576 rows and 16,384 columns;")
    assert "at most 50,000 rows and 256 columns can be imported" in message
    with pytest.raises(ValidationError, match="1,048,576 rows"):
        uploads.validate_upload(_file("register.xlsx", hostile), uploads.SPREADSHEETS, parse=True)
    with pytest.raises(UnreadableSpreadsheet, match="1,048,576 rows"):
        read_rows(hostile, name="register.xlsx")


def test_the_same_workbook_with_its_true_size_is_accepted():
    honest = ordinary()
    assert uploads.workbook_error(_file("register.xlsx", honest)) is None
    assert uploads.validate_upload(_file("register.xlsx", honest), uploads.SPREADSHEETS, parse=True) == "xlsx"
    assert read_rows(honest) == [
        ["Reference", "Title"],
        ["R-0", "Play scheme"],
        ["R-1", "Play scheme"],
        ["R-2", "Play scheme"],
    ]


@pytest.mark.parametrize(
    ("ref", "refused"),
    [
        ("A1:IV50000", False),  # exactly at both limits
        ("A1:IV50001", True),
        ("A1:IW2", True),  # 257 columns
        ("XFD1", True),  # one cell, far right: every row would be padded to 16,384 columns
        ("A:C", True),  # whole columns
        ("A1:ZZZZ9", True),  # no such column: nothing Excel writes
    ],
)
def test_declared_dimensions_are_held_to_the_limits(ref, refused):
    message = uploads.workbook_error(_file("register.xlsx", with_dimension(ordinary(), ref)))
    assert (message is not None) is refused, message


def test_limits_come_from_settings(settings):
    settings.SPREADSHEET_MAX_ROWS = 2
    settings.SPREADSHEET_MAX_COLUMNS = 1
    message = uploads.workbook_error(_file("register.xlsx", ordinary(rows=3)))
    assert "spans 4 rows and 2 columns; at most 2 rows and 1 columns" in message


def test_stored_documents_are_not_held_to_import_limits():
    # An attachment is kept for people to open in Excel, never parsed here: only imports pay for the check.
    assert uploads.validate_upload(_file("evidence.xlsx", declaring_every_cell()), uploads.DOCUMENTS) == "xlsx"


# --------------------------------------------------------------------------------------- zip bombs


def test_a_zip_bomb_is_refused_from_the_zip_directory_before_parsing():
    bomb = zip_bomb(expanded_mb=51)
    assert len(bomb) < MB  # small on the wire
    message = uploads.workbook_error(_file("register.xlsx", bomb))
    assert message == (
        "The workbook unzips to 51 MB; at most 50 MB can be imported. "
        "Save only the sheet to import, or save it as CSV, and upload that."
    )
    # read_rows refuses with the directory's verdict: had openpyxl parsed the sheet first, the one
    # 51 MB cell would have come back as a row instead.
    with pytest.raises(UnreadableSpreadsheet, match=re.escape(message)):
        read_rows(bomb, name="register.xlsx")


def test_the_expansion_limit_comes_from_settings(settings):
    settings.SPREADSHEET_MAX_EXPANDED_SIZE = 2 * MB
    assert "unzips to just over 2 MB; at most 2 MB" in uploads.workbook_error(
        _file("register.xlsx", zip_bomb(expanded_mb=2))
    )
    settings.SPREADSHEET_MAX_EXPANDED_SIZE = 3 * MB
    assert uploads.workbook_error(_file("register.xlsx", zip_bomb(expanded_mb=2))) is None


def test_a_part_that_unzips_to_more_than_the_directory_says_is_never_read_past_the_lie():
    # The directory claims 100 bytes for a 2 MB sheet: the total passes, but zipfile stops the part at
    # 100 bytes and its checksum fails, so the workbook is refused instead of expanded.
    liar = lying_about_size(zip_bomb(expanded_mb=2), declared=100)
    assert uploads.workbook_error(_file("register.xlsx", liar)) == "The Excel workbook could not be opened."
    with pytest.raises(UnreadableSpreadsheet, match="could not be opened"):
        read_rows(liar)


def test_an_xml_entity_bomb_is_refused():
    bomb = entity_bomb()
    assert uploads.workbook_error(_file("register.xlsx", bomb)) is None  # small and honest about its size
    with pytest.raises(UnreadableSpreadsheet, match="could not be opened"):
        read_rows(bomb)


def test_a_far_corner_cell_without_a_declared_size_is_stopped_at_the_row_limit(settings):
    # Nothing to refuse before parsing, so the streamed read stops one row past the limit instead of
    # padding its way to row 1,048,576.
    settings.SPREADSHEET_MAX_ROWS = 100
    hidden = without_dimension(declaring_every_cell())
    assert uploads.workbook_error(_file("register.xlsx", hidden)) is None
    with pytest.raises(UnreadableSpreadsheet, match="more than 100 rows; at most 100 can be imported"):
        read_rows(hidden)


def test_a_sheet_without_a_declared_size_is_read_with_its_columns_bounded(settings):
    settings.SPREADSHEET_MAX_COLUMNS = 1
    assert read_rows(without_dimension(ordinary(rows=1))) == [["Reference"], ["R-0"]]


# --------------------------------------------------------------------------- the import page and service


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("build", "message"),
    [
        (declaring_every_cell, "spans 1,048,576 rows and 16,384 columns"),
        (lambda: zip_bomb(expanded_mb=51), "The workbook unzips to 51 MB; at most 50 MB can be imported."),
    ],
)
def test_the_register_import_refuses_a_weaponised_workbook_beside_the_field(client, personas, build, message):
    from partnerships import services
    from partnerships.models import FundingArrangement

    data = build()
    client.force_login(personas.evaluator)
    response = client.post(reverse("partnerships:import"), {"file": _file("register.xlsx", data)})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert message in " ".join(response.context["form"].errors["file"])
    assert not FundingArrangement.objects.exists()
    # The service refuses it too, for callers that come without the form.
    _rows, problems = services.register_validate_upload(name="register.xlsx", data=data)
    assert [p.line for p in problems] == [1] and message in problems[0].message


# ---------------------------------------------------------------------------- one checker, one voice


def test_every_upload_form_gives_the_same_reason_for_a_renamed_executable():
    from growth_bids.forms import AttachmentForm
    from partnerships.forms import ImportForm

    reason = "The file is not what its name says: its name ends in .xlsx but its content is an .exe file."
    for form_class in (AttachmentForm, ImportForm):
        form = form_class(data={}, files={"file": _file("plan.xlsx", EXECUTABLE)})
        assert not form.is_valid()
        assert form.errors["file"][0].startswith(reason), (form_class, form.errors)


def test_validate_upload_returns_the_kind_and_every_kind_has_a_content_type():
    assert uploads.validate_upload(_file("register.xlsx", ordinary()), uploads.DOCUMENTS) == "xlsx"
    assert uploads.validate_upload(_file("Spend.CSV", b"a,b\n1,2\n"), uploads.SPREADSHEETS) == "csv"
    assert set(uploads.DOCUMENTS | uploads.SPREADSHEETS) <= set(uploads.CONTENT_TYPES)
