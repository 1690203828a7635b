"""Calendar files (.ics) imported as a programme (issue 15, part 5, and its bad input).

Files: tests/fixtures/formats/rnit27-agenda.ics (TZID without VTIMEZONE, UTC, floating times,
DURATION, CATEGORIES, URL, a cancelled entry, a daily series with EXDATE and a moved occurrence),
outlook-zones.ics (a Windows zone name with its VTIMEZONE block, and a second zone),
recurring-years.ics (a series without end, an all-day entry).
"""

from __future__ import annotations

from datetime import date

import pytest

from eventsys.services import importer, programme_import
from eventsys.services.errors import ImportRejected

from .helpers import sample

WINDOW = (date(2027, 6, 9), date(2027, 6, 10))


def _event(make_event, tz="Europe/Paris"):
    return make_event(title="RNIT 2027", start_date=WINDOW[0], end_date=WINDOW[1], timezone=tz)


def _plan(event, name):
    parsed = importer.parse_programme(sample(name), name, window=(event.start_date, event.end_date))
    return programme_import.plan_import(event, parsed)


def _wall(session, tz) -> str:
    return f"{session.starts_at.astimezone(tz):%Y-%m-%d %H:%M}-{session.ends_at.astimezone(tz):%H:%M}"


def test_calendar_entries_become_sessions_at_the_right_wall_clock_time(app, make_event, db):
    event = _event(make_event)
    plan = _plan(event, "rnit27-agenda.ics")
    assert plan.kind == "ics"
    assert not plan.has_errors, [(i.row.title, i.messages) for i in plan.rejected]
    summary = programme_import.apply_import(event, plan)
    db.session.commit()
    assert summary.created == 7
    sessions = {(s.title, s.room.name if s.room else ""): s for s in event.sessions}
    tz = event.tz
    # TZID=Europe/Paris with no VTIMEZONE block: 09:00 in Paris
    assert _wall(sessions["Cérémonie d'ouverture", "Amphithéâtre Vauban"], tz) == "2027-06-09 09:00-09:45"
    # UTC: 08:00Z is 10:00 in Paris in June; DURATION gives the end
    assert _wall(sessions["Keynote (heure UTC)", "Amphithéâtre Vauban"], tz) == "2027-06-09 10:00-11:30"
    # floating: read in the event's zone
    assert _wall(sessions["Atelier pratique SIG", "Atelier A"], tz) == "2027-06-09 14:00-15:30"
    assert _wall(sessions["Atelier pratique SIG", "Atelier B"], tz) == "2027-06-09 14:00-15:30"
    opening = sessions["Cérémonie d'ouverture", "Amphithéâtre Vauban"]
    assert opening.track.name == "Eau & assainissement"
    assert opening.description == "Ouverture officielle.\n\nDeuxième paragraphe, avec virgule."
    assert opening.links == [{"url": "https://rnit.example.org/ouverture", "title": "", "kind": "link"}]
    assert opening.source_id == "rnit27-ouverture@agenda.example.org"
    keynote = sessions["Keynote (heure UTC)", "Amphithéâtre Vauban"]
    assert keynote.guid == "4a9d2c1e-0b7f-4c33-8a1e-5c0f9e7a0999"
    assert sessions["Visite du chantier", "Parvis"].status == "cancelled"
    # the daily series: 9 June, the 10th moved by its RECURRENCE-ID, the 11th is outside the event
    # (and excluded anyway)
    breaks = sorted(_wall(s, tz) + " " + s.title for s in event.sessions if s.room and s.room.name == "Foyer")
    assert breaks == ["2027-06-09 10:30-11:00 Pause café", "2027-06-10 10:45-11:15 Pause café (décalée)"]
    assert all(s.type == "break" for s in event.sessions if s.room and s.room.name == "Foyer")


