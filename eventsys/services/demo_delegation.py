"""An invented foreign delegation for the demo conference (RNIT 26): a group from Senegal with
its interpreter, registered for a technical visit whose practical details are filled in, and
needing the opening plenaries interpreted from French into English for its English-speaking guest.

Every name and address is invented (example.org). Created only while the event has no
delegation, so loading the demo twice changes nothing.
"""

from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.delegation import (
    ROLE_ELECTED,
    ROLE_ENGINEER,
    ROLE_INTERPRETER,
    ROLE_TECHNICIAN,
    TECHNICAL_VISIT,
    Delegation,
)
from eventsys.services import delegations as dl
from eventsys.services import programme
from eventsys.services import technical_visits as visits

VISIT_TITLE = "Visite technique : l'usine de traitement des eaux de la Confluence"
VISIT_TRANSLATIONS = {
    "en": {"title": "Technical visit: the Confluence water treatment plant"},
    "de": {"title": "Fachbesichtigung: die Wasseraufbereitungsanlage der Confluence"},
}
MEMBERS = (
    ("Aminata", "Ndiaye-Démo", "aminata.ndiaye@example.org", "fr", ROLE_ELECTED),
    ("Ousmane", "Sarr-Démo", "ousmane.sarr@example.org", "fr", ROLE_ENGINEER),
    ("Fatou", "Diop-Démo", "", "fr", ROLE_TECHNICIAN),  # no address: reached through the head
    ("Kwame", "Mensah-Démo", "kwame.mensah@example.org", "en", ROLE_ENGINEER),
    ("Awa", "Faye-Démo", "awa.faye@example.org", "en", ROLE_INTERPRETER),
)


def _visit(event: Event) -> ProgrammeSession:
    """The technical visit after the closing (created once, with its practical details)."""
    visit = next((s for s in event.sessions if s.type == TECHNICAL_VISIT), None)
    if visit is not None:
        return visit
    day = event.end_date
    visit = programme.save_session(
        event, ProgrammeSession(),
        {"title": VISIT_TITLE, "type": TECHNICAL_VISIT, "capacity": 15, "languages": "fr,en",
         "requires_registration": True, "translations": VISIT_TRANSLATIONS,
         "description": "Une filière de traitement rénovée, présentée par l'équipe d'exploitation."},
        programme.local_to_utc(event, day, time(16, 15)),
        programme.local_to_utc(event, day, time(18, 30)),
    )  # fmt: skip
    visits.save_visit(
        visit,
        visits.VisitInput(
            meeting_point="Parvis du centre de congrès, côté tramway", meeting_time="16:05",
            transport="Car affrété (retour à la gare vers 18 h 45)",
            host="Service de l'eau de la métropole (fictif)",
            site="Usine de traitement des eaux de la Confluence, quai des Deux-Rives (adresse fictive)",
        ),
    )  # fmt: skip
    return visit


def seed_delegation(event: Event) -> int:
    """Register the demo delegation at `event` unless it has one; how many members were added."""
    if db.session.scalar(
        select(func.count()).select_from(Delegation).where(Delegation.event_id == event.id)
    ):
        return 0
    visit = _visit(event)
    plenaries = [s.id for s in event.sessions if s.type in ("opening", "plenary")]
    day = event.start_date
    data = dl.DelegationInput(
        name="Association des ingénieurs des collectivités territoriales de Thiès (fictive)",
        country="SN", institution="Ville de Thiès-Démo",
        head_first_name="Mamadou", head_last_name="Ba-Démo", head_email="mamadou.ba@example.org",
        head_language="fr",
        members=[
            dl.MemberInput(first_name=first, last_name=last, email=email, language=language, role=role)
            for first, last, email, language, role in MEMBERS
        ],
        interpreting=[dl.PairInput("fr", "en", plenaries[:3])],
        sessions=[visit.id],
        arrival_at=programme.local_to_utc(event, day - timedelta(days=1), time(18, 30)),
        departure_at=programme.local_to_utc(event, event.end_date, time(20, 0)),
        travel_notes="Vol Dakar–Lyon, puis train ; hôtel près de la gare (fictif)",
        consent=True,
    )  # fmt: skip
    dl.register_delegation(event, data, source="organiser")
    return len(MEMBERS)
