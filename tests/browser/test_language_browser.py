"""The language switch as a person uses it: from the keyboard, on any page, remembered after."""

from __future__ import annotations

import pytest

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

LANGS = {"fr": "Français", "en": "English", "de": "Deutsch", "es": "Español", "it": "Italiano"}


@pytest.fixture
def demo(live_server):
    from eventsys.services.demo import load_demo

    with live_server.app.app_context():
        load_demo()
        db.session.commit()


def test_keyboard_switch_keeps_the_page_and_is_remembered(live_server, page, demo):
    page.goto(live_server("/e/Z26IN001/programme?lang=fr"))
    for _ in range(40):  # Tab through the page until the switch offers German
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "Deutsch":
            break
    else:
        pytest.fail("the language switch cannot be reached with the keyboard")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.evaluate("document.documentElement.lang") == "de"
    assert page.url.split("?")[0].endswith("/e/Z26IN001/programme")
    current = page.locator('.lang-switch a[aria-current="true"]')
    assert current.inner_text() == "Deutsch"
    assert current.get_attribute("hreflang") == "de"
    # Not by colour alone: the current language is bold and underlined.
    assert int(current.evaluate("e => getComputedStyle(e).fontWeight")) >= 700
    page.goto(live_server("/"))
    assert page.evaluate("document.documentElement.lang") == "de"


@pytest.mark.parametrize("lang", list(LANGS))
def test_public_pages_in_each_language_have_no_accessibility_violations(
    live_server, page, demo, lang
):
    for path in (
        "/",
        "/e/Z26IN001",
        "/e/Z26IN001/programme",
        "/e/Z26IN001/register",
        "/auth/login",
    ):
        page.goto(live_server(f"{path}?lang={lang}"))
        assert page.evaluate("document.documentElement.lang") == lang, path
        assert page.locator(".lang-switch a").all_inner_texts() == list(LANGS.values())
        assert axe_violations(page) == [], (lang, path)


@pytest.mark.parametrize("lang", list(LANGS))
def test_the_staff_scan_page_speaks_each_language(live_server, page, demo, lang):
    """The desk opens its link in its language; a half-read code is explained in that language."""
    from flask_babel import force_locale
    from flask_babel import gettext as _

    from eventsys.services import checkin as svc
    from eventsys.services.programme import find_event

    app = live_server.app
    with app.test_request_context("/"):
        _token, raw = svc.issue_staff_token(find_event("Z26IN001"), "Accueil")
        db.session.commit()
        with force_locale(lang):
            expected = _(
                "Code illisible ou incomplet : ce n'est pas un badge de l'événement, ou le code "
                "n'a été lu qu'en partie. Rescannez tout le QR code."
            )
    page.goto(live_server(f"/staff/Z26IN001/access/{raw}"))
    page.wait_for_selector("#scan-app.scan-ready")
    page.goto(live_server(f"/staff/Z26IN001/scan?lang={lang}"))
    page.wait_for_selector("#scan-app.scan-ready")
    assert page.evaluate("document.documentElement.lang") == lang
    field = page.locator("#scan-input")
    field.press_sequentially("E1.ABCDEF", delay=5)
    field.press("Enter")
    page.wait_for_selector("#scan-result.result-error")
    assert page.locator("#result-detail").inner_text().strip() == expected
    if lang != "fr":
        assert "illisible" not in expected
    assert axe_violations(page) == []
