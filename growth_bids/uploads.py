"""Recognising uploaded documents by their content, not their name: PDF, Word and Excel only."""

import zipfile

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc and .xls (Compound File Binary)
ZIP_MAGIC = b"PK\x03\x04"  # .docx and .xlsx are zip containers with a known inside

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ALLOWED = ", ".join(f".{k}" for k in CONTENT_TYPES)


def detect(upload):
    """The kinds the content could be ('pdf', 'doc'/'xls', 'docx', 'xlsx'), or an empty set."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(PDF_MAGIC):
        return {"pdf"}
    if head.startswith(OLE_MAGIC):
        return {"doc", "xls"}
    if head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(upload) as archive:
                names = archive.namelist()
        except zipfile.BadZipFile:
            return set()
        finally:
            upload.seek(0)
        if "[Content_Types].xml" in names:
            if any(n.startswith("word/") for n in names):
                return {"docx"}
            if any(n.startswith("xl/") for n in names):
                return {"xlsx"}
    return set()


def check(upload, max_size):
    """The kind of an acceptable upload; raises ValueError with a message a person can act on."""
    name = upload.name or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if upload.size > max_size:
        raise ValueError(f"The file is too big: the limit is {max_size // (1024 * 1024)} MB.")
    if upload.size == 0:
        raise ValueError("The file is empty.")
    if extension not in CONTENT_TYPES:
        raise ValueError(f"Only PDF, Word and Excel documents can be attached ({ALLOWED}).")
    if extension not in detect(upload):
        raise ValueError(f"This file is not what its name says: its content is not a .{extension} document.")
    return extension
