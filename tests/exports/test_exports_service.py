"""Exports and imports against the database: conversion, plans, all-or-nothing, round trips."""

from __future__ import annotations

import json
import re
from datetime import date, time

import pytest
from flask_babel import force_locale

from eventsys.models import ProgrammeSession, Room, Speaker, Track
from eventsys.services import exports, importer, programme_import
from eventsys.services.errors import ImportRejected

from .helpers import assert_valid_json, assert_valid_xml, sample

# Demo events are placed a few weeks after 'today'; this day puts Z26IN 001 on Thursday 25 June 2026.
DEMO_TODAY = date(2026, 5, 28)

HEADER = "day;start;end;room;title;type;track;speakers;description\n"


def _import(db, event, data: bytes, name: str = "p.csv", accept_partial: bool = False):
    plan = programme_import.plan_import(event, importer.parse_programme(data, name))
    summary = programme_import.apply_import(event, plan, accept_partial=accept_partial)
    db.session.commit()
    return plan, summary


def _snapshot(event) -> list[tuple]:
    """What a person reads of each session, independent of ids."""
    return sorted(
        (s.title, s.starts_at, s.ends_at, s.room.name if s.room else None, s.track.name if s.track else None,
         s.type, s.description, tuple(link.speaker.name for link in s.speakers), s.status)
        for s in exports.load_sessions(event)
    )  # fmt: skip


@pytest.fixture
def conference(make_event, make_room, make_speaker, make_session, db):
    event = make_event(title="Rencontres", start_date=date(2026, 3, 28), end_date=date(2026, 3, 30),
                       venue_name="Centre", venue_address="1 rue\n75001 Paris")
    amphi, salle = make_room(event, "Amphithéâtre", 300), make_room(event, "Salle B", 40)
    track = Track(event=event, name="Numérique", colour="#1f5f99")
    db.session.add(track)
    db.session.commit()
    camille = make_speaker(event, "Camille Durand", function="directrice", organisation="CNFPT", or_representative=True)
    jean = make_speaker(event, "Jean Martin")
    make_session(event, "Ouverture", "09:00", "09:30", room=amphi, type="opening", speakers=[(camille, "chair")])
    make_session(event, "Atelier données", "10:00", "11:30", day=date(2026, 3, 29), room=salle, type="workshop",
                 track_id=track.id, description="Résumé.\n\nSuite.", speakers=[(jean, "speaker"), (camille, "moderator")])
    make_session(event, "Déjeuner", "12:00", "13:30", day=date(2026, 3, 30), type="meal")
    make_session(event, "Annulée", "15:00", "16:00", day=date(2026, 3, 30), room=salle, status="cancelled")
    return event


def test_event_data_carries_everything_the_renderers_need(app, conference):
    with app.test_request_context("/", base_url="https://events.example.org"):
        data = exports.event_data(conference)
    assert data.url == f"https://events.example.org/e/{conference.code}"
    workshop = next(s for s in data.sessions if s.title == "Atelier données")
    assert workshop.url == f"https://events.example.org/e/{conference.code}/sessions/{workshop.id}"
    assert [(p.name, p.role) for p in workshop.speakers] == [("Jean Martin", "speaker"), ("Camille Durand", "moderator")]
    assert workshop.speakers[1].or_representative
    assert workshop.track.name == "Numérique"
    assert next(s for s in data.sessions if s.title == "Annulée").cancelled


def test_cancelled_event_cancels_every_calendar_entry(app, conference, db):
    conference.status = "cancelled"
    db.session.commit()
    with app.test_request_context("/"):
        body = exports.programme_calendar(conference)
    assert body.count(b"STATUS:CANCELLED") == 4
    assert b"STATUS:CONFIRMED" not in body


