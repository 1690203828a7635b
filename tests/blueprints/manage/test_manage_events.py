"""Organiser event pages: create, edit with mistakes, publish, duplicate, delete, CSRF."""

from __future__ import annotations

from datetime import date
from html import unescape

import pytest
from manage_support import client_as
from sqlalchemy import func, select

from eventsys.models import Event, EventRole, ProgrammeSession
from tests.conftest import csrf_token_from

FORM = {
    "title": "Journée d'actualité AICT",
    "subtitle": "Nouveaux mandats, nouvelles perspectives",
    "kind": "training_day",
    "code": "",
    "start_date": "2026-06-25",
    "end_date": "2026-06-25",
    "timezone": "Europe/Paris",
    "venue_name": "Communauté d'agglomération Grand Paris Sud",
    "venue_address": "500 place des Champs Élysées\n91054 Évry-Courcouronnes",
    "access_notes": "RER D, arrêt Évry-Courcouronnes.",
    "audience": "Directeurs et directrices de l'action internationale",
    "context": "2020, année électorale.",
    "contacts": "Emmanuel Thouary",
    "languages": ["fr", "en"],
}


def event_form(event: Event, **changes) -> dict:
    data = {
        **FORM,
        "title": event.title,
        "code": event.code_display,
        "start_date": event.start_date.isoformat(),
        "end_date": event.end_date.isoformat(),
        "timezone": event.timezone,
        "languages": event.language_list,
    }
    data.update(changes)
    return data


def test_creating_an_event_generates_a_code_and_makes_the_creator_organiser(app, db, make_user):
    user = make_user(platform_role="organiser")
    client = client_as(app, user)
    page = client.get("/manage/events/new")
    assert page.status_code == 200
    assert 'list="timezones"' in page.get_data(as_text=True)
    response = client.post("/manage/events/new", data=FORM)
    assert response.status_code == 302
    event = db.session.scalar(select(Event).where(Event.title == FORM["title"]))
    assert response.headers["Location"] == f"/manage/events/{event.id}"
    assert (event.code, event.code_display, event.status) == ("JA26EV001", "JA26EV 001", "draft")
    assert event.language_list == ["fr", "en"]
    assert event.venue_address == "500 place des Champs Élysées\n91054 Évry-Courcouronnes"
    role = db.session.scalar(select(EventRole).where(EventRole.event_id == event.id))
    assert (role.user_id, role.role) == (user.id, "organiser")
    dashboard = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Événement créé avec le code JA26EV 001." in dashboard
    assert "Brouillon" in dashboard
    listing = client.get("/manage/").get_data(as_text=True)
    assert FORM["title"] in unescape(listing)
    assert "JA26EV 001" in listing


