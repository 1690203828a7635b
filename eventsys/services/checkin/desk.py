"""Checking in at the desk and at room doors: the rules of a scan, undo, counters, attendee search.

The rules, in order, are those of the package's docstring (eventsys/services/checkin/__init__.py).
Functions flush, never commit: the caller commits once.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from eventsys.extensions import db
from eventsys.models import Event, EventRole, ProgrammeSession, SessionSpeaker, Speaker, User
from eventsys.models.checkin import (
    METHOD_MANUAL,
    METHOD_QR,
    REASON_MALFORMED,
    REASON_REVOKED,
    REASON_UNKNOWN,
    RESULT_ALREADY,
    RESULT_CANCELLED,
    RESULT_INVALID,
    RESULT_NOT_CONFIRMED,
    RESULT_OK,
    RESULT_WRONG_EVENT,
    BadgeCredential,
    CheckIn,
)
from eventsys.models.people import ROLE_ORGANISER, ROLE_STAFF
from eventsys.models.registration import (
    CHOICE_CONFIRMED,
    REG_CANCELLED,
    REG_CONFIRMED,
    Registration,
    RegistrationChoice,
)
from eventsys.models.search_key import like_patterns, query_words
from eventsys.models.types import utcnow
from eventsys.services.checkin.common import (
    DEVICE_MAX,
    MAX_SCAN_CHARS,
    NONCE_RE,
    SEARCH_LIMIT,
    SEARCH_MIN_CHARS,
    TOKEN_ERRORS,
    Actor,
)
from eventsys.services.checkin.tokens import (
    badge_secret,
    credential_is_current,
)
from eventsys.services.errors import (
    InvalidCheckIn,
    NonceReused,
    NotFound,
)
from eventsys.services.tokens import (
    InvalidBadgeToken,
    parse_badge_token,
)

# ------------------------------------------------------------------------- check-in


def check_nonce(nonce: Any) -> str:
    """The client's idempotency key: 1 to 64 letters, digits or . _ : -"""
    if not isinstance(nonce, str) or not NONCE_RE.fullmatch(nonce):
        raise InvalidCheckIn(
            _l("Identifiant de scan manquant ou invalide (1 à 64 lettres, chiffres ou . _ : -)."),
            field="nonce",
        )
    return nonce


def event_session(event: Event, session_id: int | None) -> ProgrammeSession | None:
    """The session of this event a room-door scan is for, or an error."""
    if session_id is None:
        return None
    session = db.session.get(ProgrammeSession, session_id) if 0 < session_id < 2**31 else None
    if session is None or session.event_id != event.id:
        raise NotFound(_l("Cette session n'existe pas dans cet événement."), field="session")
    return session


def local_day(event: Event, moment: datetime) -> date:
    return moment.astimezone(event.tz).date()


def _counted_key(registration_id: int, session: ProgrammeSession | None, day: date) -> str:
    return (
        f"{registration_id}:s{session.id}"
        if session is not None
        else f"{registration_id}:d{day.isoformat()}"
    )


def _payload_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _iso(moment: datetime | None) -> str | None:
    return (
        moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
        if moment
        else None
    )


def registration_roles(event: Event) -> dict[str, str]:
    """Badge roles by normalised e-mail: organisers, staff, speakers and facilitators of the event."""
    roles: dict[str, str] = {}
    rows = db.session.execute(
        select(Speaker.email, SessionSpeaker.role)
        .join(SessionSpeaker, SessionSpeaker.speaker_id == Speaker.id)
        .where(Speaker.event_id == event.id, Speaker.email != "")
    )
    per_email: dict[str, set[str]] = defaultdict(set)
    for email, role in rows:
        per_email[email.strip().lower()].add(role)
    for email, kinds in per_email.items():
        roles[email] = "speaker" if "speaker" in kinds or "chair" in kinds else "facilitator"
    for email, role in db.session.execute(
        select(User.email, EventRole.role)
        .join(EventRole, EventRole.user_id == User.id)
        .where(EventRole.event_id == event.id)
    ):
        roles[email.strip().lower()] = (
            "organiser"
            if role == ROLE_ORGANISER
            else "staff"
            if role == ROLE_STAFF
            else "participant"
        )
    return roles


