"""The directory end to end, as people do it: an attendee opts in with German C1 and
"translation" from her private link; a coordinator finds her by "German, translation"; an
organiser asks her to translate a session; she translates it from the link in her e-mail; once
the organiser publishes it, a German visitor reads the German abstract in the public programme."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from eventsys.extensions import db
from tests.browser.conftest import axe_violations

PASSWORD = "correct horse battery staple"
CODE = "Z26IN 120"
SESSION = "Gestion intégrée des eaux pluviales"
ABSTRACT = "Retour d'expérience de la métropole sur les noues et les toitures végétalisées."
GERMAN_TITLE = "Integriertes Regenwassermanagement"
GERMAN_ABSTRACT = "Erfahrungsbericht der Metropole über Mulden und Gründächer."


def _setup(app, base_url: str) -> str:
    """A published day with one session, an organiser, a coordinator; Ada's private link."""
    from eventsys.models import ProgrammeSession
    from eventsys.security import create_user
    from eventsys.services import programme
    from eventsys.services import registration as reg
    from eventsys.services.directory import search

    day = datetime.now(UTC).date() + timedelta(days=30)
    with app.test_request_context("/", base_url=base_url):
        organiser = create_user(
            "orga@example.org", PASSWORD, name="Orga", platform_role="organiser"
        )
        admin = create_user("admin@example.org", PASSWORD, is_admin=True)
        coordinator = create_user("claire@example.org", PASSWORD, name="Claire")
        search.grant_coordinator(coordinator, admin)
        event = programme.create_event(
            organiser,
            {"title": "Rencontre transfrontalière", "code": CODE, "kind": "training_day", "start_date": day,
             "end_date": day, "timezone": "Europe/Paris", "languages": "fr,de"},
            "{kind}{yy}EV {seq:03d}",
        )  # fmt: skip
        starts = programme.local_to_utc(event, day, time(10))
        programme.save_session(
            event, ProgrammeSession(), {"title": SESSION, "type": "talk", "description": ABSTRACT},
            starts, starts + timedelta(hours=1),
        )  # fmt: skip
        programme.publish_event(event)
        outcome = reg.register_attendee(event, reg.RegistrationInput(
            first_name="Ada", last_name="Weber", email="ada.weber@ville-exemple.fr", organisation="Ville d'Exemple",
            language="fr", consent=True,
        ))  # fmt: skip
        db.session.commit()
    return base_url + "/r/" + outcome.token


def _login(page, live_server, email: str) -> None:
    page.goto(live_server("/auth/login"))
    page.get_by_label("Adresse e-mail").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(re.compile(r"/manage/"))


def _link_sent_to(app, email: str, kind: str) -> str:
    from eventsys.models.registration import OutboxMessage

    with app.app_context():
        message = db.session.scalars(
            select(OutboxMessage).where(OutboxMessage.to_addr == email, OutboxMessage.kind == kind)
        ).all()[-1]
        return re.search(r"https?://\S+/directory/t/\S+", message.body_text).group(0)


def test_from_opt_in_to_the_german_programme(live_server, browser, page):
    link = _setup(live_server.app, live_server.url)

    # Ada opts in from her private link: German C1 (and French, her own language), translation.
    page.goto(link)
    page.get_by_role("link", name="Créer mon profil dans l'annuaire").click()
    page.get_by_label("Langue 1", exact=True).select_option("fr")
    page.get_by_label("Niveau en langue 1").select_option("native")
    page.get_by_label("Langue 2", exact=True).select_option("de")
    page.get_by_label("Niveau en langue 2").select_option("C1")
    page.get_by_label("Traduction", exact=True).check()
    page.get_by_label("Région").select_option("FR-GES")
    assert axe_violations(page) == []
    page.get_by_label(re.compile("^J'accepte que ces informations")).check()
    page.get_by_role("button", name="Enregistrer mon profil").click()
    page.get_by_text("Votre profil est enregistré dans l'annuaire").wait_for()

    # A coordinator finds her by "German, translation".
    coordinator = browser.new_context(locale="fr-FR").new_page()
    _login(coordinator, live_server, "claire@example.org")
    coordinator.get_by_role("link", name="Annuaire").click()
    coordinator.get_by_role("combobox", name="Langue", exact=True).select_option("de")
    coordinator.get_by_label("Rôle").select_option("translation")
    coordinator.get_by_role("button", name="Rechercher").click()
    results = coordinator.get_by_role("table")
    assert "Ada Weber" in results.inner_text()
    assert "allemand (C1)" in results.inner_text()
    assert axe_violations(coordinator) == []

    # The organiser asks her to translate the session into German.
    organiser = browser.new_context(locale="fr-FR").new_page()
    _login(organiser, live_server, "orga@example.org")
    organiser.get_by_role("link", name=re.compile("Rencontre transfrontalière")).first.click()
    organiser.get_by_role("link", name="Traductions").click()
    organiser.get_by_label("À traduire").select_option(label=SESSION)
    organiser.get_by_label("Langue de la traduction").select_option("de")
    organiser.get_by_role("button", name="Trouver des volontaires").click()
    assert axe_violations(organiser) == []
    organiser.get_by_label(re.compile("^Ada Weber")).check()
    organiser.get_by_role("button", name="Envoyer la demande").click()
    organiser.get_by_text("La demande est envoyée aux volontaires choisis.").wait_for()
    assert "demandée" in organiser.get_by_text("Statut de la demande").inner_text()

    # Ada translates it from the link in her e-mail, source beside target.
    page.goto(_link_sent_to(live_server.app, "ada.weber@ville-exemple.fr", "translation_invited"))
    page.get_by_role("button", name="J'accepte de traduire").click()
    page.get_by_text(ABSTRACT).wait_for()
    page.get_by_label("Titre — allemand").fill(GERMAN_TITLE)
    page.get_by_label("Résumé — allemand").fill(GERMAN_ABSTRACT)
    assert axe_violations(page) == []
    page.get_by_role("button", name="Envoyer ma traduction").click()
    page.get_by_text("Votre traduction est envoyée à l'organisateur").wait_for()

    # Until it is published, German visitors read the French abstract.
    visitor = browser.new_context(locale="de-DE").new_page()
    visitor.goto(live_server(f"/e/{CODE.replace(' ', '')}/programme"))
    assert ABSTRACT[:40] in visitor.locator("main").inner_text()

    # The organiser reviews and publishes it.
    organiser.get_by_role("link", name="Toutes les demandes").click()
    assert "traduite, à relire" in organiser.get_by_role("table").inner_text()
    organiser.get_by_role("link", name=SESSION).click()
    assert organiser.get_by_label("Résumé — allemand").input_value() == GERMAN_ABSTRACT
    assert axe_violations(organiser) == []
    organiser.get_by_role("button", name="Publier la traduction").click()
    organiser.get_by_text("La traduction est publiée").wait_for()
    assert "publiée" in organiser.get_by_text("Statut de la demande").inner_text()

    visitor.reload()
    main = visitor.locator("main").inner_text()
    assert GERMAN_TITLE in main
    assert GERMAN_ABSTRACT[:40] in main
    assert ABSTRACT[:40] not in main
