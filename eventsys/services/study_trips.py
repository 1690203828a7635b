"""Study trips: an event whose days each take place at a site of their own, in its own time zone
(Brussels on Tuesday, Milan on Thursday). An event with trip days is a study trip. Each person gets
an itinerary PDF in their language: per day the site, the meeting point and time (in that day's
zone), transport, host, and their own sessions of the day."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import get_timezone_name
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys import i18n
from eventsys import text as text_rule
from eventsys.extensions import db
from eventsys.models import Event
from eventsys.models.delegation import Delegation, DelegationMember, StudyTripDay
from eventsys.models.registration import CHOICE_CONFIRMED, Registration
from eventsys.models.types import max_length
from eventsys.render.itinerary_pdf import Itinerary, ItineraryDay, render_itinerary
from eventsys.services.errors import DomainError

TEXT_MAX = max_length(StudyTripDay.site)


class TripDayInvalid(DomainError):
    """A trip day has mistakes; `params["errors"]` maps each field to its messages."""

    code = "validation_error"
    status = 422


@dataclass
class DayInput:
    day: date | None = None
    site: str = ""
    address: str = ""
    timezone: str = ""
    meeting_point: str = ""
    meeting_time: str = ""
    transport: str = ""
    host: str = ""
    notes: str = ""


def trip_days(event: Event) -> list[StudyTripDay]:
    """The event's days in order (none: not a study trip)."""
    query = select(StudyTripDay).where(StudyTripDay.event_id == event.id).order_by(StudyTripDay.day)
    return list(db.session.scalars(query))


def save_day(event: Event, data: DayInput, day_row: StudyTripDay | None = None) -> StudyTripDay:
    """Add or change a day: within the event's dates, once per date, a known time zone."""
    errors: dict[str, list[str]] = {}
    codes: dict[str, str] = {}

    def add(name: str, code: str, message: str) -> None:
        errors.setdefault(name, []).append(message)
        codes.setdefault(name, code)

    clean = {
        name: text_rule.one_line(getattr(data, name))
        for name in ("site", "meeting_point", "transport", "host", "timezone")
    }
    clean["address"] = "\n".join(line for line in text_rule.lines(data.address) if line)
    clean["notes"] = "\n".join(line for line in text_rule.lines(data.notes) if line)
    if not clean["site"]:
        add("site", "required", _("Indiquez le lieu de la journée."))
    for name in ("site", "meeting_point", "transport", "host"):
        if len(clean[name]) > TEXT_MAX:
            add(
                name,
                "too_long",
                _("Ce champ ne doit pas dépasser %(max)d caractères.", max=TEXT_MAX),
            )
    if data.day is None:
        add("day", "required", _("Indiquez la date."))
    elif not event.start_date <= data.day <= event.end_date:
        add("day", "outside_event", _("La date doit être comprise dans les dates de l'événement."))
    else:
        taken = db.session.scalar(
            select(StudyTripDay.id).where(
                StudyTripDay.event_id == event.id, StudyTripDay.day == data.day
            )
        )
        if taken is not None and (day_row is None or taken != day_row.id):
            add("day", "duplicate_day", _("Cette date a déjà son lieu : modifiez-la plutôt."))
    clean["timezone"] = clean["timezone"] or event.timezone
    try:
        ZoneInfo(clean["timezone"])
    except (ZoneInfoNotFoundError, ValueError):
        add(
            "timezone",
            "unknown_timezone",
            _("Fuseau horaire inconnu (exemples : Europe/Paris, Africa/Dakar)."),
        )
    meeting = text_rule.one_line(data.meeting_time)
    if meeting:
        try:
            time.fromisoformat(meeting)
        except ValueError:
            add("meeting_time", "invalid_time", _("Heure invalide : écrivez-la ainsi : 13:45."))
    if errors:
        raise TripDayInvalid(_l("La journée contient des erreurs."), errors=errors, codes=codes)
    row = day_row or StudyTripDay(event_id=event.id)
    if day_row is None:
        db.session.add(row)
    row.day, row.meeting_time = data.day, meeting[:5]
    for name, value in clean.items():
        setattr(row, name, value)
    db.session.flush()
    return row


def delete_day(day_row: StudyTripDay) -> None:
    db.session.delete(day_row)
    db.session.flush()


def _zone_label(zone: str, language: str, when: datetime) -> str:
    try:
        name = get_timezone_name(
            when.astimezone(ZoneInfo(zone)), width="long", locale=i18n.babel_locale(language)
        )
    except (LookupError, ValueError):
        name = zone
    return _("Heures locales : %(zone)s (%(id)s)", zone=name, id=zone)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def itinerary_for(registration: Registration) -> Itinerary:
    """The person's itinerary, in their language, each day's times in that day's zone."""
    event = registration.event
    language = registration.language or event.main_language
    days = trip_days(event)
    chosen = [c.session for c in registration.choices if c.status == CHOICE_CONFIRMED]
    common = [s for s in event.sessions if not s.requires_registration and not s.is_cancelled]
    sessions = sorted({*chosen, *common}, key=lambda s: (s.starts_at, s.id))
    group = db.session.scalar(
        select(Delegation.name)
        .join(DelegationMember)
        .where(DelegationMember.registration_id == registration.id)
    )
    with force_locale(language):
        out = []
        for day in days:
            zone = ZoneInfo(day.timezone)
            noon = datetime.combine(day.day, time(12), tzinfo=zone)
            mine = [s for s in sessions if s.starts_at.astimezone(zone).date() == day.day]
            meeting = ""
            if day.meeting_time:
                meeting = i18n.format_time(time.fromisoformat(day.meeting_time), language)
            facts = [
                (_("Lieu"), "\n".join(part for part in (day.site, day.address) if part)),
                (
                    _("Rendez-vous"),
                    ", ".join(part for part in (meeting, day.meeting_point) if part),
                ),
                (_("Transport"), day.transport),
                (_("Accueil sur place"), day.host),
            ]
            out.append(ItineraryDay(
                heading=f"{_capitalised(i18n.format_day(day.day, language))} — {day.site}",
                zone=_zone_label(day.timezone, language, noon),
                facts=facts,
                sessions=[(f"{i18n.format_time(s.starts_at, language, zone)}–{i18n.format_time(s.ends_at, language, zone)}",
                           s.localized("title", language)) for s in mine],
                notes=day.notes,
            ))  # fmt: skip
        person = " · ".join(
            part for part in (registration.full_name, group or registration.organisation) if part
        )
        return Itinerary(
            title=_("Itinéraire : %(title)s", title=event.localized("title", language)),
            person=person,
            days=out,
            sessions_heading=_("Programme"),
            footer=_("Document personnel : ne le transmettez pas."),
            lang=language,
        )


def itinerary_pdf(registration: Registration) -> bytes:
    """The person's itinerary as a PDF."""
    return render_itinerary(itinerary_for(registration))
