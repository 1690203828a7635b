"""What a programme file says, read into plain rows: the common output of every reader.

Each row carries its own list of issues (a stable code and parameters); services/exports.py turns
codes into translated sentences. Pure: no flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

ERROR, WARNING = "error", "warning"
TITLE_MAX = 300
NAME_MAX = 200
ROOM_MAX = 120
LABEL_MAX = 120
SOURCE_ID_MAX = 120
LINKS_MAX = 30
_HTTP = re.compile(r"https?://[^\s<>\"]+", re.IGNORECASE)
_COLOUR = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


class ImportFileError(Exception):
    """The whole file cannot be read; `code` names the reason, `params` fill the message."""

    def __init__(self, code: str, **params: Any) -> None:
        self.code = code
        self.params = params
        super().__init__(code)


@dataclass
class Issue:
    code: str
    level: str = ERROR
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class SpeakerRef:
    name: str
    role: str = "speaker"
    function: str = ""
    organisation: str = ""
    or_representative: bool = False
    bio: str = ""
    source_id: str | None = None  # the person's id in the source tool, when it gives one
    guid: str | None = None  # and their GUID


@dataclass
class LinkRef:
    url: str
    title: str = ""
    kind: str = "link"  # or "attachment"

    def as_dict(self) -> dict[str, str]:
        return {"url": self.url, "title": self.title, "kind": self.kind}


@dataclass
class DaySpec:
    """What the day cell said: a full date, a day and month, or the n-th day of the event."""

    date: date | None = None
    day_month: tuple[int, int] | None = None
    index: int | None = None


@dataclass
class ImportRow:
    line: int  # spreadsheet row number, or position of the item in a schedule file
    ref: str = ""  # the item's id in the other tool, when it has one
    title: str = ""
    day: DaySpec | None = None
    start: time | None = None
    end: time | None = None
    starts_at: datetime | None = None  # aware, when the source gives an instant (schedule files)
    ends_at: datetime | None = None
    room: str = ""
    type: str = "talk"
    type_given: str = ""
    track: str = ""
    speakers: list[SpeakerRef] = field(default_factory=list)
    description: str = ""
    cancelled: bool = False
    guid: str | None = None
    language: str | None = None
    links: list[LinkRef] = field(default_factory=list)
    do_not_record: bool | None = None  # None: the file does not say
    issues: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(issue.level == ERROR for issue in self.issues)

    def error(self, code: str, **params: Any) -> None:
        self.issues.append(Issue(code, ERROR, params))

    def warn(self, code: str, **params: Any) -> None:
        self.issues.append(Issue(code, WARNING, params))


@dataclass
class ParsedFile:
    kind: str  # csv, xlsx, xml, json, ics
    rows: list[ImportRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    timezone: str | None = None
    title: str | None = None
    track_colours: dict[str, str] = field(default_factory=dict)  # track name -> "#rrggbb"


def source_id(value: Any) -> str:
    """An id from another tool as text (at most 120 characters), "" when there is none."""
    if value is None or isinstance(value, bool):
        return ""
    return " ".join(str(value).split())[:SOURCE_ID_MAX]


def web_link(url: Any, title: Any = "", kind: str = "link") -> LinkRef | None:
    """An http(s) link, or None for anything else (javascript:, file paths, relative links)."""
    text = str(url or "").strip()
    if not _HTTP.fullmatch(text):
        return None
    label = " ".join(str(title or "").split())[:200]
    return LinkRef(text[:2000], label, kind)


def colour(value: Any) -> str | None:
    """A colour as "#rrggbb" (lower case), from "#AABBCC", "aabbcc" or "#abc"; None otherwise."""
    match = _COLOUR.fullmatch(str(value or "").strip())
    if not match:
        return None
    digits = match[1].lower()
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return "#" + digits


def flag(value: Any) -> bool | None:
    """A yes/no from a file: true/false, 1/0, yes/no, oui/non; None when absent or unclear."""
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().lower()
    if text in ("true", "1", "yes", "oui", "y"):
        return True
    if text in ("false", "0", "no", "non", "n"):
        return False
    return None
