"""Reading programmes: spreadsheets with their quirks, other tools' files, hostile files."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, time

import openpyxl
import pytest

from eventsys.interchange.values import parse_day, parse_speakers, parse_time, session_type
from eventsys.services.importer import ImportFileError, parse_programme

from .helpers import sample

HEADER = "day;start;end;room;title;type;track;speakers;description\n"


def _codes(row) -> list[str]:
    return [issue.code for issue in row.issues]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("9h30", time(9, 30)), ("09:30", time(9, 30)), ("09:30:00", time(9, 30)), ("9h", time(9)),
     ("9.30", time(9, 30)), ("14 h 05", time(14, 5)), ("2:15 pm", time(14, 15)), (0.375, time(9)),
     (time(8, 45), time(8, 45))],
)  # fmt: skip
def test_times_as_people_type_them(typed, expected):
    assert parse_time(typed) == expected


@pytest.mark.parametrize("typed", ["25h", "9h75", "midi", "", "13:00 pm", "9:30:99"])
def test_unreadable_times_are_refused(typed):
    assert parse_time(typed) is None


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("2026-06-25", date(2026, 6, 25)), ("25/06/2026", date(2026, 6, 25)), ("25/06/26", date(2026, 6, 25)),
     ("25.06.2026", date(2026, 6, 25)), ("jeudi 25 juin 2026", date(2026, 6, 25)),
     ("Thursday, 25 June 2026", date(2026, 6, 25)), ("1er juillet 2026", date(2026, 7, 1))],
)  # fmt: skip
def test_dates_as_people_type_them(typed, expected):
    assert parse_day(typed).date == expected


def test_partial_days_and_day_numbers():
    assert parse_day("25/06").day_month == (25, 6)
    assert parse_day("25 juin").day_month == (25, 6)
    assert parse_day("J2").index == 2
    assert parse_day("Jour 1").index == 1
    assert parse_day("Day 3").index == 3
    assert parse_day("31/02/2026") is None
    assert parse_day("demain") is None


def test_speakers_cell_gives_names_roles_functions_and_representatives():
    people = parse_speakers(
        "Camille Durand, directrice, CNFPT (modératrice); Jean Martin ou son représentant\n"
        "Aïcha Benali (Ville de Lyon) | Paul Roux, maire"
    )
    assert [(p.name, p.role, p.function, p.organisation, p.or_representative) for p in people] == [
        ("Camille Durand", "moderator", "directrice", "CNFPT", False),
        ("Jean Martin", "speaker", "", "", True),
        ("Aïcha Benali", "speaker", "", "Ville de Lyon", False),
        ("Paul Roux", "speaker", "maire", "", False),
    ]


@pytest.mark.parametrize(
    ("given", "title", "expected"),
    [("Atelier", "", "workshop"), ("Pause déjeuner", "", "meal"), ("Long talk (45 minutes)", "", "talk"),
     ("Table ronde", "", "interaction"), ("plenary", "", "plenary"), ("", "Pause café", "break"),
     ("", "Accueil des participants", "welcome"), ("", "Les réseaux d'eau", "talk")],
)  # fmt: skip
def test_types_are_understood_in_french_and_english(given, title, expected):
    assert session_type(given, title) == (expected, True)


def test_unknown_type_becomes_other_with_a_warning():
    parsed = parse_programme((HEADER + "2026-06-25;9h;10h;A;Concert;spectacle;;;\n").encode(), "p.csv")
    row = parsed.rows[0]
    assert row.type == "other"
    assert row.ok
    assert _codes(row) == ["unknown_type"]


def test_csv_with_french_headers_commas_and_carried_day():
    text = (
        "Programme de la journée\n"
        "Jour,Début,Fin,Salle,Titre,Type,Thème,Intervenants,Résumé\n"
        "25/06/2026,9h30,10h,Hall,Accueil des participants,,,,\n"
        ",10h00,12:00:00,Salle A,Les réseaux,Exposé,Eau,\"Camille Durand (animatrice)\",\"Texte, avec virgule\"\n"
        ",14h - 15h30,,,Atelier libre,atelier,,,\n"
    )
    parsed = parse_programme(text.encode(), "programme.csv")
    assert parsed.kind == "csv"
    first, second, third = parsed.rows
    assert (first.day.date, first.start, first.end, first.type) == (date(2026, 6, 25), time(9, 30), time(10), "welcome")
    assert second.day.date == date(2026, 6, 25)  # carried down from the row above
    assert (second.end, second.track, second.description) == (time(12), "Eau", "Texte, avec virgule")
    assert second.speakers[0].role == "facilitator"
    assert (third.start, third.end) == (time(14), time(15, 30))
    assert _codes(third) == ["missing_room"]
    assert third.ok


def test_row_problems_are_reported_per_row():
    text = HEADER + (
        "2026-06-25;25h;10h;A;Heure fausse;;;;\n"
        "2026-06-25;11h;10h;A;À l'envers;;;;\n"
        "2026-06-25;;;A;Sans heure;;;;\n"
        "2026-06-25;9h;10h;A;;;;;\n"
        "le 32;9h;10h;A;Jour faux;;;;\n"
        "2026-06-25;9h;;A;Sans fin;;;;\n"
        ";;;B;;;;;notes seules\n"
    )
    rows = parse_programme(text.encode(), "x.csv").rows
    assert [_codes(r) for r in rows] == [
        ["bad_time"], ["end_before_start"], ["missing_start", "missing_end"], ["missing_title"], ["bad_day"],
        ["missing_end"], ["no_title_no_time"],
    ]
    assert rows[0].issues[0].params == {"value": "25h"}
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7, 8]


def test_windows_1252_file_is_read_with_a_warning():
    data = (HEADER + "2026-06-25;9h;10h;Salle Émile;Déjeuner à l'Hôtel;;;;\n").encode("cp1252")
    parsed = parse_programme(data, "excel.csv")
    assert parsed.rows[0].title == "Déjeuner à l'Hôtel"
    assert parsed.rows[0].room == "Salle Émile"
    assert [i.code for i in parsed.issues] == ["encoding_fallback"]


def test_utf16_and_bom_files():
    text = HEADER.replace(";", "\t") + "2026-06-25\t9h\t10h\tA\tÉté\t\t\t\t\n"
    assert parse_programme(text.encode("utf-16"), "u.txt").rows[0].title == "Été"
    assert parse_programme(("\ufeff" + HEADER + "2026-06-25;9h;10h;A;Été;;;;\n").encode(), "b.csv").rows[0].title == "Été"


def test_formula_guard_is_removed_on_the_way_back():
    rows = parse_programme((HEADER + "2026-06-25;9h;10h;A;'=1+1;;;;\n").encode(), "x.csv").rows
    assert rows[0].title == "=1+1"


def _xlsx(rows, merges=()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for merge in merges:
        sheet.merge_cells(merge)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_merged_cells_real_dates_and_times():
    data = _xlsx(
        [
            ["Programme"],
            ["Jour", "Début", "Fin", "Salle", "Titre", "Intervenants"],
            [date(2026, 6, 25), time(9, 30), time(10, 0), "Amphi", "Accueil", None],
            [None, "10h", "11:00", None, "Ouverture", "Camille Durand (présidente de séance)"],
            [None, 0.5, 0.5625, "Salle B", "Déjeuner", None],
        ],
        merges=["A3:A5", "D3:D4"],
    )
    parsed = parse_programme(data, "programme.xlsx")
    assert parsed.kind == "xlsx"
    assert [(r.day.date, r.start, r.end, r.room, r.type) for r in parsed.rows] == [
        (date(2026, 6, 25), time(9, 30), time(10), "Amphi", "welcome"),
        (date(2026, 6, 25), time(10), time(11), "Amphi", "opening"),
        (date(2026, 6, 25), time(12), time(13, 30), "Salle B", "meal"),
    ]
    assert parsed.rows[1].speakers[0].role == "chair"


def test_damaged_xlsx_and_other_binaries_are_refused_clearly():
    with pytest.raises(ImportFileError) as error:
        parse_programme(b"PK\x03\x04" + b"\x00" * 200, "x.xlsx")
    assert error.value.code == "xlsx_unreadable"
    with pytest.raises(ImportFileError) as error:
        parse_programme(b"\x00\x01\x02" * 100, "x.bin")
    assert error.value.code == "unknown_format"


def test_files_without_header_or_rows_or_too_big():
    for data, code in [
        (b"foo;bar\n1;2\n", "no_header"),
        (b"day;room\n2026-06-25;A\n", "missing_columns"),
        (HEADER.encode(), "no_rows"),
        (b"   \n", "empty_file"),
        (HEADER.encode() + b"x" * (5 * 1024 * 1024), "too_large"),
    ]:
        with pytest.raises(ImportFileError) as error:
            parse_programme(data, "x.csv")
        assert error.value.code == code


def test_too_many_rows_is_refused():
    data = (HEADER + "2026-06-25;9h;10h;A;T;;;;\n" * 30).encode()
    with pytest.raises(ImportFileError) as error:
        parse_programme(data, "x.csv", max_rows=20)
    assert error.value.code == "too_many_rows"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<schedule><conference><title>&lol4;</title></conference></schedule>"""


