"""Organiser programme pages: rooms, speakers, themes, sessions, the grid and the team."""

from __future__ import annotations

from datetime import UTC, date, datetime
from html import unescape

import lxml.html
import pytest
from manage_support import client_as
from sqlalchemy import select

from eventsys.models import EventRole, ProgrammeSession, Room, Speaker, Track
from eventsys.services import programme


def text_of(response) -> str:
    return unescape(response.get_data(as_text=True))


def session_form(**changes) -> dict:
    data = {
        "title": "Atelier mobilités",
        "type": "workshop",
        "track": "",
        "day": "2026-06-25",
        "start_time": "14:30",
        "end_time": "16:00",
        "room": "",
        "capacity": "",
        "description": "Échanges en petits groupes.",
        "languages": ["fr"],
        "status": "scheduled",
        "save": "1",
    }
    data.update(changes)
    return data


def grid_table(html: str) -> tuple[list[str], dict[str, str]]:
    """Room headers, and for each session title the room heading above its cell.

    Rebuilds the table's real layout, honouring rowspan and colspan, as a browser would.
    """
    doc = lxml.html.fromstring(html)
    table = doc.xpath("//table[contains(@class, 'prog-grid')]")[0]
    header = table.xpath("./thead/tr")[0]
    columns: list[str] = []
    for th in header.findall("th"):
        columns += [" ".join(th.text_content().split())] * int(th.get("colspan", "1"))
    occupied: dict[tuple[int, int], bool] = {}
    where: dict[str, str] = {}
    for r, tr in enumerate(table.xpath("./tbody/tr")):
        c = 0
        for cell in tr:
            while occupied.get((r, c)):
                c += 1
            span = int(cell.get("rowspan", "1"))
            for dr in range(span):
                occupied[(r + dr, c)] = True
            link = cell.xpath(".//*[contains(@class, 'grid-title')]//a")
            if link:
                where[link[0].text_content().strip()] = columns[c]
            c += 1
    return columns, where


# ---------------------------------------------------------------- rooms, speakers, themes


def test_rooms_are_created_edited_and_kept_while_sessions_use_them(
    app, db, make_user, make_event, make_session
):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    response = client.post(
        f"/manage/events/{event.id}/rooms/new",
        data={
            "name": "Amphithéâtre",
            "capacity": "120",
            "location_notes": "Rez-de-chaussée",
            "step_free": "yes",
        },
    )
    assert response.status_code == 302
    room = db.session.scalar(select(Room).where(Room.event_id == event.id))
    assert (room.name, room.capacity, room.step_free) == ("Amphithéâtre", 120, True)
    client.post(
        f"/manage/events/{event.id}/rooms/{room.id}/edit",
        data={"name": "Grand amphithéâtre", "capacity": "150", "step_free": "no"},
    )
    db.session.expire_all()
    assert (room.name, room.capacity, room.step_free) == ("Grand amphithéâtre", 150, False)
    client.post(
        f"/manage/events/{event.id}/rooms/{room.id}/edit",
        data={"name": "Grand amphithéâtre", "capacity": "150", "step_free": "unknown"},
    )
    db.session.expire_all()
    assert room.step_free is None
    bad = client.post(
        f"/manage/events/{event.id}/rooms/{room.id}/edit", data={"name": "", "capacity": "-3"}
    )
    assert "Ce champ est obligatoire." in text_of(bad)
    assert "Nombre entre 0 et 100 000." in text_of(bad)

    session = make_session(event, "Ouverture", room=room)
    response = client.post(
        f"/manage/events/{event.id}/rooms/{room.id}/delete", follow_redirects=True
    )
    html = text_of(response)
    assert (
        "La salle « Grand amphithéâtre » est utilisée par 1 session : Ouverture. "
        "Déplacez cette session avant de supprimer la salle."
    ) in html
    assert db.session.get(Room, room.id) is not None

    programme.delete_session(session)
    db.session.commit()
    response = client.post(
        f"/manage/events/{event.id}/rooms/{room.id}/delete", follow_redirects=True
    )
    assert "Salle « Grand amphithéâtre » supprimée." in text_of(response)
    assert db.session.get(Room, room.id) is None


