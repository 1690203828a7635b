"""Session codes: `Z26IN 001` as printed, `Z26IN001` as canonical key; pure functions."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

_SEPARATORS = re.compile(r"[\s\-_.·/]+")
_CANONICAL = re.compile(r"^[A-Z0-9]{3,20}$")
_TRAILING_DIGITS = re.compile(r"^(.*[A-Z])(\d+)$")

KIND_LETTERS = {"training_day": "JA", "conference": "CN", "network_meeting": "RR"}


def canonical_code(raw: str) -> str | None:
    """Upper case without separators, or None when it cannot be a session code."""
    if not isinstance(raw, str):
        return None
    code = _SEPARATORS.sub("", raw.strip()).upper()
    return code if _CANONICAL.match(code) else None


def display_code(raw: str) -> str:
    """How a code is printed: as typed (upper case, single spaces) or `PREFIX 001` by default."""
    typed = " ".join(raw.strip().upper().split())
    if " " in typed:
        return typed
    match = _TRAILING_DIGITS.match(typed)
    return f"{match.group(1)} {match.group(2)}" if match else typed


def generate_code(pattern: str, kind: str, day: date, is_taken: Callable[[str], bool]) -> str:
    """The first code from the pattern whose canonical form is free."""
    for seq in range(1, 1000):
        candidate = pattern.format(kind=KIND_LETTERS.get(kind, "EV"), yy=f"{day.year % 100:02d}", seq=seq)
        canonical = canonical_code(candidate)
        if canonical and not is_taken(canonical):
            return display_code(candidate)
    raise RuntimeError("no free session code left for this pattern and year")