@pytest.mark.parametrize("zone", ["America/Martinique", "Indian/Reunion", "Pacific/Noumea"])
def test_overseas_time_zones_are_accepted(app, db, make_user, zone):
    client = client_as(app, make_user(platform_role="organiser"))
    response = client.post(
        "/manage/events/new", data={**FORM, "timezone": zone, "code": "z26in 001"}
    )
    assert response.status_code == 302
    event = db.session.scalar(select(Event))
    assert (event.timezone, event.code, event.code_display) == (zone, "Z26IN001", "Z26IN 001")


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"start_date": "2026-06-26", "end_date": "2026-06-25"}, "end_date",
         "La date de fin doit être le même jour ou après la date de début."),
        ({"code": "<b>1</b>"}, "code", "Code de session invalide"),
        ({"code": "é26 001"}, "code", "Code de session invalide"),
        ({"code": "autre-001"}, "code", "Ce code de session est déjà utilisé par un autre événement."),
        ({"title": "T" * 201}, "title", "200 caractères au maximum."),
        ({"subtitle": "S" * 301}, "subtitle", "300 caractères au maximum."),
        ({"code": "A B C D E F G H I J K L M"}, "code", "24 caractères au maximum."),
        ({"timezone": "Europe/Atlantis"}, "timezone", "Fuseau horaire inconnu"),
        ({"timezone": "paris"}, "timezone", "Fuseau horaire inconnu"),
        ({"timezone": ""}, "timezone", "Ce champ est obligatoire."),
        ({"title": "   "}, "title", "Ce champ est obligatoire."),
        ({"start_date": "25/06/2026"}, "start_date", ""),
        ({"languages": []}, "languages", "Choisissez au moins une langue."),
    ],
)  # fmt: skip
def test_bad_event_input_is_explained_on_the_form_and_nothing_is_saved(
    app, db, make_user, make_event, changes, field_id, message
):
    user = make_user()
    event = make_event(owner=user, code="Z26IN 001", title="Titre d'origine")
    make_event(code="AUTRE 001")
    client = client_as(app, user)
    data = event_form(event, **{"title": "Titre modifié", "venue_name": "Nouveau lieu", **changes})
    response = client.post(f"/manage/events/{event.id}/edit", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Le formulaire contient des erreurs" in html
    assert f'id="{field_id}-error"' in html
    assert message in unescape(html)
    # What the user typed is still in the form.
    assert 'value="Nouveau lieu"' in html
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert (stored.title, stored.venue_name, stored.code, stored.timezone) == (
        "Titre d'origine",
        "",
        "Z26IN001",
        "Europe/Paris",
    )
    assert stored.end_date == date(2026, 6, 25)


def test_html_is_stored_as_text_and_control_characters_are_removed(app, db, make_user, make_event):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    title = "<script>alert(1)</script> Journée\x07 d'étude\u202e"
    response = client.post(
        f"/manage/events/{event.id}/edit", data=event_form(event, title=title, code="rnit 26")
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(Event, event.id)
    assert stored.title == "<script>alert(1)</script> Journée d'étude"
    assert (stored.code, stored.code_display) == ("RNIT26", "RNIT 26")
    html = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Journée" in html
    assert "<script>alert(1)" not in html


def test_publish_is_refused_while_a_room_is_double_booked_then_accepted_after_a_move(
    app, db, make_user, make_event, make_room, make_session
):
    user = make_user()
    event = make_event(owner=user)
    room = make_room(event, "Salle Europe")
    other_room = make_room(event, "Salle Monde")
    make_session(event, "Atelier 1", "14:30", "16:00", room=room)
    second = make_session(event, "Atelier 2", "15:00", "16:30", room=room)
    client = client_as(app, user)
    dashboard = unescape(client.get(f"/manage/events/{event.id}").get_data(as_text=True))
    assert "Salle occupée deux fois" in dashboard
    assert "La publication sera refusée tant qu'une salle est occupée deux fois." in dashboard

    response = client.post(f"/manage/events/{event.id}/publish", follow_redirects=True)
    html = unescape(response.get_data(as_text=True))
    assert "Publication impossible : la salle « Salle Europe » est occupée deux fois" in html
    assert "Atelier 1" in html
    assert "Atelier 2" in html
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "draft"

    move = {
        "title": "Atelier 2", "type": "workshop", "day": "2026-06-25", "start_time": "15:00", "end_time": "16:30",
        "room": str(other_room.id), "languages": ["fr"], "status": "scheduled", "save": "1",
    }  # fmt: skip
    assert (
        client.post(f"/manage/events/{event.id}/sessions/{second.id}/edit", data=move).status_code
        == 302
    )
    response = client.post(f"/manage/events/{event.id}/publish", follow_redirects=True)
    assert "L'événement est publié" in unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "published"
    assert "Publié" in client.get(f"/manage/events/{event.id}").get_data(as_text=True)


def test_back_to_draft_and_cancel(app, db, make_user, make_event):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    client.post(f"/manage/events/{event.id}/publish")
    client.post(f"/manage/events/{event.id}/draft")
    db.session.expire_all()
    assert db.session.get(Event, event.id).status == "draft"
    html = unescape(
        client.post(f"/manage/events/{event.id}/cancel", follow_redirects=True).get_data(
            as_text=True
        )
    )
    assert "L'événement est annulé." in html
    assert "Annulé" in html
    assert db.session.get(Event, event.id).status == "cancelled"


def test_duplicate_makes_a_draft_copy_with_a_new_code(
    app, db, make_user, make_event, make_room, make_speaker, make_session
):
    user = make_user(platform_role="organiser")
    event = make_event(owner=user, code="Z26IN 001", title="Journée AICT")
    room = make_room(event, "Amphithéâtre")
    speaker = make_speaker(event, "Dominique Pornet Rivoire")
    make_session(event, "Ouverture", "10:00", "10:15", room=room, speakers=[(speaker, "speaker")])
    client = client_as(app, user)
    client.post(f"/manage/events/{event.id}/publish")
    response = client.post(f"/manage/events/{event.id}/duplicate")
    assert response.status_code == 302
    copy = db.session.scalar(
        select(Event).where(Event.id != event.id, Event.title.like("Journée AICT%"))
    )
    assert response.headers["Location"] == f"/manage/events/{copy.id}"
    assert copy.title == "Journée AICT (copie)"
    assert copy.status == "draft"
    assert copy.code != "Z26IN001"
    assert [r.name for r in copy.rooms] == ["Amphithéâtre"]
    assert [
        (s.title, s.room.name, [link.speaker.name for link in s.speakers]) for s in copy.sessions
    ] == [("Ouverture", "Amphithéâtre", ["Dominique Pornet Rivoire"])]
    assert db.session.get(Event, event.id).status == "published"
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Copie créée en brouillon avec le code" in html


def test_delete_asks_for_confirmation(app, db, make_user, make_event, make_room, make_session):
    user = make_user()
    event = make_event(owner=user, title="À supprimer")
    make_session(event, "Ouverture", room=make_room(event))
    client = client_as(app, user)
    page = client.get(f"/manage/events/{event.id}/delete").get_data(as_text=True)
    assert "Cette action est définitive." in page
    refused = client.post(f"/manage/events/{event.id}/delete", data={})
    assert refused.status_code == 200
    assert "Cochez la case pour confirmer la suppression." in refused.get_data(as_text=True)
    assert db.session.get(Event, event.id) is not None
    response = client.post(
        f"/manage/events/{event.id}/delete", data={"confirm": "y"}, follow_redirects=True
    )
    assert "L'événement « À supprimer » est supprimé." in unescape(response.get_data(as_text=True))
    db.session.expire_all()
    assert db.session.get(Event, event.id) is None
    assert db.session.scalar(select(func.count()).select_from(ProgrammeSession)) == 0


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_post_without_token_is_refused_with_a_friendly_page_and_changes_nothing(
        self, app, db, make_user, make_event
    ):
        user = make_user()
        event = make_event(owner=user, title="Protégé")
        client = client_as(app)  # logs in through the real form, token included
        token = csrf_token_from(client.get("/auth/login").get_data(as_text=True))
        assert (
            client.post(
                "/auth/login",
                data={
                    "email": user.email,
                    "password": "correct horse battery staple",
                    "csrf_token": token,
                },
            ).status_code
            == 302
        )
        for path, data in [
            (f"/manage/events/{event.id}/publish", {}),
            (f"/manage/events/{event.id}/edit", event_form(event, title="Piraté")),
            (f"/manage/events/{event.id}/delete", {"confirm": "y"}),
        ]:
            response = client.post(path, data=data)
            assert response.status_code == 400, path
            html = unescape(response.get_data(as_text=True))
            assert "Le formulaire a expiré. Rechargez la page et réessayez." in html
            assert "<h1>" in html  # a page, not a bare error
        db.session.expire_all()
        stored = db.session.get(Event, event.id)
        assert (stored.title, stored.status) == ("Protégé", "draft")
        # With the token from the page, the same action goes through.
        page = client.get(f"/manage/events/{event.id}").get_data(as_text=True)
        response = client.post(
            f"/manage/events/{event.id}/publish", data={"csrf_token": csrf_token_from(page)}
        )
        assert response.status_code == 302
        assert db.session.get(Event, event.id).status == "published"
