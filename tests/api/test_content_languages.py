"""Content languages over the API: Accept-Language, ?translations=all, translations on write."""

from __future__ import annotations

from tests.api.conftest import error_of

SESSION = {
    "title": "Atelier mobilités",
    "starts_at": "2026-06-25T14:30:00",
    "ends_at": "2026-06-25T16:00:00",
    "translations": {"en": {"title": "Mobility workshop"}},
}


def test_texts_follow_accept_language_with_the_main_language_as_fallback(api):
    response = api.patch("/events/Z26IN001", json={"translations": {"en": {"title": "Roads day"}}})
    assert response.status_code == 200, response.get_json()
    english = api.get("/events/Z26IN001", headers={"Accept-Language": "en-GB,en;q=0.9"})
    french = api.get("/events/Z26IN001", headers={"Accept-Language": "fr"})
    german = api.get("/events/Z26IN001", headers={"Accept-Language": "de"})
    nothing = api.get("/events/Z26IN001")
    assert english.get_json()["title"] == "Roads day"
    assert french.get_json()["title"] == "Journée voirie"
    assert german.get_json()["title"] == "Journée voirie"  # no German: the main language
    assert nothing.get_json()["title"] == "Journée voirie"
    assert "translations" not in english.get_json()
    assert "Accept-Language" in english.headers["Vary"]
    assert english.get_json()["default_language"] == "fr"


def test_a_malformed_accept_language_falls_back_quietly(api):
    response = api.get("/events/Z26IN001", headers={"Accept-Language": ";;q=zz,,*-*"})
    assert response.status_code == 200
    assert response.get_json()["title"] == "Journée voirie"


def test_translations_all_returns_every_language(api):
    assert api.post("/events/Z26IN001/sessions", json=SESSION).status_code == 201
    sessions = api.get("/events/Z26IN001/sessions?translations=all").get_json()
    assert sessions[0]["translations"] == {
        "fr": {"title": "Atelier mobilités", "description": ""},
        "en": {"title": "Mobility workshop"},
    }
    english = api.get("/events/Z26IN001/sessions", headers={"Accept-Language": "en"}).get_json()
    assert english[0]["title"] == "Mobility workshop"
    assert "translations" not in english[0]
    event = api.get("/events/Z26IN001?translations=all").get_json()
    assert event["translations"]["fr"]["title"] == "Journée voirie"


def test_a_bad_translations_query_is_refused(api):
    response = api.get("/events/Z26IN001?translations=some")
    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_error"


def test_an_unknown_language_or_field_in_translations_is_a_422(api):
    response = api.patch("/events/Z26IN001", json={"translations": {"xx": {"title": "?"}}})
    assert response.status_code == 422
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert "xx" in str(error["details"])
    response = api.post(
        "/events/Z26IN001/rooms", json={"name": "Salle A", "translations": {"en": {"title": "?"}}}
    )
    assert response.status_code == 422
    assert error_of(response)["code"] == "validation_error"
    response = api.patch("/events/Z26IN001", json={"default_language": "klingon"})
    assert response.status_code == 422
    response = api.patch("/events/Z26IN001", json={"translations": {"en": {"title": "x" * 201}}})
    assert response.status_code == 422


def test_a_room_translation_can_be_replaced_and_removed(api):
    created = api.post(
        "/events/Z26IN001/rooms",
        json={"name": "Salle A", "translations": {"en": {"name": "Room A"}}},
    ).get_json()
    path = f"/events/Z26IN001/rooms/{created['id']}"
    assert api.get(path, headers={"Accept-Language": "en"}).get_json()["name"] == "Room A"
    assert api.patch(path, json={"translations": {"en": {}}}).status_code == 200
    assert api.get(path, headers={"Accept-Language": "en"}).get_json()["name"] == "Salle A"
