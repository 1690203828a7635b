"""Finding 8: the API rate limit counts calls per token, whatever the spelling of the header
(extra spaces, tabs, the scheme's case): no variant gets a fresh budget."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from eventsys.security import issue_api_token


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True, "API_RATE_LIMIT": "3 per minute"}


def _token(user) -> str:
    _token, raw = issue_api_token(user)
    db.session.commit()
    return raw


def test_spellings_of_one_token_share_its_budget(client, make_user):
    raw = _token(make_user())
    spellings = [f"Bearer {raw}", f"Bearer  {raw}", f"bearer {raw} ", f"BEARER\t{raw}", f" Bearer {raw}"]
    statuses = [
        client.get("/api/v1/events", headers={"Authorization": header}).status_code for header in spellings
    ]
    assert statuses == [200, 200, 200, 429, 429]
    # Another token is not slowed down.
    other = _token(make_user())
    assert client.get("/api/v1/events", headers={"Authorization": f"Bearer {other}"}).status_code == 200


def test_desk_calls_share_the_budget_of_their_token_too(client, make_user):
    raw = _token(make_user())
    for header in (f"Bearer {raw}", f"Bearer   {raw}", f"bearer {raw}"):
        assert client.get("/api/v1/events/NOPE/checkins/summary", headers={"Authorization": header}).status_code != 429
    response = client.get("/api/v1/events/NOPE/checkins/summary", headers={"Authorization": f"Bearer\t{raw}"})
    assert response.status_code == 429
