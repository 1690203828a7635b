"""What an organiser's script does with the API: build an event, its rooms, speakers and programme."""

from __future__ import annotations

from datetime import UTC, datetime

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession, Room, Speaker


def test_create_event_makes_the_token_owner_its_organiser(api_as, make_user):
    owner = make_user("cheffe@example.org", platform_role="organiser")
    api = api_as(owner)
    response = api.post(
        "/events",
        {
            "title": "Journée d'actualité ponts",
            "start_date": "2026-10-06",
            "end_date": "2026-10-06",
            "code": "z26ou 014",
            "venue_name": "CNFPT Lyon",
            "languages": ["fr", "en"],
        },
    )
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["code"] == "Z26OU014"
    assert created["code_display"] == "Z26OU 014"
    assert created["status"] == "draft"
    assert created["languages"] == ["fr", "en"]
    assert created["timezone"] == "Europe/Paris"
    assert response.headers["Location"].endswith("/api/v1/events/Z26OU014")

    listed = api.get("/events").get_json()
    assert [e["code"] for e in listed] == ["Z26OU014"]
    # the creator may now change it: they are its organiser
    assert api.patch("/events/Z26OU014", {"subtitle": "Inspection"}).status_code == 200


def test_create_event_without_code_generates_one(api_as, make_user):
    api = api_as(make_user(platform_role="organiser"))
    response = api.post(
        "/events",
        {
            "title": "Rencontre régionale",
            "kind": "network_meeting",
            "start_date": "2026-03-12",
            "end_date": "2026-03-12",
        },
    )
    assert response.status_code == 201
    assert response.get_json()["code_display"] == "RR26EV 001"


def test_list_shows_only_the_events_the_token_organises(api, make_event, make_user):
    make_event(owner=make_user(), code="A26XX 001")
    codes = [e["code"] for e in api.get("/events").get_json()]
    assert codes == ["Z26IN001"]


def test_get_event_accepts_the_code_in_any_case_with_spaces(api, event):
    response = api.get("/events/z26in%20001")
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Journée voirie"
    assert body["start_date"] == "2026-06-25"


