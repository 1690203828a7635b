"""The viewer's language: dates and times as the person reading the page reads them.

Below the services (which word their messages with it) and above nothing of eventsys but `i18n`."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from flask import current_app
from flask_babel import get_locale

from eventsys import i18n


def viewer_locale() -> str:
    """The language of the current page (French outside a request)."""
    return str(get_locale() or i18n.SOURCE_LANGUAGE)


def format_local(value: datetime | None, tz: str | ZoneInfo, fmt: str = "short") -> str:
    """A UTC datetime shown as a wall-clock time of the event's zone, in the viewer's language."""
    if value is None:
        return ""
    if fmt == "short":
        return i18n.format_time(value, viewer_locale(), tz)
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    return babel_dates.format_time(
        value, fmt, tzinfo=zone, locale=i18n.babel_locale(viewer_locale())
    )


# Patterns templates used before the widths existed, mapped to the width that reads right in
# every language (German wants "Donnerstag, 25. Juni", not "Donnerstag 25 Juni").
_LEGACY_DAY_PATTERNS = {
    "EEEE d MMMM": "weekday",
    "d MMMM": "day_month",
    "d MMM y": "medium",
    "EEE d MMM": "abbr",
}


def format_local_date(
    value: date | datetime | None, fmt: str = "full", tz: str | None = None
) -> str:
    """A day in the viewer's language; datetimes are first moved to the event's zone."""
    zone = tz or current_app.config["DEFAULT_TIMEZONE"]
    return i18n.format_day(value, viewer_locale(), zone, _LEGACY_DAY_PATTERNS.get(fmt, fmt))
