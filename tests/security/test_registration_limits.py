"""Finding 10: the public registration form cannot be used as a mail bomb, and its limits count
what they should: accepted submissions, per client address (high enough for a town hall behind
one NAT address) and per e-mail address, shared by every server through Redis."""

from __future__ import annotations

import uuid

import pytest

from eventsys.extensions import limiter
from tests.production.conftest import REDIS_URL, redis_available
from tests.registration.helpers import outbox, person, registrations


def _register(client, event, data, address="192.0.2.10"):
    return client.post(f"/e/{event.code}/register", data=data, environ_base={"REMOTE_ADDR": address})


@pytest.fixture
def app_config():
    return {"RATELIMIT_ENABLED": True}


def test_the_private_link_is_sent_again_at_most_once_an_hour(client, open_event):
    event = open_event()
    assert _register(client, event, person(1)).status_code == 302
    for n in range(4):  # someone submits the person's address again and again
        assert _register(client, event, person(1), address=f"198.51.100.{n}").status_code == 302
    assert [m.kind for m in outbox(to=person(1)["email"])] == ["received", "duplicate"]
    assert len(registrations(event)) == 1


def test_a_town_hall_behind_one_address_registers_thirty_agents(client, open_event):
    event = open_event(workshop_capacity=None)
    statuses = [_register(client, event, person(n)).status_code for n in range(30)]
    assert statuses == [302] * 30
    assert len(registrations(event)) == 30


def test_one_e_mail_address_is_limited_whatever_the_client_address(client, open_event):
    event, other = open_event(), open_event()
    statuses = [_register(client, e, person(7), address=f"203.0.113.{n}").status_code
                for n, e in enumerate([event, other, event, other, event, other])]  # fmt: skip
    assert statuses == [302] * 5 + [429]
    assert len(registrations(other)) == 1


class TestPerAddress:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "REGISTRATION_RATE_LIMIT": "3 per minute"}

    def test_forms_with_mistakes_do_not_use_up_the_limit(self, client, open_event):
        event = open_event()
        for n in range(5):  # consent forgotten: refused, nothing saved
            assert _register(client, event, {**person(n), "consent": ""}).status_code == 422
        statuses = [_register(client, event, person(n)).status_code for n in range(4)]
        assert statuses == [302, 302, 302, 429]
        assert len(registrations(event)) == 3
        # Another client address is not held back.
        assert _register(client, event, person(8), address="192.0.2.99").status_code == 302


class TestSharedThroughRedis:
    @pytest.fixture
    def app_config(self):
        if not redis_available():
            pytest.skip(f"Redis is not reachable at {REDIS_URL} (set EVENTSYS_TEST_REDIS_URL)")
        return {"RATELIMIT_ENABLED": True, "REGISTRATION_RATE_LIMIT": "4 per minute",
                "RATELIMIT_STORAGE_URI": REDIS_URL}  # fmt: skip

    def test_two_servers_count_together(self, app, client, open_event):
        event = open_event()
        address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.7"
        # Redis outlives the run: addresses of this run only, or earlier runs within the hour
        # (the SQLite and PostgreSQL runs of one CI) would use up the per-e-mail limit.
        run = uuid.uuid4().hex[:8]
        statuses = []
        for n in range(6):
            limiter.init_app(app)  # each request on a "server" of its own, sharing only Redis
            data = person(n, email=f"camille.martin{n}.{run}@ville-exemple.fr")
            statuses.append(_register(client, event, data, address=address).status_code)
        assert statuses == [302] * 4 + [429] * 2
        assert len(registrations(event)) == 4
