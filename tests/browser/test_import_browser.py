"""Issue 15 as an organiser does it: upload a frab programme, see the double bookings in the
preview, mark the foyer as a shared space, confirm, publish; the public programme then shows
the imported descriptions formatted, the source's type labels and links."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.browser

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "formats" / "rnit27-frab.xml"
PASSWORD = "correct horse battery staple"


def _event(app) -> tuple[int, str]:
    from eventsys.security import create_user
    from eventsys.services import programme

    with app.app_context():
        owner = create_user("organisatrice@example.org", PASSWORD)
        event = programme.create_event(owner, {
            "title": "RNIT 2027", "kind": "conference", "start_date": date(2027, 6, 9),
            "end_date": date(2027, 6, 10), "timezone": "Europe/Paris", "languages": "fr", "code": "RNIT 27",
        }, "{kind}{yy}EV {seq:03d}")  # fmt: skip
        db.session.commit()
        result = event.id, event.code
        db.session.remove()
    return result


def test_upload_preview_mark_shared_room_confirm_publish(live_server, page):
    event_id, code = _event(live_server.app)
    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill("organisatrice@example.org")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.goto(live_server(f"/manage/events/{event_id}"))
    page.get_by_role("link", name="Importer un programme").click()
    page.get_by_label("Fichier du programme").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Prévisualiser l'import").click()

    page.get_by_role("heading", name="Aperçu de l'import").wait_for()
    assert page.locator(".import-summary").inner_text().startswith("8")
    double = page.get_by_role("group", name="Salles occupées par plusieurs sessions à la fois")
    assert double.is_visible()
    shared = double.get_by_label("Foyer : espace partagé")
    assert not shared.is_checked()
    report = page.locator("table.import-report")
    assert "La salle « Foyer » est déjà occupée" in report.inner_text()
    assert "Scripts, styles ou liens dangereux retirés de la description." in report.inner_text()
    assert axe_violations(page) == []

    # mark the foyer as shared and see the preview without its double booking
    shared.check()
    page.get_by_role("button", name="Mettre à jour l'aperçu").click()
    page.get_by_role("heading", name="Aperçu de l'import").wait_for()
    assert page.get_by_label("Foyer : espace partagé").is_checked()
    assert "La salle « Foyer » est déjà occupée" not in page.locator("table.import-report").inner_text()

    page.get_by_role("button", name="Importer", exact=True).click()
    page.get_by_text("Import terminé : 8 sessions créées").wait_for()

    page.goto(live_server(f"/manage/events/{event_id}"))
    page.get_by_role("button", name="Publier").click()
    page.get_by_text("Publié").first.wait_for()
    assert "La publication sera refusée" not in page.content()

    page.goto(live_server(f"/e/{code}/programme"))
    card = page.locator("li.session-card", has_text="Keynote: the resilient city")
    assert card.locator(".session-type").text_content().strip() == "Keynote"
    assert card.locator(".session-description li").all_inner_texts() == ["heat", "floods"]
    assert card.get_by_role("link", name="the report").get_attribute("href") == "https://example.org/report"
    assert card.get_by_role("link", name="Slides (PDF)").is_visible()
    assert "<p>" not in card.inner_text()
    assert "bad link" in card.inner_text()
    assert card.get_by_role("link", name="bad link").count() == 0
