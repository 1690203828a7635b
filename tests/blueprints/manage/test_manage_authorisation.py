"""Authorisation matrix of the organiser area: every /manage route, every role, GET and POST.

The routes are read from app.url_map, so a route added later is checked without editing this file
(a new kind of id in a URL makes the test fail until the factory below knows how to create one).
"""

from __future__ import annotations

import re

import pytest
from manage_support import client_as
from sqlalchemy import select

from eventsys.models import EventRole, Track
from eventsys.models.people import ROLE_STAFF
from eventsys.services import programme

# What an attacker might send: enough for any form of the area to change something if it ran.
PAYLOAD = {
    "title": "Piraté",
    "name": "Piraté",
    "kind": "training_day",
    "start_date": "2026-06-25",
    "end_date": "2026-06-25",
    "timezone": "Europe/Paris",
    "languages": "fr",
    "type": "talk",
    "day": "2026-06-25",
    "start_time": "08:00",
    "end_time": "08:30",
    "status": "scheduled",
    "email": "intrus@example.org",
    "role": "organiser",
    "confirm": "y",
    "colour": "#000000",
}


@pytest.fixture
def app_config():
    # the demo mailbox's routes (development and demo only) are under /manage too: check them
    return {"DEMO_MAILBOX": True}


ARG = re.compile(r"<(?:([a-z]+)(?:\(([^)]*)\))?:)?([^<>]+)>")


def manage_rules(app, own_only: bool = True):
    """Rules under /manage: those of this blueprint, or (own_only=False) any blueprint's."""
    rules = [
        rule
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/manage") and (rule.endpoint.startswith("manage.") or not own_only)
    ]
    assert rules, "no /manage route registered"
    return rules


def path_for(rule, ids: dict[str, int], strict: bool = True) -> str:
    """The rule's path with ids filled in; `strict` fails on an id the matrix cannot create."""
    unknown = set(rule.arguments) - set(ids)
    assert not (strict and unknown), f"{rule.rule}: the matrix does not know how to fill {unknown}"

    def fill(match: re.Match) -> str:
        converter, args, name = match.groups()
        if name in ids:
            return str(ids[name])
        if converter == "any":
            return args.split(",")[0].strip().strip("'\"")
        return "1"

    return ARG.sub(fill, rule.rule)


def snapshot(db) -> dict[str, list[str]]:
    """Every row of every table, to prove a refused request changed nothing."""
    db.session.expire_all()
    return {
        table.name: sorted(repr(tuple(row)) for row in db.session.execute(select(table)).all())
        for table in db.metadata.sorted_tables
    }


@pytest.fixture
def world(app, db, make_user, make_event, make_room, make_speaker, make_session):
    """An event with one of everything, its organiser and staff, and an organiser of another event."""
    # The organiser may create events (platform role); staff and the stranger (organiser of another
    # event) may not.
    organiser, staff, stranger = make_user(platform_role="organiser"), make_user(), make_user()
    make_event(owner=stranger, code="AUTRE 001")

    def objects():
        event = make_event(owner=organiser)
        member = EventRole(event=event, user=staff, role=ROLE_STAFF)
        db.session.add(member)
        room = make_room(event, "Salle A")
        speaker = make_speaker(event, "Camille Durand")
        track = programme.save_track(event, Track(), {"name": "Mobilité", "colour": "#1f5f99"})
        db.session.commit()
        session = make_session(
            event, "Exposé", room=room, speakers=[(speaker, "speaker")], track_id=track.id
        )
        return {
            "event_id": event.id,
            "room_id": room.id,
            "speaker_id": speaker.id,
            "track_id": track.id,
            "session_id": session.id,
            "member_id": member.id,
        }

    clients = {
        "staff": client_as(app, staff),
        "stranger": client_as(app, stranger),
        "organiser": client_as(app, organiser),
        "anonymous": client_as(app),
    }
    return {"ids": objects(), "fresh": objects, "clients": clients}