def test_personal_agenda_has_chosen_and_common_sessions(app, conference):
    chosen = [s for s in conference.sessions if s.title == "Atelier données"]
    with app.test_request_context("/"):
        extra = exports.calendar_item(conference, guid="round-1@eventsys", title="Speed-networking, tour 1",
                                      starts_at=chosen[0].ends_at, ends_at=chosen[0].ends_at.replace(minute=50))
        body = exports.agenda_ics(conference, chosen, extra=[extra])
    import icalendar

    titles = sorted(str(e["SUMMARY"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT"))
    assert titles == ["Atelier données", "Déjeuner", "Ouverture", "Speed-networking, tour 1"]


def test_export_labels_count_in_the_language_they_were_made_in(app):
    """The PDF renderer counts the speakers left out after force_locale has ended."""
    with app.test_request_context("/"):
        with force_locale("en"):
            english = exports.export_labels()
        french = exports.export_labels()
    assert (english.and_more(1), english.and_more(2)) == ("and 1 other", "and 2 others")
    assert (french.and_more(1), french.and_more(2)) == ("et 1 autre", "et 2 autres")


def test_the_import_summary_agrees_with_each_count(app):
    summary = programme_import.ImportSummary(created=1, updated=2, rejected=0, rooms=1, tracks=2, speakers=3)
    with app.test_request_context("/"):
        assert summary.message() == (
            "Import terminé : 1 session créée, 2 mises à jour, 0 ligne laissée de côté ; 1 salle, "
            "3 intervenant·es et 2 thèmes ajoutés."
        )
        with force_locale("en"):
            assert summary.message() == (
                "Import complete: 1 session created, 2 updated, 0 rows skipped; 1 room, 3 speakers "
                "and 2 themes added."
            )


def test_csv_import_creates_and_matches_rooms_speakers_tracks(conference, db):
    data = (HEADER + (
        "2026-03-28;10h;11h;AMPHITHEATRE;Conférence inaugurale;plénière;numérique;"
        "\"camille durand (modératrice); Aïcha Benali, cheffe de projet, Ville de Lyon\";\n"
        "29/03;14h;15h;Salle Neuve;Retours d'expérience;;Eau;Aïcha Benali;Texte\n"
    )).encode()
    plan, summary = _import(db, conference, data)
    assert (summary.created, summary.updated, summary.rejected) == (2, 0, 0)
    assert (summary.rooms, summary.tracks, summary.speakers) == (1, 1, 1)
    assert plan.new_rooms == ["Salle Neuve"]
    assert plan.new_speakers == ["Aïcha Benali"]
    assert plan.new_tracks == ["Eau"]
    session = next(s for s in conference.sessions if s.title == "Conférence inaugurale")
    assert session.room.name == "Amphithéâtre"
    assert session.track.name == "Numérique"
    assert session.type == "plenary"
    assert [(link.speaker.name, link.role) for link in session.speakers] == [
        ("Camille Durand", "moderator"), ("Aïcha Benali", "speaker"),
    ]
    aicha = next(s for s in conference.speakers if s.name == "Aïcha Benali")
    assert (aicha.function, aicha.organisation) == ("cheffe de projet", "Ville de Lyon")
    local = session.starts_at.astimezone(conference.tz)
    assert (local.date(), local.time()) == (date(2026, 3, 28), time(10))


def test_import_with_errors_writes_nothing_unless_partial_is_accepted(conference, db):
    before = _snapshot(conference)
    rooms = db.session.query(Room).count()
    data = (HEADER + "2026-03-28;10h;11h;Nouvelle salle;Bonne ligne;;;Nouvelle Personne;\n"
            "2026-04-02;10h;11h;A;Hors dates;;;;\n2026-03-28;25h;26h;A;Heure fausse;;;;\n").encode()
    plan = programme_import.plan_import(conference, importer.parse_programme(data, "p.csv"))
    assert [r.action for r in plan.rows] == ["create", "reject", "reject"]
    assert plan.rows[1].messages == [("error", "Le 02/04/2026 est en dehors des dates de l'événement (du 28/03/2026 au 30/03/2026).")]
    with pytest.raises(ImportRejected):
        programme_import.apply_import(conference, plan)
    db.session.rollback()
    assert _snapshot(conference) == before
    assert db.session.query(Room).count() == rooms
    summary = programme_import.apply_import(conference, plan, accept_partial=True)
    db.session.commit()
    assert (summary.created, summary.rejected) == (1, 2)
    assert "Bonne ligne" in [s.title for s in conference.sessions]


def test_overlaps_are_reported_as_warnings(conference, db):
    data = (HEADER + "2026-03-28;09:15;10:00;Amphithéâtre;Chevauche l'ouverture;;;Camille Durand;\n"
            "2026-03-28;11h;12h;Salle B;Un;;;Zoé;\n2026-03-28;11h30;12h30;Salle B;Deux;;;Zoé;\n").encode()
    plan = programme_import.plan_import(conference, importer.parse_programme(data, "p.csv"))
    messages = {item.row.title: [text for level, text in item.messages if level == "warning"] for item in plan.rows}
    assert "La salle « Amphithéâtre » est déjà occupée à ce moment par « Ouverture »." in messages["Chevauche l'ouverture"]
    assert "Camille Durand intervient déjà à ce moment dans « Ouverture »." in messages["Chevauche l'ouverture"]
    assert "La salle « Salle B » est déjà occupée à ce moment par « Deux »." in messages["Un"]
    assert "Zoé intervient déjà à ce moment dans « Un »." in messages["Deux"]
    assert not plan.has_errors


def test_reimporting_the_same_file_updates_instead_of_duplicating(conference, db):
    data = (HEADER + "2026-03-28;14h;15h;Salle B;Table ronde;;;;v1\n").encode()
    _import(db, conference, data)
    count = len(conference.sessions)
    plan, summary = _import(db, conference, data.replace(b"v1", b"v2"))
    assert (summary.created, summary.updated) == (0, 1)
    assert len(conference.sessions) == count
    session = next(s for s in conference.sessions if s.title == "Table ronde")
    assert session.description == "v2"
    assert session.sequence == 1


def test_single_day_event_needs_no_day_column(make_event, db):
    event = make_event(start_date=date(2026, 6, 25), end_date=date(2026, 6, 25), timezone="Indian/Reunion")
    _import(db, event, b"start,end,title,room\n9h30,10h,Accueil,Hall\n10h,12h,Ouverture,Hall\n")
    local = [s.starts_at.astimezone(event.tz).strftime("%Y-%m-%d %H:%M") for s in event.sessions]
    assert local == ["2026-06-25 09:30", "2026-06-25 10:00"]
    assert [s.type for s in event.sessions] == ["welcome", "opening"]


def test_multi_day_event_rejects_rows_without_a_day(conference):
    plan = programme_import.plan_import(conference, importer.parse_programme(b"start;end;title\n9h;10h;Sans jour\n", "p.csv"))
    assert plan.rows[0].action == "reject"
    assert [text for level, text in plan.rows[0].messages if level == "error"] == [
        "Jour manquant : l'événement dure plusieurs jours, précisez la date."
    ]


def test_xml_round_trip_gives_the_same_sessions(app, conference, make_event, db):
    with app.test_request_context("/"):
        first = exports.schedule_xml(conference)
        assert_valid_xml(first)
        copy = make_event(title="Copie", start_date=conference.start_date, end_date=conference.end_date)
        plan, summary = _import(db, copy, first, "schedule.xml")
        assert summary.created == 3
        assert not plan.has_errors
        second = exports.schedule_xml(copy)
    live = [row for row in _snapshot(conference) if row[-1] != "cancelled"]
    # Roles do not travel in schedule XML (persons have names only): compare everything else.
    assert [row[:7] + (sorted(row[7]),) for row in _snapshot(copy)] == [row[:7] + (sorted(row[7]),) for row in live]

    def normalised(body: bytes) -> str:
        text = body.decode()
        text = re.sub(r'(guid|id)="[^"]*"', "", text)
        text = re.sub(r"<(slug|url|version|acronym|base_url)>[^<]*</\1>", "", text)
        return text.replace(conference.code.lower(), "").replace(copy.code.lower(), "")

    assert normalised(first).replace("Rencontres", "Copie") == normalised(second)


def test_csv_round_trip_keeps_roles_and_status(app, conference, make_event, db):
    with app.test_request_context("/"):
        body = exports.programme_csv(conference)
    copy = make_event(title="Copie CSV", start_date=conference.start_date, end_date=conference.end_date)
    _import(db, copy, body, "programme.csv")
    assert _snapshot(copy) == _snapshot(conference)
    workshop = next(s for s in copy.sessions if s.title == "Atelier données")
    assert [(link.speaker.name, link.role) for link in workshop.speakers] == [
        ("Jean Martin", "speaker"), ("Camille Durand", "moderator"),
    ]


def test_guids_are_kept_in_each_event_the_file_is_imported_into(app, conference, make_event, db):
    data = sample("voirie26-pretalx.json")
    guids = {item["guid"] for day in json.loads(data)["schedule"]["conference"]["days"]
             for items in day["rooms"].values() for item in items}
    event = make_event(title="Voirie", start_date=date(2026, 2, 10), end_date=date(2026, 2, 11), timezone="UTC")
    _import(db, event, data, "voirie.json")
    assert {s.guid for s in event.sessions} == guids
    other = make_event(title="Voirie bis", start_date=date(2026, 2, 10), end_date=date(2026, 2, 11), timezone="UTC")
    _import(db, other, data, "voirie.json")
    assert len(other.sessions) == 11
    # unique per event, not across the database: the second event keeps the file's GUIDs too
    assert {s.guid for s in other.sessions} == guids


@pytest.mark.parametrize(
    ("name", "start", "end", "tz", "count"),
    [
        ("jtoi25-wafer.xml", date(2025, 11, 18), date(2025, 11, 20), "Indian/Reunion", 14),
        ("voirie26-pretalx.json", date(2026, 2, 10), date(2026, 2, 11), "Europe/Paris", 11),
        ("camp26-frab.json", date(2026, 7, 1), date(2026, 7, 3), "Europe/Paris", 14),
        # the same on real exports from other tools, when the optional corpus is beside the clone
        ("debconf23.xml", date(2023, 9, 9), date(2023, 9, 18), "Asia/Kolkata", 117),
        ("pretalx-democon.json", date(2020, 12, 14), date(2020, 12, 16), "Europe/Paris", 36),
        ("frab-camp2019.json", date(2019, 8, 21), date(2019, 8, 25), "Europe/Berlin", 79),
    ],
)
def test_real_files_import_with_a_report(app, make_event, db, name, start, end, tz, count):
    event = make_event(title=name, start_date=start, end_date=end, timezone=tz)
    plan = programme_import.plan_import(event, importer.parse_programme(sample(name), name))
    assert len(plan.rows) == count
    summary = programme_import.apply_import(event, plan, accept_partial=True)
    db.session.commit()
    assert summary.created == len(plan.accepted) == len(event.sessions)
    assert summary.created + summary.rejected == count
    for item in plan.rejected:  # every refusal says why
        assert item.messages
        assert item.messages[0][0] == "error"
    with app.test_request_context("/"):
        assert_valid_xml(exports.schedule_xml(event))
        assert_valid_json(exports.schedule_json(event))
    if name == "debconf23.xml":
        opening = next(s for s in event.sessions if s.title == "Opening Ceremony")
        assert opening.starts_at.astimezone(event.tz).strftime("%d %H:%M") == "10 10:30"
        assert opening.room.name == "Anamudi"
        assert opening.speakers[0].speaker.name == "Sruthi Chandran"
    if name == "jtoi25-wafer.xml":
        opening = next(s for s in event.sessions if s.title == "Ouverture des journées")
        assert opening.starts_at.astimezone(event.tz).strftime("%d %H:%M") == "18 08:30"
        assert opening.room.name == "Amphi Roland-Garros"
        assert opening.speakers[0].speaker.name == "Mireille Payet"
    if name in ("voirie26-pretalx.json", "pretalx-democon.json"):
        assert plan.file_messages[0][1].startswith("Le fichier est à l'heure de UTC")
        assert len(event.speakers) == len({p.name for r in plan.rows for p in r.row.speakers})


@pytest.mark.parametrize(
    ("name", "first", "last", "tz", "late_count"),
    [
        ("camp26-frab.json", date(2026, 7, 1), date(2026, 7, 3), "Europe/Paris", 2),
        ("frab-camp2019.json", date(2019, 8, 21), date(2019, 8, 25), "Europe/Berlin", 0),  # optional corpus
    ],
)
def test_frab_report_names_what_was_left_out(make_event, name, first, last, tz, late_count):
    event = make_event(start_date=first, end_date=last, timezone=tz)
    plan = programme_import.plan_import(event, importer.parse_programme(sample(name), "c.json"))
    texts = [text for item in plan.rows for _level, text in item.messages]
    # links and attachments are kept now (relative ones resolved against the file's base_url)
    assert sum(len(item.row.links) for item in plan.rows) >= 13
    assert "Type « performance » inconnu : libellé conservé, classé comme « Autre »." in texts
    # frab lists sessions that run past the last day (the night after it): refused with the reason
    late = [item for item in plan.rows if item.row.ends_at.astimezone(event.tz).date() > last]
    assert len(late) == late_count
    assert all(item.action == "reject" for item in late)
    assert all(any(str(last.day) in text for _level, text in item.messages) for item in late)


def test_demo_events_export_and_validate(app, db):
    from eventsys.services.demo import load_demo

    load_demo(today=DEMO_TODAY)
    db.session.commit()
    from eventsys.models import Event

    events = db.session.query(Event).all()
    assert events
    with app.test_request_context("/"):
        for event in events:
            assert_valid_xml(exports.schedule_xml(event))
            assert_valid_json(exports.schedule_json(event))
            import icalendar
            import vobject

            body = exports.programme_calendar(event)
            assert len(icalendar.Calendar.from_ical(body).walk("VEVENT")) == len(event.sessions)
            assert len(vobject.readOne(body.decode()).vevent_list) == len(event.sessions)
            assert exports.programme_pdf(event).startswith(b"%PDF")


def test_unused_models_are_importable():
    assert ProgrammeSession
    assert Speaker
