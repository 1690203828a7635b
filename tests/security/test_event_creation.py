"""Finding 11: creating events is a platform role (organiser or administrator) an administrator
grants; any other account (staff, role-less, organiser of one event only) cannot create events,
by the pages or the API."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models import Event, EventRole
from eventsys.security import issue_api_token
from tests.conftest import login

NEW_EVENT = {"title": "Événement pirate", "start_date": "2026-06-25", "end_date": "2026-06-25"}
FORM = {**NEW_EVENT, "kind": "training_day", "timezone": "Europe/Paris", "default_language": "fr"}


def _api(client, user):
    _token, raw = issue_api_token(user)
    db.session.commit()
    return lambda: client.post("/api/v1/events", json=NEW_EVENT, headers={"Authorization": f"Bearer {raw}"})


def _events() -> int:
    return db.session.scalar(select(func.count(Event.id)))


@pytest.mark.parametrize("who", ["no-role", "staff", "organiser-of-one-event"])
def test_accounts_without_the_role_create_nothing(client, make_user, make_event, who):
    user = make_user()
    if who != "no-role":
        event = make_event()
        db.session.add(EventRole(event=event, user=user, role="staff" if who == "staff" else "organiser"))
        db.session.commit()
    before = _events()
    response = _api(client, user)()
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"
    assert login(client, user).status_code == 302
    assert client.post("/manage/events/new", data=FORM).status_code == 403
    assert _events() == before


def test_an_administrator_grants_and_withdraws_the_role_from_the_command_line(app, client, make_user):
    user = make_user("formation@ville-exemple.fr")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["grant-organiser", "FORMATION@ville-exemple.fr"])
    assert result.exit_code == 0, result.output
    assert "may now create events" in result.output
    create = _api(client, user)
    assert create().status_code == 201
    result = runner.invoke(args=["grant-organiser", "formation@ville-exemple.fr", "--revoke"])
    assert result.exit_code == 0, result.output
    assert create().status_code == 403
    # The event it created stays its own.
    assert db.session.scalar(select(func.count(EventRole.id)).where(EventRole.user_id == user.id)) == 1
    unknown = runner.invoke(args=["grant-organiser", "personne@example.org"])
    assert unknown.exit_code != 0
    assert "no account" in unknown.output


def test_administrators_create_events(client, make_user):
    assert _api(client, make_user(is_admin=True))().status_code == 201


def test_the_demo_organiser_keeps_creating_events(app, client):
    from eventsys.services.demo import ORGANISER_EMAIL, ORGANISER_PASSWORD, load_demo

    load_demo()
    db.session.commit()
    response = client.post("/auth/login", data={"email": ORGANISER_EMAIL, "password": ORGANISER_PASSWORD})
    assert response.status_code == 302
    assert client.get("/manage/events/new").status_code == 200
