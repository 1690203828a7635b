"""The directory and volunteer translations over JSON, with the error codes the document promises."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models.directory import TranslationRequest
from eventsys.services.directory import profiles
from tests.api.conftest import api_as, error_of, issue_token

__all__ = ["api_as", "issue_token"]  # the API tests' fixtures
from tests.directory.conftest import link_in, outbox

NEW = {
    "first_name": "Marta", "last_name": "Rossi", "email": "marta.rossi@comune.it", "organisation": "Comune di Torino",
    "region": "abroad", "language": "it", "languages": [{"code": "it", "level": "native"}, {"code": "fr", "level": "C1"}],
    "roles": ["interpreting", "hosting"], "topics": ["sdg11"], "visibility": "members",
}  # fmt: skip


def test_a_coordinator_searches_by_language_role_and_topic(api_as, coordinator, make_profile):
    make_profile(email="ada@example.org", first_name="Ada", last_name="Weber", languages=[("de", "native"), ("fr", "C1")],
                 roles=["interpreting"], topics=["water"], region="FR-GES")  # fmt: skip
    make_profile(
        email="bea@example.org",
        first_name="Bea",
        last_name="Klein",
        languages=[("de", "B1")],
        roles=["translation"],
    )
    api = api_as(coordinator)
    response = api.get(
        "/directory", query_string={"language": "de", "role": "interpreting", "topic": "water"}
    )
    assert response.status_code == 200
    assert response.get_json() == [{
        "id": response.get_json()[0]["id"], "first_name": "Ada", "last_name": "Weber", "organisation": "",
        "region": "FR-GES", "languages": [{"code": "de", "level": "native"}, {"code": "fr", "level": "C1"}],
        "roles": ["interpreting"], "topics": ["water"],
    }]  # fmt: skip
    assert [
        p["first_name"] for p in api.get("/directory", query_string={"language": "de"}).get_json()
    ] == ["Bea", "Ada"]
    names = [
        p["first_name"]
        for p in api.get("/directory", query_string={"language": "de", "level": "C1"}).get_json()
    ]
    assert names == ["Ada"]
    assert error_of(api.get("/directory", query_string={"level": "D2"}))["code"] == "invalid_level"


def test_adding_a_member_sends_a_confirmation_link(client, api_as, coordinator):
    api = api_as(coordinator)
    response = api.post("/directory", json=NEW)
    assert response.status_code == 201
    created = response.get_json()
    assert created["status"] == "pending_confirmation"
    assert (
        api.get("/directory", query_string={"language": "it"}).get_json() == []
    )  # not confirmed yet
    [message] = outbox(to="marta.rossi@comune.it", kind="directory_invitation")
    assert message.language == "it"
    form = {"first_name": "Marta", "last_name": "Rossi", "language": "it", "lang_0": "it", "level_0": "native",
            "visibility": "members", "consent": "y"}  # fmt: skip
    assert client.post(link_in(message), data=form).status_code == 302
    assert api.get(f"/directory/{created['id']}").get_json()["status"] == "active"
    assert error_of(api.post("/directory", json=NEW))["code"] == "profile_exists"


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"languages": [{"code": "xx", "level": "B2"}]}, "invalid_language", "languages"),
        ({"languages": [{"code": "german", "level": "B2"}]}, "invalid_language", "languages"),
        ({"languages": [{"code": "de", "level": "C3"}]}, "invalid_level", "languages"),
        ({"roles": ["singing"]}, "invalid_role", "roles"),
        ({"region": "FR-99"}, "invalid_region", "region"),
        ({"email": "pas-une-adresse"}, "invalid_email", "email"),
    ],
)
def test_bad_profiles_are_refused_with_a_stable_code(api_as, coordinator, change, code, field):
    response = api_as(coordinator).post("/directory", json={**NEW, **change})
    error = error_of(response)
    assert response.status_code == 422
    assert error["code"] == code
    assert error["details"]["fields"][field]["code"] == code
    assert db.session.scalar(select(db.func.count()).select_from(profiles.DirectoryProfile)) == 0


@pytest.mark.parametrize("who", ["anonymous", "organiser", "admin"])
def test_only_coordinators_and_administrators_reach_the_directory(
    api_as, make_user, make_profile, who
):
    profile = make_profile()
    user = {
        "anonymous": None,
        "organiser": make_user(platform_role="organiser"),
        "admin": make_user(is_admin=True),
    }[who]
    api = api_as(user)
    expected = {"anonymous": 401, "organiser": 403, "admin": 200}[who]
    assert api.get("/directory").status_code == expected
    assert api.get(f"/directory/{profile.id}").status_code == expected
    created = api.post("/directory", json={**NEW, "email": f"{who}@example.org"})
    assert created.status_code == (201 if who == "admin" else expected)


@pytest.fixture
def session_of(make_user, make_event, make_session):
    organiser = make_user(email="orga@example.org", platform_role="organiser")
    event = make_event(owner=organiser, code="Z26IN 020")
    session = make_session(event, "Eaux pluviales", description="Retour d'expérience.")
    return organiser, event, session


def test_an_organiser_asks_volunteers_and_lists_the_requests(api_as, session_of, make_profile):
    organiser, event, session = session_of
    ada = make_profile(email="ada@example.org", first_name="Ada", last_name="Weber", language="de")
    api = api_as(organiser)
    path = f"/events/Z26IN020/sessions/{session.id}/translations"
    response = api.post(path, json={"language": "de", "volunteers": [ada.id]})
    assert response.status_code == 201
    body = response.get_json()
    assert body["status"] == "asked"
    assert body["invitations"] == [{"volunteer_id": ada.id, "status": "invited"}]
    assert outbox(to="ada@example.org", kind="translation_invited")
    assert [r["id"] for r in api.get(path).get_json()] == [body["id"]]


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"language": "zz"}, "invalid_language"),
        ({"language": "fr"}, "language_not_offered"),
        ({"language": "es"}, "volunteer_refused"),
        ({"language": "de", "min_level": "C1"}, "volunteer_refused"),
        ({"language": "de", "min_level": "Z9"}, "invalid_level"),
        ({"language": "de", "volunteers": []}, "validation_error"),
        ({"language": "de", "volunteers": [999999]}, "volunteer_refused"),
    ],
)
def test_bad_translation_requests_are_refused_with_the_reason(
    api_as, session_of, make_profile, payload, code
):
    organiser, _event, session = session_of
    bruno = make_profile(
        email="bruno@example.org",
        first_name="Bruno",
        last_name="Costa",
        languages=[("fr", "native"), ("de", "B2")],
    )
    response = api_as(organiser).post(
        f"/events/Z26IN020/sessions/{session.id}/translations",
        json={"volunteers": [bruno.id], **payload},
    )
    error = error_of(response)
    assert response.status_code == 422, response.get_json()
    assert error["code"] == code
    if code == "volunteer_refused":
        assert "Bruno Costa" in error["message"] or "999999" in error["message"]
    assert db.session.scalar(select(TranslationRequest)) is None


def test_other_organisers_and_other_events_sessions_are_refused(
    api_as, session_of, make_user, make_event, make_session, make_profile
):
    organiser, _event, session = session_of
    ada = make_profile()
    stranger = api_as(make_user())
    path = f"/events/Z26IN020/sessions/{session.id}/translations"
    assert error_of(stranger.get(path))["code"] == "forbidden"
    assert stranger.post(path, json={"language": "de", "volunteers": [ada.id]}).status_code == 403
    other = make_session(make_event(owner=organiser, code="Z26IN 021"), "Ailleurs")
    response = api_as(organiser).get(f"/events/Z26IN020/sessions/{other.id}/translations")
    assert error_of(response)["code"] == "session_not_found"


def test_the_openapi_document_describes_the_new_operations(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert {"get", "post"} <= set(spec["paths"]["/api/v1/directory"])
    assert {"get", "post"} <= set(
        spec["paths"]["/api/v1/events/{code}/sessions/{session_id}/translations"]
    )
    assert (
        "invalid_language"
        in spec["paths"]["/api/v1/directory"]["post"]["responses"]["422"]["description"]
    )


def test_an_organiser_asks_for_the_event_presentation_and_german_visitors_read_it(
    client, api_as, session_of, make_profile, request_ctx
):
    from eventsys.services import programme
    from eventsys.services.directory import translations

    organiser, event, session = session_of
    event.subtitle, event.context = (
        "Deux jours entre voisins",
        "Une rencontre pour partager les pratiques.",
    )
    programme.publish_event(event)
    ada = make_profile(email="ada@example.org", first_name="Ada", last_name="Weber", language="de")
    api = api_as(organiser)
    response = api.post(
        "/events/Z26IN020/translations", json={"language": "de", "volunteers": [ada.id]}
    )
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["target"], body["session_id"], body["status"]) == ("event", None, "asked")
    assert body["invitations"] == [{"volunteer_id": ada.id, "status": "invited"}]
    [invited] = outbox(to="ada@example.org", kind="translation_invited")
    assert event.title in invited.body_text
    # a session's request stays under the session's path, the presentation's under the event's
    api.post(
        f"/events/Z26IN020/sessions/{session.id}/translations",
        json={"language": "de", "volunteers": [ada.id]},
    )
    assert [r["id"] for r in api.get("/events/Z26IN020/translations").get_json()] == [body["id"]]
    assert body["id"] not in [
        r["id"] for r in api.get(f"/events/Z26IN020/sessions/{session.id}/translations").get_json()
    ]
    request = db.session.get(TranslationRequest, body["id"])
    translations.accept(request.invitations[0])
    translations.submit(
        request.invitations[0],
        {
            "title": "Grenzüberschreitendes Treffen",
            "subtitle": "Zwei Tage unter Nachbarn",
            "context": "Ein Treffen, um Erfahrungen auszutauschen.",
        },
    )
    translations.publish(request, dict(request.text))
    db.session.commit()
    listed = api.get("/events/Z26IN020/translations").get_json()
    assert listed[0]["status"] == "published"
    assert listed[0]["text"]["title"] == "Grenzüberschreitendes Treffen"
    page = client.get("/e/Z26IN020", headers={"Accept-Language": "de"}, follow_redirects=True)
    assert "Ein Treffen, um Erfahrungen auszutauschen." in page.get_data(as_text=True)


@pytest.mark.parametrize(
    ("payload", "code"),
    [
        ({"language": "xx"}, "invalid_language"),
        ({"language": "fr"}, "language_not_offered"),
        ({"language": "de", "min_level": "native"}, "volunteer_refused"),
        ({"language": "de", "min_level": "B9"}, "invalid_level"),
        ({"language": "de", "volunteers": ["un"]}, "validation_error"),
    ],
)
def test_bad_requests_for_the_event_presentation_are_refused_with_a_stable_code(
    api_as, session_of, make_profile, payload, code
):
    organiser, _event, _session = session_of
    bruno = make_profile(email="bruno@example.org", first_name="Bruno", last_name="Costa",
                         languages=[("fr", "native"), ("de", "B2")])  # fmt: skip
    response = api_as(organiser).post(
        "/events/Z26IN020/translations", json={"volunteers": [bruno.id], **payload}
    )
    assert response.status_code == 422, response.get_json()
    assert error_of(response)["code"] == code
    assert db.session.scalar(select(TranslationRequest)) is None


def test_the_event_presentation_requests_are_for_the_event_organisers_only(
    api_as, session_of, make_user, make_profile
):
    _organiser, _event, _session = session_of
    ada = make_profile()
    stranger = api_as(make_user())
    assert error_of(stranger.get("/events/Z26IN020/translations"))["code"] == "forbidden"
    response = stranger.post(
        "/events/Z26IN020/translations", json={"language": "de", "volunteers": [ada.id]}
    )
    assert error_of(response)["code"] == "forbidden"
    assert db.session.scalar(select(TranslationRequest)) is None
    assert error_of(stranger.get("/events/NOPE999/translations"))["code"] == "event_not_found"
    assert api_as(None).get("/events/Z26IN020/translations").status_code == 401


def test_the_openapi_document_describes_the_event_presentation_requests(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    operations = spec["paths"]["/api/v1/events/{code}/translations"]
    assert {"get", "post"} <= set(operations)
    refusals = operations["post"]["responses"]["422"]["description"]
    assert "invalid_language" in refusals
    assert "volunteer_refused" in refusals
    assert "forbidden" in operations["post"]["responses"]["403"]["description"]
