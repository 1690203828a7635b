"""Speed-networking in a real browser: the organiser plans the demo day's speed-networking, three
people leave at lunch, the remaining rounds are re-planned, and the projector runs with the keyboard.

Set EVENTSYS_SCREENSHOT_DIR to keep screenshots of the plan and the projector.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models.networking import NetworkingActivity
from tests.browser.conftest import axe_violations
from tests.networking.checker import check_stored_plan


def _prepare_demo(app) -> tuple[int, int]:
    """The demo data as loaded: its invented people who opted in, with ranked themes among the
    seven themes of the tables (nobody added by hand). (event id, people expected)."""
    from eventsys.models.registration import Registration
    from eventsys.services.demo import load_demo
    from eventsys.services.programme import find_event

    with app.app_context():
        load_demo()
        db.session.commit()
        event = find_event("Z26IN 001")
        opted_in = db.session.scalar(
            select(func.count(Registration.id)).where(
                Registration.event_id == event.id, Registration.status == "confirmed",
                Registration.networking_opt_in.is_(True),
            )
        )  # fmt: skip
        assert opted_in >= 21
        return event.id, opted_in


def _shot(page, name: str) -> None:
    folder = os.environ.get("EVENTSYS_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name), full_page=True)


def test_plan_replan_and_projector(live_server, page):
    from playwright.sync_api import expect

    app = live_server.app
    app.config["NETWORKING_TIME_LIMIT_S"] = 4
    event_id, expected = _prepare_demo(app)
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill("organisatrice@example.org")
    page.get_by_label("Mot de passe").fill("demo-organiser-2026")
    page.get_by_role("button", name="Se connecter").click()

    page.goto(live_server(f"/manage/events/{event_id}/networking"))
    page.get_by_role("link", name=re.compile("Configurer la rotation")).click()
    assert page.get_by_label("Début du premier tour").input_value() == "12:45"
    page.get_by_label("Nombre de tours").fill("7")
    page.get_by_label("Durée d'un tour (minutes)").fill("9")
    page.get_by_label("Changement de table entre deux tours (minutes)").fill("1")
    page.get_by_role("button", name="Créer le speed-networking").click()
    expect(page.get_by_role("heading", name="Le speed-networking de l'AICT")).to_be_visible()  # after the redirect
    assert f"{expected} personnes attendues" in page.locator(".networking-summary").inner_text()

    page.get_by_role("button", name="Planifier").click()
    page.get_by_role("heading", name="Qui va où, tour par tour").wait_for()
    quality = page.locator(".networking-quality").inner_text()
    assert "Rencontres répétées" in quality
    assert re.search(r"\d+ répétitions? \(", quality)
    matrix = page.locator("table.networking-matrix")
    assert matrix.locator("thead th").count() == 8  # the round column and 7 tables
    assert matrix.locator("tbody tr").count() == 7
    assert "Lucie Perrin" in matrix.locator("thead").inner_text()
    assert axe_violations(page) == []
    _shot(page, "networking-plan.png")

    with app.app_context():
        activity = db.session.scalars(select(NetworkingActivity)).one()
        first = activity.current_plan
        check_stored_plan(activity, first)
        first_data = dict(first.data)
        leaving = [p.name for p in activity.participants[:3]]

    # Three people leave at lunch: absent from round 4.
    page.get_by_role("link", name="Participant·es", exact=True).click()
    for name in leaving:
        page.get_by_role("checkbox", name=name, exact=True).check()
    page.get_by_label("Action").select_option(label="Absent·es à partir du tour choisi")
    page.get_by_label("Tour", exact=True).select_option(value="4")
    page.get_by_role("button", name="Appliquer").click()
    assert "3 personnes mises à jour" in page.locator(".flashes").inner_text()
    assert page.get_by_text("Absent·e à partir du tour 4").count() == 3
    assert axe_violations(page) == []

    page.get_by_role("link", name="Plan", exact=True).click()
    page.get_by_label("Replanifier à partir du tour").select_option(value="4")
    page.get_by_role("button", name="Replanifier les tours suivants").click()
    assert "Tours 4 à 7 replanifiés" in page.locator(".flashes").inner_text()
    assert (
        "Les 3 premiers tours sont repris tels qu'ils ont été joués."
        in page.locator(".networking-quality").inner_text()
    )
    assert page.locator("tr.round-played").count() == 3
    later = " ".join(
        page.locator("table.networking-matrix tbody tr").nth(i).inner_text() for i in range(3, 7)
    )
    for name in leaving:
        assert name not in later

    with app.app_context():
        activity = db.session.scalars(select(NetworkingActivity)).one()
        second = activity.current_plan
        assert second.id != first.id
        assert second.rounds_played == 3
        check_stored_plan(activity, second, first_data)

    # The projector: Space starts, → and ← change the round.
    page.get_by_role("link", name="Page projecteur (tour en cours, compte à rebours)").click()
    countdown = page.locator("#projector-countdown")
    assert page.locator("#projector-round").inner_text() == "Tour 1 sur 7"
    assert countdown.inner_text() == "09:00"
    assert page.locator('.projector-round[data-round="1"]').is_visible()
    assert not page.locator('.projector-round[data-round="2"]').is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Space")
    assert page.locator("#projector-status").inner_text() == "Tour en cours."
    expect(countdown).to_have_text(re.compile(r"^08:5\d$"))  # counting down
    page.keyboard.press("Space")
    assert page.locator("#projector-status").inner_text().startswith("En pause")
    paused_at = countdown.inner_text()
    page.wait_for_timeout(1200)
    assert countdown.inner_text() == paused_at
    page.keyboard.press("ArrowRight")
    assert page.locator("#projector-round").inner_text() == "Tour 2 sur 7"
    assert page.locator('.projector-round[data-round="2"]').is_visible()
    assert not page.locator('.projector-round[data-round="1"]').is_visible()
    assert countdown.inner_text() == "09:00"
    _shot(page, "networking-projector.png")
    page.keyboard.press("ArrowLeft")
    assert page.locator("#projector-round").inner_text() == "Tour 1 sur 7"
    # Each table of the round is on screen with who goes there.
    tables = page.locator('.projector-round[data-round="1"] .projector-station')
    assert tables.count() == 7
    assert "Table 1" in tables.first.inner_text()
