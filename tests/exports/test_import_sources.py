"""Programmes from other tools imported without loss (issue 15, parts 1-4 and 8).

Identity by source id/GUID, two people whose names differ only in case, HTML descriptions, the
source's own type labels, track colours, links and attachments, recording opt-outs, languages,
people's roles, shared rooms, and a round trip through schedule.xml that keeps all of it.
The files are ours: tests/fixtures/formats/rnit27-frab.xml, aitf27-pentabarf.xml,
reseau27-pretalx.json, rnit27-tableur.csv and rnit27-tableur.xlsx.
"""

from __future__ import annotations

from datetime import date

import pytest
from lxml import etree

from eventsys.models import ProgrammeSession
from eventsys.services import exports, importer, programme, programme_import
from eventsys.services.errors import RoomConflict

from .helpers import assert_valid_json, assert_valid_xml, sample

RNIT = ("rnit27-frab.xml", date(2027, 6, 9), date(2027, 6, 10))


def _plan(event, data: bytes, name: str, **kw):
    return programme_import.plan_import(event, importer.parse_programme(data, name), **kw)


def _import(db, event, data: bytes, name: str, accept_partial: bool = False, **kw):
    plan = _plan(event, data, name, **kw)
    summary = programme_import.apply_import(event, plan, accept_partial=accept_partial)
    db.session.commit()
    return plan, summary


def _event(make_event, name=RNIT[0], start=RNIT[1], end=RNIT[2], tz="Europe/Paris", title=None):
    return make_event(title=title or name, start_date=start, end_date=end, timezone=tz)


def _by_guid(event) -> dict[str, ProgrammeSession]:
    return {s.guid: s for s in exports.load_sessions(event)}


def snapshot(body: bytes, *, with_abstract: bool = True) -> dict:
    """What a schedule.xml says, as comparable data: ids, titles, times, rooms, speakers,
    types, colours, links, recording flags, languages (and the abstract, when asked)."""
    root = etree.fromstring(body)
    tracks = {t.get("name"): (t.get("color") or "").lower() for t in root.iter("track") if t.get("name")}
    events = {}
    for event in root.iter("event"):
        optout = event.findtext("recording/optout")
        item = {
            "id": event.get("id"),
            "title": event.findtext("title"),
            "date": event.findtext("date"),
            "duration": event.findtext("duration"),
            "room": event.findtext("room"),
            "type": event.findtext("type"),
            "track": event.findtext("track") or "",
            "colour": tracks.get(event.findtext("track") or "", ""),
            "language": event.findtext("language"),
            "persons": [(p.get("id"), p.get("guid"), p.text) for p in event.iterfind("persons/person")],
            "links": [(a.get("href"), a.text) for a in event.iterfind("links/link")
                      if (a.get("href") or "").startswith("http")],
            "attachments": [(a.get("href"), a.text) for a in event.iterfind("attachments/attachment")],
            "optout": optout.strip() if optout else None,
        }
        if with_abstract:
            item["abstract"] = (event.findtext("abstract") or "").strip()
        events[event.get("guid")] = item
    return events


# ------------------------------------------------------------------ identity (part 1)


def test_same_title_same_time_in_two_rooms_are_two_sessions(app, make_event, db):
    event = _event(make_event)
    plan, summary = _import(db, event, sample(RNIT[0]), RNIT[0])
    assert not plan.has_errors
    assert summary.created == 8
    workshops = [s for s in event.sessions if s.title == "Atelier pratique SIG"]
    assert sorted(s.room.name for s in workshops) == ["Atelier A", "Atelier B"]
    assert workshops[0].starts_at == workshops[1].starts_at


def test_without_ids_a_duplicate_is_same_title_start_and_room(app, make_event, db):
    event = _event(make_event)
    plan = _plan(event, sample("rnit27-tableur.csv"), "rnit27-tableur.csv")
    actions = [(item.row.title, item.row.room, item.action) for item in plan.rows]
    assert actions[3:] == [
        ("Atelier sans identifiant", "Salle Loire", "create"),
        ("Atelier sans identifiant", "Salle Cher", "create"),
        ("Atelier sans identifiant", "Salle Loire", "reject"),
    ]
    assert [text for _level, text in plan.rows[5].messages] == [
        "Doublon de la ligne 5 (même titre, même horaire, même salle) : ignorée."
    ]


def test_a_repeated_source_id_is_a_duplicate(app, make_event, db):
    event = _event(make_event)
    data = sample(RNIT[0]).replace(b'event id="105" guid="4a9d2c1e-0b7f-4c33-8a1e-5c0f9e7a0105"',
                                   b'event id="104" guid="4a9d2c1e-0b7f-4c33-8a1e-5c0f9e7a0104"')
    plan = _plan(event, data, RNIT[0])
    rejected = [(item.row.room, text) for item in plan.rejected for _level, text in item.messages]
    assert rejected == [("Atelier B", "Doublon de la ligne 4 (même identifiant) : ignorée.")]


