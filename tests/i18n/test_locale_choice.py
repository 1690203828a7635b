"""Which language a page speaks: explicit choice > the attendee's own > the browser > the event's.

Whatever arrives in the URL, the cookie or Accept-Language, the page answers, never an error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from eventsys.extensions import db
from eventsys.models.registration import Registration
from eventsys.services import programme
from tests.registration.helpers import FUTURE, person, private_link

LANGS = ["fr", "en", "de", "es", "it"]


def _lang(response) -> str:
    assert response.status_code == 200, response.status_code
    return re.search(r'<html lang="([^"]*)"', response.get_data(as_text=True)).group(1)


@pytest.fixture
def published(make_event):
    def make(**data):
        event = make_event(**data)
        programme.publish_event(event)
        db.session.commit()
        return event

    return make


def test_configured_languages():
    from eventsys.config import Config

    assert Config.LANGUAGES == LANGS


@pytest.mark.parametrize("lang", LANGS)
def test_explicit_choice_wins_and_is_remembered(client, lang):
    assert _lang(client.get(f"/?lang={lang}", headers={"Accept-Language": "it"})) == lang
    # No ?lang= any more: the session cookie remembers the choice, over the browser's wish.
    assert (
        _lang(
            client.get("/auth/login", headers={"Accept-Language": "it" if lang != "it" else "de"})
        )
        == lang
    )


@pytest.mark.parametrize(
    "value", ["zz", "", "fr-FR-x-very-long" * 10, "../../etc", "<script>", "%00", "de%20"]
)
def test_unknown_language_in_the_url_is_ignored(client, value):
    assert _lang(client.get(f"/?lang={value}", headers={"Accept-Language": "es"})) in ("es", "de")


def test_language_in_the_url_is_normalised(client):
    assert _lang(client.get("/?lang=DE")) == "de"
    assert _lang(client.get("/?lang=it-IT")) == "it"


@pytest.mark.parametrize("value", ["xx", "", None, 42, ["en"], {"a": 1}])
def test_unknown_language_in_the_cookie_is_ignored(client, value):
    with client.session_transaction() as session:
        session["lang"] = value
    assert _lang(client.get("/", headers={"Accept-Language": "en"})) == "en"
    assert _lang(client.get("/")) == "fr"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-CH,de;q=0.9,en;q=0.8", "de"),
        ("es-419", "es"),
        ("pt-BR,it;q=0.5", "it"),
        ("pl", "fr"),
        ("*", "fr"),
        (";;;,,,q=", "fr"),
        ("en;q=abc,de;q=0.5", "de"),
        ("it;q=0", "fr"),
        ("x" * 5000, "fr"),
        ("é\u00e9,ü", "fr"),
    ],
)
def test_browser_language_and_malformed_headers(client, header, expected):
    assert _lang(client.get("/", headers={"Accept-Language": header})) == expected


def test_event_main_language_when_the_browser_asks_for_none_offered(client, published):
    event = published()
    event.default_language = "en"
    db.session.commit()
    assert _lang(client.get(f"/e/{event.code}", headers={"Accept-Language": "pl"})) == "en"
    assert _lang(client.get(f"/e/{event.code}", headers={"Accept-Language": "de"})) == "de"
    assert _lang(client.get("/", headers={"Accept-Language": "pl"})) == "fr"


def test_an_event_can_restrict_the_languages_it_offers(app, client, published):
    event = published(languages="fr,en")
    event.restrict_languages = True
    db.session.commit()
    page = client.get(f"/e/{event.code}?lang=de", headers={"Accept-Language": "it,en;q=0.5"})
    assert _lang(page) == "en"
    switch = page.get_data(as_text=True).split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'hreflang="(\w+)"', switch) == ["fr", "en"]
    # Elsewhere the remembered German choice applies again.
    assert _lang(client.get("/")) == "de"


def test_without_restriction_every_language_is_offered_on_event_pages(client, published):
    event = published(languages="fr")
    assert _lang(client.get(f"/e/{event.code}/programme?lang=it")) == "it"


def _register(client, event, language: str) -> str:
    response = client.post(f"/e/{event.code}/register", data=person(1, language=language))
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return private_link(person(1)["email"])  # the private link arrives by e-mail only


def test_private_pages_speak_the_attendee_language(app, published):
    event = published(start_date=FUTURE, end_date=FUTURE)
    link = _register(app.test_client(), event, "it")
    assert db.session.scalars(db.select(Registration)).one().language == "it"
    visitor = app.test_client()
    # The attendee's language beats the browser's …
    assert _lang(visitor.get(link, headers={"Accept-Language": "de"})) == "it"
    # … but not a language they pick with the switch, which is then remembered.
    assert _lang(visitor.get(f"{link}?lang=en")) == "en"
    assert _lang(visitor.get(link)) == "en"


def test_language_switch_on_every_page(client, published):
    event = published()
    for path in (
        "/",
        f"/e/{event.code}",
        f"/e/{event.code}/programme",
        "/auth/login",
        "/e/NOPE404",
    ):
        html = client.get(f"{path}?lang=es" if "?" not in path else path).get_data(as_text=True)
        switch = html.split('class="lang-switch"', 1)[1].split("</nav>", 1)[0]
        links = re.findall(
            r'<a href="([^"]+)" lang="(\w+)" hreflang="(\w+)"\s*(aria-current="true")?', switch
        )
        assert [(lang, hreflang) for _, lang, hreflang, _ in links] == [(c, c) for c in LANGS], path
        assert [lang for _, lang, _, current in links if current] == ["es"], path
        for href, lang, _, _ in links:
            assert href.split("?")[0] == path.split("?")[0] or path == "/e/NOPE404", href
            assert f"lang={lang}" in href
    for name in ("Français", "English", "Deutsch", "Español", "Italiano"):
        assert f">{name}<" in html


def test_the_current_language_is_not_marked_by_colour_only():
    css = (Path(__file__).parents[2] / "eventsys/static/css/app.css").read_text(encoding="utf-8")
    rule = re.search(r'\.lang-switch a\[aria-current="true"\]\s*\{([^}]*)\}', css).group(1)
    assert "font-weight: 700" in rule or "text-decoration: underline" in rule
