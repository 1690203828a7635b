"""Technical visits: a programme session of type `technical_visit` (its own registration, group
size limit and waiting list are the session's: `requires_registration` and `capacity`) with a
meeting point and time, transport, the host on site and the site itself. These details go on the
personal agenda and the badge back; delegation members' badges also carry their delegation."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, time

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys import i18n
from eventsys import text as text_rule
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.delegation import TECHNICAL_VISIT, Delegation, DelegationMember, TechnicalVisit
from eventsys.models.registration import Registration
from eventsys.models.types import max_length
from eventsys.services.countries import country_name
from eventsys.services.errors import DomainError

TEXT_MAX = max_length(TechnicalVisit.meeting_point)


class VisitInvalid(DomainError):
    """The visit's details have mistakes; `params["errors"]` maps each field to its messages."""

    code = "validation_error"
    status = 422


@dataclass
class VisitInput:
    meeting_point: str = ""
    meeting_time: str = ""  # "13:45", the event's wall clock on the visit's day
    transport: str = ""
    host: str = ""
    site: str = ""


def technical_visits(event: Event) -> list[tuple[ProgrammeSession, TechnicalVisit | None]]:
    """The event's technical visits in time order, with their details when given."""
    sessions = [s for s in event.sessions if s.type == TECHNICAL_VISIT]
    details = visits_by_session(s.id for s in sessions)
    return [(s, details.get(s.id)) for s in sessions]


def visits_by_session(session_ids: Iterable[int]) -> dict[int, TechnicalVisit]:
    ids = list(session_ids)
    if not ids:
        return {}
    return {
        v.session_id: v
        for v in db.session.scalars(
            select(TechnicalVisit).where(TechnicalVisit.session_id.in_(ids))
        )
    }


def save_visit(session: ProgrammeSession, data: VisitInput) -> TechnicalVisit:
    """Store a visit's details; the meeting time must not be after the visit's end."""
    errors: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    clean = {
        name: text_rule.one_line(getattr(data, name))
        for name in ("meeting_point", "transport", "host", "site")
    }
    for name, value in clean.items():
        if len(value) > TEXT_MAX:
            _add(
                errors,
                codes,
                name,
                "too_long",
                _("Ce champ ne doit pas dépasser %(max)d caractères.", max=TEXT_MAX),
            )
    meeting_at: datetime | None = None
    raw = text_rule.one_line(data.meeting_time)
    if raw:
        try:
            at = time.fromisoformat(raw)
        except ValueError:
            _add(
                errors,
                codes,
                "meeting_time",
                "invalid_time",
                _("Heure invalide : écrivez-la ainsi : 13:45."),
            )
        else:
            day = session.starts_at.astimezone(session.event.tz).date()
            meeting_at = datetime.combine(day, at, tzinfo=session.event.tz)
            if meeting_at >= session.ends_at:
                _add(
                    errors,
                    codes,
                    "meeting_time",
                    "after_end",
                    _("Le rendez-vous doit précéder la fin de la visite."),
                )
    if errors:
        raise VisitInvalid(
            _l("Les détails de la visite contiennent des erreurs."), errors=errors, codes=codes
        )
    visit = db.session.scalar(select(TechnicalVisit).where(TechnicalVisit.session_id == session.id))
    if visit is None:
        visit = TechnicalVisit(session_id=session.id, session=session)
        db.session.add(visit)
    for name, value in clean.items():
        setattr(visit, name, value)
    visit.meeting_at = meeting_at
    db.session.flush()
    return visit


def _add(
    errors: dict[str, list[str]], codes: dict[str, str], name: str, code: str, message: str
) -> None:
    errors.setdefault(name, []).append(message)
    codes.setdefault(name, code)


def visit_lines(visit: TechnicalVisit, event: Event, language: str) -> list[str]:
    """The visit's practical details as lines, in a language (agenda, badge back, itinerary)."""
    lines = []
    with force_locale(language):
        if visit.meeting_point or visit.meeting_at:
            when = (
                i18n.format_time(visit.meeting_at, language, event.tz) if visit.meeting_at else ""
            )
            where = ", ".join(part for part in (when, visit.meeting_point) if part)
            lines.append(_("Rendez-vous : %(where)s", where=where))
        if visit.transport:
            lines.append(_("Transport : %(how)s", how=visit.transport))
        if visit.site:
            lines.append(_("Site : %(site)s", site=visit.site))
        if visit.host:
            lines.append(_("Accueil sur place : %(host)s", host=visit.host))
    return lines


def badge_lines(registrations: Sequence[Registration], languages: dict[int, str]) -> dict[int, str]:
    """Registration id -> "delegation · country" in the badge's language, for delegation members."""
    ids = [r.id for r in registrations]
    if not ids:
        return {}
    rows = db.session.execute(
        select(DelegationMember.registration_id, Delegation.name, Delegation.country)
        .join(Delegation)
        .where(DelegationMember.registration_id.in_(ids))
    )
    return {
        rid: f"{name} · {country_name(country, languages.get(rid, 'fr'))}"
        for rid, name, country in rows
    }


def visits_for(sessions: Iterable[ProgrammeSession]) -> dict[ProgrammeSession, TechnicalVisit]:
    """The technical visits among these sessions, with their details (those that have some)."""
    chosen = [s for s in sessions if s.type == TECHNICAL_VISIT]
    details = visits_by_session(s.id for s in chosen)
    return {s: details[s.id] for s in chosen if s.id in details}
