"""Search keys: people found by name whatever the accents, case, hyphens and spacing typed.

A desk searching "garcia" must find "García", "helene" "Hélène", "jean pierre" "Jean-Pierre". The
registration keeps a folded copy of its name and organisation (`Registration.search_key`), filled
whenever one of them is written (mapper events below, and `fill` for the bulk insert path), so the
query is a plain LIKE on one indexed column, the same on SQLite and PostgreSQL (neither
`unaccent` nor an ICU collation is needed, so no database extension is asked for).

Folding: Unicode compatibility decomposition with the accents dropped, case folded (ß → ss),
the few Latin letters that do not decompose spelled out (æ → ae, œ → oe, ø → o, ł → l, đ → d),
anything that is not a letter or a digit (hyphen, apostrophe, dot) made a space, spaces collapsed.

German umlauts: "muller" must find "Müller" (the folded spelling), and a German colleague types
"mueller" (the spelling of a keyboard without ü). The key holds both, so both find the person,
and "müller" typed folds to "muller". A name that contains a hyphen or an apostrophe also gets its
run-together spelling ("dartagnan" finds "D'Artagnan").
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from functools import lru_cache

KEY_MAX = 1000  # the column's length: names and organisation folded, with their variants

_SPELLED_OUT = str.maketrans({"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
_GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})


@lru_cache(maxsize=4096)  # first names and organisations repeat from one registration to the next
def fold(text: str | None) -> str:
    """The text as a search compares it: no accents, no case, words separated by single spaces."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_SPELLED_OUT)
    return " ".join("".join(c if c.isalnum() else " " for c in letters).split())


def _variants(name: str) -> list[str]:
    folded = fold(name)
    found = [folded]
    if " " in folded:
        found.append(folded.replace(" ", ""))
    german = fold(name.translate(_GERMAN))
    if german != folded:
        found.append(german)
    return found


def search_key(first_name: str | None, last_name: str | None, organisation: str | None) -> str:
    """The folded name and organisation with the other spellings a person may type."""
    parts: list[str] = []
    for name in (first_name or "", last_name or ""):
        parts.extend(_variants(name))
    parts.append(fold(organisation))
    return " ".join(dict.fromkeys(p for p in parts if p))[:KEY_MAX]


def query_words(text: str | None, limit: int = 4) -> list[str]:
    """The words of a typed search, folded like the keys (at most `limit`)."""
    return fold(text).split()[:limit]


def like_patterns(words: Iterable[str]) -> list[str]:
    """LIKE patterns (escape character backslash) that find each word anywhere in a key."""
    return [
        "%" + w.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for w in words
    ]
