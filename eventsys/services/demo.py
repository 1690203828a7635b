"""Demo data: a CNFPT-style training day (Z26IN 001) and a two-day national conference (RNIT 26).

Every person, organisation, address, phone number and e-mail below is invented. The two accounts
are for demonstrations only: never load the demo on a server open to the public.
The events' specifications are in demo_events.py; this module builds them and the accounts.
Idempotent: events are matched by code and left untouched when they already exist. Flushes only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event, EventRole, ProgrammeSession, Room, Speaker, Track, User
from eventsys.models.people import PLATFORM_ORGANISER, ROLE_ORGANISER, ROLE_STAFF
from eventsys.security import create_user, find_user
from eventsys.services import programme, registration
from eventsys.services.codes import canonical_code
from eventsys.services.demo_delegation import seed_delegation
from eventsys.services.demo_directory import seed_directory
from eventsys.services.demo_events import DEMO_EVENTS, EventSpec
from eventsys.services.demo_people import seed_people

ORGANISER_EMAIL = "organisatrice@example.org"
ORGANISER_PASSWORD = "demo-organiser-2026"  # noqa: S105 - published demo account
STAFF_EMAIL = "accueil@example.org"
STAFF_PASSWORD = "demo-staff-2026"  # noqa: S105 - published demo account


def _account(email: str, password: str, name: str) -> tuple[User, bool]:
    user = find_user(email)
    if user is not None:
        return user, False
    return create_user(email, password, name=name), True


def _ensure_role(event: Event, user: User, role: str) -> None:
    existing = db.session.scalar(
        select(EventRole).where(EventRole.event_id == event.id, EventRole.user_id == user.id)
    )
    if existing is None:
        db.session.add(EventRole(event=event, user=user, role=role))
        db.session.flush()


def _upcoming(anchor: date, today: date, lead_days: int) -> date:
    """The same weekday as the anchor, at least `lead_days` ahead: a demo is always open for registration."""
    target = today + timedelta(days=lead_days)
    day = target + timedelta(days=(anchor.weekday() - target.weekday()) % 7)
    # Nobody holds a training day over Christmas, in August or on a bank holiday.
    while _holiday(day) or _holiday(day + timedelta(days=1)):
        day += timedelta(days=7)
    return day


def _holiday(day: date) -> bool:
    month_day = (day.month, day.day)
    return (
        month_day >= (12, 20)
        or month_day <= (1, 4)
        or day.month == 8
        or month_day in {(5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11)}
    )


def _build(spec: EventSpec, owner: User, shift: timedelta) -> Event:
    data = {**spec.data, "code": spec.code}
    data["start_date"] += shift
    data["end_date"] += shift
    event = programme.create_event(owner, data, current_app.config["SESSION_CODE_PATTERN"])
    rooms = {r["name"]: programme.save_room(event, Room(), r) for r in spec.rooms}
    tracks = {}
    for t in spec.tracks:
        track = Track(event=event, **t)
        db.session.add(track)
        tracks[t["name"]] = track
    speakers = {key: programme.save_speaker(event, Speaker(), data) for key, data in spec.speakers.items()}
    db.session.flush()
    for item in spec.sessions:
        data = {
            "title": item.title,
            "type": item.type,
            "room_id": rooms[item.room].id if item.room else None,
            "track_id": tracks[item.track].id if item.track else None,
            "capacity": item.capacity,
            "description": item.description,
            "languages": item.languages,
            "requires_registration": item.requires_registration,
            "translations": item.translations,
        }
        programme.save_session(
            event,
            ProgrammeSession(),
            data,
            programme.local_to_utc(event, item.day + shift, time.fromisoformat(item.start)),
            programme.local_to_utc(event, item.day + shift, time.fromisoformat(item.end)),
            speakers=[(speakers[key].id, role) for key, role in item.speakers],
        )
    db.session.refresh(event)
    programme.publish_event(event)
    if spec.registration:
        registration.save_settings(event, spec.registration)
    return event


# How far ahead of "today" each demo event is placed when it is first created.
DEMO_LEAD_DAYS = {"Z26IN 001": 28, "RNIT 26": 130}


def load_demo(today: date | None = None) -> str:
    """Create the demo accounts and events that are missing; return a summary to print.

    Events keep their weekday (a Thursday training day, a Tuesday–Wednesday conference) but are
    placed a few weeks after `today`, so a fresh demo always has registrations open.
    """
    asked_day, today = today, today or datetime.now(UTC).date()
    organiser, organiser_new = _account(ORGANISER_EMAIL, ORGANISER_PASSWORD, "Organisatrice (démo)")
    organiser.platform_role = PLATFORM_ORGANISER  # the demo organiser creates events of her own
    staff, staff_new = _account(STAFF_EMAIL, STAFF_PASSWORD, "Accueil (démo)")
    lines = ["Demo data:"]
    for spec in DEMO_EVENTS:
        event = programme.find_event(spec.code)
        if event is None:
            start = spec.data["start_date"]
            shift = _upcoming(start, today, DEMO_LEAD_DAYS.get(spec.code, 28)) - start
            event = _build(spec, organiser, shift)
            state = "created"
        else:
            state = "already present, left unchanged"
        _ensure_role(event, organiser, ROLE_ORGANISER)
        _ensure_role(event, staff, ROLE_STAFF)
        seeded = seed_people(event, asked_day)
        if seeded:
            state += f"; {seeded} invented people registered"
        if spec.code == "RNIT 26" and (group := seed_delegation(event)):
            state += f"; a delegation from Senegal of {group} (with its interpreter)"
        lines.append(
            f"  {event.code_display} — {event.title} ({state}; {len(event.sessions)} sessions, "
            f"{len(event.rooms)} rooms) — /e/{canonical_code(event.code)}"
        )
    members = seed_directory(organiser)
    lines.append(
        f"  network directory: {members} invented members added"
        if members
        else "  network directory: already filled"
    )
    lines += [
        "Demo accounts (for demonstrations only, never on a public server):",
        f"  organiser: {ORGANISER_EMAIL} / {ORGANISER_PASSWORD}"
        + ("" if organiser_new else " (account already existed; password not changed)"),
        f"  staff:     {STAFF_EMAIL} / {STAFF_PASSWORD}"
        + ("" if staff_new else " (account already existed; password not changed)"),
    ]
    return "\n".join(lines)
