"""Dates, times, numbers and lists as each language writes them, in the event's time zone."""

from __future__ import annotations

import ast
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest

from eventsys import i18n

# 07:30 UTC is 9:30 in Paris (summer time) and 3:30 in Martinique.
MORNING = datetime(2026, 6, 25, 7, 30, tzinfo=UTC)
NOON = datetime(2026, 6, 25, 10, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("fr", "jeudi 25 juin 2026, 9 h 30"),
        ("en", "Thursday 25 June 2026, 9:30"),
        ("de", "Donnerstag, 25. Juni 2026, 09:30"),
        ("es", "jueves, 25 de junio de 2026, 9:30"),
        ("it", "giovedì 25 giugno 2026, 09:30"),
    ],
)
def test_day_and_time_in_each_language(lang, expected):
    assert i18n.format_day_time(MORNING, lang, "Europe/Paris") == expected


def test_times_are_those_of_the_event_zone():
    assert i18n.format_time(MORNING, "fr", "America/Martinique") == "3 h 30"
    assert i18n.format_day(datetime(2026, 6, 25, 2, 0, tzinfo=UTC), "fr", "America/Martinique") == (
        "mercredi 24 juin 2026"
    )


def test_ranges_name_the_day_once_when_both_ends_share_it():
    assert (
        i18n.format_range(MORNING, NOON, "fr", "Europe/Paris")
        == "jeudi 25 juin 2026, 9 h 30 – 12 h 00"
    )
    assert (
        i18n.format_range(MORNING, NOON, "en", "Europe/Paris")
        == "Thursday 25 June 2026, 9:30–12:00"
    )
    next_day = datetime(2026, 6, 26, 14, 0, tzinfo=UTC)
    assert i18n.format_range(MORNING, next_day, "en", "Europe/Paris") == (
        "Thursday 25 June 2026, 9:30 – Friday 26 June 2026, 16:00"
    )
    assert (
        i18n.format_day_range(date(2026, 6, 25), date(2026, 6, 26), "de", "long")
        == "25.–26. Juni 2026"
    )


@pytest.mark.parametrize(
    ("width", "fr", "de"),
    [
        ("weekday", "jeudi 25 juin", "Donnerstag, 25. Juni"),
        ("long", "25 juin 2026", "25. Juni 2026"),
        ("short", "25/06/2026", "25.06.26"),
        ("day_month", "25 juin", "25. Juni"),
    ],
)
def test_day_widths(width, fr, de):
    assert i18n.format_day(date(2026, 6, 25), "fr", width=width) == fr
    assert i18n.format_day(date(2026, 6, 25), "de", width=width) == de


def test_numbers_and_lists_follow_the_language():
    assert i18n.format_number(12345.5, "en") == "12,345.5"
    assert i18n.format_number(12345.5, "de") == "12.345,5"
    assert i18n.format_number(12345.5, "fr").replace("\u202f", " ") == "12 345,5"
    assert i18n.format_list(["Lyon", "Nantes", "Lille"], "fr") == "Lyon, Nantes et Lille"
    assert i18n.format_list(["Lyon", "Nantes", "Lille"], "it") == "Lyon, Nantes e Lille"


@pytest.mark.parametrize(
    "locale", [None, "", "zz", "not a locale", "x" * 300, "en-GB", "de_AT", "IT"]
)
def test_any_locale_value_formats_without_error(locale):
    text = i18n.format_day_time(MORNING, locale, "Europe/Paris")
    assert "2026" in text
    assert i18n.format_time(time(9, 30), locale) in text


def test_unknown_zone_falls_back_to_paris():
    assert i18n.format_time(MORNING, "fr", "Mars/Olympus") == "9 h 30"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("de-DE", "de"), ("EN", "en"), ("it_IT", "it"), ("pt", None), ("", None), (None, None)],
)
def test_language_codes_are_normalised(value, expected):
    assert i18n.language_code(value) == expected


def test_formatting_module_is_pure():
    tree = ast.parse(Path(i18n.__file__).read_text(encoding="utf-8"))
    imported = {
        a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names
    }
    imported |= {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
    }
    assert not imported & {"flask", "flask_babel", "sqlalchemy"}
