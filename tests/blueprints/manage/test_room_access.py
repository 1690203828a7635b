"""Step-free access is yes / no / not known: not known by default, published only when known."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from html import unescape

import pytest
from manage_support import client_as
from sqlalchemy import select, text

from eventsys.models import Room
from eventsys.render.export_data import RoomData
from eventsys.render.programme_pdf import render_programme_pdf
from tests.exports.helpers import pdf_text, small_event
from tests.migration_rows import insert_row, upgraded_to


def test_a_new_room_is_not_known_step_free_until_an_organiser_says_so(app, db, make_user, make_event):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    form = unescape(client.get(f"/manage/events/{event.id}/rooms/new").get_data(as_text=True))
    checked = re.findall(r'<input[^>]*checked[^>]*name="step_free"[^>]*value="(\w+)"|'
                         r'<input[^>]*name="step_free"[^>]*value="(\w+)"[^>]*checked', form)  # fmt: skip
    assert [a or b for a, b in checked] == ["unknown"]
    assert "<legend>Accessible de plain-pied ou par ascenseur</legend>" in form
    response = client.post(f"/manage/events/{event.id}/rooms/new", data={"name": "Salle B"})
    assert response.status_code == 302
    room = db.session.scalar(select(Room).where(Room.event_id == event.id))
    assert room.step_free is None
    rooms = unescape(client.get(f"/manage/events/{event.id}/rooms").get_data(as_text=True))
    assert "Accès non vérifié (pas affiché au public)" in rooms
    # Editing shows the room's own answer.
    room.step_free = False
    db.session.commit()
    edit = unescape(client.get(f"/manage/events/{event.id}/rooms/{room.id}/edit").get_data(as_text=True))
    assert re.search(r'<input[^>]*checked[^>]*value="no"|<input[^>]*value="no"[^>]*checked', edit)
    bad = client.post(f"/manage/events/{event.id}/rooms/{room.id}/edit", data={"name": "Salle B", "step_free": "maybe"})
    assert bad.status_code == 200
    assert "N'est pas un choix valide." in unescape(bad.get_data(as_text=True))


@pytest.mark.skipif(subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
                    reason="poppler-utils missing")  # fmt: skip
def test_the_pdf_programme_states_access_only_when_known(tmp_path):
    event = small_event()
    rooms = (
        RoomData(1, "Salle Connue", 30, "", True),
        RoomData(2, "Salle Marches", 30, "", False),
        RoomData(3, "Salle Inconnue", 30, "", None),
    )
    pdf = render_programme_pdf(dataclasses.replace(event, rooms=rooms))
    words = " ".join(pdf_text(pdf, tmp_path).split())
    assert "Salle Connue Capacité : 30 places · Accès de plain-pied" in words
    assert "Salle Marches Capacité : 30 places · Accès non de plain-pied" in words
    assert re.search(r"Salle Inconnue Capacité : 30 places (?!·)", words)


def test_the_migration_keeps_no_and_makes_an_unchecked_yes_not_known(tmp_path):
    with upgraded_to(tmp_path, "0006") as (engine, upgrade):
        with engine.begin() as connection:
            insert_row(connection, "events", id=1, code="Z26IN001", start_date="2026-01-01", end_date="2026-01-01")
            insert_row(connection, "rooms", id=1, event_id=1, name="Ticked by default", step_free=True)
            insert_row(connection, "rooms", id=2, event_id=1, name="Unticked on purpose", step_free=False)
        upgrade(revision="0007")
        with engine.connect() as connection:
            rows = dict(connection.execute(text("SELECT name, step_free FROM rooms")).all())
    assert rows == {"Ticked by default": None, "Unticked on purpose": False}
