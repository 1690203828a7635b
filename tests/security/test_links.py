"""Finding 1: links in e-mails, calendars and pages to copy never come from a Host header the
site does not trust."""

from __future__ import annotations

import pytest

from eventsys import create_app
from eventsys.extensions import db
from eventsys.services import mail
from eventsys.services.links import site_root
from tests.registration.helpers import outbox, person, registrations
from tests.security.conftest import BASE_URL, FORGED_HOST, production


def _forged(path: str) -> dict:
    return {"base_url": f"http://{FORGED_HOST}", "path": path}


@pytest.mark.parametrize("settings", [{}, {"TRUSTED_HOSTS": []}, {"BASE_URL": ""}])
def test_the_app_refuses_to_start_in_production_without_a_base_url(tmp_path, settings):
    config = production(SECRET_KEY="production-secret", **settings,
                        SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "p.sqlite3"))  # fmt: skip
    with pytest.raises(RuntimeError, match="EVENTSYS_BASE_URL"):
        create_app(config)


def test_a_base_url_that_is_not_an_address_is_refused(tmp_path):
    config = production(SECRET_KEY="production-secret", BASE_URL="evenements.example.org",
                        SQLALCHEMY_DATABASE_URI="sqlite:///" + str(tmp_path / "p.sqlite3"))  # fmt: skip
    with pytest.raises(RuntimeError, match="EVENTSYS_BASE_URL"):
        create_app(config)


class TestWithBaseUrl:
    @pytest.fixture
    def app_config(self, production_app_config):
        return production_app_config

    def test_registration_with_a_forged_host_mails_the_real_site(self, app, client, open_event):
        event = open_event()
        response = client.post(**_forged(f"/e/{event.code}/register"), data=person(1))
        assert response.status_code == 302
        # Someone registers the same address again with a forged host: the genuine "your link"
        # e-mail the person receives must point to the real site.
        client.post(**_forged(f"/e/{event.code}/register"), data=person(1))
        messages = outbox(to=person(1)["email"])
        assert messages
        for message in messages:
            assert FORGED_HOST not in message.body_text + message.body_html
            assert f"{BASE_URL}/r/" in message.body_text
        # The agenda attached when the message is sent during a (forged) request: same rule.
        with app.test_request_context(**_forged("/")):
            built = mail.build_email(messages[0], "eventsys <no-reply@example.org>").as_string()
        assert "agenda-" in built
        assert FORGED_HOST not in built

    def test_pages_and_calendars_of_a_forged_host_link_to_the_real_site(self, client, open_event):
        event = open_event()
        client.post(f"/e/{event.code}/register", data=person(2))
        token = registrations(event)[0]
        link = outbox(to=person(2)["email"])[0].body_text.split(f"{BASE_URL}/r/", 1)[1].split()[0]
        assert token is not None
        for path in (f"/r/{link}", f"/r/{link}/agenda.ics", f"/e/{event.code}/programme.ics",
                     f"/e/{event.code}/programme"):  # fmt: skip
            response = client.get(**_forged(path))
            assert response.status_code == 200, path
            body = response.get_data(as_text=True)
            assert FORGED_HOST not in body, path
        assert "evenements.example.org/r/" in client.get(**_forged(f"/r/{link}")).get_data(as_text=True)


class TestWithTrustedHosts:
    @pytest.fixture
    def app_config(self):
        return production(TRUSTED_HOSTS=["inscriptions.example.org", "evenements.example.org"])

    def test_a_request_for_another_host_is_refused_and_saves_nothing(self, client, open_event):
        event = open_event()
        response = client.post(**_forged(f"/e/{event.code}/register"), data=person(3))
        assert response.status_code == 400
        assert registrations(event) == []
        assert outbox() == []

    def test_a_trusted_host_gets_links_to_itself(self, client, open_event):
        event = open_event()
        response = client.post(
            f"/e/{event.code}/register", base_url="https://evenements.example.org", data=person(4)
        )
        assert response.status_code == 302
        assert "https://evenements.example.org/r/" in outbox(to=person(4)["email"])[0].body_text

    def test_outside_a_request_links_use_the_first_trusted_host(self, app):
        assert site_root() == "http://inscriptions.example.org"
        app.config["HTTPS"] = True
        assert site_root() == "https://inscriptions.example.org"


def test_development_and_tests_keep_their_own_address(client, open_event):
    event = open_event()
    client.post(f"/e/{event.code}/register", data=person(5))
    assert "http://localhost/r/" in outbox(to=person(5)["email"])[0].body_text
    db.session.rollback()