def test_billion_laughs_and_external_entities_are_refused():
    with pytest.raises(ImportFileError) as error:
        parse_programme(BILLION_LAUGHS, "evil.xml")
    assert error.value.code == "xml_entities"
    external = b'<?xml version="1.0"?><!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]><schedule>&x;</schedule>'
    with pytest.raises(ImportFileError) as error:
        parse_programme(external, "evil.xml")
    assert error.value.code == "xml_entities"


def _schedule_xml(title: str, encoding: str = "UTF-8") -> str:
    return f"""<?xml version="1.0" encoding="{encoding}"?>
<schedule><version>1</version><conference><title>T</title><time_zone_name>Europe/Paris</time_zone_name></conference>
<day date="2026-06-25" index="1" start="2026-06-25T00:00:00+02:00" end="2026-06-25T23:59:00+02:00">
<room name="Salle A"><event id="1" guid="11111111-1111-4111-8111-111111111111">
<date>2026-06-25T09:30:00+02:00</date><start>09:30</start><duration>00:45</duration><room>Salle A</room>
<title>{title}</title><type>talk</type><track/><abstract/><persons><person id="3">Zoé</person></persons>
</event></room></day></schedule>"""


def test_xml_with_a_wrong_encoding_is_read_with_a_warning():
    data = _schedule_xml("Réseaux d'été").encode("cp1252")  # says UTF-8, is not
    parsed = parse_programme(data, "s.xml")
    assert parsed.rows[0].title == "Réseaux d'été"
    assert [i.code for i in parsed.issues] == ["encoding_fallback"]
    declared = parse_programme(_schedule_xml("Réseaux d'été", "ISO-8859-1").encode("latin-1"), "s.xml")
    assert declared.rows[0].title == "Réseaux d'été"
    assert not declared.issues


