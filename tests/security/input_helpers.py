"""Hostile files built in memory for the security tests (and the benchmark that measures them)."""

from __future__ import annotations

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="xl/workbook.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Programme" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="worksheets/sheet1.xml" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"/>'
    "</Relationships>"
)
HEADER_ROW = (
    '<row r="1"><c r="A1" t="inlineStr"><is><t>day</t></is></c><c r="B1" t="inlineStr"><is><t>start</t></is></c>'
    '<c r="C1" t="inlineStr"><is><t>end</t></is></c><c r="D1" t="inlineStr"><is><t>title</t></is></c></row>'
)


def xlsx(sheet_data: str, merge_refs: tuple[str, ...] = (), dimension: str = "A1") -> bytes:
    """A workbook of one sheet written by hand, as small as a real one can be (deflated)."""
    merges = ""
    if merge_refs:
        merges = f'<mergeCells count="{len(merge_refs)}">' + "".join(f'<mergeCell ref="{r}"/>' for r in merge_refs)
        merges += "</mergeCells>"
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>{sheet_data}</sheetData>{merges}</worksheet>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    return out.getvalue()


def merged_ranges_bomb() -> bytes:
    """About 1.6 kB: a header and merged ranges covering millions of cells below it."""
    refs = tuple(f"{col}2:{col}150000" for col in "ABCDEFGH")
    return xlsx(HEADER_ROW, refs, dimension="A1:H150000")


def cells_bomb(rows: int = 2_000, columns: int = 1_000) -> bytes:
    """Millions of empty cells (no cell reference, so nothing to read their column from) in a small file."""
    row = "<row>" + "<c/>" * columns + "</row>"
    return xlsx(HEADER_ROW + row * rows)


def deep_json(depth: int = 10_000) -> bytes:
    return b"[" * depth + b"]" * depth


def utf16_odd_length() -> bytes:
    return "\ufeffday;start;end;title\n25/06/2026;9h;10h;Accueil\n".encode("utf-16-le") + b"\x41"


def utf16_lone_surrogate() -> bytes:
    text = "\ufeffday;start;end;title\n25/06/2026;9h;10h;Accueil ".encode("utf-16-le")
    return text + b"\x00\xd8" + "\n".encode("utf-16-le")  # a high surrogate with no low one after it


def csv_long_field(length: int = 131_073) -> bytes:
    return ("day;start;end;title;description\n25/06/2026;9h;10h;Accueil;" + "x" * length + "\n").encode()