def test_every_manage_route_refuses_anonymous_users_with_a_login_redirect(app, world):
    """Any blueprint's route under /manage, whatever the ids: login first (JSON endpoints: 401)."""
    assert any(rule.endpoint.startswith("mailbox.") for rule in manage_rules(app, own_only=False))
    for rule in manage_rules(app, own_only=False):
        path = path_for(rule, world["ids"], strict=False)
        for method in sorted(rule.methods & {"GET", "POST"}):
            response = world["clients"]["anonymous"].open(path, method=method, data=PAYLOAD)
            if path.endswith(".json"):  # polled by scripts: a JSON error, not a redirect to a page
                assert response.status_code == 401, (method, path)
                assert response.get_json()["error"]["code"] == "unauthorized", (method, path)
                continue
            assert response.status_code == 302, (method, path)
            location = response.headers["Location"]
            assert location.startswith("/auth/login?next="), (method, path, location)
            assert "%2Fmanage" in location


@pytest.mark.parametrize("role", ["anonymous", "staff", "stranger"])
def test_refused_roles_change_nothing(app, db, world, role):
    """Staff of the event and organisers of another event get 403; nobody refused changes data."""
    client = world["clients"][role]
    checked = 0
    for rule in manage_rules(app):
        if "event_id" not in rule.arguments:
            continue
        path = path_for(rule, world["ids"])
        for method in sorted(rule.methods & {"GET", "POST"}):
            before = snapshot(db)
            response = client.open(path, method=method, data=PAYLOAD)
            expected = 302 if role == "anonymous" else 403
            assert response.status_code == expected, (role, method, path, response.status_code)
            assert snapshot(db) == before, (role, method, path)
            checked += 1
    assert (
        checked >= 30
    )  # the area has that many event routes × methods; fewer means routes vanished


def test_organiser_reaches_every_route(app, db, world):
    client = world["clients"]["organiser"]
    for rule in manage_rules(app):
        methods = sorted(rule.methods & {"GET", "POST"})
        if "GET" in methods:
            path = path_for(rule, world["ids"])
            before = snapshot(db)
            response = client.get(path)
            assert response.status_code == 200, ("GET", path, response.status_code)
            assert snapshot(db) == before, f"GET {path} changed data"
        if "POST" in methods:
            # A fresh set of objects each time: a POST may delete what the next route needs.
            path = path_for(rule, world["fresh"]())
            response = client.post(path, data=PAYLOAD)
            assert response.status_code in (200, 302), ("POST", path, response.status_code)
            assert not response.headers.get("Location", "").startswith("/auth/login"), path


def test_admin_manages_every_event_and_foreign_ids_are_not_found(
    app, db, world, make_user, make_event, make_room
):
    admin = make_user(is_admin=True)
    client = client_as(app, admin)
    ids = world["ids"]
    assert client.get(f"/manage/events/{ids['event_id']}").status_code == 200
    assert "AUTRE 001" in client.get("/manage/").get_data(as_text=True)
    # A room of another event, addressed through this event's URL, is not reachable.
    other = make_event(owner=admin, code="TIERS 002")
    foreign_room = make_room(other, "Salle étrangère")
    response = world["clients"]["organiser"].post(
        f"/manage/events/{ids['event_id']}/rooms/{foreign_room.id}/delete"
    )
    assert response.status_code == 404
    assert db.session.get(type(foreign_room), foreign_room.id) is not None


@pytest.mark.parametrize("role", ["staff", "stranger", "no-role"])
def test_creating_or_copying_events_needs_the_platform_role(app, db, world, make_user, make_event, role):
    """Creating an event (or a copy, which is one) is for platform organisers and administrators
    only: staff of an event, organisers of an event without the role, and role-less accounts
    get 403 and create nothing."""
    client = world["clients"].get(role) or client_as(app, make_user())
    before = snapshot(db)
    assert client.get("/manage/events/new").status_code == 403
    assert client.post("/manage/events/new", data=PAYLOAD).status_code == 403
    if role == "stranger":  # organiser of AUTRE 001, without the platform role
        own = db.session.scalar(select(EventRole).where(EventRole.role == "organiser").order_by(EventRole.id))
        assert client.post(f"/manage/events/{own.event_id}/duplicate").status_code == 403
    assert snapshot(db) == before
    assert "Nouvel événement" not in client.get("/manage/").get_data(as_text=True)


def test_platform_organisers_and_administrators_create_events(app, db, world, make_user):
    for client in (world["clients"]["organiser"], client_as(app, make_user(is_admin=True))):
        assert "Nouvel événement" in client.get("/manage/").get_data(as_text=True)
        assert client.get("/manage/events/new").status_code == 200