def test_reimporting_a_calendar_updates_by_uid(app, make_event, db):
    event = _event(make_event)
    programme_import.apply_import(event, _plan(event, "rnit27-agenda.ics"))
    db.session.commit()
    plan = _plan(event, "rnit27-agenda.ics")
    assert plan.count("update") == 7
    assert plan.count("create") == 0


def test_a_windows_zone_with_its_vtimezone_and_a_second_zone(app, make_event, db):
    event = _event(make_event)
    plan = _plan(event, "outlook-zones.ics")
    assert not plan.has_errors
    programme_import.apply_import(event, plan)
    db.session.commit()
    walls = {s.title: _wall(s, event.tz) for s in event.sessions}
    assert walls == {
        "Réunion des directeurs techniques": "2027-06-09 09:00-10:00",
        "Visioconférence avec la Martinique": "2027-06-09 15:00-16:00",  # 09:00 in Martinique
    }
    files = [text for _level, text in plan.file_messages]
    assert files == ["Le fichier mélange plusieurs fuseaux horaires (America/Martinique, Romance Standard Time) : "
                     "chaque horaire a été converti dans celui de l'événement."]


def test_a_series_running_for_years_is_kept_to_the_events_days_with_a_message(app, make_event, db):
    event = _event(make_event)
    plan = _plan(event, "recurring-years.ics")
    welcome = [item for item in plan.rows if item.row.title == "Accueil des participants"]
    assert [f"{item.starts_at.astimezone(event.tz):%d %H:%M}-{item.ends_at.astimezone(event.tz):%H:%M}"
            for item in welcome] == ["09 08:30-09:00", "10 08:30-09:00"]
    assert [text for _level, text in welcome[0].messages if "répétée" in text] == [
        "Entrée répétée au-delà des jours de l'événement : seules ses 2 occurrences pendant l'événement sont importées."
    ]
    all_day = next(item for item in plan.rows if item.row.title.startswith("Exposition"))
    assert all_day.action == "reject"
    assert ("error", "Entrée « toute la journée » (2027-06-10) : indiquez une heure de début et de fin.") in all_day.messages
    with pytest.raises(ImportRejected):
        programme_import.apply_import(event, plan)
    db.session.rollback()
    assert event.sessions == []  # nothing half-imported


def test_a_calendar_saved_in_utf16_is_read():
    data = sample("rnit27-agenda.ics").decode("utf-8").encode("utf-16")
    parsed = importer.parse_programme(data, "agenda.ics", window=WINDOW)
    assert parsed.kind == "ics"
    assert "Cérémonie d'ouverture" in [row.title for row in parsed.rows]


def test_without_the_events_days_an_endless_series_is_refused():
    parsed = importer.parse_programme(sample("recurring-years.ics"), "a.ics")
    row = next(r for r in parsed.rows if r.title == "Accueil des participants")
    assert [issue.code for issue in row.issues] == ["recurrence_too_long"]


def test_a_calendar_of_twenty_thousand_events_is_refused_with_the_limit(app):
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}@example.org\r\nDTSTART:20270609T090000Z\r\nDURATION:PT1H\r\n"
        f"SUMMARY:Session {n}\r\nEND:VEVENT\r\n"
        for n in range(20_000)
    )
    data = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n{events}END:VCALENDAR\r\n".encode()
    with pytest.raises(importer.ImportFileError) as caught:
        importer.parse_programme(data, "big.ics", max_bytes=len(data) + 1)
    assert caught.value.code == "too_many_rows"
    with app.test_request_context("/"):
        assert programme_import.file_error_message(caught.value) == (
            "Le fichier compte plus de 5000 lignes : découpez-le."
        )


def test_a_broken_calendar_gets_a_message(app):
    with pytest.raises(importer.ImportFileError) as caught:
        importer.parse_programme(b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:nonsense\r\n", "x.ics")
    with app.test_request_context("/"):
        assert "iCalendar" in programme_import.file_error_message(caught.value)
