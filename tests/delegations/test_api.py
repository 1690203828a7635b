"""The delegations API: registering a group, listing, reading; JSON errors with stable codes."""

from __future__ import annotations

from typing import Any

import pytest

from eventsys.extensions import db as _db


@pytest.fixture
def token(app):
    from eventsys.security import issue_api_token

    def make(user) -> str:
        _token, raw = issue_api_token(user, name="test")
        _db.session.commit()
        return raw

    return make


def payload(**kw: Any) -> dict[str, Any]:
    return {
        "name": "Délégation de Dakar",
        "country": "SN",
        "institution": "Ville de Dakar",
        "head": {
            "first_name": "Awa",
            "last_name": "Diop",
            "email": "awa.diop@dakar.sn",
            "language": "fr",
        },
        "members": [
            {
                "first_name": "Awa",
                "last_name": "Diop",
                "email": "awa.diop@dakar.sn",
                "language": "fr",
                "role": "elected",
            },
            {"first_name": "Moussa", "last_name": "Ndiaye", "language": "en", "role": "engineer"},
            {
                "first_name": "Fatou",
                "last_name": "Sow",
                "email": "fatou@dakar.sn",
                "language": "fr",
                "role": "interpreter",
            },
        ],
        "all_or_none": True,
        **kw,
    }


def test_post_then_get_a_delegation(client, forum, token):
    event = forum()
    auth = {"Authorization": f"Bearer {token(event.owner)}"}
    body = payload(
        interpreting=[{"from": "wo", "to": "fr", "sessions": [event.plenary.id]}],
        sessions=[event.visit.id],
    )
    response = client.post(f"/api/v1/events/{event.code}/delegations", json=body, headers=auth)
    assert response.status_code == 201, response.get_json()
    created = response.get_json()
    assert created["status"] == "confirmed"
    assert created["country"] == "SN"
    assert [m["status"] for m in created["members"]] == ["confirmed"] * 3
    assert all(m["registration_id"] for m in created["members"])
    assert created["interpreting"] == [{"from": "wo", "to": "fr", "sessions": [event.plenary.id]}]
    one = client.get(f"/api/v1/events/{event.code}/delegations/{created['id']}", headers=auth)
    assert one.status_code == 200
    assert one.get_json()["members"][1]["language"] == "en"
    listed = client.get(f"/api/v1/events/{event.code}/delegations", headers=auth).get_json()
    assert listed["total"] == 1
    assert listed["items"][0]["id"] == created["id"]
    registration = client.get(
        f"/api/v1/events/{event.code}/registrations/{created['members'][1]['registration_id']}",
        headers=auth,
    ).get_json()
    assert registration["choices"][0]["session_id"] == event.visit.id


def test_bad_input_gets_stable_codes_and_registers_nobody(client, forum, token):
    event = forum()
    auth = {"Authorization": f"Bearer {token(event.owner)}"}
    url = f"/api/v1/events/{event.code}/delegations"
    bad_country = client.post(url, json=payload(country="XX"), headers=auth)
    assert bad_country.status_code == 422
    error = bad_country.get_json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"]["fields"]["country"]["code"] == "unknown_country"
    twice = payload()
    twice["members"].append(dict(twice["members"][2]))
    response = client.post(url, json=twice, headers=auth)
    assert response.status_code == 422
    assert (
        response.get_json()["error"]["details"]["fields"]["members.3.email"]["code"]
        == "duplicate_member"
    )
    client.post(
        f"/api/v1/events/{event.code}/registrations",
        headers=auth,
        json={
            "first_name": "Fatou",
            "last_name": "Sow",
            "email": "fatou@dakar.sn",
            "consent": True,
            "organisation": "Dakar",
        },
    )
    already = client.post(url, json=payload(), headers=auth).get_json()["error"]
    assert already["details"]["fields"]["members.2.email"]["code"] == "already_registered"
    listed = client.get(url, headers=auth).get_json()
    assert listed["total"] == 0
    registrations = client.get(
        f"/api/v1/events/{event.code}/registrations", headers=auth
    ).get_json()
    assert registrations["total"] == 1  # Fatou alone, registered on her own


def test_a_group_larger_than_the_places_left_waits_in_one_position(client, forum, token):
    event = forum(capacity=2)
    auth = {"Authorization": f"Bearer {token(event.owner)}"}
    created = client.post(
        f"/api/v1/events/{event.code}/delegations", json=payload(), headers=auth
    ).get_json()
    assert created["status"] == "waitlisted"
    assert {m["waitlist_position"] for m in created["members"]} == {1}
    full = forum(capacity=2, waitlist=False)
    response = client.post(
        f"/api/v1/events/{full.code}/delegations",
        json=payload(),
        headers={"Authorization": f"Bearer {token(full.owner)}"},
    )
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "event_full"


def test_routes_need_a_token_with_a_role_on_the_event(client, forum, token, make_user):
    event = forum()
    url = f"/api/v1/events/{event.code}/delegations"
    assert client.get(url).status_code == 401
    stranger = {"Authorization": f"Bearer {token(make_user())}"}
    assert client.get(url, headers=stranger).status_code == 403
    assert client.post(url, json=payload(), headers=stranger).status_code == 403
    assert client.get(url + "/1", headers=stranger).status_code == 403
    own = {"Authorization": f"Bearer {token(event.owner)}"}
    missing = client.get(url + "/999", headers=own)
    assert missing.status_code == 404
    assert missing.get_json()["error"]["code"] == "delegation_not_found"


def test_the_openapi_document_lists_the_delegation_routes(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "post" in spec["paths"]["/api/v1/events/{code}/delegations"]
    assert "get" in spec["paths"]["/api/v1/events/{code}/delegations/{delegation_id}"]
    schema = spec["components"]["schemas"]["DelegationIn"]
    assert {"name", "country", "head", "members", "all_or_none", "interpreting"} <= set(
        schema["properties"]
    )
