"""RGPD as a person does it: from her private link she downloads her data, then erases it; her
workshop seat goes to the person waiting, and her link is dead afterwards."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import select

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

CODE = "Z26IN 077"
TITLE = "Journée d'actualité données personnelles"
WORKSHOP = "Atelier registre des traitements"


def _setup(app, base_url: str) -> str:
    """A published training day whose one-seat workshop Zoé holds while Bob waits; Zoé's link."""
    from eventsys.models import ProgrammeSession
    from eventsys.security import create_user
    from eventsys.services import programme
    from eventsys.services import registration as reg

    day = datetime.now(UTC).date() + timedelta(days=30)
    with app.test_request_context("/", base_url=base_url):
        owner = create_user("organisatrice@example.org", "correct horse battery staple")
        event = programme.create_event(
            owner,
            {"title": TITLE, "code": CODE, "kind": "training_day", "start_date": day, "end_date": day,
             "timezone": "Europe/Paris", "languages": "fr,en"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip
        starts = programme.local_to_utc(event, day, time(14))
        workshop = programme.save_session(
            event, ProgrammeSession(),
            {"title": WORKSHOP, "type": "workshop", "requires_registration": True, "capacity": 1},
            starts, starts + timedelta(hours=2),
        )  # fmt: skip
        programme.publish_event(event)
        tokens = []
        for first, last, mail in (
            ("Zoé", "Erasmus", "zoe.erasmus@agglo-zeta.fr"),
            ("Bob", "Martin", "bob@ville-exemple.fr"),
        ):
            outcome = reg.register_attendee(
                event,
                reg.RegistrationInput(first_name=first, last_name=last, email=mail, organisation="Ville d'Exemple",
                                      language="fr", consent=True, sessions=[workshop.id]),
            )  # fmt: skip
            tokens.append(outcome.token)
        db.session.commit()
    return base_url + "/r/" + tokens[0]


def test_a_person_downloads_then_erases_her_data(live_server, page):
    link = _setup(live_server.app, live_server.url)
    page.goto(link)
    section = page.get_by_role("region", name="Vos données personnelles")

    with page.expect_download() as download_info:
        section.get_by_role("link", name="Télécharger mes données").click()
    download = download_info.value
    assert download.suggested_filename == "donnees-personnelles-z26in077.json"
    data = json.loads(Path(download.path()).read_text(encoding="utf-8"))
    assert data["registration"]["email"] == "zoe.erasmus@agglo-zeta.fr"
    assert [s["title"] for s in data["sessions"]] == [WORKSHOP]

    section.get_by_role("link", name="Supprimer mes données").click()
    page.wait_for_url(re.compile(r"/r/[^/]+/erase$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Supprimer mes données"
    assert "irréversible" in page.locator("main").inner_text()
    assert axe_violations(page) == []

    # Without the box ticked, nothing happens and the box says why.
    button = page.get_by_role("button", name="Supprimer définitivement mes données")
    button.click()
    box = page.get_by_label("Je comprends que mes données seront supprimées définitivement.")
    assert box.get_attribute("aria-invalid") == "true"
    assert (
        "Cochez la case pour confirmer la suppression." in page.locator(".field-error").inner_text()
    )
    assert axe_violations(page) == []

    box.check()
    page.get_by_role("button", name="Supprimer définitivement mes données").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Vos données sont supprimées"
    assert TITLE in page.get_by_role("status").inner_text()
    assert axe_violations(page) == []

    page.goto(link)
    assert page.get_by_role("heading", level=1).inner_text() == "Ce lien ne peut pas être utilisé"

    from eventsys.models.registration import OutboxMessage, Registration

    with live_server.app.app_context():
        assert [r.first_name for r in db.session.scalars(select(Registration))] == ["Bob"]
        kinds = db.session.execute(select(OutboxMessage.to_addr, OutboxMessage.kind)).all()
        assert ("bob@ville-exemple.fr", "promoted") in kinds
        assert all(to != "zoe.erasmus@agglo-zeta.fr" for to, _kind in kinds)