def test_speakers_keep_their_private_details_and_representative_flag(
    app, db, make_user, make_event
):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    data = {
        "name": "Michel Bisson",
        "function": "Président",
        "organisation": "Grand Paris Sud",
        "bio": "Élu local.",
        "email": "Michel.Bisson@Example.org",
        "or_representative": "y",
    }
    assert client.post(f"/manage/events/{event.id}/speakers/new", data=data).status_code == 302
    speaker = db.session.scalar(select(Speaker))
    assert (speaker.function, speaker.organisation, speaker.email, speaker.or_representative) == (
        "Président", "Grand Paris Sud", "michel.bisson@example.org", True,
    )  # fmt: skip
    listing = text_of(client.get(f"/manage/events/{event.id}/speakers"))
    assert "Michel Bisson" in listing
    assert "ou son représentant" in listing
    bad = client.post(
        f"/manage/events/{event.id}/speakers/new", data={**data, "email": "pas-une-adresse"}
    )
    assert "Adresse e-mail invalide." in text_of(bad)
    client.post(f"/manage/events/{event.id}/speakers/{speaker.id}/delete")
    assert db.session.scalar(select(Speaker)) is None


def test_deleting_a_theme_keeps_its_sessions(app, db, make_user, make_event, make_session):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    client.post(
        f"/manage/events/{event.id}/tracks/new", data={"name": "Coopération", "colour": "#1F5F99"}
    )
    track = db.session.scalar(select(Track))
    assert (track.name, track.colour) == ("Coopération", "#1f5f99")
    session = make_session(event, "Atelier", track_id=track.id)
    client.post(f"/manage/events/{event.id}/tracks/{track.id}/delete")
    db.session.expire_all()
    assert db.session.get(Track, track.id) is None
    assert db.session.get(ProgrammeSession, session.id).track_id is None


# ---------------------------------------------------------------- sessions


def test_session_is_created_with_speakers_and_roles_in_local_time(
    app, db, make_user, make_event, make_room, make_speaker
):
    user = make_user()
    event = make_event(owner=user, timezone="America/Martinique")
    room = make_room(event, "Salle Caraïbes")
    alice, bruno = make_speaker(event, "Alice Martin"), make_speaker(event, "Bruno Petit")
    client = client_as(app, user)
    page = client.get(f"/manage/events/{event.id}/sessions/new").get_data(as_text=True)
    assert page.count('name="speakers-') == 2 * 4  # four empty rows: speaker and role each
    assert "Mise en partage" in page
    assert "Speed-networking" in page
    assert "Clôture" in page

    data = session_form(
        room=str(room.id), capacity="40",
        **{"speakers-0-speaker": str(alice.id), "speakers-0-role": "moderator",
           "speakers-1-speaker": "", "speakers-1-role": "speaker",
           "speakers-2-speaker": str(bruno.id), "speakers-2-role": "speaker",
           "speakers-3-speaker": str(alice.id), "speakers-3-role": "speaker"},
    )  # fmt: skip
    response = client.post(f"/manage/events/{event.id}/sessions/new", data=data)
    assert response.status_code == 302
    session = db.session.scalar(select(ProgrammeSession))
    assert session.starts_at == datetime(
        2026, 6, 25, 18, 30, tzinfo=UTC
    )  # 14:30 in Martinique (UTC-4)
    assert session.ends_at == datetime(2026, 6, 25, 20, 0, tzinfo=UTC)
    assert (session.room_id, session.capacity, session.type) == (room.id, 40, "workshop")
    assert [(link.speaker.name, link.role) for link in session.speakers] == [
        ("Alice Martin", "moderator"), ("Bruno Petit", "speaker"), ("Alice Martin", "speaker"),
    ]  # fmt: skip

    edit = client.get(f"/manage/events/{event.id}/sessions/{session.id}/edit").get_data(
        as_text=True
    )
    doc = lxml.html.fromstring(edit)
    assert doc.get_element_by_id("start_time").get("value") == "14:30"
    selected = [
        opt.text for opt in doc.xpath("//select[contains(@name, '-speaker')]/option[@selected]")
    ]
    assert selected == ["Alice Martin", "Bruno Petit", "Alice Martin"]
    assert len(doc.xpath("//select[contains(@name, '-speaker')]")) == 3 + 4

    changed = session_form(
        room=str(room.id), start_time="15:00", end_time="16:30",
        **{"speakers-0-speaker": str(bruno.id), "speakers-0-role": "chair"},
    )  # fmt: skip
    assert (
        client.post(
            f"/manage/events/{event.id}/sessions/{session.id}/edit", data=changed
        ).status_code
        == 302
    )
    db.session.expire_all()
    assert [(link.speaker.name, link.role) for link in session.speakers] == [
        ("Bruno Petit", "chair")
    ]
    assert session.starts_at == datetime(2026, 6, 25, 19, 0, tzinfo=UTC)
    assert session.sequence == 1


