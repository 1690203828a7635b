"""A room that holds several sessions at once (a foyer, an exhibition hall): the organiser says so
on the room form, and overlaps there no longer block publishing (issue 15, part 4)."""

from __future__ import annotations

from manage_support import client_as
from sqlalchemy import select

from eventsys.models import Room


def test_marking_a_room_shared_lets_an_overlapping_programme_be_published(
    app, db, make_user, make_event, make_session
):
    user = make_user()
    event = make_event(owner=user)
    client = client_as(app, user)
    client.post(f"/manage/events/{event.id}/rooms/new",
                data={"name": "Foyer", "capacity": "300", "step_free": "yes"})
    foyer = db.session.scalar(select(Room).where(Room.event_id == event.id))
    assert foyer.shared is False
    make_session(event, "Exposition des partenaires", "12:00", "14:00", room=foyer)
    make_session(event, "Session posters", "12:30", "13:15", room=foyer)

    refused = client.post(f"/manage/events/{event.id}/publish", follow_redirects=True)
    assert "Foyer" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert event.status == "draft"

    form = client.get(f"/manage/events/{event.id}/rooms/{foyer.id}/edit").get_data(as_text=True)
    assert "Espace partagé (foyer, hall d'exposition…)" in form
    client.post(f"/manage/events/{event.id}/rooms/{foyer.id}/edit",
                data={"name": "Foyer", "capacity": "300", "step_free": "yes", "shared": "y"})
    db.session.expire_all()
    assert foyer.shared is True
    client.post(f"/manage/events/{event.id}/publish")
    db.session.expire_all()
    assert event.status == "published"