def _role_of(registration: Registration) -> str:
    """The badge role of one person, in one query (team role first, then speaker parts)."""
    email = (registration.email or "").strip().lower()
    team = (
        select(EventRole.role.label("role"), literal(0).label("rank"))
        .join(User, EventRole.user_id == User.id)
        .where(EventRole.event_id == registration.event_id, User.email == email)
    )
    parts = (
        select(SessionSpeaker.role.label("role"), literal(1).label("rank"))
        .join(Speaker, SessionSpeaker.speaker_id == Speaker.id)
        .where(
            Speaker.event_id == registration.event_id,
            func.lower(Speaker.email) == email,
            Speaker.email != "",
        )
    )
    rows = db.session.execute(union_all(team, parts)).all()
    staff = [role for role, rank in rows if rank == 0]
    if staff:
        return "organiser" if staff[0] == ROLE_ORGANISER else "staff"
    kinds = {role for role, _rank in rows}
    if not kinds:
        return "participant"
    return "speaker" if "speaker" in kinds or "chair" in kinds else "facilitator"


def desk_fields(registration: Registration) -> dict[str, str]:
    """What the desk may see of a person: name, organisation and badge role; nothing else."""
    return {
        "first_name": registration.first_name,
        "last_name": registration.last_name,
        "organisation": registration.organisation,
        "role": _role_of(registration),
    }


def _answer(
    result: str, reason: str, registration: Registration | None, checked_in_at: datetime | None
) -> dict[str, Any]:
    body: dict[str, Any] = {"result": result, "checked_in_at": _iso(checked_in_at)}
    if result == RESULT_INVALID:
        body["reason"] = reason
    elif result != RESULT_WRONG_EVENT and registration is not None:
        body["attendee"] = desk_fields(registration)
    if reason and result == RESULT_NOT_CONFIRMED:
        body["reason"] = reason
    return body


def _existing(event: Event, nonce: str) -> CheckIn | None:
    return db.session.scalar(
        select(CheckIn).where(CheckIn.event_id == event.id, CheckIn.nonce == nonce)
    )


def _replay(row: CheckIn, payload_hash: str) -> dict[str, Any]:
    if row.payload_hash != payload_hash:
        raise NonceReused(
            _l("Cet identifiant de scan a déjà servi pour un autre scan."), field="nonce"
        )
    answer = _answer(row.result, row.reason, row.registration, row.first_checked_in_at)
    answer["replayed"] = True
    return answer


def _evaluate(
    event: Event, qr: str | None, registration_id: int | None, session: ProgrammeSession | None
) -> tuple[str, str, Registration | None]:
    """(result, reason, registration) before the presence itself is looked at."""
    credential: BadgeCredential | None = None
    if registration_id is not None:
        registration = (
            db.session.get(Registration, registration_id) if 0 < registration_id < 2**31 else None
        )
        if registration is None or registration.event_id != event.id:
            return RESULT_INVALID, REASON_UNKNOWN, None
        claims = None
    else:
        try:
            claims = parse_badge_token(badge_secret(), qr or "")
        except InvalidBadgeToken as error:
            return RESULT_INVALID, TOKEN_ERRORS.get(type(error), REASON_MALFORMED), None
        if claims.event_id != event.id:
            return RESULT_WRONG_EVENT, "", None
        row = db.session.execute(
            select(Registration, BadgeCredential)
            .outerjoin(BadgeCredential, BadgeCredential.registration_id == Registration.id)
            .where(Registration.id == claims.registration_id, Registration.event_id == event.id)
        ).first()
        if row is None:
            return RESULT_INVALID, REASON_UNKNOWN, None
        registration, credential = row
    if registration.status == REG_CANCELLED:
        return RESULT_CANCELLED, "", registration
    if claims is not None and (
        not credential_is_current(credential, registration)
        or not claims.nonce_matches(credential.nonce)
    ):
        return RESULT_INVALID, REASON_REVOKED, None
    if registration.status != REG_CONFIRMED:
        return RESULT_NOT_CONFIRMED, "", registration
    if session is not None and session.requires_registration:
        seated = db.session.scalar(
            select(RegistrationChoice.id).where(
                RegistrationChoice.registration_id == registration.id,
                RegistrationChoice.session_id == session.id,
                RegistrationChoice.status == CHOICE_CONFIRMED,
            )
        )
        if seated is None:
            return RESULT_NOT_CONFIRMED, "session", registration
    return RESULT_OK, "", registration


