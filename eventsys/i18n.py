"""Languages and locale-aware formatting of dates, times, numbers and lists.

Pure on purpose: no Flask import, the locale is always a parameter, so badge, PDF and e-mail
renderers, the CLI and background jobs format exactly like the pages do. Babel supplies the
month and day names; explicit patterns are kept where its defaults differ from the usage our
readers expect (French "9 h 30", British-style English "Thursday 25 June 2026, 9:30").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, tzinfo
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import lists as babel_lists
from babel import numbers as babel_numbers

SOURCE_LANGUAGE = "fr"
# Interface languages in the order of the language switch; names are endonyms, never translated.
LANGUAGE_NAMES = {
    "fr": "Français",
    "en": "English",
    "de": "Deutsch",
    "es": "Español",
    "it": "Italiano",
}
SUPPORTED_LANGUAGES = tuple(LANGUAGE_NAMES)

# The interface says "English" to Europeans: day before month, 24-hour clock.
_BABEL_LOCALE = {"en": "en_GB"}

# Day widths. "full" and "weekday" are spelled out because Babel's defaults add a comma in
# English ("Thursday, 25 June") or abbreviate the weekday when asked for a skeleton in French.
_DAY_PATTERNS: dict[str, dict[str, str]] = {
    "full": {
        "fr": "EEEE d MMMM y",
        "en": "EEEE d MMMM y",
        "de": "EEEE, d. MMMM y",
        "es": "EEEE, d 'de' MMMM 'de' y",
        "it": "EEEE d MMMM y",
    },
    "weekday": {
        "fr": "EEEE d MMMM",
        "en": "EEEE d MMMM",
        "de": "EEEE, d. MMMM",
        "es": "EEEE, d 'de' MMMM",
        "it": "EEEE d MMMM",
    },
}
# Widths Babel gets right in every language, through a CLDR skeleton.
_DAY_SKELETONS = {"day_month": "MMMMd", "abbr": "MMMEd", "month_year": "yMMMM"}
DAY_WIDTHS = ("full", "long", "medium", "short", "weekday", "day_month", "abbr", "month_year")

# French writes "9 h 30"; English here "9:30" (Babel would say "9:30 AM"). Others keep CLDR.
_TIME_PATTERNS = {"fr": "H 'h' mm", "en": "H:mm"}


def language_code(value: Any, offered: Iterable[str] = SUPPORTED_LANGUAGES) -> str | None:
    """The offered language a user-supplied code means ("EN", "de-DE", "it_IT"), or None."""
    if not isinstance(value, str) or not value or len(value) > 35:
        return None
    primary = value.strip().replace("_", "-").split("-", 1)[0].lower()
    return primary if primary in set(offered) else None


def _lang(locale: Any) -> str:
    """The primary language subtag of a locale Babel knows ("en_GB" -> "en"); French otherwise."""
    if not locale:
        return SOURCE_LANGUAGE
    primary = str(locale).strip().replace("-", "_").split("_", 1)[0].lower()
    if primary in LANGUAGE_NAMES:
        return primary
    return primary if _babel_knows(primary) else SOURCE_LANGUAGE


@lru_cache(maxsize=128)
def _babel_knows(code: str) -> bool:
    if not code.isascii() or not code.isalpha() or len(code) > 8:
        return False
    try:
        Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return False
    return True


def babel_locale(lang: Any) -> str:
    """The Babel locale used to format for a language ("en" -> "en_GB"); French when unknown."""
    code = _lang(lang)
    return _BABEL_LOCALE.get(code, code)


def _zone(tz: str | tzinfo | None) -> tzinfo | None:
    if tz is None or isinstance(tz, tzinfo):
        return tz
    try:
        return ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Europe/Paris")


def _local(value: datetime, tz: str | tzinfo | None) -> datetime:
    zone = _zone(tz)
    return value.astimezone(zone) if zone is not None and value.tzinfo is not None else value


def event_languages(event: Any, configured: Sequence[str] = SUPPORTED_LANGUAGES) -> list[str]:
    """The interface languages an event offers, in the configured order.

    Every configured language, unless the event restricts them (`restrict_languages` true):
    then only the languages its content is offered in (`language_list`, a list or "fr,en").
    Never empty: a restriction naming no configured language is ignored.
    """
    offered = [code for code in configured if code in LANGUAGE_NAMES] or [SOURCE_LANGUAGE]
    restriction: Any = None
    if event is not None and getattr(event, "restrict_languages", False):
        restriction = getattr(event, "language_list", None)
    if isinstance(restriction, str):
        restriction = [code.strip() for code in restriction.split(",")]
    if restriction:
        wanted = {language_code(code) for code in restriction}
        offered = [code for code in offered if code in wanted] or offered
    return offered


def event_default_language(event: Any, offered: Sequence[str] = SUPPORTED_LANGUAGES) -> str:
    """The event's main language among the offered ones: `default_language`, else the first of
    the event's languages, else French (or the first offered)."""
    candidates: list[Any] = []
    if event is not None:
        candidates.append(getattr(event, "default_language", None))
        candidates.extend(getattr(event, "language_list", None) or [])
    for candidate in candidates:
        code = language_code(candidate, offered)
        if code:
            return code
    return (
        SOURCE_LANGUAGE if SOURCE_LANGUAGE in offered else (list(offered) or [SOURCE_LANGUAGE])[0]
    )


