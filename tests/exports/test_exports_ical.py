"""iCal feeds: two independent parsers, wall-clock times across DST and overseas, RFC 5545 details."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
import vobject

from eventsys.render.export_data import ExportLabels
from eventsys.render.ical import build_calendar

from .helpers import small_event

STAMP = datetime(2026, 2, 1, 12, 0, tzinfo=ZoneInfo("UTC"))


def _feed(tz: str = "Europe/Paris", start: date = date(2026, 3, 28)) -> tuple[bytes, object]:
    event = small_event(tz, start)
    return build_calendar(event, event.sessions, name="Programme", generated_at=STAMP), event


def _by_uid_icalendar(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(item["UID"]): item for item in calendar.walk("VEVENT")}


def _by_uid_vobject(body: bytes) -> dict[str, object]:
    calendar = vobject.readOne(body.decode("utf-8"))
    return {item.uid.value: item for item in calendar.vevent_list}


@pytest.mark.parametrize(
    ("tz", "start", "expected_offsets"),
    [
        # Paris changes to summer time in the night of 28 to 29 March 2026.
        ("Europe/Paris", date(2026, 3, 28), ["+01:00", "+02:00", "+02:00"]),
        ("America/Martinique", date(2026, 3, 28), ["-04:00", "-04:00", "-04:00"]),
        ("Indian/Reunion", date(2026, 3, 28), ["+04:00", "+04:00", "+04:00"]),
    ],
)
def test_both_parsers_read_ten_oclock_local_every_day(tz, start, expected_offsets):
    body, event = _feed(tz, start)
    zone = ZoneInfo(tz)
    ical_events, vobj_events = _by_uid_icalendar(body), _by_uid_vobject(body)
    assert len(ical_events) == len(vobj_events) == len(event.sessions)
    for index, session in enumerate(event.sessions[:3]):
        for parsed in (ical_events[session.guid].decoded("DTSTART"), vobj_events[session.guid].dtstart.value):
            assert parsed.astimezone(zone).strftime("%Y-%m-%d %H:%M") == f"{start.replace(day=start.day + index)} 10:00"
            assert parsed.astimezone(zone).isoformat()[-6:] == expected_offsets[index]
            assert parsed == session.starts_at  # the same instant
        end = vobj_events[session.guid].dtend.value
        assert end.astimezone(zone).strftime("%H:%M") == "11:30"


@pytest.mark.parametrize("tz", ["Europe/Paris", "America/Martinique", "Indian/Reunion"])
def test_one_vtimezone_with_the_full_iana_name(tz):
    body, _ = _feed(tz)
    calendar = icalendar.Calendar.from_ical(body)
    zones = [str(component["TZID"]) for component in calendar.walk("VTIMEZONE")]
    assert zones == [tz]
    text = body.decode()
    assert f"DTSTART;TZID={tz}:" in text
    for abbreviation in ("TZID=CET", "TZID=CEST", "TZID=AST", "TZID=RET"):
        assert abbreviation not in text


def test_utc_event_uses_utc_times_without_vtimezone():
    body, event = _feed("UTC")
    assert b"BEGIN:VTIMEZONE" not in body
    first = _by_uid_vobject(body)[event.sessions[0].guid]
    assert first.dtstart.value == event.sessions[0].starts_at


def test_event_properties_follow_rfc5545():
    body, event = _feed()
    items = _by_uid_icalendar(body)
    first = items[event.sessions[0].guid]
    assert str(first["SUMMARY"]) == "Atelier du jour 1, réseaux; eau"  # commas and semicolons survive
    assert first.decoded("DTSTAMP") == STAMP
    assert int(first["SEQUENCE"]) == 0
    assert int(items[event.sessions[2].guid]["SEQUENCE"]) == 2
    assert str(first["STATUS"]) == "CONFIRMED"
    assert str(first["LOCATION"]) == "Salle Émile-Zola, Hôtel de région, 1 place de la Mairie, 97200 Fort-de-France"
    assert str(first["URL"]) == "https://events.example.org/e/Z26IN001/programme#session-1"
    description = str(first["DESCRIPTION"])
    assert "Camille Durand, directrice, CNFPT (modérateur·rice), ou son représentant" in description
    assert "Jean Martin, ingénieur, Ville de Fort-de-France" in description
    assert "Présentation des retours d'expérience.\nDeuxième ligne." in description
    assert "Eau & assainissement" in description
    calendar = icalendar.Calendar.from_ical(body)
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"])
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Paris"


def test_cancelled_session_is_marked_cancelled_for_both_parsers():
    body, _ = _feed()
    ical_item = _by_uid_icalendar(body)[_guid(99)]
    vobj_item = _by_uid_vobject(body)[_guid(99)]
    assert str(ical_item["STATUS"]) == "CANCELLED" == vobj_item.status.value
    assert int(ical_item["SEQUENCE"]) == 4
    assert str(ical_item["SUMMARY"]).startswith("ANNULÉE")


def test_uids_are_stable_across_builds():
    first, _ = _feed()
    second, _ = _feed()
    assert first == second  # same data, same stamp: byte for byte
    assert set(_by_uid_icalendar(first)) == {_guid(1), _guid(2), _guid(3), _guid(99)}


def test_lines_are_folded_at_75_octets_without_breaking_characters():
    event = small_event()
    long_title = "Éé" * 200
    session = event.sessions[0].__class__(**{**event.sessions[0].__dict__, "title": long_title})
    body = build_calendar(event, [session], name="x", generated_at=STAMP)
    for line in body.split(b"\r\n"):
        assert len(line) <= 75
        line.decode("utf-8")  # never cut inside a character
    assert str(_by_uid_icalendar(body)[session.guid]["SUMMARY"]) == long_title
    assert _by_uid_vobject(body)[session.guid].summary.value == long_title


def test_labels_are_the_callers():
    event = small_event()
    labels = ExportLabels(speakers="Speakers", cancelled="Cancelled",
                          role_labels={**ExportLabels().role_labels, "moderator": "moderator"},
                          or_representative="or their representative", lang="en")
    body = build_calendar(event, event.sessions, name="Programme", labels=labels, generated_at=STAMP)
    items = _by_uid_icalendar(body)
    assert "Speakers:" in str(items[_guid(1)]["DESCRIPTION"])  # English punctuation with English words
    assert "(moderator), or their representative" in str(items[_guid(1)]["DESCRIPTION"])
    assert str(items[_guid(99)]["SUMMARY"]).startswith("CANCELLED")


def test_empty_calendar_is_still_valid():
    event = small_event()
    body = build_calendar(event, [], name="Vide", generated_at=STAMP)
    assert icalendar.Calendar.from_ical(body).walk("VEVENT") == []
    assert vobject.readOne(body.decode()).name == "VCALENDAR"


def _guid(n: int) -> str:
    import uuid

    return str(uuid.UUID(int=n))
