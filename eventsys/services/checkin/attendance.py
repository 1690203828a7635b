"""Attendance documents' data: half-days, sign-in sheets, hours attended per day, certificates,
for the pure renderer (eventsys/render/attendance_pdf.py).
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.i18n import format_range
from eventsys.models import Event, ProgrammeSession
from eventsys.models.checkin import (
    CheckIn,
)
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import (
    Registration,
)
from eventsys.render.attendance_pdf import CertificateData, SignInAttendee, SignInSheetData
from eventsys.services.checkin.common import (
    NOON,
    UNTIMED_TYPES,
)
from eventsys.services.checkin.desk import (
    expected_registrations,
)
from eventsys.services.errors import (
    NotFound,
)

# ------------------------------------------------------------------------- attendance documents


def _local_time(event: Event, moment: datetime) -> time:
    return moment.astimezone(event.tz).time().replace(second=0, microsecond=0)


def _session_day(event: Event, session: ProgrammeSession) -> date:
    return session.starts_at.astimezone(event.tz).date()


def _document_language(event: Event, lang: str | None = None) -> str:
    """`lang` when the event offers it, else the event's main language."""
    offered = event.language_list
    if lang and lang in offered:
        return lang
    return offered[0] if offered else "fr"


def _signin_people(event: Event, session: ProgrammeSession | None = None) -> list[SignInAttendee]:
    return [
        SignInAttendee(r.first_name, r.last_name, r.organisation)
        for r in db.session.scalars(expected_registrations(event, session))
    ]


def _trainers(sessions: Iterable[ProgrammeSession]) -> list[str]:
    names: list[str] = []
    for session in sessions:
        for link in session.speakers:
            if link.speaker.name not in names:
                names.append(link.speaker.name)
    return names


def half_days(event: Event) -> list[tuple[date, str, list[ProgrammeSession]]]:
    """(day, "am"|"pm", sessions) for each half-day of the programme, in order."""
    groups: dict[tuple[date, str], list[ProgrammeSession]] = defaultdict(list)
    for session in event.sessions:
        if session.status == SESSION_CANCELLED:
            continue
        local = session.starts_at.astimezone(event.tz)
        groups[(local.date(), "am" if local.time() < NOON else "pm")].append(session)
    return [(day, half, groups[(day, half)]) for day, half in sorted(groups)]


def session_signin_sheet(
    event: Event, session: ProgrammeSession, lang: str | None = None
) -> SignInSheetData:
    """The sign-in sheet of one session: the people expected in it.

    In `lang` when the event offers it (labels, dates and texts), else its main language.
    """
    lang = _document_language(event, lang)
    return SignInSheetData(
        event_title=event.localized("title", lang),
        session_title=session.localized("title", lang),
        day=_session_day(event, session),
        start=_local_time(event, session.starts_at),
        end=_local_time(event, session.ends_at),
        place=session.room.localized("name", lang) if session.room else event.venue_name,
        session_code=event.code_display,
        trainers=tuple(_trainers([session])),
        attendees=tuple(_signin_people(event, session)),
        lang=lang,
    )


def half_day_signin_sheet(
    event: Event, day: date, half: str, lang: str | None = None
) -> SignInSheetData:
    """The sign-in sheet of a morning or an afternoon: everyone confirmed (language as above)."""
    sessions = next((s for d, h, s in half_days(event) if d == day and h == half), None)
    if sessions is None:
        raise NotFound(_l("Aucune session n'a lieu pendant cette demi-journée."), field="day")
    lang = _document_language(event, lang)
    with force_locale(lang):
        title = _("Matin") if half == "am" else _("Après-midi")
    return SignInSheetData(
        event_title=event.localized("title", lang),
        session_title=title,
        day=day,
        start=min(_local_time(event, s.starts_at) for s in sessions),
        end=max(_local_time(event, s.ends_at) for s in sessions),
        place=event.venue_name,
        session_code=event.code_display,
        trainers=tuple(_trainers(sessions)),
        attendees=tuple(_signin_people(event)),
        lang=lang,
    )


def all_signin_sheets(
    event: Event, per: str = "half_day", lang: str | None = None
) -> list[SignInSheetData]:
    """Every sheet of the event, per half-day or per session."""
    if per == "session":
        return [
            session_signin_sheet(event, s, lang)
            for s in event.sessions
            if s.status != SESSION_CANCELLED and s.type not in UNTIMED_TYPES
        ]
    return [
        half_day_signin_sheet(event, day, half, lang) for day, half, _sessions in half_days(event)
    ]


