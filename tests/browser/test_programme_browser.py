"""Issue 2 as a person does it: an organiser builds a programme, meets a clash, fixes it and
publishes; a visitor types the code in lower case with a space and lands on the programme."""

from __future__ import annotations

import re

from eventsys.extensions import db
from eventsys.security import create_user
from tests.browser.conftest import axe_violations

PASSWORD = "browser-organiser-pw"  # noqa: S105 - test account


def _organiser(live_server) -> str:
    with live_server.app.app_context():
        create_user("orga@example.org", PASSWORD, name="Orga", platform_role="organiser")
        db.session.commit()
    return "orga@example.org"


def _login(page, live_server, email: str) -> None:
    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/manage/"))


def _main_language(page, label: str):
    """The main-language field of a text that can also be written in other languages."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(Français\))?$"))


def _choose(select, text: str) -> None:
    """Pick the option whose label contains the text (labels carry extra details such as capacity)."""
    select.select_option(select.locator("option", has_text=text).first.get_attribute("value"))


def _add_session(page, base: str, title: str, start: str, end: str, room: str, speaker: str) -> None:
    page.goto(f"{base}/sessions/new")
    _main_language(page, "Titre").fill(title)
    page.get_by_label("Heure de début").fill(start)
    page.get_by_label("Heure de fin").fill(end)
    _choose(page.get_by_label("Salle", exact=True), room)
    _choose(page.locator("select[name='speakers-0-speaker']"), speaker)
    page.locator("select[name='speakers-0-role']").select_option("facilitator")
    page.get_by_role("button", name="Enregistrer la session").last.click()
    page.wait_for_load_state()
    assert "erreur" not in page.content().lower() or title in page.content()


def test_organiser_builds_fixes_a_clash_and_publishes_then_a_visitor_finds_it(live_server, page, browser):
    email = _organiser(live_server)
    _login(page, live_server, email)

    page.goto(live_server("/manage/events/new"))
    _main_language(page, "Titre").fill("Journée d'actualité voirie et mobilités")
    page.get_by_label("Date de début").fill("2026-06-25")
    page.get_by_label("Date de fin").fill("2026-06-25")
    page.get_by_label("Code de session").fill("z26vo 007")
    page.get_by_role("button", name="Créer l'événement").click()
    page.wait_for_url(re.compile(r"/manage/events/\d+$"))
    base = page.url
    assert "Z26VO 007" in page.content()

    page.goto(f"{base}/rooms/new")
    _main_language(page, "Nom de la salle").fill("Salle Europe")
    page.get_by_label("Capacité (places)").fill("30")
    page.get_by_role("button", name="Enregistrer").click()
    page.goto(f"{base}/speakers/new")
    page.get_by_label("Nom", exact=True).fill("Camille Lefort")
    page.get_by_label("Organisme").fill("Ville de Valbourg")
    page.get_by_role("button", name="Enregistrer").click()

    _add_session(page, base, "Atelier 1 : plans vélo", "14:30", "16:00", "Salle Europe", "Camille Lefort")
    _add_session(page, base, "Atelier 2 : zones apaisées", "15:00", "16:30", "Salle Europe", "Camille Lefort")

    page.goto(f"{base}/grid")
    grid = page.locator("main")
    assert grid.get_by_text("Salle occupée deux fois").first.is_visible()
    assert grid.get_by_text(re.compile("Camille Lefort à deux endroits")).first.is_visible()

    page.goto(base)
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    assert "Publication impossible" in page.content()
    assert "Salle Europe" in page.content()

    # Fix: move the second workshop after the first one.
    page.goto(f"{base}/sessions")
    page.get_by_role("link", name="Atelier 2 : zones apaisées").first.click()
    page.get_by_label("Heure de début").fill("16:00")
    page.get_by_label("Heure de fin").fill("17:00")
    page.get_by_role("button", name="Enregistrer la session").last.click()
    page.wait_for_load_state()
    page.goto(f"{base}/grid")
    assert page.get_by_text("Aucun conflit").is_visible()
    assert page.locator(".clash").count() == 0

    page.goto(base)
    page.get_by_role("button", name="Publier").click()
    page.wait_for_load_state()
    assert "Publication impossible" not in page.content()

    visitor = browser.new_context(locale="fr-FR", viewport={"width": 360, "height": 800})
    public = visitor.new_page()
    public.goto(live_server("/"))
    public.get_by_role("searchbox", name="Code de session").fill("z26vo 007")
    public.get_by_role("searchbox", name="Code de session").press("Enter")
    public.wait_for_url(re.compile(r"/e/Z26VO007/programme$"))
    text = public.locator("main").inner_text()
    assert "Atelier 1 : plans vélo" in text
    assert "Atelier 2 : zones apaisées" in text
    assert "Salle Europe" in text
    # Readable on a 360 px phone: nothing wider than the screen.
    assert public.evaluate("document.documentElement.scrollWidth") <= 360
    visitor.close()


def test_public_pages_have_no_accessibility_violations(live_server, page):
    from eventsys.services.demo import load_demo

    with live_server.app.app_context():
        load_demo()
        db.session.commit()
    for path in ("/", "/e/Z26IN001", "/e/Z26IN001/programme", "/e/RNIT26/programme", "/auth/login",
                 "/?lang=en", "/e/Z26IN001/programme?lang=en", "/e?code=nope"):
        page.goto(live_server(path))
        assert axe_violations(page) == [], path
