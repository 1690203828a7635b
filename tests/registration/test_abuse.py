"""Abuse protections of the public form: rate limit per client, CSRF."""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token_from
from tests.registration.helpers import page, person, private_link, registrations


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"RATELIMIT_ENABLED": True, "REGISTRATION_RATE_LIMIT": "3 per minute"}

    def test_too_many_submissions_get_a_friendly_page_and_save_nothing(self, client, open_event):
        event = open_event()
        for n in range(3):
            assert client.post(f"/e/{event.code}/register", data=person(n)).status_code == 302
        response = client.post(f"/e/{event.code}/register", data=person(9))
        assert response.status_code == 429
        html = page(response)
        assert "Trop d'inscriptions en peu de temps" in html
        assert "rien n'a été enregistré" in html
        assert person(9)["last_name"] in html  # what was typed is kept
        assert '<html lang="fr">' in html  # the site's page, not a bare error
        assert len(registrations(event)) == 3
        # Reading the form is not limited.
        assert client.get(f"/e/{event.code}/register").status_code == 200


class TestCsrf:
    @pytest.fixture
    def app_config(self):
        return {"WTF_CSRF_ENABLED": True}

    def test_form_without_its_token_is_refused(self, client, open_event):
        event = open_event()
        response = client.post(f"/e/{event.code}/register", data=person())
        assert response.status_code == 400
        assert "Le formulaire a expiré" in page(response)
        assert registrations(event) == []
        token = csrf_token_from(page(client.get(f"/e/{event.code}/register")))
        response = client.post(f"/e/{event.code}/register", data={**person(), "csrf_token": token})
        assert response.status_code == 302
        assert len(registrations(event)) == 1

    def test_cancel_from_the_link_needs_the_token(self, client, open_event):
        event = open_event()
        token = csrf_token_from(page(client.get(f"/e/{event.code}/register")))
        assert client.post(f"/e/{event.code}/register", data={**person(), "csrf_token": token}).status_code == 302
        link = private_link(person()["email"])
        assert client.post(f"{link}/cancel").status_code == 400
        assert registrations(event)[0].status == "confirmed"
        token = csrf_token_from(page(client.get(f"{link}/cancel")))
        client.post(f"{link}/cancel", data={"csrf_token": token})
        assert registrations(event)[0].status == "cancelled"