def _merged_hours(intervals: list[tuple[datetime, datetime]]) -> float:
    total = 0.0
    end: datetime | None = None
    start: datetime | None = None
    for s, e in sorted(intervals):
        if end is None or s > end:
            if end is not None:
                total += (end - start).total_seconds()
            start, end = s, e
        else:
            end = max(end, e)
    if end is not None:
        total += (end - start).total_seconds()
    return total / 3600


def day_hours(event: Event) -> dict[date, float]:
    """Hours of programme per local day (overlaps merged; meals and breaks left out)."""
    per_day: dict[date, list[tuple[datetime, datetime]]] = defaultdict(list)
    for session in event.sessions:
        if session.status != SESSION_CANCELLED and session.type not in UNTIMED_TYPES:
            per_day[_session_day(event, session)].append((session.starts_at, session.ends_at))
    return {day: _merged_hours(intervals) for day, intervals in per_day.items()}


def attended_days(
    event: Event, registration_ids: Iterable[int] | None = None
) -> dict[int, set[date]]:
    """The local days each person was checked in (at the door, or in any session of that day)."""
    query = (
        select(CheckIn.registration_id, CheckIn.day, ProgrammeSession.starts_at)
        .outerjoin(ProgrammeSession, CheckIn.session_id == ProgrammeSession.id)
        .where(CheckIn.event_id == event.id, CheckIn.counted_key.is_not(None))
    )
    if registration_ids is not None:
        query = query.where(CheckIn.registration_id.in_(list(registration_ids)))
    days: dict[int, set[date]] = defaultdict(set)
    for registration_id, day, session_start in db.session.execute(query):
        if registration_id is not None:
            days[registration_id].add(_local_day_of(event, session_start) if session_start else day)
    return days


def _local_day_of(event: Event, moment: datetime) -> date:
    return moment.astimezone(event.tz).date()


def attended_sessions(
    event: Event, registration_ids: Iterable[int] | None = None
) -> dict[int, list[ProgrammeSession]]:
    """The sessions each person was checked in at (at the room door), in time order."""
    query = (
        select(CheckIn.registration_id, ProgrammeSession)
        .join(ProgrammeSession, CheckIn.session_id == ProgrammeSession.id)
        .where(CheckIn.event_id == event.id, CheckIn.counted_key.is_not(None))
        .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
    )
    if registration_ids is not None:
        query = query.where(CheckIn.registration_id.in_(list(registration_ids)))
    sessions: dict[int, list[ProgrammeSession]] = defaultdict(list)
    for registration_id, session in db.session.execute(query):
        if registration_id is not None and session not in sessions[registration_id]:
            sessions[registration_id].append(session)
    return sessions


def certificates(
    event: Event, registration_ids: Iterable[int] | None = None
) -> list[CertificateData]:
    """One certificate per person checked in at least once, in their language, hours from the
    programme, and the sessions they were checked in at."""
    ids = list(registration_ids) if registration_ids is not None else None
    attended = attended_days(event, ids)
    if not attended:
        return []
    followed = attended_sessions(event, ids)
    hours_per_day = day_hours(event)
    default_hours = float(current_app.config.get("CERTIFICATE_DEFAULT_DAY_HOURS", 6.0))
    people = db.session.scalars(
        select(Registration)
        .where(Registration.id.in_(list(attended)), Registration.event_id == event.id)
        .order_by(
            func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id
        )
    )
    organiser = current_app.config.get("ORGANISATION_NAME", "") or ""
    result = []
    for person in people:
        days = sorted(attended[person.id])
        hours = sum(hours_per_day.get(day, default_hours) for day in days)
        lang = (person.language or "").lower() or _document_language(event)
        result.append(
            CertificateData(
                first_name=person.first_name,
                last_name=person.last_name,
                organisation=person.organisation,
                event_title=event.localized("title", lang),  # the main language's as fallback
                start=days[0],
                end=days[-1],
                hours=round(hours, 2),
                lang=lang,
                place=event.venue_name,
                session_code=event.code_display,
                organiser=organiser,
                issued_on=days[-1],
                sessions=[
                    f"{format_range(session.starts_at, session.ends_at, lang, event.timezone)} · "
                    f"{session.localized('title', lang)}"
                    for session in followed.get(person.id, [])
                ],
            )
        )
    return result


def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF made of several (bulk downloads of sign-in sheets)."""
    if len(parts) == 1:
        return parts[0]
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
