"""Content written by organisers in several languages: entry side by side, display with fallback."""

from __future__ import annotations

import re
from datetime import date
from html import unescape

import pytest
from sqlalchemy import select

from eventsys.models import Event, ProgrammeSession, Room
from eventsys.models.registration import CustomQuestion
from eventsys.services import exports, programme
from tests.conftest import login
from tests.registration import conftest as registration_fixtures

open_event = registration_fixtures.open_event  # a published event with workshops


def _text(response) -> str:
    return unescape(response.get_data(as_text=True))


def _client(app, user=None):
    client = app.test_client()
    if user is not None:
        assert login(client, user).status_code == 302
    return client


def _event_form(event: Event, **changes) -> dict:
    data = {
        "title": event.title,
        "subtitle": "",
        "kind": "training_day",
        "code": event.code_display,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "timezone": event.timezone,
        "venue_name": "",
        "venue_address": "",
        "access_notes": "",
        "audience": "",
        "context": "",
        "contacts": "",
        "default_language": event.default_language,
        "languages": event.language_list,
    }
    data.update(changes)
    return data


@pytest.fixture
def owner(make_user):
    return make_user(email="orga@example.org")


@pytest.fixture
def event(make_event, owner, db):
    return make_event(owner=owner, code="Z26IN 001", title="Journée voirie", languages="fr,en")


# ------------------------------------------------------------------ the model helper


def test_localized_text_falls_back_to_the_main_language_and_empty_counts_as_missing(app):
    event = Event(
        title="Journée voirie", subtitle="Sous-titre", default_language="fr", languages="fr,en"
    )
    event.set_translations({"en": {"title": "Roads day", "subtitle": "   "}, "de": {"title": ""}})
    assert event.localized("title", "en") == "Roads day"
    assert event.localized("title", "en_GB") == "Roads day"
    assert event.localized("title", "fr") == "Journée voirie"
    assert event.localized("title", "de") == "Journée voirie"  # stored empty: dropped
    assert event.localized("subtitle", "en") == "Sous-titre"  # blank translation: main language
    assert event.localized("title", None) == "Journée voirie"
    assert event.localized_language("title", "en") == "en"
    assert event.localized_language("subtitle", "en") == "fr"
    assert event.translations == {"en": {"title": "Roads day"}}


def test_a_room_and_a_session_follow_their_event_main_language(
    app, event, make_room, make_session, db
):
    room = make_room(event, "Salle des fêtes", translations={"en": {"name": "Ballroom"}})
    session = make_session(event, "Ouverture", translations={"en": {"title": "Opening"}})
    assert (room.localized("name", "en"), session.localized("title", "en")) == (
        "Ballroom",
        "Opening",
    )
    assert session.localized("title", "it") == "Ouverture"


def test_changing_the_main_language_moves_every_text_to_its_language(
    app, event, make_room, make_session, db
):
    room = make_room(event, "Salle des fêtes", translations={"en": {"name": "Ballroom"}})
    session = make_session(event, "Ouverture")  # no English title
    event.set_translations({"en": {"title": "Roads day"}})
    programme.save_event(event, {"default_language": "en"}, "{kind}{yy}EV {seq:03d}")
    db.session.commit()
    assert (event.title, event.localized("title", "fr")) == ("Roads day", "Journée voirie")
    assert (room.name, room.localized("name", "fr")) == ("Ballroom", "Salle des fêtes")
    # Nothing in English: the French text stays as the fallback and keeps its French entry.
    assert (session.title, session.localized("title", "fr")) == ("Ouverture", "Ouverture")
    assert event.language_list[0] == "en"


def test_the_service_refuses_an_unknown_language_or_field(app, event, db):
    from eventsys.services.errors import InvalidValue

    with pytest.raises(InvalidValue, match="Langue inconnue : xx"):
        programme.save_event(
            event, {"translations": {"xx": {"title": "?"}}}, "{kind}{yy}EV {seq:03d}"
        )
    db.session.rollback()
    with pytest.raises(InvalidValue, match="Champ non traduisible"):
        programme.save_event(
            event, {"translations": {"en": {"code": "?"}}}, "{kind}{yy}EV {seq:03d}"
        )


# ------------------------------------------------------------------ organiser forms


def test_the_session_form_shows_the_languages_side_by_side(app, event, owner):
    client = _client(app, owner)
    html = _text(client.get(f"/manage/events/{event.id}/sessions/new"))
    assert re.search(r'<label for="title">Titre \(Français\)</label>', html)
    assert re.search(r'<label for="title__en">Titre \(English\)</label>', html)
    assert re.search(
        r'<input[^>]*id="title__en"[^>]*lang="en"|<input[^>]*lang="en"[^>]*id="title__en"', html
    )
    assert 'name="description__en"' in html
    assert 'name="title__de"' not in html  # German is not offered