def test_broken_xml_and_json_are_refused_with_a_line():
    with pytest.raises(ImportFileError) as error:
        parse_programme(b"<schedule><day>\n<room></day></schedule>", "s.xml")
    assert error.value.code == "xml_invalid"
    assert error.value.params["line"] == 2
    with pytest.raises(ImportFileError) as error:
        parse_programme(b'{"schedule": {\n"conference": [}', "s.json")
    assert error.value.code == "json_invalid"
    assert error.value.params["line"] == 2
    with pytest.raises(ImportFileError) as error:
        parse_programme(b"<html><body>hello</body></html>", "s.xml")
    assert error.value.code == "xml_not_schedule"
    with pytest.raises(ImportFileError) as error:
        parse_programme(b'{"hello": 1}', "s.json")
    assert error.value.code == "json_not_schedule"


@pytest.mark.parametrize(
    ("name", "count", "timezone", "issues"),
    [
        ("jtoi25-wafer.xml", 14, "Indian/Reunion", {}),
        ("voirie26-pretalx.json", 11, "UTC", {}),
        ("camp26-frab.json", 14, "Europe/Paris", {"unknown_type": 2}),
        # the same checks on real exports from other tools, when the optional corpus is beside the clone
        ("debconf23.xml", 117, "Asia/Kolkata", {}),
        ("pretalx-democon.json", 36, "UTC", {}),
        ("frab-camp2019.json", 79, "Europe/Berlin", {"links_ignored": 1, "unknown_type": 1}),
    ],
)
def test_schedule_files_from_other_tools(name, count, timezone, issues):
    parsed = parse_programme(sample(name), name)
    assert len(parsed.rows) == count
    assert parsed.timezone == timezone
    assert all(row.ok for row in parsed.rows)
    assert all(row.starts_at is not None and row.ends_at > row.starts_at for row in parsed.rows)
    assert Counter(i.code for r in parsed.rows for i in r.issues) == Counter(issues)
    assert all(row.guid for row in parsed.rows)


@pytest.mark.parametrize(
    ("name", "title", "room", "starts", "minutes", "people"),
    [
        ("jtoi25-wafer.xml", "Ouverture des journées", "Amphi Roland-Garros", "2025-11-18T04:30:00+00:00", 30,
         ["Mireille Payet"]),  # 08:30 in Réunion (UTC+4)
        ("debconf23.xml", "Opening Ceremony", "Anamudi", "2023-09-10T05:00:00+00:00", 20,
         ["Sruthi Chandran"]),  # 10:30 in Kolkata
    ],
)
def test_schedule_xml_times_and_people(name, title, room, starts, minutes, people):
    parsed = parse_programme(sample(name), name)
    opening = parsed.rows[0]
    assert opening.title == title
    assert opening.room == room
    assert opening.starts_at.isoformat() == starts
    assert (opening.ends_at - opening.starts_at).seconds == minutes * 60
    assert [p.name for p in opening.speakers] == people


def test_schedule_xml_keeps_every_speaker_and_accent():
    parsed = parse_programme(sample("jtoi25-wafer.xml"), "jtoi25-wafer.xml")
    panel = next(r for r in parsed.rows if r.title.startswith("Table ronde"))
    assert [p.name for p in panel.speakers] == ["Mireille Payet", "Olivier Sautron", "Aurélie Grondin"]
    assert panel.type == "interaction"
    talk = next(r for r in parsed.rows if "pluviales" in r.title)
    assert talk.track == "Eau & assainissement"
    assert talk.description.startswith("Dimensionner pour les épisodes cycloniques.\n\nRetour sur dix ans")