def format_day(
    value: date | datetime | None, locale: Any, tz: str | tzinfo | None = None, width: str = "full"
) -> str:
    """A calendar day: "jeudi 25 juin 2026" / "Thursday 25 June 2026" (`width` in DAY_WIDTHS)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, tz).date()
    lang = _lang(locale)
    where = babel_locale(lang)
    if width in _DAY_PATTERNS:
        pattern = _DAY_PATTERNS[width].get(lang)
        if pattern is None:  # a language without hand-written patterns: the closest CLDR form
            if width == "full":
                return babel_dates.format_date(value, "full", locale=where)
            return babel_dates.format_skeleton("MMMMEEEEd", value, locale=where)
        return babel_dates.format_date(value, pattern, locale=where)
    if width in _DAY_SKELETONS:
        return babel_dates.format_skeleton(_DAY_SKELETONS[width], value, locale=where)
    # "long", "medium", "short" as CLDR has them, or an explicit CLDR pattern.
    return babel_dates.format_date(value, width, locale=where)


def format_time(value: datetime | time | None, locale: Any, tz: str | tzinfo | None = None) -> str:
    """A wall-clock time of the event's zone: "9 h 30" / "9:30" / "09:30"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = _local(value, tz).time()
    value = value.replace(tzinfo=None)
    lang = _lang(locale)
    return babel_dates.format_time(
        value, _TIME_PATTERNS.get(lang, "short"), locale=babel_locale(lang)
    )


def format_day_time(value: datetime | None, locale: Any, tz: str | tzinfo | None = None) -> str:
    """ "jeudi 25 juin 2026, 9 h 30" / "Thursday 25 June 2026, 9:30"."""
    if value is None:
        return ""
    return f"{format_day(value, locale, tz)}, {format_time(value, locale, tz)}"


def format_range(
    start: datetime,
    end: datetime | None,
    locale: Any,
    tz: str | tzinfo | None = None,
    width: str = "full",
) -> str:
    """From start to end: the day once when both fall on it ("jeudi 25 juin 2026, 9 h 30 – 12 h 00")."""
    if end is None:
        return f"{format_day(start, locale, tz, width)}, {format_time(start, locale, tz)}"
    if _local(start, tz).date() == _local(end, tz).date():
        return f"{format_day(start, locale, tz, width)}, {time_range(start, end, locale, tz)}"
    return (
        f"{format_day(start, locale, tz, width)}, {format_time(start, locale, tz)} – "
        f"{format_day(end, locale, tz, width)}, {format_time(end, locale, tz)}"
    )


def time_range(
    start: datetime | time, end: datetime | time, locale: Any, tz: str | tzinfo | None = None
) -> str:
    """ "9 h 30 – 12 h 00" / "9:30–12:00": spaced when the times themselves hold spaces."""
    first, last = format_time(start, locale, tz), format_time(end, locale, tz)
    dash = " – " if " " in first + last else "–"
    return f"{first}{dash}{last}"


def format_day_range(start: date, end: date, locale: Any, width: str = "full") -> str:
    """One day, or both ends of a multi-day event: "25–26 juin 2026" style via CLDR intervals."""
    if start == end:
        return format_day(start, locale, width=width)
    where = babel_locale(_lang(locale))
    if width == "full":
        return f"{format_day(start, locale, width=width)} – {format_day(end, locale, width=width)}"
    skeleton = {"long": "yMMMMd", "medium": "yMMMd", "short": "yMd"}.get(width, "yMMMMd")
    return babel_dates.format_interval(start, end, skeleton, locale=where)


def format_number(value: float | int, locale: Any, decimals: int | None = None) -> str:
    """12 345,5 / 12,345.5 / 12.345,5."""
    where = babel_locale(_lang(locale))
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=where)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(value, format=pattern, locale=where)


def format_list(items: Iterable[str], locale: Any, style: str = "standard") -> str:
    """ "A, B et C" / "A, B and C"."""
    return babel_lists.format_list(list(items), style=style, locale=babel_locale(_lang(locale)))


# French sets a narrow no-break space before a colon ("Thème : Eau"); English, German, Spanish
# and Italian none ("Theme: Water", "Thema: Wasser").
FRENCH_COLON_SPACE = "\u202f"


def label_colon(label: str, locale: Any, space: str = FRENCH_COLON_SPACE) -> str:
    """A label and its colon as the reader's language writes them: "Thème\u202f:" / "Theme:".
    `space`: the no-break space French takes (a renderer whose line breaker treats U+202F as a
    breaking space, such as reportlab's, passes U+00A0)."""
    return f"{label}{space}:" if _lang(locale) == "fr" else f"{label}:"


def label_value(label: str, value: Any, locale: Any, space: str = FRENCH_COLON_SPACE) -> str:
    """ "Thème : Eau" in French, "Theme: Water" in English (see `label_colon`)."""
    return f"{label_colon(label, locale, space)} {value}"


def language_name(code: str, locale: Any) -> str:
    """A language's name in the reader's language ("allemand"); the code when Babel has none."""
    try:
        return Locale.parse(babel_locale(_lang(locale))).languages.get(code, code)
    except (UnknownLocaleError, ValueError):
        return code


def download_name(label: str, *parts: Any, ext: str) -> str:
    """A downloaded file's name in the reader's language, ASCII only: ("données personnelles",
    "Z26IN001", ext="json") -> "donnees-personnelles-z26in001.json". `label` comes translated."""
    words = (str(part) for part in (label, *parts) if str(part))
    slugs = ("".join(c for c in unicodedata.normalize("NFKD", w.casefold()) if c.isascii()) for w in words)
    return "-".join("-".join(re.findall(r"[a-z0-9]+", slug)) for slug in slugs) + "." + ext
