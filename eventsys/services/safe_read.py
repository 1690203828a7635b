"""Reading files people upload (spreadsheets, CSV, JSON, text) with bounds checked first.

A hostile file is small on the wire and huge once expanded: a 1.6 kB workbook whose merged
ranges cover millions of cells, a 136 kB one holding millions of empty cells, JSON nested ten
thousand deep (Python's parser recurses), a CSV field longer than the csv module accepts, UTF-16
that a BOM announces but the bytes do not hold. Each reader here measures what it is about to
expand — with a streaming pass that keeps nothing — and refuses with `Refused(code, **params)`
before building anything big; callers turn the code into a sentence in the user's language.
Pure: no flask, no database.
"""

from __future__ import annotations

import csv
import io
import json
import re
import warnings
import zipfile
from collections.abc import Iterator
from itertools import accumulate
from typing import Any
from xml.parsers import expat  # noqa: S410 - callbacks only, DTDs and entities refused (_scan_xml)

MAX_COLUMNS = 100  # a programme or an attendee list has about ten; a sheet 16,384 wide is not one
MAX_CELLS = 200_000  # every <c> of a sheet, empty or not: 5,000 rows x 40 columns
MAX_MERGED = 2_000  # merged ranges in one sheet
MAX_XML_ELEMENTS = 1_500_000  # all XML of a workbook together (shared strings, styles, sheets)
MAX_UNPACKED = 60 * 1024 * 1024  # a 5 MB zip that unpacks to more is a zip bomb
MAX_JSON_DEPTH = 64
CSV_FIELD_LIMIT = csv.field_size_limit()  # 131,072 characters unless someone changed it


class Refused(Exception):
    """The file is refused before it is expanded; `code` names the reason, `params` fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


# ------------------------------------------------------------------------ text


def decode_text(data: bytes) -> tuple[str, str | None]:
    """UTF-16 with BOM, UTF-8 (with or without BOM), else Windows-1252; and the fallback used, if any.

    UTF-16 is decoded strictly: an odd length or a lone surrogate is refused, not guessed at."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), None
        except UnicodeDecodeError as exc:
            raise Refused("encoding_invalid", encoding="UTF-16") from exc
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "Windows-1252"


# ------------------------------------------------------------------------- CSV


def sniff_delimiter(text: str, candidates: str = ";,\t") -> str:
    """The candidate seen most often in the first ten lines (the first one when none is)."""
    sample = "\n".join(text[:65536].splitlines()[:10])
    counts = {d: sample.count(d) for d in candidates}
    return max(counts, key=counts.__getitem__) if any(counts.values()) else candidates[0]


def csv_rows(text: str, delimiter: str, *, max_rows: int, max_columns: int = MAX_COLUMNS) -> Iterator[list[str]]:
    """The rows of a CSV text, at most `max_rows` + 1 of them (so the caller can say "too many").

    A field over CSV_FIELD_LIMIT characters (often a stray quote swallowing the rest of the
    file) or a row wider than `max_columns` is refused with the line where it happened."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    count = 0
    while count <= max_rows:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" in str(exc):
                raise Refused("csv_field_too_long", line=reader.line_num, limit=CSV_FIELD_LIMIT) from exc
            raise Refused("csv_invalid", line=reader.line_num) from exc
        if len(row) > max_columns:
            raise Refused("too_many_columns", limit=max_columns)
        count += 1
        yield row


# ------------------------------------------------------------------------ JSON

_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")


def json_depth(data: bytes) -> int:
    """How deep the arrays and objects of a JSON text nest (strings skipped), without parsing it."""
    brackets = _NOT_BRACKET.sub(b"", _JSON_STRING.sub(b"", data))
    steps = (1 if byte in b"[{" else -1 for byte in brackets)
    return max(accumulate(steps), default=0)


def load_json(data: bytes, *, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """A JSON document (UTF-8, BOM allowed), refused when it nests deeper than `max_depth`."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise Refused("json_invalid", line=0) from exc
    if json_depth(data) > max_depth:
        raise Refused("json_too_deep", limit=max_depth)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise Refused("json_invalid", line=exc.lineno) from exc
    except RecursionError as exc:  # the depth check above should make this unreachable
        raise Refused("json_too_deep", limit=max_depth) from exc


# ------------------------------------------------------------------------ XLSX

_CELL_REF = re.compile(r"([A-Z]{1,3})(\d+)")
_RANGE_REF = re.compile(r"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?")


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index


