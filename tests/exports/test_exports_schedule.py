"""Schedule XML and JSON: valid against the shared schemas, stable GUIDs, readable times."""

from __future__ import annotations

import csv
import dataclasses
import io

from eventsys.render.export_data import EventData
from eventsys.render.schedule_xml import render_schedule_json, render_schedule_xml
from eventsys.services.programme_csv import render_programme_csv

from .helpers import assert_valid_json, assert_valid_xml, big_event, small_event


def test_xml_validates_and_carries_local_times():
    event = small_event()
    root = assert_valid_xml(render_schedule_xml(event, schedule_url="https://events.example.org/e/Z26IN001/schedule.xml"))
    assert root.findtext("conference/time_zone_name") == "Europe/Paris"
    assert root.findtext("conference/acronym") == "z26in001"
    items = root.findall("day/room/event")
    assert [e.findtext("title") for e in items] == [s.title for s in event.sessions[:3]]  # cancelled left out
    assert [e.findtext("start") for e in items] == ["10:00", "10:00", "10:00"]
    assert [e.findtext("date")[-6:] for e in items] == ["+01:00", "+02:00", "+02:00"]  # across the DST change
    assert items[0].findtext("duration") == "01:30"
    assert [p.text for p in items[0].findall("persons/person")] == ["Camille Durand", "Jean Martin"]
    assert items[0].findtext("room") == "Salle Émile-Zola"
    assert root.find("conference/track").get("name") == "Eau & assainissement"


def test_json_validates_and_matches_the_xml():
    event = small_event("America/Martinique")
    document = assert_valid_json(render_schedule_json(event))
    conference = document["schedule"]["conference"]
    assert conference["time_zone_name"] == "America/Martinique"
    events = [e for day in conference["days"] for room in day["rooms"].values() for e in room]
    assert [e["guid"] for e in events] == [s.guid for s in event.sessions[:3]]
    assert all(e["date"].endswith("-04:00") and e["start"] == "10:00" for e in events)
    assert events[0]["persons"][0]["name"] == "Camille Durand"


def test_guids_are_stable_between_exports():
    event = small_event()
    first, second = render_schedule_xml(event), render_schedule_xml(event)
    assert first == second
    room_guids = [r.get("guid") for r in assert_valid_xml(first).findall("day/room")]
    assert len(set(room_guids)) == 2  # one per room, the same every day
    moved = dataclasses.replace(event, sessions=event.sessions[::-1])
    assert assert_valid_xml(render_schedule_xml(moved)).findall("day/room/event")[0].get("guid") == event.sessions[0].guid


def test_awkward_text_still_validates():
    event = small_event()
    odd = dataclasses.replace(
        event.sessions[0], title="<b>Tom & Jerry</b> \x0b « quotes » 🚀", description="a]]>b\x00c",
        room=None, track=None, speakers=(), languages=(),
    )
    weird = dataclasses.replace(event, code="ABC", sessions=(odd,), url="", timezone="Indian/Reunion")
    root = assert_valid_xml(render_schedule_xml(weird))
    assert root.findtext("day/room/event/title") == "<b>Tom & Jerry</b>  « quotes » 🚀"
    assert root.find("day/room").get("name") == "Salle à préciser"
    document = assert_valid_json(render_schedule_json(weird))
    assert document["schedule"]["conference"]["acronym"] == "abc_"


def test_large_programme_validates():
    event = big_event(300)
    assert len(assert_valid_xml(render_schedule_xml(event)).findall("day/room/event")) == 299
    document = assert_valid_json(render_schedule_json(event))
    assert document["schedule"]["conference"]["daysCount"] == 3


def test_empty_programme_validates():
    event: EventData = dataclasses.replace(small_event(), sessions=())
    assert_valid_xml(render_schedule_xml(event))
    assert_valid_json(render_schedule_json(event))


def test_csv_export_uses_the_import_columns_and_defuses_formulas():
    event = small_event()
    formula = dataclasses.replace(event.sessions[0], title="=HYPERLINK(\"http://x\")")
    body = render_programme_csv(dataclasses.replace(event, sessions=(formula, *event.sessions[1:])))
    assert body.startswith("\ufeff".encode())  # spreadsheets then read it as UTF-8
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["day", "start", "end", "room", "title", "type", "track", "speakers", "description", "status"]
    assert rows[1][:6] == ["2026-03-28", "10:00", "11:30", "Salle Émile-Zola", "'=HYPERLINK(\"http://x\")", "workshop"]
    assert rows[1][7] == "Camille Durand (moderator) ou son représentant; Jean Martin"
    assert rows[1][8] == "Présentation des retours d'expérience.\nDeuxième ligne."
    assert rows[2][9] == "cancelled"
    assert rows[2][4] == "Exposé annulé"