def test_add_rows_button_keeps_what_was_typed_and_saves_nothing(
    app, db, make_user, make_event, make_speaker
):
    user = make_user()
    event = make_event(owner=user)
    speaker = make_speaker(event, "Alice Martin")
    client = client_as(app, user)
    data = session_form(
        title="Brouillon de titre",
        **{"speakers-0-speaker": str(speaker.id), "speakers-0-role": "facilitator"},
    )
    del data["save"]
    data["add_rows"] = "Ajouter des lignes d'intervenants"
    response = client.post(f"/manage/events/{event.id}/sessions/new", data=data)
    assert response.status_code == 200
    doc = lxml.html.fromstring(response.get_data(as_text=True))
    assert doc.get_element_by_id("title").get("value") == "Brouillon de titre"
    assert len(doc.xpath("//select[contains(@name, '-speaker')]")) == 1 + 4 + 4
    assert (
        doc.xpath("//select[@id='speakers-0-role']/option[@selected]")[0].get("value")
        == "facilitator"
    )
    assert not doc.xpath("//*[contains(@class, 'error-summary')]")
    assert db.session.scalar(select(ProgrammeSession)) is None


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"start_time": "16:00", "end_time": "15:00"}, "end_time", "La session doit finir après son début."),
        ({"day": "2026-06-27"}, "day", "La session doit avoir lieu pendant l'événement (du 25/06/2026 au 26/06/2026)."),
        ({"day": "hier"}, "day", "Choisissez un jour de l'événement."),
        ({"room": "FOREIGN"}, "room", "Cette salle n'appartient pas à l'événement."),
        ({"room": "abc"}, "room", "Cette salle n'appartient pas à l'événement."),
        ({"speakers-0-speaker": "FOREIGN", "speakers-0-role": "speaker"}, "speakers",
         "Cet intervenant n'appartient pas à l'événement."),
        ({"title": "x" * 301}, "title", "300 caractères au maximum."),
        ({"start_time": "25:00"}, "start_time", ""),
        ({"languages": []}, "languages", "Choisissez au moins une langue."),
    ],
)  # fmt: skip
def test_session_mistakes_are_shown_on_the_form_and_nothing_is_saved(
    app,
    db,
    make_user,
    make_event,
    make_room,
    make_speaker,
    make_session,
    changes,
    field_id,
    message,
):
    user = make_user()
    event = make_event(owner=user, end_date=date(2026, 6, 26))
    room = make_room(event, "Salle A")
    session = make_session(event, "Exposé d'origine", "10:00", "11:00", room=room)
    other = make_event(code="AUTRE 001")
    foreign_room, foreign_speaker = (
        make_room(other, "Salle d'ailleurs"),
        make_speaker(other, "Personne d'ailleurs"),
    )
    changes = {
        key: str(foreign_room.id if key == "room" else foreign_speaker.id)
        if value == "FOREIGN"
        else value
        for key, value in changes.items()
    }
    client = client_as(app, user)
    data = session_form(**{"title": "Titre modifié", "room": str(room.id), **changes})
    response = client.post(f"/manage/events/{event.id}/sessions/{session.id}/edit", data=data)
    assert response.status_code == 200
    html = text_of(response)
    assert "Le formulaire contient des erreurs" in html
    assert f'id="{field_id}-error"' in html
    assert message in html
    assert "Titre modifié" in html or field_id == "title"  # typed values are kept
    db.session.expire_all()
    stored = db.session.get(ProgrammeSession, session.id)
    assert (stored.title, stored.room_id, stored.sequence) == ("Exposé d'origine", room.id, 0)
    assert stored.speakers == []