def test_reimport_updates_by_guid_and_keeps_parallel_sessions_apart(app, make_event, db):
    event = _event(make_event)
    _import(db, event, sample(RNIT[0]), RNIT[0])
    before = {guid: s.id for guid, s in _by_guid(event).items()}
    changed = sample(RNIT[0]).replace("Même atelier, poste 2.".encode(), "Poste 2, mis à jour.".encode())
    plan, summary = _import(db, event, changed, RNIT[0])
    assert (summary.created, summary.updated) == (0, 8)
    after = _by_guid(event)
    assert {guid: s.id for guid, s in after.items()} == before
    assert "Poste 2, mis à jour." in after["4a9d2c1e-0b7f-4c33-8a1e-5c0f9e7a0105"].description
    assert "poste 1" in after["4a9d2c1e-0b7f-4c33-8a1e-5c0f9e7a0104"].description


def test_reimport_without_guids_updates_by_source_id(app, make_event, db):
    event = _event(make_event, "aitf27-pentabarf.xml", date(2027, 9, 14), date(2027, 9, 14))
    _import(db, event, sample("aitf27-pentabarf.xml"), "p.xml")
    ids = {s.source_id: s.id for s in event.sessions}
    assert sorted(ids) == ["501", "502", "503"]
    moved = sample("aitf27-pentabarf.xml").replace("<title>Atelier relevés de terrain</title>".encode(),
                                                   "<title>Atelier relevés (salle Loire)</title>".encode(), 1)
    _, summary = _import(db, event, moved, "p.xml")
    assert (summary.created, summary.updated) == (0, 3)
    assert {s.source_id: s.id for s in event.sessions} == ids
    assert {s.source_id: s.title for s in event.sessions}["502"] == "Atelier relevés (salle Loire)"


def test_people_are_matched_by_their_id_not_their_name(app, make_event, db):
    event = _event(make_event)
    _import(db, event, sample(RNIT[0]), RNIT[0])
    annas = sorted((s.source_id, s.name) for s in event.speakers if s.name.lower() == "anna lefèvre")
    assert annas == [("7", "Anna Lefèvre"), ("8", "anna lefèvre")]
    table = next(s for s in event.sessions if s.source_id == "108")
    assert sorted(link.speaker.source_id for link in table.speakers) == ["7", "8"]
    # the same file again: still two people, nobody added
    _, summary = _import(db, event, sample(RNIT[0]), RNIT[0])
    assert summary.speakers == 0
    assert len(event.speakers) == 5


def test_people_without_ids_are_matched_by_name(app, make_event, db):
    event = _event(make_event)
    _import(db, event, sample("rnit27-tableur.csv"), "t.csv", accept_partial=True)
    assert sorted(s.name for s in event.speakers) == ["Anna Lefèvre", "Camille Durand", "Jean Martin"]
    assert all(s.source_id is None for s in event.speakers)


def test_guids_are_unique_per_event_not_across_the_database(app, make_event, db):
    first = _event(make_event, title="RNIT")
    second = _event(make_event, title="RNIT bis")
    _import(db, first, sample(RNIT[0]), RNIT[0])
    _import(db, second, sample(RNIT[0]), RNIT[0])
    assert set(_by_guid(first)) == set(_by_guid(second))
    assert len(_by_guid(second)) == 8


# ------------------------------------------------------------------ what the source says (parts 2, 3)


def test_html_descriptions_are_sanitised_and_shown_formatted(app, client, make_event, db):
    event = _event(make_event)
    plan, _ = _import(db, event, sample(RNIT[0]), RNIT[0])
    keynote = next(s for s in event.sessions if s.source_id == "102")
    assert keynote.description.startswith("<p>Climate adaptation in practice</p><p>How cities adapt.</p>")
    assert "<li>heat</li>" in keynote.description
    assert "javascript" not in keynote.description
    assert "steal" not in keynote.description
    opening = next(s for s in event.sessions if s.source_id == "101")
    assert "alert" not in opening.description
    warned = {item.row.ref for item in plan.rows for _level, text in item.messages
              if text == "Scripts, styles ou liens dangereux retirés de la description."}
    assert warned == {"101", "102"}
    event.status = "published"
    db.session.commit()
    page = client.get(f"/e/{event.code}/programme").get_data(as_text=True)
    assert "<strong>présidente</strong>" in page
    assert "&lt;p&gt;" not in page
    assert "alert(" not in page


