"""Hostile workbooks, built in the test that uses them (no binary fixtures in the repository)."""

import io
import re
import struct
import zipfile

from foundation.spreadsheets import excel_bytes

SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024


def ordinary(rows=3):
    return excel_bytes("Register", ["Reference", "Title"], [[f"R-{i}", "Play scheme"] for i in range(rows)])


def rewrite(data, part, change):
    """The same workbook with one part replaced by change(old bytes): new bytes, or an iterable of
    chunks streamed into the zip (so a huge part never sits in memory). Compressed as Excel does."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename != part:
                target.writestr(info.filename, content)
                continue
            new = change(content)
            if isinstance(new, bytes):
                target.writestr(part, new)
            else:
                with target.open(part, "w") as writer:
                    for chunk in new:
                        writer.write(chunk)
    return out.getvalue()


def with_dimension(data, ref):
    return rewrite(data, SHEET, lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml))


def declaring_every_cell():
    """Issue 19's weapon: a few KB declaring the whole sheet, A1:XFD1048576, with a cell in its last
    corner, so a reader pads a million rows out to 16,384 columns each."""
    far_cell = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    data = rewrite(ordinary(), SHEET, lambda xml: xml.replace(b"</sheetData>", far_cell))
    return with_dimension(data, "A1:XFD1048576")


def without_dimension(data):
    return rewrite(data, SHEET, lambda xml: re.sub(rb"<dimension [^>]*/>", b"", xml))


def zip_bomb(expanded_mb):
    """A valid workbook whose one cell holds expanded_mb MB of text: a few hundred KB on the wire."""

    def huge_sheet(_old):
        yield (
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
        )
        for _ in range(expanded_mb):
            yield b"A" * MB
        yield b"</t></is></c></row></sheetData></worksheet>"

    return rewrite(ordinary(), SHEET, huge_sheet)


def lying_about_size(data, part=SHEET, declared=100):
    """The workbook with part's uncompressed size in the zip's headers changed to declared bytes."""
    data = bytearray(data)
    name = part.encode()
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<I", data, start + size_at, declared)
            start += 4
    return bytes(data)


def entity_bomb():
    """Billion laughs inside the sheet's XML."""
    entities = b'<!ENTITY a0 "laugh">' + b"".join(
        b'<!ENTITY a%d "%s">' % (i, b"".join(b"&a%d;" % (i - 1) for _ in range(10))) for i in range(1, 10)
    )
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE worksheet [' + entities + b"]>"
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="inlineStr"><is><t>&a9;</t></is></c></row></sheetData></worksheet>'
    )
    return rewrite(ordinary(), SHEET, lambda _old: sheet)