def test_duplicate_and_delete_a_session(
    app, db, make_user, make_event, make_room, make_speaker, make_session
):
    user = make_user()
    event = make_event(owner=user)
    speaker = make_speaker(event)
    session = make_session(
        event, "Atelier 1", room=make_room(event), speakers=[(speaker, "facilitator")]
    )
    client = client_as(app, user)
    response = client.post(f"/manage/events/{event.id}/sessions/{session.id}/duplicate")
    copy = db.session.scalar(select(ProgrammeSession).where(ProgrammeSession.id != session.id))
    assert response.headers["Location"] == f"/manage/events/{event.id}/sessions/{copy.id}/edit"
    assert copy.title == "Atelier 1 (copie)"
    assert [(link.speaker_id, link.role) for link in copy.speakers] == [(speaker.id, "facilitator")]
    # The copy sits in the same room at the same time: the edit page says so at once.
    assert "Salle occupée deux fois" in text_of(client.get(response.headers["Location"]))
    confirm = text_of(client.get(f"/manage/events/{event.id}/sessions/{copy.id}/delete"))
    assert "Supprimer « Atelier 1 (copie) » ?" in confirm
    client.post(f"/manage/events/{event.id}/sessions/{copy.id}/delete")
    assert db.session.scalars(select(ProgrammeSession.title)).all() == ["Atelier 1"]


# ---------------------------------------------------------------- grid


def test_grid_puts_sessions_in_their_room_columns_and_marks_clashes_with_text(
    app, db, make_user, make_event, make_room, make_speaker, make_session
):
    user = make_user()
    event = make_event(owner=user, end_date=date(2026, 6, 26))
    amphi, europe, monde = (
        make_room(event, "Amphi", 200),
        make_room(event, "Salle Europe", 30),
        make_room(event, "Salle Monde", 30),
    )
    camille = make_speaker(event, "Camille Durand")
    make_session(event, "Accueil café", "09:00", "09:30", type="welcome")
    make_session(event, "Ouverture", "09:30", "10:00", room=amphi, speakers=[(camille, "speaker")])
    make_session(
        event, "Atelier A", "09:45", "11:00", room=europe, speakers=[(camille, "facilitator")]
    )
    make_session(event, "Atelier B", "10:00", "11:00", room=europe)
    make_session(event, "Atelier C", "10:00", "11:00", room=monde, capacity=45)
    make_session(event, "Visite", "10:00", "12:00", room=amphi, day=date(2026, 6, 26))
    client = client_as(app, user)

    response = client.get(f"/manage/events/{event.id}/grid?day=2026-06-25")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    columns, where = grid_table(html)
    assert columns[0] == "Heure"
    assert where == {
        "Accueil café": "Sans salle",
        "Ouverture": "Amphi 200 places",
        "Atelier A": "Salle Europe 30 places ⚠ 2 sessions en même temps",
        "Atelier B": "Salle Europe 30 places ⚠ 2 sessions en même temps",
        "Atelier C": "Salle Monde 30 places",
    }
    assert "Visite" not in where
    # Overlapping sessions of one room sit side by side: the room's heading spans two columns.
    assert columns.count("Salle Europe 30 places ⚠ 2 sessions en même temps") == 2

    doc = lxml.html.fromstring(html)

    def cell(title: str):
        return next(
            td
            for td in doc.xpath("//td[contains(@class, 'grid-session')]")
            if title in td.text_content()
        )

    atelier_a, ouverture, atelier_c = cell("Atelier A"), cell("Ouverture"), cell("Atelier C")
    assert "clash" in atelier_a.classes
    assert "Salle occupée deux fois" in atelier_a.text_content()
    assert "Camille Durand à deux endroits" in atelier_a.text_content()
    assert "Camille Durand à deux endroits" in ouverture.text_content()
    assert "Salle occupée deux fois" not in ouverture.text_content()
    assert "Salle trop petite (45 pour 30 places)" in atelier_c.text_content()
    assert "clash" not in cell("Accueil café").classes
    assert atelier_a.get("rowspan") == "5"  # 09:45–11:00 in 15-minute rows
    assert "9 h 45–11 h 00" in atelier_a.text_content()
    assert "Atelier" in atelier_a.text_content()
    # Summary list links to each session involved.
    summary = doc.xpath("//*[contains(@class, 'clash-summary')]")[0]
    links = {a.text_content() for a in summary.xpath(".//a")}
    assert {"Ouverture", "Atelier A", "Atelier B", "Atelier C"} <= links
    tabs = doc.xpath("//*[contains(@class, 'day-tabs')]//a")
    assert [a.get("aria-current") for a in tabs] == ["page", None]

    second_day = client.get(f"/manage/events/{event.id}/grid?day=2026-06-26").get_data(as_text=True)
    assert grid_table(second_day)[1] == {"Visite": "Amphi 200 places"}
    assert client.get(f"/manage/events/{event.id}/grid?day=n'importe-quoi").status_code == 200
    # "Add a session" from a day's grid starts on that day.
    add = lxml.html.fromstring(
        client.get(f"/manage/events/{event.id}/sessions/new?day=2026-06-26").get_data(as_text=True)
    )
    assert add.xpath("//select[@id='day']/option[@selected]")[0].get("value") == "2026-06-26"


