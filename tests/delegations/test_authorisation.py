"""Authorisation matrix of the delegation pages: every organiser route, every role, GET and POST."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventsys.models import EventRole
from eventsys.models.people import ROLE_STAFF
from eventsys.services import delegations as dl
from eventsys.services import study_trips as trips
from tests.conftest import login
from tests.delegations.conftest import delegation_data


def _snapshot(db) -> dict[str, list[str]]:
    db.session.expire_all()
    return {
        t.name: sorted(repr(tuple(r)) for r in db.session.execute(select(t)).all())
        for t in db.metadata.sorted_tables
    }


@pytest.fixture
def world(app, db, forum, make_user):
    event = forum()
    with app.test_request_context("/"):
        delegation = dl.register_delegation(event, delegation_data(), source="organiser")
        db.session.commit()
        day = trips.save_day(event, trips.DayInput(day=event.start_date, site="Namur"))
        db.session.commit()
    staff, stranger = make_user(), make_user(platform_role="organiser")
    db.session.add(EventRole(event=event, user=staff, role=ROLE_STAFF))
    db.session.commit()
    ids = {
        "event_id": event.id,
        "delegation_id": delegation.id,
        "member_id": delegation.members[0].id,
        "session_id": event.visit.id,
        "day_id": day.id,
    }
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/manage") and r.endpoint.startswith("delegations.")
    ]
    assert len(rules) >= 8
    paths = []
    for rule in rules:
        path = rule.rule
        for name, value in ids.items():
            path = path.replace(f"<int:{name}>", str(value))
        assert "<" not in path, path
        paths += [(method, path) for method in sorted(rule.methods & {"GET", "POST"})]
    return {"event": event, "paths": paths, "staff": staff, "stranger": stranger}


@pytest.mark.parametrize("role", ["anonymous", "staff", "stranger"])
def test_refused_roles_change_nothing(app, db, world, role):
    client = app.test_client()
    if role != "anonymous":
        login(client, world[role])
    for method, path in world["paths"]:
        before = _snapshot(db)
        response = client.open(path, method=method, data={"name": "Piraté", "country": "FR"})
        if role == "anonymous":
            assert response.status_code == 302, (method, path)
            assert "/auth/login" in response.headers["Location"], (method, path)
        else:
            assert response.status_code == 403, (role, method, path, response.status_code)
        assert _snapshot(db) == before, (role, method, path)


def test_the_organiser_reaches_every_route(app, db, world):
    client = app.test_client()
    login(client, world["event"].owner)
    for method, path in world["paths"]:
        response = client.open(path, method=method, data={})
        assert response.status_code in (200, 302, 422), (method, path, response.status_code)
