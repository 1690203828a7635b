"""POST/GET/DELETE /api/v1/events/<CODE>/registrations with an organiser's token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from eventsys.extensions import db
from eventsys.services import registration as reg
from tests.registration.helpers import outbox, registrations


def body(n=1, **overrides):
    return {
        "first_name": "Élise",
        "last_name": "Durand",
        "email": f"elise{n}@agglo.fr",
        "organisation": "Agglomération Sud",
        "job_title": "Ingénieure",
        "language": "fr",
        "consent": True,
        **overrides,
    }


@pytest.fixture
def api(client, open_event, api_token):
    event = open_event(workshop_capacity=1)
    token = api_token(event.owner)
    headers = {"Authorization": f"Bearer {token}"}

    class Api:
        def __init__(self):
            self.event = event
            self.base = f"/api/v1/events/{event.code}/registrations"

        def post(self, path="", **json):
            return client.post(self.base + path, json=json, headers=headers)

        def get(self, path="", **kw):
            return client.get(self.base + path, headers=headers, **kw)

        def delete(self, path=""):
            return client.delete(self.base + path, headers=headers)

    return Api()


def test_register_confirmed_then_waitlisted_with_position(api):
    event = api.event
    first = api.post(**body(1, sessions=[event.w1.id], networking_themes=[]))
    assert first.status_code == 201
    assert first.json["status"] == "confirmed"
    assert first.json["waitlist_position"] is None
    assert first.json["choices"] == [
        {"session_id": event.w1.id, "title": "Atelier n°1", "status": "confirmed", "waitlist_position": None}
    ]
    second = api.post(**body(2, sessions=[event.w1.id]))
    assert second.status_code == 201
    assert (second.json["status"], second.json["waitlist_position"]) == ("waitlisted", 1)
    assert second.json["registration_status"] == "confirmed"
    third = api.post(**body(3, sessions=[event.w1.id]))
    assert third.json["waitlist_position"] == 2
    assert [r.source for r in registrations(event)] == ["api"] * 3
    assert len(outbox(kind="received")) == 3


def test_pending_under_moderation(api):
    reg.save_settings(api.event, {"moderation": True})
    db.session.commit()
    response = api.post(**body())
    assert response.status_code == 201
    assert response.json["status"] == "pending"


def test_same_email_again_returns_the_existing_registration(api):
    first = api.post(**body())
    again = api.post(**body(email="ELISE1@agglo.fr", first_name="Autre"))
    assert again.status_code == 200
    assert again.json["id"] == first.json["id"]
    assert again.json["already_registered"] is True
    assert again.json["first_name"] == "Élise"  # nothing was overwritten
    assert len(registrations(api.event)) == 1
    assert [m.kind for m in outbox()] == ["received", "duplicate"]


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"email": "nope"}, "email", "invalid_email"),
        ({"consent": False}, "consent", "consent_required"),
        ({"first_name": "x" * 300}, "first_name", "too_long"),
        ({"last_name": "<b>Durand</b>"}, "last_name", "invalid_characters"),
        ({"organisation": ""}, "organisation", "required"),
        ({"answers": {"999": "x"}}, "answers.999", "unknown_question"),
    ],
)
def test_bad_input_is_a_422_with_stable_field_codes(api, overrides, field, code):
    response = api.post(**body(**overrides))
    assert response.status_code == 422
    error = response.json["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"][field]["code"] == code
    assert error["details"]["fields"][field]["messages"]
    assert registrations(api.event) == []


def test_schema_errors_are_json_too(api):
    response = api.post(first_name="A")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "validation_error"


@pytest.mark.parametrize(
    ("sessions", "status", "code"),
    [("conflict", 422, "choice_conflict"), ("plenary", 409, "session_closed"), ("unknown", 422, "validation_error")],
)
def test_session_choice_errors(api, sessions, status, code):
    event = api.event
    ids = {"conflict": [event.w1.id, event.w2.id], "plenary": [event.plenary.id], "unknown": [987654]}[sessions]
    response = api.post(**body(sessions=ids))
    assert response.status_code == status
    assert response.json["error"]["code"] == code
    assert registrations(event) == []


def test_closed_registration_is_409(api):
    reg.save_settings(api.event, {"closes_at": datetime.now(UTC) - timedelta(hours=1)})
    db.session.commit()
    response = api.post(**body())
    assert response.status_code == 409
    assert response.json["error"]["code"] == "registration_closed"
    assert "closes depuis" in response.json["error"]["message"]


def test_full_session_without_waiting_list_is_409(api):
    reg.save_settings(api.event, {"waitlist_enabled": False})
    db.session.commit()
    api.post(**body(1, sessions=[api.event.w1.id]))
    response = api.post(**body(2, sessions=[api.event.w1.id]))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "session_full"


def test_list_read_and_cancel_promotes(api):
    event = api.event
    first = api.post(**body(1, sessions=[event.w1.id])).json
    second = api.post(**body(2, sessions=[event.w1.id])).json
    listing = api.get()
    assert listing.status_code == 200
    assert listing.json["total"] == 2
    assert {r["id"] for r in listing.json["items"]} == {first["id"], second["id"]}
    assert api.get(query_string={"status": "cancelled"}).json["total"] == 0
    one = api.get(f"/{second['id']}")
    assert one.json["waitlist_position"] == 1

    assert api.delete(f"/{first['id']}").status_code == 204
    assert api.get(f"/{first['id']}").json["status"] == "cancelled"
    promoted = api.get(f"/{second['id']}").json
    assert promoted["status"] == "confirmed"
    assert promoted["choices"][0]["status"] == "confirmed"
    assert outbox(to="elise2@agglo.fr", kind="promoted")

    again = api.post(f"/{first['id']}/cancel")
    assert again.status_code == 409
    assert again.json["error"]["code"] == "invalid_transition"


def test_cancel_by_post_and_moderation_actions(api):
    reg.save_settings(api.event, {"moderation": True})
    db.session.commit()
    first = api.post(**body(1)).json
    second = api.post(**body(2)).json
    assert api.post(f"/{first['id']}/approve").json["status"] == "confirmed"
    assert api.post(f"/{second['id']}/refuse").json["status"] == "refused"
    cancelled = api.post(f"/{first['id']}/cancel")
    assert cancelled.status_code == 200
    assert cancelled.json["status"] == "cancelled"


def test_token_and_role_are_required(client, api, make_user, api_token):
    assert client.get(api.base).status_code == 401
    stranger = api_token(make_user())
    response = client.post(api.base, json=body(), headers={"Authorization": f"Bearer {stranger}"})
    assert response.status_code == 403
    assert api.get("/999999").json["error"]["code"] == "registration_not_found"
    assert registrations(api.event) == []


def test_registrations_are_in_the_openapi_document(client):
    spec = client.get("/api/v1/openapi.json").json
    paths = spec["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/events/{code}/registrations"])
    assert "delete" in paths["/api/v1/events/{code}/registrations/{registration_id}"]
    assert "post" in paths["/api/v1/events/{code}/registrations/{registration_id}/cancel"]
    schemas = spec["components"]["schemas"]
    assert {"first_name", "email", "sessions", "networking_themes", "consent", "answers"} <= set(
        schemas["RegistrationIn"]["properties"]
    )
