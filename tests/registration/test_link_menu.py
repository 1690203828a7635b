"""The private link's page keeps the main menu: its "join the directory" link is its own, and
does not hide the menu's "Directory" entry that the same account sees elsewhere."""

from __future__ import annotations

from eventsys.extensions import db
from eventsys.models.directory import DirectoryCoordinator
from tests.conftest import login
from tests.registration.helpers import page, person, private_link

MENU_ENTRY = '<li><a href="/directory/">'


def test_the_private_link_page_shows_the_menus_directory_and_the_join_link(
    client, open_event, make_user
):
    event = open_event()
    data = person(1)
    assert client.post(f"/e/{event.code}/register", data=data).status_code == 302
    link = private_link(data["email"])
    coordinator = make_user()
    db.session.add(DirectoryCoordinator(user_id=coordinator.id))
    db.session.commit()
    login(client, coordinator)
    assert MENU_ENTRY in page(client.get("/"))  # the menu's entry, as on any page
    html = page(client.get(link))
    assert MENU_ENTRY in html
    assert f'<a href="/directory/join/{link.rsplit("/", 1)[1]}">' in html


def test_without_the_coordinator_role_only_the_join_link_shows(client, open_event):
    event = open_event()
    data = person(2)
    assert client.post(f"/e/{event.code}/register", data=data).status_code == 302
    html = page(client.get(private_link(data["email"])))
    assert MENU_ENTRY not in html
    assert "/directory/join/" in html
