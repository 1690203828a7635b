"""The rule for text people type: what one line of text may hold, and what several lines may.

One line (titles, names, rooms, organisations, subjects: anything that may end up in an e-mail
header, a badge line or a CSV cell) holds no line break and no control character. This module
is the single definition; every input path applies it: the organiser's forms (their filters),
the API (fields refuse such text, 422), programme and registration imports (cells cleaned), the
registration service, and the model itself, which cleans every one-line column before it is
written (eventsys/models/one_line.py), so a path that forgot still stores one line.
Pure: no flask, no database.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# Joiners are part of the spelling of names in several scripts (Persian, Indic…): keep them.
KEEP_FORMAT_CHARS = frozenset({"\u200c", "\u200d"})
_BREAKS = re.compile(r"[\t\n\v\f\r\x1c-\x1f\x85\u2028\u2029]")
# Quick test before the character-by-character clean: C0/C1 controls, bidi controls, zero-width
# characters, line and paragraph separators, surrogates, private use.
_SUSPECT = re.compile(r"[\x00-\x1f\x7f-\x9f\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\ud800-\udfff\ue000-\uf8ff]|[^\x00-\uffff]")


def _is_removed(char: str) -> bool:
    category = unicodedata.category(char)
    if category == "Cf":
        return char not in KEEP_FORMAT_CHARS
    return category in ("Cc", "Cs", "Co")


def one_line(value: Any) -> str:
    """NFC, line breaks and tabs as spaces, no control or invisible formatting character, single spaces."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    if _SUSPECT.search(text):
        text = _BREAKS.sub(" ", text)
        text = "".join(char for char in text if not _is_removed(char))
    return " ".join(text.split())


def breaks_line(value: str) -> bool:
    """Whether a text holds a line break or a control character (what one line may not hold)."""
    if not _SUSPECT.search(value):
        return False
    return bool(_BREAKS.search(value)) or any(_is_removed(char) for char in value)


def lines(value: Any) -> list[str]:
    """Each line of a text cleaned like one_line (any line-break convention)."""
    text = unicodedata.normalize("NFC", "" if value is None else str(value))
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return [one_line(line) for line in text.split("\n")]
