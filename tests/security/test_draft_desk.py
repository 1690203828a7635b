"""Finding 9: the staff scan pages of a draft event tell outsiders nothing (404, as every public
route), while its team and holders of its desk token still reach them."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from tests.checkin.conftest import desk_event, staff_token, today  # noqa: F401 - shared fixtures
from tests.conftest import login

TITLE = "Journée voirie"


@pytest.fixture
def draft(desk_event):  # noqa: F811
    desk_event.status = "draft"
    db.session.commit()
    return desk_event


def _outsider_paths(event) -> list[tuple[str, str]]:
    base = f"/staff/{event.code}"
    return [("GET", f"{base}/scan"), ("GET", f"{base}/access/not-a-token"), ("POST", f"{base}/access"),
            ("GET", f"{base}/scan/search?q=Martin"), ("GET", f"{base}/scan/counters"),
            ("POST", f"{base}/scan/checkins"), ("GET", f"/staff/{event.code.lower()}/scan")]  # fmt: skip


@pytest.mark.parametrize("who", ["anonymous", "account-without-role"])
def test_outsiders_get_the_same_404_as_for_an_unknown_code(client, make_user, draft, who):
    if who != "anonymous":
        assert login(client, make_user()).status_code == 302
    for method, path in _outsider_paths(draft):
        response = client.open(path, method=method, data={"token": "abcd efgh"})
        assert response.status_code == 404, (method, path, response.status_code)
        assert TITLE not in response.get_data(as_text=True), (method, path)
    unknown = client.get("/staff/NOPE999/scan")
    assert unknown.status_code == 404


def test_the_team_and_its_desk_tokens_still_scan_a_draft(app, client, draft, staff_token):  # noqa: F811
    raw = staff_token(draft)
    response = client.get(f"/staff/{draft.code}/access/{raw}")
    assert response.status_code == 302
    assert TITLE in client.get(f"/staff/{draft.code}/scan").get_data(as_text=True)
    organiser = app.test_client()
    assert login(organiser, draft.owner).status_code == 302
    assert organiser.get(f"/staff/{draft.code}/scan").status_code == 200


def test_a_published_event_still_shows_its_access_page(client, desk_event):  # noqa: F811
    response = client.get(f"/staff/{desk_event.code}/scan")
    assert response.status_code == 401
    assert TITLE in response.get_data(as_text=True)
