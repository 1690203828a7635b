"""Who gets which badge and what it shows: the registrations, roles, subtitles, itineraries and
languages gathered into the plain data of the pure badge renderer (eventsys/render/badges).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from eventsys.extensions import db
from eventsys.i18n import format_day
from eventsys.models import Event
from eventsys.models.checkin import (
    BadgeCredential,
)
from eventsys.models.networking import NetworkingActivity, NetworkingParticipant
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import (
    CHOICE_CONFIRMED,
    REG_CONFIRMED,
    REG_PENDING,
    Registration,
)
from eventsys.models.types import utcnow
from eventsys.render.badges import BadgeData, BadgeOptions, ItineraryStep, ProgrammeItem
from eventsys.services import networking
from eventsys.services import technical_visits as visits
from eventsys.services.checkin.desk import (
    registration_roles,
)
from eventsys.services.checkin.tokens import (
    badge_secret,
    credential_is_current,
)
from eventsys.services.tokens import (
    make_badge_token,
    new_badge_nonce,
)

# ------------------------------------------------------------------------- badges


def badge_registrations(event: Event, ids: Iterable[int] | None = None) -> list[Registration]:
    """Confirmed registrations (or the chosen ones, if they hold a place) sorted by name, choices loaded."""
    query = select(Registration).where(Registration.event_id == event.id)
    if ids is None:
        query = query.where(Registration.status == REG_CONFIRMED)
    else:
        wanted = [i for i in ids if isinstance(i, int)]
        query = query.where(
            Registration.id.in_(wanted), Registration.status.in_((REG_CONFIRMED, REG_PENDING))
        )
    query = query.order_by(
        func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id
    )
    query = query.options(selectinload(Registration.choices))
    return list(db.session.scalars(query))


def _subtitle(event: Event, lang: str) -> str:
    try:
        start = format_day(event.start_date, lang, width="long")
        end = (
            format_day(event.end_date, lang, width="long")
            if event.end_date != event.start_date
            else ""
        )
    except (ValueError, LookupError):
        start = event.start_date.isoformat()
        end = event.end_date.isoformat() if event.end_date != event.start_date else ""
    when = f"{start} – {end}" if end else start
    return " · ".join(part for part in (when, event.venue_name) if part)


def badge_nonces(registrations: Sequence[Registration]) -> dict[int, int]:
    """Badge nonces of many registrations at once, by registration id (drawing the missing ones)."""
    ids = [r.id for r in registrations]
    existing = {
        c.registration_id: c
        for chunk in _chunks(ids, 500)
        for c in db.session.scalars(
            select(BadgeCredential).where(BadgeCredential.registration_id.in_(chunk))
        )
    }
    nonces = {}
    for registration in registrations:
        credential = existing.get(registration.id)
        if not credential_is_current(credential, registration):
            if credential is None:
                credential = BadgeCredential(registration_id=registration.id)
                db.session.add(credential)
            credential.nonce = new_badge_nonce()
            credential.issued_at = utcnow()
            credential.registration_created_at = registration.created_at
        nonces[registration.id] = credential.nonce
    db.session.flush()
    return nonces


def _chunks(items: Sequence[int], size: int) -> Iterable[Sequence[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def badge_itineraries(
    registrations: Sequence[Registration], languages: dict[int, str]
) -> dict[int, list[ItineraryStep]]:
    """Each registration's speed-networking rounds (table, theme, facilitator), as printed on the
    back of a folded badge: the plans `networking.registration_itineraries` reads, for many
    people at once (one plan view per activity and label language, not one per person)."""
    participants = [
        p
        for chunk in _chunks([r.id for r in registrations], 500)
        for p in db.session.scalars(
            select(NetworkingParticipant)
            .join(NetworkingActivity, NetworkingParticipant.activity_id == NetworkingActivity.id)
            .where(NetworkingParticipant.registration_id.in_(chunk))
            .order_by(NetworkingActivity.starts_at, NetworkingActivity.id)
        )
    ]
    # (activity, language) -> participant id -> round number -> (column or None when sitting out)
    where: dict[tuple[int, str], tuple[Any, dict[str, dict[int, Any]]] | None] = {}
    steps: dict[int, list[ItineraryStep]] = defaultdict(list)
    for participant in participants:
        activity = participant.activity
        lang = languages.get(participant.registration_id, "fr")
        key = (activity.id, lang)
        if key not in where:
            with force_locale(lang):  # "Table 3" / "Groupe 3" in the badge's language
                view = networking.plan_view(activity)
            seats: dict[str, dict[int, Any]] = defaultdict(dict)
            if view is not None:
                for rnd in view.rounds:
                    for column, cell in zip(view.columns, rnd.cells, strict=True):
                        for person in cell:
                            seats[str(person.id)][rnd.number] = column
                    for person in rnd.sitting_out:
                        seats[str(person.id)].setdefault(rnd.number, None)
            where[key] = (view, seats) if view is not None else None
        found = where[key]
        if found is None:
            continue
        view, seats = found
        mine = seats.get(str(participant.id), {})
        for rnd in view.rounds:
            if rnd.number not in mine:
                continue  # absent from this round
            column = mine[rnd.number]
            steps[participant.registration_id].append(
                ItineraryStep(
                    start=rnd.starts_at,
                    end=rnd.ends_at,
                    place=column.label if column is not None else "",
                    number=rnd.number,
                    theme=column.theme if column is not None else "",
                    facilitator=column.facilitator if column is not None else "",
                    activity=activity.session.localized("title", lang),
                    sitting_out=column is None,
                )
            )
    return steps


def badge_data(
    event: Event, registrations: Sequence[Registration], with_programme: bool = False
) -> list[BadgeData]:
    """The badges of these registrations: signed QR, role, label language, own programme when asked."""
    secret = badge_secret()
    nonces = badge_nonces(registrations)
    roles = registration_roles(event)
    offered = event.language_list
    sessions = {s.id: s for s in event.sessions if s.status != SESSION_CANCELLED}
    common = [s for s in sessions.values() if not s.requires_registration and s.type != "break"]
    subtitles: dict[str, str] = {}
    badges = []
    languages = {
        r.id: (r.language or (offered[0] if offered else "fr")).lower() for r in registrations
    }
    itineraries = badge_itineraries(registrations, languages) if with_programme else {}
    in_delegations = visits.badge_lines(registrations, languages)
    visit_details = visits.visits_for(sessions.values()) if with_programme else {}
    for registration in registrations:
        lang = languages[registration.id]
        if lang not in subtitles:
            subtitles[lang] = _subtitle(event, lang)
        programme: list[ProgrammeItem] = []
        if with_programme:
            chosen = [
                sessions[c.session_id]
                for c in registration.choices
                if c.status == CHOICE_CONFIRMED and c.session_id in sessions
            ]
            for session in sorted({*common, *chosen}, key=lambda s: (s.starts_at, s.id)):
                programme.append(
                    ProgrammeItem(
                        session.starts_at,
                        session.ends_at,
                        session.localized("title", lang),
                        " · ".join(visits.visit_lines(visit_details[session], event, lang))
                        if session in visit_details
                        else session.room.localized("name", lang) if session.room else "",
                    )
                )
        badges.append(
            BadgeData(
                event_name=event.localized("title", lang),  # the main language's as fallback
                event_subtitle=subtitles[lang],
                first_name=registration.first_name,
                last_name=registration.last_name,
                organisation=registration.organisation,
                delegation=in_delegations.get(registration.id, ""),
                role=roles.get((registration.email or "").strip().lower(), "participant"),
                languages=(registration.language,)
                if len(offered) > 1 and registration.language
                else (),
                lang=lang,
                qr_payload=make_badge_token(
                    secret, event.id, registration.id, nonces[registration.id]
                ),
                programme=tuple(programme),
                itinerary=tuple(itineraries.get(registration.id, ())),
            )
        )
    return badges


def badge_options(event: Event, bilingual: str | None = None) -> BadgeOptions:
    """Options shared by an event's badges (time zone, second label language, PDF title)."""
    return BadgeOptions(
        bilingual=bilingual or None, tz=event.timezone, title=f"Badges – {event.title}"
    )