def test_an_english_title_typed_by_the_organiser_is_what_an_english_visitor_reads(
    app, event, owner, db
):
    client = _client(app, owner)
    response = client.post(
        f"/manage/events/{event.id}/edit",
        data=_event_form(event, title__en="Roads training day", context="Contexte en français."),
    )
    assert response.status_code == 302, _text(response)[:2000]
    assert client.post(f"/manage/events/{event.id}/publish").status_code == 302
    db.session.expire_all()
    assert db.session.get(Event, event.id).translations == {"en": {"title": "Roads training day"}}

    english = _text(_client(app).get("/e/Z26IN001", headers={"Accept-Language": "en"}))
    french = _text(_client(app).get("/e/Z26IN001", headers={"Accept-Language": "fr"}))
    assert "<h1>Roads training day</h1>" in english
    assert "<h1>Journée voirie</h1>" in french
    assert "Roads training day" not in french
    # No English context: the French one is shown, marked as French for screen readers.
    assert '<p class="prewrap" lang="fr">Contexte en français.</p>' in english
    assert '<p class="prewrap">Contexte en français.</p>' in french


def test_a_session_and_room_without_translation_fall_back_with_a_lang_attribute(
    app, event, owner, make_room, make_session, db
):
    room = make_room(event, "Salle des fêtes", translations={"en": {"name": "Ballroom"}})
    make_session(
        event, "Atelier mobilités", room=room, translations={"en": {"title": "Mobility workshop"}}
    )
    make_session(event, "Table ronde", "14:00", "15:00", description="Débat ouvert.")
    programme.publish_event(event)
    db.session.commit()
    html = _text(_client(app).get("/e/Z26IN001/programme", headers={"Accept-Language": "en"}))
    assert "<h3>Mobility workshop</h3>" in html
    assert "<span>Ballroom</span>" in html
    assert '<h3 lang="fr">Table ronde</h3>' in html
    assert '<div class="session-description" lang="fr">' in html
    assert "Atelier mobilités" not in html


def test_the_session_form_saves_translations_and_shows_them_again(app, event, owner, db):
    client = _client(app, owner)
    data = {
        "title": "Atelier mobilités",
        "title__en": "Mobility workshop",
        "description": "",
        "description__en": "Bring a bike.",
        "type": "workshop",
        "track": "",
        "day": "2026-06-25",
        "start_time": "14:30",
        "end_time": "16:00",
        "room": "",
        "capacity": "",
        "languages": ["fr"],
        "status": "scheduled",
        "save": "1",
    }
    assert client.post(f"/manage/events/{event.id}/sessions/new", data=data).status_code == 302
    session = db.session.scalar(
        select(ProgrammeSession).where(ProgrammeSession.event_id == event.id)
    )
    assert session.translations == {
        "en": {"title": "Mobility workshop", "description": "Bring a bike."}
    }
    html = _text(client.get(f"/manage/events/{event.id}/sessions/{session.id}/edit"))
    assert 'value="Mobility workshop"' in html
    too_long = {**data, "title__en": "x" * 301}
    response = client.post(f"/manage/events/{event.id}/sessions/{session.id}/edit", data=too_long)
    assert response.status_code == 200
    assert "300 caractères au maximum." in _text(response)


def test_the_room_form_has_an_english_column(app, event, owner, db):
    client = _client(app, owner)
    data = {"name": "Salle des fêtes", "name__en": "Ballroom", "capacity": "80", "location_notes": "",
            "location_notes__en": "Ground floor", "step_free": "y", "position": "0"}  # fmt: skip
    assert client.post(f"/manage/events/{event.id}/rooms/new", data=data).status_code == 302
    room = db.session.scalar(select(Room).where(Room.event_id == event.id))
    assert room.translations == {"en": {"name": "Ballroom", "location_notes": "Ground floor"}}


def test_the_event_form_refuses_an_unknown_language_clearly(app, event, owner, db):
    client = _client(app, owner)
    response = client.post(
        f"/manage/events/{event.id}/edit",
        data=_event_form(event, default_language="xx", languages=["fr", "zz"]),
    )
    assert response.status_code == 200
    html = _text(response)
    assert html.count("Langue inconnue : choisissez une langue de la liste.") >= 2
    db.session.expire_all()
    assert db.session.get(Event, event.id).default_language == "fr"