def test_sessions_left_outside_the_event_days_are_listed_above_the_grid(
    app, db, make_user, make_event, make_session
):
    user = make_user()
    event = make_event(owner=user)
    make_session(event, "Conférence perdue", "10:00", "11:00")
    programme.save_event(
        event, {"start_date": date(2026, 6, 26), "end_date": date(2026, 6, 26)}, ""
    )
    db.session.commit()
    client = client_as(app, user)
    html = text_of(client.get(f"/manage/events/{event.id}/grid"))
    outside = html.index("Sessions hors des dates de l'événement")
    assert outside < html.index("Conférence perdue") < html.index("Conflits dans le programme")
    assert "Aucune session ce jour-là." in html
    assert "Hors des dates de l'événement" in text_of(client.get(f"/manage/events/{event.id}"))


# ---------------------------------------------------------------- team


def test_team_members_are_added_by_email_and_the_last_organiser_stays(
    app, db, make_user, make_event
):
    organiser = make_user("orga@example.org")
    helper = make_user("accueil@example.org")
    event = make_event(owner=organiser)
    client = client_as(app, organiser)
    unknown = client.post(
        f"/manage/events/{event.id}/team", data={"email": "personne@example.org", "role": "staff"}
    )
    assert "Aucun compte n'existe avec cette adresse e-mail" in text_of(unknown)
    response = client.post(
        f"/manage/events/{event.id}/team",
        data={"email": "Accueil@Example.org", "role": "staff"},
        follow_redirects=True,
    )
    assert "accueil@example.org fait partie de l'équipe." in text_of(response)
    member = db.session.scalar(select(EventRole).where(EventRole.user_id == helper.id))
    assert member.role == "staff"
    # Staff can now not manage the event: the role is the desk, not the programme.
    assert client_as(app, helper).get(f"/manage/events/{event.id}").status_code == 403

    own = db.session.scalar(select(EventRole).where(EventRole.user_id == organiser.id))
    refused = client.post(f"/manage/events/{event.id}/team/{own.id}/remove", follow_redirects=True)
    assert "L'événement doit garder au moins un organisateur." in text_of(refused)
    assert db.session.get(EventRole, own.id) is not None

    client.post(f"/manage/events/{event.id}/team/{member.id}/remove")
    assert db.session.get(EventRole, member.id) is None
