"""On-site check-in: scans at the desk and at room doors, staff tokens, badge and attendance data.

Check-in rules (`check_in`), in order: the client's nonce replays an earlier answer (safe retries,
offline queues); the scanned text must be a genuine badge token (`invalid` with a reason
otherwise); of this event (`wrong_event`); of a registration that still exists; not cancelled
(`cancelled`, whatever the badge); carrying the registration's current badge nonce (`invalid`,
reason `revoked`, for a replaced badge); confirmed (`not_confirmed`); then `ok` the first time and
`already_checked_in` (with the first time) afterwards. Door presence counts once per event day,
session presence once per session. Every scan is written to the history.

The builders at the end turn registrations and check-ins into the plain data of the pure
renderers (services/badges.py, services/attendance_pdf.py).

Functions flush, never commit: the caller commits once.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, func, literal, select, union_all
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from eventsys.extensions import db
from eventsys.i18n import format_day, format_range
from eventsys.models import Event, EventRole, ProgrammeSession, SessionSpeaker, Speaker, User
from eventsys.models.checkin import (
    METHOD_MANUAL,
    METHOD_QR,
    REASON_BAD_SIGNATURE,
    REASON_MALFORMED,
    REASON_REVOKED,
    REASON_UNKNOWN,
    REASON_UNSUPPORTED,
    RESULT_ALREADY,
    RESULT_CANCELLED,
    RESULT_INVALID,
    RESULT_NOT_CONFIRMED,
    RESULT_OK,
    RESULT_WRONG_EVENT,
    BadgeCredential,
    CheckIn,
    StaffToken,
)
from eventsys.models.networking import NetworkingActivity, NetworkingParticipant
from eventsys.models.people import ROLE_ORGANISER, ROLE_STAFF
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import (
    CHOICE_CONFIRMED,
    REG_CANCELLED,
    REG_CONFIRMED,
    REG_PENDING,
    Registration,
    RegistrationChoice,
)
from eventsys.models.search_key import like_patterns, query_words
from eventsys.models.types import utcnow
from eventsys.services import networking
from eventsys.services import technical_visits as visits
from eventsys.services.attendance_pdf import CertificateData, SignInAttendee, SignInSheetData
from eventsys.services.badges import BadgeData, BadgeOptions, ItineraryStep, ProgrammeItem
from eventsys.services.errors import (
    InvalidCheckIn,
    InvalidValue,
    NonceReused,
    NotFound,
    StaffTokenExpired,
    StaffTokenInvalid,
    StaffTokenRevoked,
    StaffTokenWrongEvent,
)
from eventsys.services.tokens import (
    BadgeSignatureInvalid,
    InvalidBadgeToken,
    MalformedBadgeToken,
    UnsupportedBadgeVersion,
    make_badge_token,
    new_badge_nonce,
    parse_badge_token,
)

NONCE_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
MAX_SCAN_CHARS = 4096  # a QR code can hold more, but nothing that long is one of our badges
DEVICE_MAX = 100
SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 12
NOON = time(13, 0)  # half-days: morning sessions start before 13:00 local time
UNTIMED_TYPES = ("meal", "break")  # not counted as attendance time on certificates
BADGE_SALT = b"eventsys/badge-token-key"

_TOKEN_ERRORS = {
    MalformedBadgeToken: REASON_MALFORMED,
    UnsupportedBadgeVersion: REASON_UNSUPPORTED,
    BadgeSignatureInvalid: REASON_BAD_SIGNATURE,
}


@dataclass(frozen=True)
class Actor:
    """Who scans: a logged-in account or a staff token, at a named desk or device."""

    user_id: int | None = None
    token_id: int | None = None
    device: str = ""


# ------------------------------------------------------------------------- badge tokens


def badge_secret() -> bytes:
    """The key that signs badge tokens: BADGE_TOKEN_SECRET, else derived from SECRET_KEY."""
    configured = current_app.config.get("BADGE_TOKEN_SECRET")
    if configured:
        return configured if isinstance(configured, bytes) else str(configured).encode()
    key = current_app.config["SECRET_KEY"]
    key = key if isinstance(key, bytes) else str(key).encode()
    return hmac.new(key, BADGE_SALT, hashlib.sha256).digest()


def _credential_is_current(credential: BadgeCredential | None, registration: Registration) -> bool:
    return credential is not None and credential.registration_created_at == registration.created_at


def badge_credential(registration: Registration) -> BadgeCredential:
    """The registration's badge credential, drawn on first use (or after a new registration)."""
    credential = db.session.scalar(
        select(BadgeCredential).where(BadgeCredential.registration_id == registration.id)
    )
    if _credential_is_current(credential, registration):
        return credential
    if credential is None:
        credential = BadgeCredential(registration_id=registration.id)
        db.session.add(credential)
    credential.nonce = new_badge_nonce()
    credential.issued_at = utcnow()
    credential.registration_created_at = registration.created_at
    db.session.flush()
    return credential