class _SheetBounds:
    """Counts what one XML part of a workbook would expand to, refusing at the first bound passed.

    Driven by expat's callbacks: no tree is built, so the scan holds nothing but the counts."""

    def __init__(self, max_rows: int, max_columns: int, max_cells: int, max_merged: int,
                 budget: list[int]) -> None:
        self.max_rows, self.max_columns, self.max_cells, self.max_merged = max_rows, max_columns, max_cells, max_merged
        self.budget = budget  # elements left for the whole workbook, shared by its parts
        self.cells = self.rows = self.row_cells = 0
        self.merged: list[tuple[int, int, int, int]] = []

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        self.budget[0] -= 1
        if self.budget[0] < 0:
            raise Refused("xlsx_too_many_cells", limit=self.max_cells)
        name = tag.rpartition(":")[2]
        if name == "c":
            self._cell(attributes.get("r") or "")
        elif name == "row":
            self.row_cells = 0
        elif name == "mergeCell":
            self._merge(attributes.get("ref") or "")

    def end(self, tag: str) -> None:
        if tag.rpartition(":")[2] == "row" and self.row_cells:  # a styled empty row expands to nothing
            self.rows += 1
            if self.rows > self.max_rows:
                raise Refused("too_many_rows", limit=self.max_rows)

    def _cell(self, ref: str) -> None:
        self.cells += 1
        self.row_cells += 1
        if self.cells > self.max_cells:
            raise Refused("xlsx_too_many_cells", limit=self.max_cells)
        match = _CELL_REF.fullmatch(ref)
        if match and _column_index(match[1]) > self.max_columns:
            raise Refused("too_many_columns", limit=self.max_columns)

    def _merge(self, ref: str) -> None:
        match = _RANGE_REF.fullmatch(ref)
        if not match:
            return
        min_col, min_row = _column_index(match[1]), int(match[2])
        max_col, max_row = _column_index(match[3] or match[1]), int(match[4] or match[2])
        if len(self.merged) >= self.max_merged or max_col > self.max_columns or max_row > self.max_rows + 1_000:
            raise Refused("xlsx_merged_too_big", limit=self.max_merged)
        self.merged.append((min_row, min_col, max_row, max_col))


def _forbidden(*_args: Any) -> None:
    raise Refused("xlsx_unreadable")


def _scan_xml(source: Any, bounds: _SheetBounds) -> None:
    """One streaming pass over an XML part; a DTD or an entity declaration is refused outright."""
    parser = expat.ParserCreate()
    parser.StartElementHandler = bounds.start
    parser.EndElementHandler = bounds.end
    parser.StartDoctypeDeclHandler = _forbidden
    parser.EntityDeclHandler = _forbidden
    parser.ExternalEntityRefHandler = _forbidden
    try:
        parser.ParseFile(source)
    except expat.ExpatError as exc:
        raise Refused("xlsx_unreadable") from exc


def _scan_workbook(archive: zipfile.ZipFile, max_rows: int, max_columns: int, max_cells: int,
                   max_merged: int) -> dict[str, list[tuple[int, int, int, int]]]:
    """Every XML part checked against the bounds; the merged ranges of each part, by its name."""
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_UNPACKED:
        raise Refused("xlsx_unreadable")
    budget = [MAX_XML_ELEMENTS]
    merged = {}
    for info in archive.infolist():
        if not info.filename.endswith((".xml", ".rels")):
            continue
        bounds = _SheetBounds(max_rows, max_columns, max_cells, max_merged, budget)
        with archive.open(info) as source:
            _scan_xml(source, bounds)
        merged[info.filename] = bounds.merged
    return merged


def xlsx_rows(data: bytes, *, max_rows: int, max_columns: int = MAX_COLUMNS, max_cells: int = MAX_CELLS,
              max_merged: int = MAX_MERGED) -> list[list[Any]]:
    """The values of the active sheet, row by row, read in streaming mode after a bounded scan.

    A merged range holds its value in its top-left cell only: the value is carried down the
    range's first column, so a day or a room merged over several rows applies to each of them.
    Refused (`too_many_rows`, `too_many_columns`, `xlsx_too_many_cells`, `xlsx_merged_too_big`,
    `xlsx_unreadable`) before openpyxl expands anything."""
    import openpyxl  # only the spreadsheet path pays for this import

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            merged_by_part = _scan_workbook(archive, max_rows, max_columns, max_cells, max_merged)
    except zipfile.BadZipFile as exc:
        raise Refused("xlsx_unreadable") from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # style and extension warnings of files made elsewhere
            book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any failure means "not a readable spreadsheet"
        raise Refused("xlsx_unreadable") from exc
    try:
        sheet = book.active if hasattr(book.active, "iter_rows") else None
        sheet = sheet or next((ws for ws in book.worksheets if hasattr(ws, "iter_rows")), None)
        if sheet is None:
            raise Refused("xlsx_unreadable")
        # Rows and columns passed explicitly: the sheet's declared dimension may lie.
        values = [list(row) for row in sheet.iter_rows(max_row=max_rows, max_col=max_columns, values_only=True)]
        part = getattr(sheet, "_worksheet_path", "")
    except Refused:
        raise
    except Exception as exc:  # noqa: BLE001 - a malformed part found while streaming
        raise Refused("xlsx_unreadable") from exc
    finally:
        book.close()
    _carry_merged(values, merged_by_part.get(part.lstrip("/"), []))
    return _trim(values)


def _carry_merged(values: list[list[Any]], merged: list[tuple[int, int, int, int]]) -> None:
    for min_row, min_col, max_row, _max_col in merged:
        if min_row > len(values) or min_col > len(values[min_row - 1]):
            continue
        value = values[min_row - 1][min_col - 1]
        for row in range(min_row + 1, min(max_row, len(values)) + 1):
            if min_col <= len(values[row - 1]):
                values[row - 1][min_col - 1] = value


def _trim(values: list[list[Any]]) -> list[list[Any]]:
    """Rows without their trailing empty cells, and no trailing empty rows (padding of the stream)."""
    rows = []
    for row in values:
        end = len(row)
        while end and row[end - 1] in (None, ""):
            end -= 1
        rows.append(row[:end])
    while rows and not rows[-1]:
        rows.pop()
    return rows