def test_offering_german_adds_a_german_column_and_main_language_switch_keeps_texts(
    app, event, owner, db
):
    client = _client(app, owner)
    form = _event_form(event, languages=["fr", "en", "de"], title__en="Roads day")
    assert client.post(f"/manage/events/{event.id}/edit", data=form).status_code == 302
    html = _text(client.get(f"/manage/events/{event.id}/edit"))
    assert 'name="title__de"' in html
    assert 'name="title__en"' in html
    # English becomes the main language: the columns now hold the English, French is a translation.
    form = _event_form(db.session.get(Event, event.id), default_language="en", title__en="Roads day",
                       title__de="Straßentag", languages=["fr", "en", "de"])  # fmt: skip
    assert client.post(f"/manage/events/{event.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert (stored.default_language, stored.title) == ("en", "Roads day")
    assert stored.localized("title", "fr") == "Journée voirie"
    assert stored.localized("title", "de") == "Straßentag"


# ------------------------------------------------------------------ registration questions


def test_custom_question_in_english_on_the_registration_form(app, open_event, db):
    event = open_event(code="Z26IN 002", title="Journée inscriptions", languages="fr,en")
    client = _client(app, event.owner)
    base = f"/manage/events/{event.id}/registrations"
    response = client.post(f"{base}/questions", data={
        "label": "Régime alimentaire", "label__en": "Diet", "kind": "choice",
        "options": "Aucun\nVégétarien", "options__en": "None\nVegetarian",
    })  # fmt: skip
    assert response.status_code == 302
    question = db.session.scalar(select(CustomQuestion).where(CustomQuestion.event_id == event.id))
    assert question.translations == {"en": {"label": "Diet", "options": ["None", "Vegetarian"]}}

    english = _text(_client(app).get("/e/Z26IN002/register", headers={"Accept-Language": "en"}))
    french = _text(_client(app).get("/e/Z26IN002/register", headers={"Accept-Language": "fr"}))
    assert "Diet" in english
    assert "Vegetarian" in english
    assert 'value="Végétarien"' in english  # the stored answer keeps the main wording
    assert "Régime alimentaire" in french
    assert "Diet" not in french

    # A translation with the wrong number of answers is refused with the reason.
    response = client.post(
        f"{base}/questions/{question.id}/translations",
        data={"label__en": "Diet", "options__en": "Only one"},
    )
    assert response.status_code == 422
    assert "donnez une traduction par réponse, soit 2 lignes" in _text(response)


def test_a_question_without_translation_is_marked_as_french(app, open_event, db):
    event = open_event(code="Z26IN 003", title="Journée", languages="fr,en")
    client = _client(app, event.owner)
    base = f"/manage/events/{event.id}/registrations"
    client.post(f"{base}/questions", data={"label": "Allergies ?", "kind": "text", "options": ""})
    english = _text(_client(app).get("/e/Z26IN003/register", headers={"Accept-Language": "en"}))
    assert '<span lang="fr">Allergies ?</span>' in english


# ------------------------------------------------------------------ exports


def test_programme_exports_take_a_language(app, event, make_room, make_session, db):
    room = make_room(event, "Salle des fêtes", translations={"en": {"name": "Ballroom"}})
    make_session(
        event,
        "Ouverture",
        room=room,
        translations={"en": {"title": "Opening", "description": "Hello"}},
    )
    make_session(event, "Table ronde", "14:00", "15:00")
    event.set_translations({"en": {"title": "Roads day"}})
    db.session.commit()
    with app.test_request_context("/"):
        english = exports.event_data(event, locale="en")
        main = exports.event_data(event)
    assert english.title == "Roads day"
    assert main.title == "Journée voirie"
    assert [s.title for s in english.sessions] == ["Opening", "Table ronde"]
    assert english.sessions[0].room.name == "Ballroom"
    assert english.sessions[0].description == "Hello"
    assert english.rooms[0].name == "Ballroom"
    assert [s.title for s in main.sessions] == ["Ouverture", "Table ronde"]


def test_a_duplicated_event_keeps_its_translations(app, event, owner, make_session, db):
    make_session(event, "Ouverture", translations={"en": {"title": "Opening"}})
    event.set_translations({"en": {"title": "Roads day"}})
    db.session.commit()
    copy = programme.duplicate_event(event, owner, "{kind}{yy}EV {seq:03d}")
    db.session.commit()
    assert copy.localized("title", "en") == "Roads day"
    assert copy.sessions[0].localized("title", "en") == "Opening"
    assert copy.start_date == date(2026, 6, 25)


def test_the_confirmation_email_uses_the_organisers_translation(app, open_event, db):
    from tests.registration.helpers import outbox, person

    event = open_event(code="Z26IN 004", title="Journée voirie", languages="fr,en")
    event.set_translations({"en": {"title": "Roads day"}})
    event.w1.set_translations({"en": {"title": "Workshop one"}})
    db.session.commit()
    client = _client(app)
    slot = re.search(
        rf'name="(slot_\d+)"[^>]*value="{event.w1.id}"', _text(client.get("/e/Z26IN004/register"))
    )
    assert slot, "the workshop is offered on the form"
    data = person(1, language="en", **{slot.group(1): str(event.w1.id)})
    assert client.post("/e/Z26IN004/register", data=data).status_code in (302, 303)
    data = person(2, language="fr", **{slot.group(1): str(event.w1.id)})
    assert client.post("/e/Z26IN004/register", data=data).status_code in (302, 303)
    english = outbox(to="camille.martin1@ville-exemple.fr")[0]
    french = outbox(to="camille.martin2@ville-exemple.fr")[0]
    assert "Roads day" in english.subject
    assert "Roads day" in english.body_text
    assert "Journée voirie" not in english.body_text
    assert "Journée voirie" in french.body_text
    assert "Workshop one" in english.body_text
    assert "Atelier n°1" in french.body_text