def reissue_badge(registration: Registration) -> BadgeCredential:
    """A new badge nonce: every badge printed before stops working at the desk."""
    credential = badge_credential(registration)
    old = credential.nonce
    while credential.nonce == old:
        credential.nonce = new_badge_nonce()
    credential.issued_at = utcnow()
    db.session.flush()
    return credential


def badge_token(registration: Registration) -> str:
    """The signed text of the registration's QR code."""
    credential = badge_credential(registration)
    return make_badge_token(
        badge_secret(), registration.event_id, registration.id, credential.nonce
    )


# ------------------------------------------------------------------------- staff tokens


def default_token_expiry(event: Event, now: datetime | None = None) -> datetime:
    """The end of the day after the event (local time), or 24 hours from now for a past event."""
    now = now or utcnow()
    end = datetime.combine(
        event.end_date + timedelta(days=1), time(23, 59), tzinfo=event.tz
    ).astimezone(UTC)
    return end if end > now else now + timedelta(days=1)


def issue_staff_token(
    event: Event,
    label: str = "",
    created_by: User | None = None,
    expires_at: datetime | None = None,
    now: datetime | None = None,
) -> tuple[StaffToken, str]:
    """A new desk token for the event: the row and the raw value, shown once."""
    now = now or utcnow()
    expires_at = expires_at or default_token_expiry(event, now)
    if expires_at.tzinfo is None:
        raise ValueError("expires_at must be aware")
    if expires_at <= now:
        raise InvalidValue(_l("La date d'expiration doit être dans le futur."), field="expires_at")
    label = " ".join((label or "").split())[:DEVICE_MAX]
    raw = StaffToken.generate()
    token = StaffToken(
        event_id=event.id,
        label=label,
        token_hash=StaffToken.hash(raw),
        prefix=raw[:12],
        created_at=now,
        expires_at=expires_at,
        created_by_id=created_by.id if created_by is not None else None,
    )
    db.session.add(token)
    db.session.flush()
    return token, raw


def revoke_staff_token(token: StaffToken, now: datetime | None = None) -> None:
    """Stop a desk token at once (idempotent)."""
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        db.session.flush()


def find_staff_token(raw: str) -> StaffToken | None:
    """The staff token with that raw value, whatever its state."""
    if not raw or not raw.startswith(StaffToken.PREFIX) or len(raw) > 100:
        return None
    return db.session.scalar(
        select(StaffToken).where(StaffToken.token_hash == StaffToken.hash(raw))
    )


def check_staff_token(
    token: StaffToken | None, event: Event | None = None, now: datetime | None = None
) -> StaffToken:
    """The token if it may scan now (for `event` when given); a distinct error for each reason otherwise."""
    now = now or utcnow()
    if token is None:
        raise StaffTokenInvalid(
            _l("Ce lien d'accès n'est pas valide : demandez un nouveau lien à l'organisateur.")
        )
    if token.revoked_at is not None:
        raise StaffTokenRevoked(
            _l("Ce lien d'accès a été révoqué par l'organisateur : demandez-en un nouveau.")
        )
    if token.expires_at <= now:
        raise StaffTokenExpired(
            _l("Ce lien d'accès a expiré : demandez un nouveau lien à l'organisateur.")
        )
    if event is not None and token.event_id != event.id:
        raise StaffTokenWrongEvent(_l("Ce lien d'accès est celui d'un autre événement."))
    return token


def verify_staff_token(
    raw: str, event: Event | None = None, now: datetime | None = None
) -> StaffToken:
    """Look up and check a raw staff token; records its last use."""
    token = check_staff_token(find_staff_token(raw), event, now)
    touch_staff_token(token, now)
    return token


def touch_staff_token(token: StaffToken, now: datetime | None = None) -> None:
    """Record the token's last use, at most once a minute (a desk scans every few seconds)."""
    now = now or utcnow()
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        token.last_used_at = now


def staff_tokens(event: Event) -> list[StaffToken]:
    """The event's desk tokens, newest first."""
    return list(
        db.session.scalars(
            select(StaffToken)
            .where(StaffToken.event_id == event.id)
            .order_by(StaffToken.created_at.desc(), StaffToken.id.desc())
        )
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
            return RESULT_INVALID, _TOKEN_ERRORS.get(type(error), REASON_MALFORMED), None
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
        not _credential_is_current(credential, registration)
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


def _ensure_credentials(registrations: Sequence[Registration]) -> dict[int, int]:
    """Badge nonces of many registrations at once (drawing the missing ones)."""
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
        if not _credential_is_current(credential, registration):
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
    nonces = _ensure_credentials(registrations)
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
