"""Speed-networking limits and the small text rules every part of the package applies.
"""

from __future__ import annotations

import unicodedata
from typing import Any

SESSION_TYPE = "speed_networking"
MAX_ROUNDS = 60
MAX_ROUND_MINUTES = 240
MAX_CHANGEOVER_MINUTES = 60
MAX_GROUP_SIZE = 50
MAX_CAPACITY = 500
NAME_MAX = 200
DEFAULT_TIME_LIMIT_S = 8.0


# ------------------------------------------------------------------------------ helpers


def clean_value(value: Any) -> str:
    """One line of text: NFC, no control characters, spaces collapsed."""
    text = unicodedata.normalize("NFC", str(value or ""))
    text = "".join(" " if unicodedata.category(c)[0] == "C" else c for c in text)
    return " ".join(text.split())


def match_key(value: str | None) -> str:
    """Comparison key of a theme or an organisation: case, accents and spacing ignored."""
    text = unicodedata.normalize("NFKD", value or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