def test_type_labels_colours_links_recording_and_languages_are_kept(app, client, make_event, db):
    event = _event(make_event)
    plan, _ = _import(db, event, sample(RNIT[0]), RNIT[0])
    by_id = {s.source_id: s for s in event.sessions}
    assert {k: (s.type, s.type_label) for k, s in by_id.items()} == {
        "101": ("other", "Ceremony"), "102": ("plenary", "Keynote"), "103": ("other", "Concert"),
        "104": ("workshop", "Workshop"), "105": ("workshop", "Workshop"), "106": ("other", "Exhibition"),
        "107": ("other", "Poster session"), "108": ("interaction", "Panel"),
    }
    assert {t.name: t.colour for t in event.tracks} == {
        "Eau & assainissement": "#0b6e99", "Voirie": "#b35900", "Numérique": "#5a2d82"}
    assert by_id["101"].links == [
        {"url": "https://rnit.example.org/programme", "title": "Programme complet", "kind": "link"}]
    assert by_id["102"].links == [{"url": "https://frab.example.org/system/attachments/102/slides.pdf",
                                   "title": "Slides (PDF)", "kind": "attachment"}]
    assert [link["url"] for link in by_id["108"].links] == ["https://rnit.example.org/voirie"]  # no javascript:
    assert {k: s.do_not_record for k, s in by_id.items()} == {
        "101": False, "102": True, "103": True, "104": False, "105": False, "106": True, "107": True, "108": False}
    assert {k: s.languages for k, s in by_id.items() if k in ("101", "102", "103")} == {
        "101": "fr", "102": "en", "103": "de"}
    with app.test_request_context("/"):
        document = assert_valid_json(exports.schedule_json(event))
    items = {e["id"]: e for d in document["schedule"]["conference"]["days"] for r in d["rooms"].values() for e in r}
    assert items[101]["do_not_record"] is False
    assert items[102]["do_not_record"] is True
    assert items[102]["attachments"] == [
        {"url": "https://frab.example.org/system/attachments/102/slides.pdf", "title": "Slides (PDF)"}]
    assert items[101]["type"] == "Ceremony"
    event.status = "published"
    db.session.commit()
    page = client.get(f"/e/{event.code}/programme").get_data(as_text=True)
    assert '<a href="https://rnit.example.org/programme" rel="noopener noreferrer nofollow">Programme complet</a>' in page
    assert ">Ceremony" in page


def test_pentabarf_roles_and_wall_clock_times(app, make_event, db):
    event = _event(make_event, "aitf27-pentabarf.xml", date(2027, 9, 14), date(2027, 9, 14))
    _import(db, event, sample("aitf27-pentabarf.xml"), "p.xml")
    talk = next(s for s in event.sessions if s.source_id == "501")
    assert talk.starts_at.astimezone(event.tz).strftime("%H:%M") == "09:30"
    assert [(link.speaker.name, link.role) for link in talk.speakers] == [
        ("Louise Bernard", "speaker"), ("Paul Girard", "moderator")]
    workshop = next(s for s in event.sessions if s.source_id == "502")
    assert [(link.speaker.source_id, link.role) for link in workshop.speakers] == [("33", "chair")]
    assert talk.type_label == "lecture"
    assert talk.type == "talk"


def test_pretalx_codes_markdown_and_recording_flags(app, client, make_event, db):
    event = _event(make_event, "reseau27-pretalx.json", date(2027, 3, 16), date(2027, 3, 16))
    plan, _ = _import(db, event, sample("reseau27-pretalx.json"), "r.json")
    by_code = {s.source_id: s for s in event.sessions}
    assert set(by_code) == {"2101", "2102"}
    assert by_code["2101"].do_not_record is False
    assert by_code["2102"].do_not_record is True
    assert by_code["2102"].type_label == "Hands-on lab"
    assert by_code["2102"].type == "workshop"
    assert sorted(s.source_id for s in event.speakers) == ["PQR7ST", "UVW8XY"]  # same name, two people
    assert {t.name: t.colour for t in event.tracks} == {"Données ouvertes": "#2e7d32", "Cybersécurité": "#c62828"}
    assert by_code["2101"].links[1]["url"] == "https://pretalx.example.org/media/reseau27/submissions/DATA01/guide.pdf"
    assert "color:red" not in by_code["2102"].description
    event.status = "published"
    db.session.commit()
    page = client.get(f"/e/{event.code}/programme").get_data(as_text=True)
    assert "<strong>guide</strong>" in page  # Markdown of the abstract, formatted


