"""A table as CSV for a spreadsheet: UTF-8 with a byte-order mark and semicolons (a double-click
opens it right in a French spreadsheet), cells that could run as formulas made plain text.

Pure: strings in, bytes out.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_START) else value


def render_table_csv(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    """The header, then one line per row."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([_cell(str(v)) for v in header])
    for row in rows:
        writer.writerow([_cell(str(v)) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
