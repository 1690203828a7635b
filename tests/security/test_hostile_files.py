"""Findings 3 and 6 of the security review: spreadsheet bombs and hostile programme files.

Each file is built here, small on the wire; the old reader expanded the workbooks for 20 to
50 seconds and hundreds of megabytes, and answered 500 to the others. Now each is refused
before anything is expanded, with a sentence in the organiser's language, and nothing is
imported. The figures themselves are measured by benchmarks/hostile_files.py.
"""

from __future__ import annotations

import html
import io
import time
import tracemalloc
from datetime import date

import pytest

from eventsys.models import ProgrammeSession
from eventsys.services import safe_read
from eventsys.services.importer import ImportFileError, parse_programme

from ..conftest import login
from . import input_helpers as hostile

BOMBS = {
    "merged_ranges": (hostile.merged_ranges_bomb, "xlsx_merged_too_big"),
    "millions_of_cells": (hostile.cells_bomb, "xlsx_too_many_cells"),
}
HOSTILE = {
    "utf16_odd_length": (hostile.utf16_odd_length, "encoding_invalid"),
    "utf16_lone_surrogate": (hostile.utf16_lone_surrogate, "encoding_invalid"),
    "json_10000_deep": (hostile.deep_json, "json_too_deep"),
    "csv_field_over_131072": (hostile.csv_long_field, "csv_field_too_long"),
}


def _refusal(data: bytes) -> tuple[str, float, int]:
    """The refusal code, the seconds it took, and the peak of memory allocated meanwhile."""
    started = time.perf_counter()
    with pytest.raises(ImportFileError) as refused:
        parse_programme(data, "programme.xlsx")
    seconds = time.perf_counter() - started
    tracemalloc.start()
    try:
        with pytest.raises(ImportFileError):
            parse_programme(data, "programme.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return refused.value.code, seconds, peak


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_spreadsheet_bombs_are_refused_at_once_in_little_memory(name):
    build, code = BOMBS[name]
    data = build()
    assert len(data) < 20_000  # a small upload: the harm is all in the expansion
    refused, seconds, peak = _refusal(data)
    assert refused == code
    # Generous bounds for a loaded machine: the old reader took 36 s and over 400 MB on each.
    assert seconds < 5, f"{name} refused after {seconds:.1f} s"
    assert peak < 64 * 1024 * 1024, f"{name} peaked at {peak / 1e6:.0f} MB"


def test_bounds_are_checked_before_openpyxl_builds_anything(monkeypatch):
    import openpyxl

    def must_not_load(*_args, **_kwargs):
        raise AssertionError("the workbook was opened before its bounds were checked")

    monkeypatch.setattr(openpyxl, "load_workbook", must_not_load)
    for build, code in BOMBS.values():
        with pytest.raises(ImportFileError) as refused:
            parse_programme(build(), "programme.xlsx")
        assert refused.value.code == code


def test_a_sheet_wider_than_a_programme_is_refused_from_its_cell_references():
    wide = hostile.xlsx(hostile.HEADER_ROW + '<row r="2"><c r="XFD2"><v>1</v></c></row>', dimension="A1:XFD2")
    with pytest.raises(ImportFileError) as refused:
        parse_programme(wide, "programme.xlsx")
    assert refused.value.code == "too_many_columns"


def test_a_real_workbook_with_merged_days_still_reads_in_streaming_mode():
    rows = (
        hostile.HEADER_ROW
        + '<row r="2"><c r="A2" t="inlineStr"><is><t>25/06/2026</t></is></c><c r="B2" t="inlineStr"><is><t>9h</t></is>'
        '</c><c r="C2" t="inlineStr"><is><t>10h</t></is></c><c r="D2" t="inlineStr"><is><t>Accueil</t></is></c></row>'
        '<row r="3"><c r="B3" t="inlineStr"><is><t>10h</t></is></c><c r="C3" t="inlineStr"><is><t>11h</t></is></c>'
        '<c r="D3" t="inlineStr"><is><t>Ouverture</t></is></c></row>'
    )
    # The dimension claims the whole sheet: the streaming reader must not pad rows to it.
    parsed = parse_programme(hostile.xlsx(rows, ("A2:A3",), dimension="A1:XFD1048576"), "programme.xlsx")
    assert [(row.title, row.day.date) for row in parsed.rows] == [
        ("Accueil", date(2026, 6, 25)),
        ("Ouverture", date(2026, 6, 25)),
    ]


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_programme_files_are_refused_with_a_reason(name):
    build, code = HOSTILE[name]
    with pytest.raises(ImportFileError) as refused:
        parse_programme(build(), "programme")
    assert refused.value.code == code


def test_json_depth_is_measured_outside_strings():
    assert safe_read.json_depth(b'{"a": "[[[[[[[[", "b": [[1], {"c": "]]]"}]}') == 3
    assert safe_read.json_depth(b'"\\"[[[["') == 0


# ------------------------------------------------------------------ the page


@pytest.fixture
def organiser_event(make_user, make_event):
    organiser = make_user()
    return organiser, make_event(owner=organiser, start_date=date(2026, 6, 25), end_date=date(2026, 6, 26))


EXPECTED_FR = {
    "merged_ranges": "fusionne des cellules sur une zone trop grande",
    "millions_of_cells": "Ce classeur contient plus de 200000 cellules",
    "utf16_odd_length": "Le fichier annonce de l'UTF-16 mais son contenu n'en est pas",
    "utf16_lone_surrogate": "Le fichier annonce de l'UTF-16 mais son contenu n'en est pas",
    "json_10000_deep": "Ce fichier JSON est imbriqué sur plus de 64 niveaux",
    "csv_field_over_131072": "Ligne 2 : une cellule dépasse 131072 caractères",
}
EXPECTED_EN = {
    "merged_ranges": "This workbook merges cells over too large an area",
    "json_10000_deep": "This JSON file is nested more than 64 levels deep",
}
NAMES = {"json_10000_deep": "schedule.json", "csv_field_over_131072": "programme.csv",
         "utf16_odd_length": "programme.csv", "utf16_lone_surrogate": "programme.csv"}


@pytest.mark.parametrize("name", sorted(EXPECTED_FR))
def test_the_import_page_refuses_each_file_in_the_organisers_language(client, organiser_event, db, name):
    organiser, event = organiser_event
    login(client, organiser)
    build = {**BOMBS, **HOSTILE}[name][0]
    response = client.post(
        f"/manage/events/{event.id}/import",
        data={"file": (io.BytesIO(build()), NAMES.get(name, "programme.xlsx"))},
    )
    assert response.status_code == 400
    assert EXPECTED_FR[name] in html.unescape(response.text)
    assert db.session.query(ProgrammeSession).count() == 0
    if name in EXPECTED_EN:
        english = client.post(
            f"/manage/events/{event.id}/import",
            data={"file": (io.BytesIO(build()), NAMES.get(name, "programme.xlsx"))},
            headers={"Accept-Language": "en"},
        )
        assert english.status_code == 400
        assert EXPECTED_EN[name] in html.unescape(english.text)