@pytest.mark.parametrize("name", ["rnit27-tableur.csv", "rnit27-tableur.xlsx"])
def test_spreadsheets_keep_ids_labels_languages_and_html(app, make_event, db, name):
    event = _event(make_event)
    _import(db, event, sample(name), name, accept_partial=True)
    opening = next(s for s in event.sessions if s.title == "Cérémonie d'ouverture")
    assert opening.type_label == "Cérémonie"
    assert opening.type == "other"
    assert opening.source_id in ("T1", "X1")
    assert opening.description.startswith("<p>Ouverture <")
    assert "alert" not in opening.description
    workshops = sorted((s.room.name, s.source_id) for s in event.sessions if s.title == "Atelier pratique SIG")
    assert [room for room, _ in workshops] == ["Atelier A", "Atelier B"]
    assert {s.languages for s in event.sessions} >= {"fr"}


# ------------------------------------------------------------------ shared rooms (part 4)


def test_preview_lists_double_bookings_and_shared_rooms_are_no_clash(app, make_event, db):
    event = _event(make_event)
    plan = _plan(event, sample(RNIT[0]), RNIT[0])
    assert [(d.room, d.clashes, d.shared) for d in plan.double_booked] == [("Foyer", 1, False)]
    assert any(text.startswith("La salle « Foyer » est déjà occupée") for item in plan.rows for _l, text in item.messages)
    marked = _plan(event, sample(RNIT[0]), RNIT[0], shared_rooms={"foyer"})
    assert [(d.room, d.shared) for d in marked.double_booked] == [("Foyer", True)]
    assert not any("Foyer" in text for item in marked.rows for _l, text in item.messages)


def test_publishing_is_blocked_by_real_double_bookings_only(app, make_event, db):
    event = _event(make_event)
    _import(db, event, sample(RNIT[0]), RNIT[0])
    with pytest.raises(RoomConflict):
        programme.publish_event(event)
    db.session.rollback()
    other = _event(make_event, title="RNIT partagé")
    _import(db, other, sample(RNIT[0]), RNIT[0], shared_rooms={"Foyer"})
    assert next(r for r in other.rooms if r.name == "Foyer").shared
    programme.publish_event(other)
    assert other.status == "published"


# ------------------------------------------------------------------ round trip through schedule.xml


def test_round_trip_through_schedule_xml_keeps_everything(app, make_event, db):
    original = sample(RNIT[0])
    first = _event(make_event, title="RNIT")
    _import(db, first, original, RNIT[0])
    with app.test_request_context("/"):
        exported = exports.schedule_xml(first)
    assert_valid_xml(exported)
    ours = snapshot(exported, with_abstract=False)
    theirs = snapshot(original, with_abstract=False)
    assert set(ours) == set(theirs)
    for guid, item in theirs.items():
        mine = dict(ours[guid])
        if item["optout"] is None:  # the file says nothing: nobody agreed to be filmed
            assert mine["optout"] == "true"
            mine["optout"] = None
        item = dict(item, attachments=[
            ("https://frab.example.org" + href if href.startswith("/") else href, text)
            for href, text in item["attachments"]])
        assert mine == item, guid
    # imported again into another event: the second export says the same, abstracts included
    second = _event(make_event, title="RNIT copie")
    plan, summary = _import(db, second, exported, "schedule.xml")
    assert not plan.has_errors
    assert summary.created == 8
    with app.test_request_context("/"):
        again = exports.schedule_xml(second)
    assert snapshot(again) == snapshot(exported)
    # and into the first event: everything matched, nothing created, nobody duplicated
    _, summary = _import(db, first, exported, "schedule.xml")
    assert (summary.created, summary.updated, summary.speakers, summary.rooms) == (0, 8, 0, 0)


def test_round_trip_of_a_programme_made_here(app, make_event, make_room, make_speaker, make_session, db):
    event = make_event(title="Journée", start_date=date(2027, 5, 4), end_date=date(2027, 5, 4))
    room = make_room(event, "Salle A")
    anna, other_anna = make_speaker(event, "Anna"), make_speaker(event, "anna")
    make_session(event, "Atelier", "09:00", "10:00", room=room, speakers=[(anna, "speaker")],
                 description="Un *atelier*\n\n- un\n- deux")
    make_session(event, "Atelier", "09:00", "10:00", room=make_room(event, "Salle B"),
                 speakers=[(other_anna, "speaker")])
    with app.test_request_context("/"):
        exported = exports.schedule_xml(event)
    _, summary = _import(db, event, exported, "schedule.xml")
    assert (summary.created, summary.updated, summary.speakers) == (0, 2, 0)
    copy = make_event(title="Copie", start_date=date(2027, 5, 4), end_date=date(2027, 5, 4))
    _import(db, copy, exported, "schedule.xml")
    with app.test_request_context("/"):
        assert snapshot(exports.schedule_xml(copy)) == snapshot(exported)
    assert sorted(s.name for s in copy.speakers) == ["Anna", "anna"]