def check_in(
    event: Event,
    qr: str | None,
    nonce: Any,
    *,
    session_id: int | None = None,
    registration_id: int | None = None,
    actor: Actor | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Check a scanned badge (or a person found by name: `registration_id`) in; the desk's answer.

    The answer: {"result", "checked_in_at" (ISO, or null), "attendee"? (desk fields), "reason"?,
    "replayed"? (true when the nonce had been seen: the original answer, counted once)}.

    The database decides, not a prior look-up: the row is inserted with ON CONFLICT DO NOTHING on
    the nonce and on the presence key, so a retried request replays and two desks scanning the
    same badge at once count it once, in one round trip for the common case.
    """
    nonce = check_nonce(nonce)
    if registration_id is None:
        if not isinstance(qr, str) or not qr.strip():
            raise InvalidCheckIn(_l("Rien n'a été scanné."), field="qr")
        if len(qr) > MAX_SCAN_CHARS:
            qr = qr[:MAX_SCAN_CHARS]  # still recorded (as invalid), never stored
        payload_hash = _payload_hash(qr.strip())
    else:
        payload_hash = _payload_hash(f"manual:{registration_id}")
    session = event_session(event, session_id)
    now = now or utcnow()
    actor = actor or Actor()
    day = local_day(event, now)
    result, reason, registration = _evaluate(event, qr, registration_id, session)
    values = {
        "event_id": event.id,
        "registration_id": registration.id if registration is not None else None,
        "session_id": session.id if session is not None else None,
        "day": day,
        "result": result,
        "reason": reason,
        "method": METHOD_MANUAL if registration_id is not None else METHOD_QR,
        "nonce": nonce,
        "payload_hash": payload_hash,
        "device": " ".join((actor.device or "").split())[:DEVICE_MAX],
        "staff_user_id": actor.user_id,
        "staff_token_id": actor.token_id,
        "created_at": now,
        "counted_key": None,
        "first_checked_in_at": None,
    }
    if result == RESULT_OK:
        key = _counted_key(registration.id, session, day)
        if _insert({**values, "counted_key": key, "first_checked_in_at": now}):
            return _answer(RESULT_OK, "", registration, now)
        existing = _existing(event, nonce)
        if existing is not None:  # this very scan, retried
            return _replay(existing, payload_hash)
        counted = db.session.scalar(
            select(CheckIn.first_checked_in_at).where(CheckIn.counted_key == key)
        )
        values.update(result=RESULT_ALREADY, first_checked_in_at=counted)
    if not _insert(values):
        existing = _existing(event, nonce)
        if existing is None:  # pragma: no cover - only the nonce can collide here
            raise RuntimeError("check-in insert refused without a nonce collision")
        return _replay(existing, payload_hash)
    return _answer(values["result"], reason, registration, values["first_checked_in_at"])


# Built once: the values come as parameters, so the compiled statement is cached.
_INSERTS = {
    "postgresql": postgresql.insert(CheckIn).on_conflict_do_nothing().returning(CheckIn.id),
    "sqlite": sqlite.insert(CheckIn).on_conflict_do_nothing().returning(CheckIn.id),
}


def _insert(values: dict[str, Any]) -> bool:
    """Insert one history row; False when its nonce or presence key is already taken."""
    statement = _INSERTS.get(db.session.get_bind().dialect.name)
    if statement is not None:
        return db.session.execute(statement, values).scalar() is not None
    try:
        with db.session.begin_nested():
            db.session.add(CheckIn(**values))
    except IntegrityError:
        return False
    return True


def undo_check_in(event: Event, nonce: Any, now: datetime | None = None) -> dict[str, Any]:
    """Undo a scan (the desk's "undo last scan"): the presence it counted, or for a duplicate scan
    the presence counted before it, stops counting; the rows stay."""
    nonce = check_nonce(nonce)
    row = _existing(event, nonce)
    if row is None:
        raise NotFound(
            _l("Ce scan n'a pas été enregistré : il n'y a rien à annuler."), field="nonce"
        )
    counted: CheckIn | None = row if row.counted_key is not None else None
    if counted is None and row.result == RESULT_ALREADY and row.registration_id is not None:
        # A second scan of a badge counted nothing itself; undoing it means "this person is not
        # in after all" (a badge scanned by mistake twice, the wrong person): undo their presence.
        key = _counted_key(row.registration_id, row.session, row.day)
        counted = db.session.scalar(select(CheckIn).where(CheckIn.counted_key == key))
    if counted is not None:
        counted.counted_key = None
        counted.undone_at = now or utcnow()
        db.session.flush()
    return {"undone": counted is not None, "result": row.result, "session": row.session_id}


def expected_registrations(event: Event, session: ProgrammeSession | None = None):
    """The select of confirmed registrations expected at the door, or in a session that takes registrations."""
    query = select(Registration).where(
        Registration.event_id == event.id, Registration.status == REG_CONFIRMED
    )
    if session is not None and session.requires_registration:
        query = query.where(
            Registration.id.in_(
                select(RegistrationChoice.registration_id).where(
                    RegistrationChoice.session_id == session.id,
                    RegistrationChoice.status == CHOICE_CONFIRMED,
                )
            )
        )
    return query


def counters(
    event: Event, session: ProgrammeSession | None = None, day: date | None = None
) -> dict[str, int]:
    """{"in": people checked in (today at the door, or in the session), "expected": people expected}."""
    day = day or local_day(event, utcnow())
    present = select(func.count(CheckIn.id)).where(
        CheckIn.event_id == event.id, CheckIn.counted_key.is_not(None)
    )
    if session is not None:
        present = present.where(CheckIn.session_id == session.id)
    else:
        present = present.where(CheckIn.session_id.is_(None), CheckIn.day == day)
    expected = select(func.count()).select_from(expected_registrations(event, session).subquery())
    return {"in": db.session.scalar(present) or 0, "expected": db.session.scalar(expected) or 0}


def search_attendees(
    event: Event, text: str, session: ProgrammeSession | None = None, day: date | None = None
) -> list[dict[str, Any]]:
    """People of the event whose name or organisation contains the words typed, whatever their
    accents, case, hyphens or spacing (models/search_key.py): desk fields, status, presence."""
    words = query_words(text)
    if len("".join(words)) < SEARCH_MIN_CHARS:
        return []
    day = day or local_day(event, utcnow())
    # One round trip: the person's presence key (see _counted_key) joined on the unique index.
    suffix = _counted_key(0, session, day).removeprefix("0")
    presence = CheckIn.counted_key == cast(Registration.id, String) + literal(suffix)
    query = (
        select(
            Registration.id, Registration.first_name, Registration.last_name,
            Registration.organisation, Registration.status, CheckIn.id.is_not(None),
        )  # fmt: skip
        .outerjoin(CheckIn, presence)
        .where(Registration.event_id == event.id)
    )
    for pattern in like_patterns(words):
        query = query.where(Registration.search_key.like(pattern, escape="\\"))
    query = query.order_by(
        func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id
    )
    fields = ("id", "first_name", "last_name", "organisation", "status", "checked_in")
    return [
        dict(zip(fields, (*row[:5], bool(row[5])), strict=True))
        for row in db.session.execute(query.limit(SEARCH_LIMIT))
    ]