def test_patch_event_changes_only_what_is_sent(api, event):
    response = api.patch(
        "/events/Z26IN001", {"venue_name": "Hôtel de région", "end_date": "2026-06-26"}
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["venue_name"] == "Hôtel de région"
    assert body["end_date"] == "2026-06-26"
    assert body["title"] == "Journée voirie"


def test_patch_event_code_renames_it(api, event):
    response = api.patch("/events/Z26IN001", {"code": "Z26IN 002"})
    assert response.status_code == 200
    assert api.get("/events/Z26IN002").status_code == 200
    assert api.get("/events/Z26IN001").status_code == 404


def test_put_event_resets_what_is_left_out_but_keeps_the_code(api, event):
    api.patch("/events/Z26IN001", {"venue_name": "Hôtel de région", "subtitle": "Édition 2026"})
    response = api.put(
        "/events/Z26IN001",
        {
            "title": "Journée voirie (nouvelle)",
            "start_date": "2026-06-25",
            "end_date": "2026-06-25",
        },
    )
    assert response.status_code == 200
    body = response.get_json()
    assert body["title"] == "Journée voirie (nouvelle)"
    assert body["venue_name"] == ""
    assert body["subtitle"] == ""
    assert body["code"] == "Z26IN001"


def test_delete_event_removes_it_and_its_programme(api, event, make_room, make_session):
    room = make_room(event)
    make_session(event, room=room)
    assert api.delete("/events/Z26IN001").status_code == 204
    assert api.get("/events/Z26IN001").status_code == 404
    assert db.session.query(Event).count() == 0
    assert db.session.query(ProgrammeSession).count() == 0


def test_rooms_crud(api, event):
    created = api.post(
        "/events/Z26IN001/rooms", {"name": "Amphithéâtre", "capacity": 120, "step_free": False}
    )
    assert created.status_code == 201
    room = created.get_json()
    assert room == {
        "id": room["id"], "name": "Amphithéâtre", "capacity": 120, "location_notes": "",
        "step_free": False, "shared": False, "position": 0,
    }  # fmt: skip
    path = f"/events/Z26IN001/rooms/{room['id']}"
    assert api.get("/events/Z26IN001/rooms").get_json() == [room]
    assert api.get(path).get_json() == room

    patched = api.patch(path, {"capacity": None, "location_notes": "Bâtiment B"}).get_json()
    assert patched["capacity"] is None
    assert patched["location_notes"] == "Bâtiment B"
    assert patched["name"] == "Amphithéâtre"

    replaced = api.put(path, {"name": "Salle 2"}).get_json()
    assert replaced["location_notes"] == ""
    assert replaced["step_free"] is None  # not known unless said
    assert api.patch(path, {"step_free": True}).get_json()["step_free"] is True
    assert api.patch(path, {"step_free": None}).get_json()["step_free"] is None
    assert api.patch(path, {"step_free": "maybe"}).status_code == 422

    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404
    assert db.session.get(Room, room["id"]) is None


def test_speakers_crud(api, event):
    created = api.post(
        "/events/Z26IN001/speakers",
        {
            "name": "Camille Durand",
            "function": "Ingénieure ouvrages d'art",
            "email": "camille@example.org",
        },
    )
    assert created.status_code == 201
    speaker = created.get_json()
    path = f"/events/Z26IN001/speakers/{speaker['id']}"
    assert speaker["email"] == "camille@example.org"
    assert api.patch(path, {"or_representative": True}).get_json()["or_representative"] is True
    assert api.put(path, {"name": "Camille D."}).get_json()["function"] == ""
    assert [s["name"] for s in api.get("/events/Z26IN001/speakers").get_json()] == ["Camille D."]
    assert api.delete(path).status_code == 204
    assert db.session.get(Speaker, speaker["id"]) is None


def test_deleting_a_speaker_takes_them_off_their_sessions(api, event, make_speaker, make_session):
    speaker = make_speaker(event)
    session = make_session(event, speakers=[(speaker, "speaker")])
    assert api.delete(f"/events/Z26IN001/speakers/{speaker.id}").status_code == 204
    assert api.get(f"/events/Z26IN001/sessions/{session.id}").get_json()["speakers"] == []


def test_sessions_crud(api, event, make_room, make_speaker):
    room = make_room(event, "Salle A")
    camille = make_speaker(event, "Camille Durand")
    dominique = make_speaker(event, "Dominique Martin")
    created = api.post(
        "/events/Z26IN001/sessions",
        {
            "title": "Surveillance des ponts",
            "type": "talk",
            "starts_at": "2026-06-25T10:00:00+02:00",
            "ends_at": "2026-06-25T11:00:00+02:00",
            "room_id": room.id,
            "speakers": [
                {"speaker_id": camille.id},
                {"speaker_id": dominique.id, "role": "moderator"},
            ],
        },
    )
    assert created.status_code == 201, created.get_json()
    session = created.get_json()
    assert session["starts_at"] == "2026-06-25T10:00:00+02:00"
    assert session["room_id"] == room.id
    assert session["speakers"] == [
        {"speaker_id": camille.id, "role": "speaker", "name": "Camille Durand"},
        {"speaker_id": dominique.id, "role": "moderator", "name": "Dominique Martin"},
    ]
    assert session["sequence"] == 0
    stored = db.session.get(ProgrammeSession, session["id"])
    assert stored.starts_at == datetime(2026, 6, 25, 8, 0, tzinfo=UTC)

    path = f"/events/Z26IN001/sessions/{session['id']}"
    moved = api.patch(
        path, {"starts_at": "2026-06-25T14:00:00+02:00", "ends_at": "2026-06-25T15:30:00+02:00"}
    )
    assert moved.status_code == 200
    moved = moved.get_json()
    assert moved["starts_at"] == "2026-06-25T14:00:00+02:00"
    assert moved["sequence"] == 1, "calendar clients must see the change"
    assert len(moved["speakers"]) == 2, "PATCH without speakers keeps them"
    reordered = api.patch(path, {"speakers": [{"speaker_id": dominique.id}]}).get_json()
    assert reordered["speakers"] == [
        {"speaker_id": dominique.id, "role": "speaker", "name": "Dominique Martin"}
    ]

    replaced = api.put(
        path,
        {
            "title": "Pause",
            "type": "break",
            "starts_at": "2026-06-25T15:30",
            "ends_at": "2026-06-25T15:45",
        },
    )
    assert replaced.status_code == 200
    replaced = replaced.get_json()
    assert replaced["speakers"] == []
    assert replaced["room_id"] is None

    assert [s["title"] for s in api.get("/events/Z26IN001/sessions").get_json()] == ["Pause"]
    assert api.delete(path).status_code == 204
    assert api.get(path).status_code == 404


def test_a_time_without_offset_is_read_in_the_events_time_zone(api_as, make_user, make_event):
    owner = make_user()
    make_event(owner=owner, code="M26IN 001", timezone="America/Martinique")
    response = api_as(owner).post(
        "/events/M26IN001/sessions",
        {"title": "Accueil", "starts_at": "2026-06-25T08:30", "ends_at": "2026-06-25T09:00"},
    )
    assert response.status_code == 201
    assert response.get_json()["starts_at"] == "2026-06-25T08:30:00-04:00"
    stored = db.session.get(ProgrammeSession, response.get_json()["id"])
    assert stored.starts_at == datetime(2026, 6, 25, 12, 30, tzinfo=UTC)


def test_tracks_crud(api, event, make_session):
    created = api.post("/events/Z26IN001/tracks", {"name": "Ouvrages d'art", "colour": "#225588"})
    assert created.status_code == 201
    track = created.get_json()
    assert track == {"id": track["id"], "name": "Ouvrages d'art", "colour": "#225588"}
    path = f"/events/Z26IN001/tracks/{track['id']}"
    assert api.get("/events/Z26IN001/tracks").get_json() == [track]
    assert api.patch(path, {"colour": "#AA0000"}).get_json()["colour"] == "#AA0000"
    assert api.put(path, {"name": "Voirie"}).get_json() == {
        "id": track["id"],
        "name": "Voirie",
        "colour": "#1f5f99",
    }

    session = make_session(event, track_id=track["id"])
    assert api.get(f"/events/Z26IN001/sessions/{session.id}").get_json()["track_id"] == track["id"]
    assert api.delete(path).status_code == 204
    assert api.get(f"/events/Z26IN001/sessions/{session.id}").get_json()["track_id"] is None


def test_publish(api, event):
    response = api.post("/events/Z26IN001/publish")
    assert response.status_code == 200
    assert response.get_json()["status"] == "published"
    assert db.session.get(Event, event.id).status == "published"


def test_a_get_records_when_the_token_was_last_used(api, event):
    from eventsys.models import ApiToken

    assert api.get("/events").status_code == 200
    db.session.expire_all()
    assert db.session.query(ApiToken).one().last_used_at is not None
