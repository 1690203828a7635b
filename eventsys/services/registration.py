"""Registration rules: input checks, seats and waiting lists under a lock, moderation, private links.

Concurrency. Every operation that takes or frees a place first locks the event's
`RegistrationSettings` row (`lock_event`): `SELECT … FOR UPDATE` on PostgreSQL; on SQLite an UPDATE
of that row as the first write of the transaction, which takes the database write lock at once
(the effect of BEGIN IMMEDIATE) — so seats are counted while no other writer can commit, and two
registrations can never both take the last seat. A submission, the busiest path, takes the same
lock with `_lock_drawing_ticket` (an UPDATE of the row that draws its ticket at the same time) and
keeps its round trips few: what it reads under the lock comes in one query, what it writes in one
INSERT per table. The unique constraint on (event, normalised e-mail) is the last guard against
double registration.

Waiting lists are first come, first served: each submission draws a ticket from a per-event
counter under the lock; a waiting list is ordered by ticket, and positions are computed, never
stored, so they stay 1..N after every promotion or cancellation.

Functions flush, never commit: the caller (view, API, CLI) commits once.
"""

from __future__ import annotations

import csv
import hmac
import io
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import force_locale, get_locale, pgettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import (
    and_,
    bindparam,
    false,
    func,
    insert,
    inspect,
    literal_column,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import joinedload, make_transient_to_detached, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from eventsys import i18n
from eventsys import text as text_rule
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.events import STATUS_CANCELLED
from eventsys.models.programme import SESSION_CANCELLED
from eventsys.models.registration import (
    ACTIVE_STATUSES,
    CHOICE_CANCELLED,
    CHOICE_CONFIRMED,
    CHOICE_REQUESTED,
    CHOICE_WAITLISTED,
    CONFIGURABLE_FIELDS,
    DEFAULT_FIELD_MODES,
    FIELD_HIDDEN,
    FIELD_MODES,
    FIELD_REQUIRED,
    HOLDING_PLACE,
    LIVE_CHOICES,
    ORGANISATION_TYPES,
    QUESTION_CHOICE,
    QUESTION_KINDS,
    QUESTION_YESNO,
    REG_CANCELLED,
    REG_CONFIRMED,
    REG_PENDING,
    REG_REFUSED,
    REG_STATUSES,
    REG_WAITLISTED,
    Answer,
    CustomQuestion,
    OutboxMessage,
    Registration,
    RegistrationChoice,
    RegistrationSettings,
    SessionSeatCount,
)
from eventsys.models.search_key import fold, like_patterns
from eventsys.models.translatable import check_translations
from eventsys.models.types import max_length, utcnow
from eventsys.services import mail, throttle
from eventsys.services.errors import (
    ChoiceConflict,
    EventFull,
    InvalidLink,
    InvalidTransition,
    InvalidValue,
    RegistrationClosed,
    RegistrationInvalid,
    SessionClosed,
    SessionFull,
)
from eventsys.services.links import external_url, site_root

# Read from the columns: the form's maxlength, these checks and the database say the same.
NAME_MAX = max_length(Registration.first_name)
TEXT_MAX = max_length(Registration.organisation)
EMAIL_MESSAGE_MAX = 4000  # the organiser's paragraph in registration e-mails
LONG_TEXT_MAX = 2000
ANSWER_MAX = 1000
MAX_RANKED_THEMES = 5
LINK_SALT = "eventsys.registration-link"
_NAME_PUNCTUATION = set(" '’‘-‐.")


# ---------------------------------------------------------------------------------- inputs


@dataclass
class RegistrationInput:
    """What a person (form, API or CSV row) asks for; raw, before any check."""

    first_name: str = ""
    last_name: str = ""
    email: str = ""
    organisation: str = ""
    organisation_type: str = ""
    job_title: str = ""
    language: str = ""
    sessions: Sequence[int] = ()
    networking_opt_in: bool | None = None
    networking_themes: Sequence[str] = ()
    lunch: bool | None = None
    accessibility: str = ""
    consent: bool = False
    answers: dict[int, Any] = field(default_factory=dict)
    # The uniqueness key when `email` is someone else's: a delegation member without an address of
    # their own is reached through the head's. Never set from a form.
    email_key: str = ""


@dataclass
class RegistrationOutcome:
    """The registration after a submission; `created` is False when the e-mail was already registered."""

    registration: Registration
    created: bool
    token: str
    view: StatusView | None = None  # where the person stands, when just computed


class _Errors(dict):
    """field -> list of messages, plus a machine code per field for the API."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}

    def add(self, name: str, code: str, message: str) -> None:
        self.setdefault(name, []).append(message)
        self.codes.setdefault(name, code)

    def raise_if_any(self) -> None:
        if self:
            raise RegistrationInvalid(
                _l("Le formulaire contient des erreurs : corrigez les champs signalés."),
                errors=dict(self),
                codes=dict(self.codes),
            )


clean_line = text_rule.one_line  # the one rule for one-line text (eventsys/text.py)
_clean_lines = text_rule.lines


def clean_text_block(value: Any) -> str:
    """Organiser's prose: NFC, control characters out, line breaks and paragraphs kept (at most
    one blank line between paragraphs), no trailing spaces."""
    return re.sub(r"\n{3,}", "\n\n", "\n".join(_clean_lines(value))).strip()


def clean_multiline(value: Any) -> str:
    """Like clean_line, line by line; blank lines collapse."""
    return "\n".join(line for line in _clean_lines(value) if line)


def _check_length(errors: _Errors, name: str, value: str, limit: int) -> None:
    if len(value) > limit:
        errors.add(
            name,
            "too_long",
            _("Ce champ ne doit pas dépasser %(max)d caractères (%(count)d saisis).", max=limit, count=len(value)),
        )


def _check_name(errors: _Errors, name: str, raw: Any) -> str:
    value = clean_line(raw)
    if not value:
        message = _("Indiquez votre prénom.") if name == "first_name" else _("Indiquez votre nom.")
        errors.add(name, "required", message)
        return value
    _check_length(errors, name, value, NAME_MAX)
    letters = [c for c in value if unicodedata.category(c)[0] == "L"]
    allowed = all(
        unicodedata.category(c)[0] in ("L", "M") or c in _NAME_PUNCTUATION or c in text_rule.KEEP_FORMAT_CHARS for c in value
    )
    if not letters or not allowed:
        errors.add(
            name,
            "invalid_characters",
            _(
                "Un nom ne peut contenir que des lettres (de toute écriture), des espaces, "
                "des apostrophes, des traits d'union et des points."
            ),
        )
    return value


def normalise_email(raw: Any) -> tuple[str, str]:
    """(address as written, uniqueness key) — raises ValueError when it is not an address."""
    value = clean_line(raw)
    if not value or len(value) > 254:
        raise ValueError(value)
    try:
        checked = validate_email(value, check_deliverability=False)
    except EmailNotValidError as error:
        raise ValueError(str(error)) from error
    return checked.normalized, checked.normalized.casefold()


def _check_email(errors: _Errors, raw: Any) -> tuple[str, str]:
    if not clean_line(raw):
        errors.add("email", "required", _("Indiquez votre adresse e-mail."))
        return "", ""
    try:
        return normalise_email(raw)
    except ValueError:
        errors.add("email", "invalid_email", _("Adresse e-mail invalide : vérifiez-la (exemple : prenom.nom@ville.fr)."))
        return "", ""


def languages_offered() -> list[str]:
    """Languages a person may choose for e-mails and badge."""
    return list(current_app.config["LANGUAGES"])


def _check_input(
    event: Event,
    settings: RegistrationSettings,
    questions: Sequence[CustomQuestion],
    data: RegistrationInput,
    *,
    require_consent: bool = True,
) -> tuple[dict[str, Any], dict[int, str]]:
    """Normalised personal fields and answers, or RegistrationInvalid listing every mistake."""
    errors = _Errors()
    clean: dict[str, Any] = {
        "first_name": _check_name(errors, "first_name", data.first_name),
        "last_name": _check_name(errors, "last_name", data.last_name),
    }
    clean["email"], clean["email_key"] = _check_email(errors, data.email)
    if data.email_key and clean["email"]:
        clean["email_key"] = data.email_key

    for name, limit in (("organisation", TEXT_MAX), ("job_title", TEXT_MAX)):
        mode = settings.mode(name)
        value = clean_line(getattr(data, name)) if mode != FIELD_HIDDEN else ""
        if mode == FIELD_REQUIRED and not value:
            errors.add(name, "required", _("Ce champ est obligatoire."))
        _check_length(errors, name, value, limit)
        clean[name] = value

    org_type = clean_line(data.organisation_type) if settings.mode("organisation_type") != FIELD_HIDDEN else ""
    if org_type and org_type not in ORGANISATION_TYPES:
        errors.add("organisation_type", "invalid_choice", _("Choix invalide."))
    elif not org_type and settings.mode("organisation_type") == FIELD_REQUIRED:
        errors.add("organisation_type", "required", _("Ce champ est obligatoire."))
    clean["organisation_type"] = org_type

    language = clean_line(data.language) or (event.language_list[0] if event.language_list else "fr")
    if language not in languages_offered():
        language_default = current_app.config["BABEL_DEFAULT_LOCALE"]
        if data.language:
            errors.add("language", "invalid_choice", _("Langue non proposée."))
        language = language_default
    clean["language"] = language

    for name in ("lunch",):
        mode = settings.mode(name)
        value = getattr(data, name) if mode != FIELD_HIDDEN else None
        if mode == FIELD_REQUIRED and value is None:
            errors.add(name, "required", _("Répondez par oui ou par non."))
        clean[name] = value

    accessibility = clean_multiline(data.accessibility) if settings.mode("accessibility") != FIELD_HIDDEN else ""
    if settings.mode("accessibility") == FIELD_REQUIRED and not accessibility:
        errors.add("accessibility", "required", _("Ce champ est obligatoire (écrivez « aucun » si besoin)."))
    _check_length(errors, "accessibility", accessibility, LONG_TEXT_MAX)
    clean["accessibility"] = accessibility

    themes_offered = list(settings.networking_themes or [])
    networking_on = settings.mode("networking") != FIELD_HIDDEN
    opt_in = data.networking_opt_in if networking_on else None
    if networking_on and settings.mode("networking") == FIELD_REQUIRED and opt_in is None:
        errors.add("networking", "required", _("Répondez par oui ou par non."))
    ranked = [clean_line(theme) for theme in data.networking_themes if clean_line(theme)] if opt_in else []
    if len(set(ranked)) != len(ranked):
        errors.add("networking_themes", "duplicate_theme", _("Chaque thème ne peut être classé qu'une fois."))
    elif any(theme not in themes_offered for theme in ranked):
        errors.add("networking_themes", "invalid_choice", _("Thème inconnu : choisissez parmi les thèmes proposés."))
    elif len(ranked) > MAX_RANKED_THEMES:
        errors.add("networking_themes", "too_many", _("Classez au plus %(max)d thèmes.", max=MAX_RANKED_THEMES))
    clean["networking_opt_in"] = bool(opt_in)
    clean["networking_themes"] = ranked

    if require_consent and data.consent is not True:
        errors.add(
            "consent",
            "consent_required",
            _("Votre accord est nécessaire pour traiter votre inscription."),
        )

    answers = _check_answers(errors, questions, data.answers or {})
    errors.raise_if_any()
    return clean, answers


def _check_answers(errors: _Errors, questions: Sequence[CustomQuestion], raw: dict[Any, Any]) -> dict[int, str]:
    known = {q.id: q for q in questions}
    given: dict[int, Any] = {}
    for key, value in raw.items():
        try:
            question_id = int(key)
        except (TypeError, ValueError):
            question_id = -1
        if question_id not in known:
            errors.add(f"answers.{key}", "unknown_question", _("Question inconnue."))
            continue
        given[question_id] = value
    answers: dict[int, str] = {}
    for question in questions:
        value = given.get(question.id)
        name = f"answers.{question.id}"
        if question.kind == QUESTION_YESNO:
            if isinstance(value, str):
                value = {"yes": True, "oui": True, "true": True, "no": False, "non": False, "false": False}.get(
                    value.strip().lower(), value if value.strip() else None
                )
            if value is None and not question.required:
                continue
            if value not in (True, False):
                errors.add(name, "required" if value is None else "invalid_choice", _("Répondez par oui ou par non."))
                continue
            answers[question.id] = "yes" if value else "no"
            continue
        text = clean_multiline(value) if value is not None and not isinstance(value, bool) else ""
        if not text:
            if question.required:
                errors.add(name, "required", _("Ce champ est obligatoire."))
            continue
        if question.kind == QUESTION_CHOICE and text not in (question.options or []):
            errors.add(name, "invalid_choice", _("Choix invalide."))
            continue
        if len(text) > ANSWER_MAX:
            _check_length(errors, name, text, ANSWER_MAX)
            continue
        answers[question.id] = text
    return answers


# ------------------------------------------------------------------------- settings


def default_settings(event: Event) -> RegistrationSettings:
    """Transient settings with the defaults (not added to the session)."""
    return RegistrationSettings(
        event_id=event.id,
        enabled=True,
        capacity=None,
        moderation=False,
        waitlist_enabled=True,
        retention_months=12,
        field_modes=dict(DEFAULT_FIELD_MODES),
        networking_themes=[],
        ticket_counter=0,
        held_count=0,
        waiting_count=0,
        email_message="",
        translations={},
        event=event,  # for the main language of `email_message` (no backref: stays transient)
    )


def load_settings(event: Event) -> RegistrationSettings:
    """The event's settings, or unsaved defaults when the organiser never changed them."""
    settings = db.session.scalar(select(RegistrationSettings).where(RegistrationSettings.event_id == event.id))
    return settings if settings is not None else default_settings(event)


def ensure_settings(event: Event) -> RegistrationSettings:
    """The stored settings row, created with defaults if needed (safe when two requests race)."""
    settings = db.session.scalar(select(RegistrationSettings).where(RegistrationSettings.event_id == event.id))
    if settings is not None:
        return settings
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    values = {
        "event_id": event.id, "enabled": True, "moderation": False, "waitlist_enabled": True,
        "retention_months": 12, "field_modes": dict(DEFAULT_FIELD_MODES), "networking_themes": [],
        "ticket_counter": 0, "updated_at": utcnow(),
        # The triggers keep the counters from now on; they start from any rows already there.
        "held_count": _count_registrations(event, HOLDING_PLACE).scalar_subquery(),
        "waiting_count": _count_registrations(event, (REG_WAITLISTED,)).scalar_subquery(),
    }  # fmt: skip
    db.session.execute(insert(RegistrationSettings).values(**values).on_conflict_do_nothing(index_elements=["event_id"]))
    return db.session.scalars(select(RegistrationSettings).where(RegistrationSettings.event_id == event.id)).one()


def lock_event(event: Event) -> RegistrationSettings:
    """Serialise every change of seats for this event until the transaction ends (see module doc)."""
    query = (
        select(RegistrationSettings)
        .where(RegistrationSettings.event_id == event.id)
        .execution_options(populate_existing=True)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        settings = db.session.scalars(query.with_for_update()).one_or_none()
        if settings is None:
            ensure_settings(event)
            settings = db.session.scalars(query.with_for_update()).one()
        return settings
    # SQLite: make a write the first statement so the connection holds the write lock from here on.
    touch = (
        update(RegistrationSettings)
        .where(RegistrationSettings.event_id == event.id)
        .values(ticket_counter=RegistrationSettings.ticket_counter)
        .execution_options(synchronize_session=False)
    )
    if not db.session.execute(touch).rowcount:
        ensure_settings(event)
        db.session.execute(touch)  # the row exists now, so this write takes the lock
    return db.session.scalars(query).one()


_SETTINGS = RegistrationSettings.__table__
# Built once, so SQLAlchemy reuses its compiled form: these run on every submission.
_LOCK_DRAWING_TICKET = (
    update(_SETTINGS)
    .where(_SETTINGS.c.event_id == bindparam("locked_event_id"))
    .values(ticket_counter=_SETTINGS.c.ticket_counter + 1)
    .returning(*_SETTINGS.c)
)


def _lock_drawing_ticket(event: Event, settings: RegistrationSettings) -> RegistrationSettings:
    """`lock_event` and `_draw_ticket` in one statement, for a submission.

    `UPDATE … SET ticket_counter = ticket_counter + 1 … RETURNING` locks the settings row like
    `SELECT … FOR UPDATE` on PostgreSQL (and, as the first write, takes SQLite's write lock) and
    returns the fresh row, with the ticket just drawn in `ticket_counter`; `settings` (read before
    the lock) is refreshed with it. A ticket drawn for a submission that turns out to be a
    duplicate is never used: tickets order people, they need not be consecutive."""
    db.session.flush()  # Core statements below do not autoflush
    connection = db.session.connection()
    row = connection.execute(_LOCK_DRAWING_TICKET, {"locked_event_id": event.id}).one_or_none()
    if row is None or not inspect(settings).persistent:
        # No settings row yet (or a transient default): the general path creates it.
        settings = lock_event(event)
        _draw_ticket(settings)
        return settings
    for column, value in zip(_SETTINGS.c, row, strict=True):
        set_committed_value(settings, column.key, value)
    return settings


def _draw_ticket(settings: RegistrationSettings) -> int:
    settings.ticket_counter = (settings.ticket_counter or 0) + 1
    return settings.ticket_counter


def save_settings(event: Event, data: dict[str, Any], now: datetime | None = None) -> list[Registration]:
    """Store the organiser's settings; places freed by a larger capacity go to the waiting lists."""
    settings = lock_event(event)
    capacity = data.get("capacity", settings.capacity)
    if capacity is not None and capacity < 0:
        raise InvalidValue(_l("La capacité ne peut pas être négative."), field="capacity")
    opens_at, closes_at = data.get("opens_at", settings.opens_at), data.get("closes_at", settings.closes_at)
    if opens_at and closes_at and closes_at <= opens_at:
        raise InvalidValue(_l("La clôture des inscriptions doit suivre leur ouverture."), field="closes_at")
    retention = data.get("retention_months", settings.retention_months)
    if retention is None or not 1 <= retention <= 120:
        raise InvalidValue(_l("La durée de conservation doit être comprise entre 1 et 120 mois."), field="retention_months")
    modes = {**DEFAULT_FIELD_MODES, **(settings.field_modes or {}), **data.get("field_modes", {})}
    if any(name not in CONFIGURABLE_FIELDS or mode not in FIELD_MODES for name, mode in modes.items()):
        raise InvalidValue(_l("Réglage de champ inconnu."), field="field_modes")
    themes = [clean_line(t) for t in data.get("networking_themes", settings.networking_themes or []) if clean_line(t)]
    if any(len(t) > TEXT_MAX for t in themes):
        raise InvalidValue(_l("Un thème ne doit pas dépasser 200 caractères."), field="networking_themes")
    message = clean_text_block(data.get("email_message", settings.email_message))
    translations = data.get("translations")
    if translations is not None:
        problem = check_translations(translations, RegistrationSettings)
        if problem:
            raise InvalidValue(problem, field="email_message")
        translations = {
            lang: {"email_message": clean_text_block(entry.get("email_message"))}
            for lang, entry in translations.items()
        }
    for text in [message, *(e["email_message"] for e in (translations or {}).values())]:
        if len(text) > EMAIL_MESSAGE_MAX:
            raise InvalidValue(
                _l("Le message des e-mails ne doit pas dépasser %(max)d caractères.", max=EMAIL_MESSAGE_MAX),
                field="email_message",
            )
    for name in ("enabled", "moderation", "waitlist_enabled"):
        if name in data:
            setattr(settings, name, bool(data[name]))
    settings.email_message = message
    if translations is not None:
        settings.set_translations(translations)
    settings.capacity, settings.opens_at, settings.closes_at = capacity, opens_at, closes_at
    settings.retention_months = retention
    settings.field_modes = modes
    settings.networking_themes = list(dict.fromkeys(themes))
    db.session.flush()
    return fill_vacancies(event, settings, now=now)


def event_questions(event: Event) -> list[CustomQuestion]:
    """The custom questions, in order."""
    return list(
        db.session.scalars(
            select(CustomQuestion)
            .where(CustomQuestion.event_id == event.id)
            .order_by(CustomQuestion.position, CustomQuestion.id)
        )
    )


def _settings_and_questions(event: Event) -> tuple[RegistrationSettings, list[CustomQuestion]]:
    """load_settings and event_questions in one query (settings outer-joined to the questions)."""
    rows = db.session.execute(_SETTINGS_AND_QUESTIONS, {"event_id": event.id}).all()
    if not rows:
        return default_settings(event), event_questions(event)
    return rows[0][0], [question for _settings, question in rows if question is not None]


_SETTINGS_AND_QUESTIONS = (
    select(RegistrationSettings, CustomQuestion)
    .outerjoin(CustomQuestion, CustomQuestion.event_id == RegistrationSettings.event_id)
    .where(RegistrationSettings.event_id == bindparam("event_id"))
    .order_by(CustomQuestion.position, CustomQuestion.id)
)


def add_question(event: Event, label: str, kind: str, options: Iterable[str] = (), required: bool = False) -> CustomQuestion:
    """A new custom question at the end of the form."""
    label = clean_line(label)
    if not label or len(label) > 300:
        raise InvalidValue(_l("Le libellé de la question est obligatoire (300 caractères au plus)."), field="label")
    if kind not in QUESTION_KINDS:
        raise InvalidValue(_l("Type de question inconnu."), field="kind")
    choices = list(dict.fromkeys(clean_line(o) for o in options if clean_line(o)))
    if kind == QUESTION_CHOICE and len(choices) < 2:
        raise InvalidValue(_l("Une question à choix demande au moins deux réponses possibles."), field="options")
    position = db.session.scalar(
        select(func.coalesce(func.max(CustomQuestion.position), 0)).where(CustomQuestion.event_id == event.id)
    )
    question = CustomQuestion(
        event_id=event.id,
        label=label,
        kind=kind,
        options=choices if kind == QUESTION_CHOICE else [],
        required=required,
        position=(position or 0) + 1,
    )
    db.session.add(question)
    db.session.flush()
    return question


def delete_question(question: CustomQuestion) -> None:
    """Remove a question and its answers."""
    db.session.delete(question)
    db.session.flush()


# ------------------------------------------------------------------------- window


def registration_state(event: Event, settings: RegistrationSettings, now: datetime | None = None) -> tuple[bool, str]:
    """(open?, reason) where reason is '' or a message for people."""
    now = now or utcnow()
    if event.status == STATUS_CANCELLED:
        return False, _("Cet événement est annulé : les inscriptions sont fermées.")
    if not settings.enabled:
        return False, _("Cet événement ne prend pas d'inscriptions en ligne.")
    if settings.opens_at and now < settings.opens_at:
        return False, _(
            "Les inscriptions ouvriront le %(date)s à %(time)s.",
            date=_format_day(settings.opens_at, event),
            time=_format_time(settings.opens_at, event),
        )
    if settings.closes_at and now >= settings.closes_at:
        return False, _(
            "Les inscriptions sont closes depuis le %(date)s à %(time)s.",
            date=_format_day(settings.closes_at, event),
            time=_format_time(settings.closes_at, event),
        )
    if now.astimezone(event.tz).date() > event.end_date:
        return False, _("Cet événement est terminé : les inscriptions sont closes.")
    return True, ""


def _check_open(event: Event, settings: RegistrationSettings, now: datetime) -> None:
    is_open, reason = registration_state(event, settings, now)
    if not is_open:
        raise RegistrationClosed(reason)


def _format_day(value: datetime, event: Event) -> str:
    from flask_babel import get_locale

    return i18n.format_day(value, get_locale(), event.tz, "long")


def _format_time(value: datetime, event: Event) -> str:
    from flask_babel import get_locale

    return i18n.format_time(value, get_locale(), event.tz)


# ------------------------------------------------------------------------- sessions


def session_capacity(session: ProgrammeSession) -> int | None:
    """Seats of a session: its own capacity, else its room's; None means no limit."""
    if session.capacity is not None:
        return session.capacity
    return session.room.capacity if session.room is not None else None


def registrable_sessions(event: Event) -> list[ProgrammeSession]:
    """Sessions that take registrations (the person chooses among them)."""
    return list(db.session.scalars(_REGISTRABLE_SESSIONS, {"event_id": event.id}))


# Built once (read on every submission): SQLAlchemy reuses its compiled form.
_REGISTRABLE_SESSIONS = (
    select(ProgrammeSession)
    .where(
        ProgrammeSession.event_id == bindparam("event_id"),
        ProgrammeSession.requires_registration.is_(True),
        ProgrammeSession.status != SESSION_CANCELLED,
    )
    .options(joinedload(ProgrammeSession.room))
    .order_by(ProgrammeSession.starts_at, ProgrammeSession.id)
)


def group_slots(sessions: Sequence[ProgrammeSession]) -> list[list[ProgrammeSession]]:
    """Sessions grouped by overlapping time: one choice per group at most."""
    slots: list[list[ProgrammeSession]] = []
    end: datetime | None = None
    for session in sorted(sessions, key=lambda s: (s.starts_at, s.id)):
        if slots and end is not None and session.starts_at < end:
            slots[-1].append(session)
            end = max(end, session.ends_at)
        else:
            slots.append([session])
            end = session.ends_at
    return slots


def _check_sessions(
    event: Event, settings: RegistrationSettings, wanted: Iterable[Any], *, enforce_required: bool = True
) -> list[ProgrammeSession]:
    """The chosen sessions, checked: of this event, taking registrations, no two at once."""
    ids: list[int] = []
    for raw in wanted:
        try:
            ids.append(int(raw))
        except (TypeError, ValueError):
            raise RegistrationInvalid(
                _l("Session inconnue."), errors={"sessions": [_("Session inconnue.")]}, codes={"sessions": "unknown_session"}
            ) from None
    ids = list(dict.fromkeys(ids))
    every_slot = enforce_required and settings.mode("sessions") == FIELD_REQUIRED
    open_sessions = registrable_sessions(event) if ids or every_slot else []
    by_id = {s.id: s for s in open_sessions}
    chosen: list[ProgrammeSession] = []
    for session_id in ids:
        session = by_id.get(session_id)
        if session is None:
            other = db.session.get(ProgrammeSession, session_id)
            if other is None or other.event_id != event.id:
                raise RegistrationInvalid(
                    _l("Session inconnue."),
                    errors={"sessions": [_("Session inconnue.")]},
                    codes={"sessions": "unknown_session"},
                )
            raise SessionClosed(
                _l("La session « %(title)s » ne prend pas d'inscriptions.", title=other.title), session_id=session_id
            )
        chosen.append(session)
    for slot in group_slots(chosen):
        if len(slot) > 1:
            raise ChoiceConflict(
                _l(
                    "« %(first)s » et « %(second)s » ont lieu en même temps : choisissez-en une seule.",
                    first=slot[0].title,
                    second=slot[1].title,
                )
            )
    if every_slot:
        chosen_ids = {s.id for s in chosen}
        for slot in group_slots(open_sessions):
            if not chosen_ids & {s.id for s in slot}:
                raise RegistrationInvalid(
                    _l("Choisissez une session dans chaque créneau."),
                    errors={"sessions": [_("Choisissez une session dans chaque créneau.")]},
                    codes={"sessions": "required"},
                )
    return chosen


def _count_registrations(event: Event, statuses: Sequence[str]) -> Any:
    return select(func.count()).select_from(Registration).where(
        Registration.event_id == event.id, Registration.status.in_(statuses)
    )


_SESSION_COUNTS = SessionSeatCount.__table__


def seats_taken(session_ids: Iterable[int]) -> dict[int, int]:
    """Confirmed seats per session."""
    return _session_counts(session_ids)[0]


def places_taken(event: Event) -> int:
    """Registrations holding a place (confirmed or pending approval), from the event's counter."""
    held = db.session.scalar(select(RegistrationSettings.held_count).where(RegistrationSettings.event_id == event.id))
    if held is None:  # no settings row, so no counter yet: count (nobody registered, in practice)
        held = db.session.scalar(_count_registrations(event, HOLDING_PLACE))
    return held or 0


def _session_counts(session_ids: Iterable[int]) -> tuple[dict[int, int], dict[int, int]]:
    """(seats taken, people waiting) per session, from the sessions' counters."""
    ids = list(session_ids)
    seats, waiting = dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)
    if ids:
        counts = _SESSION_COUNTS.c
        rows = db.session.execute(
            select(counts.session_id, counts.seats, counts.waiting).where(counts.session_id.in_(ids))
        )
        for session_id, taken, queued in rows:
            seats[session_id], waiting[session_id] = taken, queued
    return seats, waiting


@dataclass
class _LockedState:
    """What a submission needs to know, read under the event lock (the event's own counters come
    with the locked settings row)."""

    existing_id: int | None  # a registration with the same e-mail (any status)
    seats: dict[int, int]  # session id -> confirmed seats
    session_waiting: dict[int, int]  # session id -> people waiting


_STATE_QUERIES: dict[bool, Any] = {}


def _state_query(session_counts: bool) -> Any:
    """The UNION ALL behind _state_under_lock, built once per shape (cached compilation)."""
    if session_counts not in _STATE_QUERIES:
        kind, zero = literal_column, literal_column("0")
        parts = [
            select(kind("'existing'"), Registration.id, zero, zero).where(
                Registration.event_id == bindparam("event_id"), Registration.email_key == bindparam("email_key")
            )
        ]
        if session_counts:
            counts = _SESSION_COUNTS.c
            parts.append(
                select(kind("'session'"), counts.session_id, counts.seats, counts.waiting).where(
                    counts.session_id.in_(bindparam("session_ids", expanding=True))
                )
            )
        _STATE_QUERIES[session_counts] = union_all(*parts) if len(parts) > 1 else parts[0]
    return _STATE_QUERIES[session_counts]


def _state_under_lock(event: Event, email_key: str, session_ids: list[int]) -> _LockedState:
    """The e-mail's registration and the sessions' counters: one query (UNION ALL)."""
    params: dict[str, Any] = {"event_id": event.id, "email_key": email_key}
    if session_ids:
        params["session_ids"] = session_ids
    state = _LockedState(None, dict.fromkeys(session_ids, 0), dict.fromkeys(session_ids, 0))
    for kind, key, seats, waiting in db.session.connection().execute(_state_query(bool(session_ids)), params):
        if kind == "existing":
            state.existing_id = key
        else:
            state.seats[key], state.session_waiting[key] = seats, waiting
    return state


# ------------------------------------------------------------------------- registering


def register_attendee(
    event: Event,
    data: RegistrationInput,
    *,
    source: str = "web",
    by_organiser: bool = False,
    notify: bool = True,
    now: datetime | None = None,
    ticket: int | None = None,
    wait: bool = False,
) -> RegistrationOutcome:
    """Register a person: a place, a seat or a waiting-list ticket per chosen session, one e-mail.

    Submitting again with the same e-mail never creates a second registration: the existing one is
    returned (`created=False`) and its private link is e-mailed again. A group that comes all
    together or not at all registers each member with the first one's `ticket` (one position on
    the waiting lists, promoted together by `fill_vacancies`) and `wait` when it does not fit.
    """
    now = now or utcnow()
    settings, questions = _settings_and_questions(event)
    if not by_organiser:
        _check_open(event, settings, now)
    elif event.status == STATUS_CANCELLED:
        raise RegistrationClosed(_l("Cet événement est annulé : les inscriptions sont fermées."))
    clean, answers = _check_input(event, settings, questions, data, require_consent=not by_organiser)
    sessions = _check_sessions(event, settings, data.sessions, enforce_required=not by_organiser)

    settings = _lock_drawing_ticket(event, settings)
    if not by_organiser:
        _check_open(event, settings, now)  # the organiser may have closed it while we waited
    # Read under the lock: the event's counters came with its locked row; the sessions' counters
    # come with the look-up of the e-mail, in one round trip. The newcomer's ticket is the highest
    # ever drawn, so their position on any waiting list is the number already waiting there, plus one.
    state = _state_under_lock(event, clean["email_key"], [s.id for s in sessions])
    existing = None
    if state.existing_id is not None:
        existing = db.session.get(Registration, state.existing_id)
    if existing is not None and existing.status != REG_CANCELLED:
        if source == "web":  # the public form must not tell that the address is registered:
            _refuse_like_a_newcomer(settings, sessions, state.seats)  # refused as a newcomer would be
        token = link_token(existing)
        # Anyone may submit someone else's address: the link goes again at most once an hour
        # (DUPLICATE_NOTICE_LIMIT, shared by every server), never as a mail bomb.
        if notify and throttle.hit(
            current_app.config["DUPLICATE_NOTICE_LIMIT"], "duplicate-notice", f"{event.id}:{existing.email}"
        ):
            send_notice(existing, "duplicate")
        return RegistrationOutcome(existing, created=False, token=token)

    held, waiting = settings.held_count, settings.waiting_count
    capacity_left = (settings.capacity is None or held < settings.capacity) and not wait
    if not capacity_left and not settings.waitlist_enabled:
        raise EventFull(_l("Cet événement est complet."))
    counts, session_waiting = state.seats, state.session_waiting
    registration = existing or Registration(event_id=event.id, choices=[], answers=[])
    with db.session.no_autoflush:
        for name, value in clean.items():
            setattr(registration, name, value)
        registration.source = source
        registration.consent_at = now if data.consent else None
        registration.ticket = ticket or settings.ticket_counter
        registration.cancelled_at = registration.decided_at = None
        registration.created_at = now
        if capacity_left:
            registration.status = REG_PENDING if settings.moderation else REG_CONFIRMED
        else:
            registration.status = REG_WAITLISTED
        for choice in registration.choices:
            choice.status = CHOICE_CANCELLED
        for session in sessions:
            _place(registration, session, settings, registration.ticket, counts,
                   queue_first=session_waiting[session.id] > 0)  # fmt: skip
        _set_answers(registration, answers)
        if not registration.link_secret:
            registration.link_secret = secrets.token_urlsafe(32)
            registration.link_issued_at = now
    registration = _store(registration)
    if any(
        session_waiting[s.id] and (session_capacity(s) is None or counts[s.id] < session_capacity(s))
        for s in sessions
    ):
        # Seats were added elsewhere (the programme changed a capacity) while people waited:
        # hand them out in ticket order now, the newcomer included.
        fill_vacancies(event, settings, now=now, quiet={registration.id})
        db.session.refresh(registration)
        view = status_view(registration)
        if notify:
            send_notice(registration, "received", view=view)
        return RegistrationOutcome(registration, created=True, token=link_token(registration), view=view)
    view = StatusView(
        registration.status,
        registration.status,
        waiting + 1 if registration.status == REG_WAITLISTED else None,
        [
            ChoiceView(c.session, c.status, session_waiting[c.session_id] + 1 if c.status == CHOICE_WAITLISTED else None)
            for c in sorted(registration.live_choices, key=lambda c: (c.session.starts_at, c.session_id))
        ],
    )
    view = _with_overall(view)
    if notify:
        send_notice(registration, "received", view=view)
    return RegistrationOutcome(registration, created=True, token=link_token(registration), view=view)


# table -> INSERT … RETURNING id, built once so that SQLAlchemy reuses its compiled form
_INSERT_RETURNING_ID: dict[Any, Any] = {}


def _insert_rows(objects: Sequence[Any]) -> None:
    """INSERT objects of one model built in memory, in one statement, and attach them to the
    session as if just loaded: no unit of work (its before-insert hooks do run), no reload. Every column gets its value (the
    object's, else the column's Python default), so reading an attribute later costs no query; a
    column left to a server default is left out, and loaded if it is ever read."""
    if not objects:
        return
    mapper = inspect(objects[0]).mapper
    table = mapper.local_table
    connection = db.session.connection()
    rows = []
    for obj in objects:
        mapper.dispatch.before_insert(mapper, connection, inspect(obj))  # as the unit of work would
        given = inspect(obj).dict
        row = {}
        for attr in mapper.column_attrs:
            column = attr.columns[0]
            if column.primary_key:
                continue
            if attr.key not in given:
                default = column.default
                if default is None and column.server_default is not None:
                    continue
                value = None
                if default is not None:
                    value = default.arg(None) if default.is_callable else default.arg
                setattr(obj, attr.key, value)
            row[column.key] = given[attr.key]
        rows.append(row)
    statement = _INSERT_RETURNING_ID.get(table)
    if statement is None:
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        _INSERT_RETURNING_ID[table] = statement
    if len(rows) == 1:
        ids = [connection.execute(statement, rows[0]).scalar_one()]
    else:
        ids = connection.execute(statement, rows).scalars().all()
    for obj, new_id in zip(objects, ids, strict=True):
        obj.id = new_id
        make_transient_to_detached(obj)


def _store(registration: Registration) -> Registration:
    """Write a registration built in memory, with its choices and answers; return it, persistent.

    A new registration (the busy path) is written with one INSERT … RETURNING id per table instead
    of the unit of work: the same rows for a fraction of the work. A cancelled registration taken
    up again is already persistent: a plain flush."""
    if inspect(registration).persistent:
        db.session.flush()
        return registration
    _insert_rows([registration])
    for child in (*registration.choices, *registration.answers):
        child.registration_id = registration.id
    _insert_rows(registration.choices)
    _insert_rows(registration.answers)
    db.session.add(registration)  # with its choices and answers, as persistent, unchanged objects
    return registration


def _choice_for(registration: Registration, session: ProgrammeSession) -> RegistrationChoice:
    for choice in registration.choices:
        if choice.session_id == session.id:
            return choice
    choice = RegistrationChoice(session_id=session.id, session=session)
    registration.choices.append(choice)
    return choice


def _refuse_like_a_newcomer(settings: RegistrationSettings, sessions: list[ProgrammeSession], counts: dict[int, int]) -> None:
    """The refusals `register_attendee` gives a new address for lack of room, also for a known one."""
    holds_place = settings.capacity is None or settings.held_count < settings.capacity
    if not holds_place and not settings.waitlist_enabled:
        raise EventFull(_l("Cet événement est complet."))
    if not holds_place or settings.waitlist_enabled:
        return
    for session in sessions:
        capacity = session_capacity(session)
        if capacity is not None and counts.get(session.id, 0) >= capacity:
            raise SessionFull(_l("La session « %(title)s » est complète.", title=session.title), session_id=session.id)


def _place(
    registration: Registration,
    session: ProgrammeSession,
    settings: RegistrationSettings,
    ticket: int,
    counts: dict[int, int],
    *,
    force: bool = False,
    queue_first: bool = False,
) -> RegistrationChoice:
    """Give a seat, a waiting-list ticket, or (while the person waits for the event) note the wish.

    With `queue_first` (people are already waiting for this session) a newcomer never takes a
    seat directly: they queue, and fill_vacancies hands out free seats in ticket order.
    """
    choice = _choice_for(registration, session)
    choice.ticket = ticket
    if not registration.holds_place:
        choice.status = CHOICE_REQUESTED
        return choice
    capacity = session_capacity(session)
    taken = counts.get(session.id, 0)
    if force or ((capacity is None or taken < capacity) and not (queue_first and settings.waitlist_enabled)):
        choice.status = CHOICE_CONFIRMED
        counts[session.id] = taken + 1
    elif settings.waitlist_enabled:
        choice.status = CHOICE_WAITLISTED
    else:
        raise SessionFull(_l("La session « %(title)s » est complète.", title=session.title), session_id=session.id)
    return choice


def _queue_requested(registration: Registration) -> None:
    """Someone just got a place at the event: the sessions they wished for join the waiting lists
    with the ticket of their original submission, so they keep their turn; _fill_sessions then
    gives out the free seats in ticket order."""
    for choice in registration.choices:
        if choice.status == CHOICE_REQUESTED:
            choice.status = CHOICE_WAITLISTED


def fill_vacancies(
    event: Event, settings: RegistrationSettings, now: datetime | None = None, quiet: set[int] | None = None
) -> list[Registration]:
    """Promote waiting people, first come first served, while places and seats are free.

    The caller holds the event lock. Everyone promoted is told by e-mail (except those in `quiet`,
    who are told otherwise); returns them.
    """
    promoted: dict[int, Registration] = {}
    db.session.flush()
    # People already waiting keep their rights even if the organiser turned waiting lists off since.
    free = None if settings.capacity is None else settings.capacity - places_taken(event)
    if free is None or free > 0:
        query = (
            select(Registration)
            .where(Registration.event_id == event.id, Registration.status == REG_WAITLISTED)
            .order_by(Registration.ticket, Registration.id)
            .options(selectinload(Registration.choices))
        )
        if free is not None:
            query = query.limit(free)
        waiting = db.session.scalars(query).all()
        if free is not None and waiting:
            # People sharing a ticket came as one group, all of them or none: a group cut by the
            # limit keeps its turn whole, and nobody behind it overtakes it.
            last = waiting[-1].ticket
            group = db.session.scalar(_count_registrations(event, (REG_WAITLISTED,)).where(Registration.ticket == last))
            if group > sum(1 for r in waiting if r.ticket == last):
                waiting = [r for r in waiting if r.ticket != last]
        for registration in waiting:
            registration.status = REG_PENDING if settings.moderation else REG_CONFIRMED
            _queue_requested(registration)
            promoted[registration.id] = registration
    for registration in _fill_sessions(event):
        promoted.setdefault(registration.id, registration)
    for registration in promoted.values():
        if registration.id not in (quiet or set()):
            send_notice(registration, "promoted")
    return list(promoted.values())


def _fill_sessions(event: Event) -> list[Registration]:
    """Free seats go to the session's waiting list in ticket order; returns who got one."""
    db.session.flush()
    waiting_sessions = db.session.scalars(
        select(ProgrammeSession)
        .where(
            ProgrammeSession.id.in_(
                select(RegistrationChoice.session_id)
                .join(Registration)
                .where(Registration.event_id == event.id, RegistrationChoice.status == CHOICE_WAITLISTED)
                .distinct()
            )
        )
        .options(joinedload(ProgrammeSession.room))
    ).all()
    counts = seats_taken(s.id for s in waiting_sessions)
    seated: dict[int, Registration] = {}
    for session in waiting_sessions:
        capacity = session_capacity(session)
        free = None if capacity is None else capacity - counts[session.id]
        if free is not None and free <= 0:
            continue
        query = (
            select(RegistrationChoice)
            .join(Registration)
            .where(
                RegistrationChoice.session_id == session.id,
                RegistrationChoice.status == CHOICE_WAITLISTED,
                Registration.status.in_(HOLDING_PLACE),
            )
            .order_by(RegistrationChoice.ticket, RegistrationChoice.id)
        )
        if free is not None:
            query = query.limit(free)
        for choice in db.session.scalars(query).all():
            choice.status = CHOICE_CONFIRMED
            seated.setdefault(choice.registration_id, choice.registration)
    db.session.flush()
    return list(seated.values())


def change_choices(
    registration: Registration,
    session_ids: Iterable[Any],
    *,
    by_organiser: bool = False,
    force: bool = False,
    now: datetime | None = None,
    notify: bool = True,
) -> Registration:
    """Replace the person's session choices: kept ones keep their seat or ticket, new ones join the queue."""
    now = now or utcnow()
    event = registration.event
    if not registration.is_active:
        raise InvalidTransition(_l("Cette inscription est annulée : elle ne peut plus être modifiée."))
    settings = load_settings(event)
    if not by_organiser:
        _check_open(event, settings, now)
    sessions = _check_sessions(event, settings, session_ids, enforce_required=not by_organiser)
    settings = lock_event(event)
    db.session.refresh(registration)
    wanted = {s.id: s for s in sessions}
    changed = False
    for choice in registration.choices:
        if choice.status in LIVE_CHOICES and choice.session_id not in wanted:
            choice.status = CHOICE_CANCELLED
            changed = True
    db.session.flush()
    live = {c.session_id for c in registration.choices if c.status in LIVE_CHOICES}
    added = [s for s in sessions if s.id not in live]
    if added:
        ticket = _draw_ticket(settings)
        counts, waiting = _session_counts(s.id for s in added)
        with db.session.no_autoflush:
            for session in added:
                _place(registration, session, settings, ticket, counts, force=force,
                       queue_first=waiting[session.id] > 0)  # fmt: skip
        changed = True
    db.session.flush()
    if changed:
        fill_vacancies(event, settings, now=now)
        if notify:
            send_notice(registration, "changed")
    return registration


def cancel_registration(
    registration: Registration, *, now: datetime | None = None, notify: bool = True
) -> list[Registration]:
    """Cancel: the place and seats go to the first people waiting, who are told. Returns them."""
    now = now or utcnow()
    settings = lock_event(registration.event)
    db.session.refresh(registration)
    if registration.status in (REG_CANCELLED, REG_REFUSED):
        raise InvalidTransition(_l("Cette inscription est déjà annulée."))
    registration.status = REG_CANCELLED
    registration.cancelled_at = now
    for choice in registration.choices:
        choice.status = CHOICE_CANCELLED
    promoted = fill_vacancies(registration.event, settings, now=now)
    if notify:
        send_notice(registration, "cancelled")
    return promoted


def approve_registration(registration: Registration, *, now: datetime | None = None) -> Registration:
    """Moderation: a pending registration becomes confirmed (its place was already held)."""
    if registration.status != REG_PENDING:
        raise InvalidTransition(_l("Seule une inscription en attente de validation peut être validée."))
    lock_event(registration.event)
    registration.status = REG_CONFIRMED
    registration.decided_at = now or utcnow()
    db.session.flush()
    send_notice(registration, "approved")
    return registration


def refuse_registration(registration: Registration, *, now: datetime | None = None) -> list[Registration]:
    """Moderation: refuse; the freed place goes to the first person waiting. Returns those promoted."""
    if registration.status not in ACTIVE_STATUSES:
        raise InvalidTransition(_l("Cette inscription n'est plus active."))
    now = now or utcnow()
    settings = lock_event(registration.event)
    registration.status = REG_REFUSED
    registration.decided_at = now
    for choice in registration.choices:
        choice.status = CHOICE_CANCELLED
    promoted = fill_vacancies(registration.event, settings, now=now)
    send_notice(registration, "refused")
    return promoted


def promote_registration(registration: Registration, *, now: datetime | None = None) -> Registration:
    """The organiser moves someone off the event's waiting list, beyond capacity if need be."""
    if registration.status != REG_WAITLISTED:
        raise InvalidTransition(_l("Cette personne n'est pas sur la liste d'attente de l'événement."))
    settings = lock_event(registration.event)
    registration.status = REG_PENDING if settings.moderation else REG_CONFIRMED
    _queue_requested(registration)
    for other in _fill_sessions(registration.event):
        if other.id != registration.id:
            send_notice(other, "promoted")
    send_notice(registration, "promoted")
    return registration


def promote_choice(choice: RegistrationChoice) -> RegistrationChoice:
    """The organiser gives a waiting person a seat in a session, beyond capacity if need be."""
    if choice.status != CHOICE_WAITLISTED:
        raise InvalidTransition(_l("Cette personne n'est pas sur la liste d'attente de cette session."))
    lock_event(choice.registration.event)
    choice.status = CHOICE_CONFIRMED
    db.session.flush()
    send_notice(choice.registration, "promoted")
    return choice


def update_details(registration: Registration, data: RegistrationInput) -> Registration:
    """The organiser corrects a person's details (same checks as the form, consent not asked again)."""
    event = registration.event
    settings = load_settings(event)
    clean, answers = _check_input(event, settings, event_questions(event), data, require_consent=False)
    lock_event(event)
    if clean["email_key"] != registration.email_key:
        taken = db.session.scalar(
            select(Registration.id).where(
                Registration.event_id == event.id,
                Registration.email_key == clean["email_key"],
                Registration.id != registration.id,
            )
        )
        if taken is not None:
            raise RegistrationInvalid(
                _l("Une autre inscription utilise déjà cette adresse e-mail."),
                errors={"email": [_("Une autre inscription utilise déjà cette adresse e-mail.")]},
                codes={"email": "duplicate_email"},
            )
    for name, value in clean.items():
        setattr(registration, name, value)
    _set_answers(registration, answers)
    db.session.flush()
    return registration


def _set_answers(registration: Registration, answers: dict[int, str]) -> None:
    # Update rows in place: replacing them would INSERT before DELETE and hit the unique constraint.
    existing = {a.question_id: a for a in registration.answers}
    for question_id, value in answers.items():
        if question_id in existing:
            existing[question_id].value = value
        else:
            registration.answers.append(Answer(question_id=question_id, value=value))
    for question_id, answer in existing.items():
        if question_id not in answers:
            registration.answers.remove(answer)


# ------------------------------------------------------------------------- positions


def event_position(registration: Registration) -> int | None:
    """1-based place on the event's waiting list, or None; a group sharing a ticket has one place."""
    if registration.status != REG_WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count(Registration.ticket.distinct()))
        .select_from(Registration)
        .where(
            Registration.event_id == registration.event_id,
            Registration.status == REG_WAITLISTED,
            Registration.ticket <= registration.ticket,
        )
    )


def choice_position(choice: RegistrationChoice) -> int | None:
    """1-based place on the session's waiting list, or None."""
    if choice.status != CHOICE_WAITLISTED:
        return None
    return db.session.scalar(
        select(func.count())
        .select_from(RegistrationChoice)
        .join(Registration)
        .where(
            RegistrationChoice.session_id == choice.session_id,
            RegistrationChoice.status == CHOICE_WAITLISTED,
            Registration.status.in_(HOLDING_PLACE),
            or_(
                RegistrationChoice.ticket < choice.ticket,
                and_(RegistrationChoice.ticket == choice.ticket, RegistrationChoice.id <= choice.id),
            ),
        )
    )


@dataclass
class ChoiceView:
    session: ProgrammeSession
    status: str
    position: int | None


@dataclass
class StatusView:
    """Where a person stands, in one place for pages, e-mails and the API."""

    status: str  # registration status: pending / confirmed / waitlisted / cancelled / refused
    overall: str  # what to announce: the registration status, or "waitlisted" when a session is
    position: int | None  # on the event's list, or on the first session list the person waits on
    choices: list[ChoiceView]


def status_view(registration: Registration) -> StatusView:
    """The registration's status, its waiting-list position and each session choice."""
    choices = [
        ChoiceView(c.session, c.status, choice_position(c))
        for c in sorted(registration.live_choices, key=lambda c: (c.session.starts_at, c.session_id))
    ]
    return _with_overall(StatusView(registration.status, registration.status, event_position(registration), choices))


def _with_overall(view: StatusView) -> StatusView:
    """A confirmed person waiting for a session is announced as waiting, with that position."""
    if view.status == REG_CONFIRMED:
        waiting = [c for c in view.choices if c.status == CHOICE_WAITLISTED]
        if waiting:
            view.overall, view.position = REG_WAITLISTED, waiting[0].position
    return view


# ------------------------------------------------------------------------- private link


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=LINK_SALT)


def link_token(registration: Registration) -> str:
    """The private link's token: the registration id and its random secret, signed with SECRET_KEY.

    The secret (32 random bytes) makes the link unguessable; the signature means a stolen copy of
    the database alone cannot forge links. The same link can be e-mailed again (no rotation on a
    repeated registration, so nobody can kill someone else's link by typing their address).
    """
    if not registration.link_secret:
        registration.link_secret = secrets.token_urlsafe(32)
        registration.link_issued_at = utcnow()
        db.session.flush()
    return _serializer().dumps([registration.id, registration.link_secret])


def renew_link(registration: Registration) -> str:
    """A new private link; the old one stops working (when a link leaked)."""
    registration.link_secret = secrets.token_urlsafe(32)
    registration.link_issued_at = utcnow()
    db.session.flush()
    return link_token(registration)


def link_expiry(event: Event) -> date:
    """Last day a private link works."""
    return event.end_date + timedelta(days=int(current_app.config.get("REGISTRATION_LINK_DAYS_AFTER_EVENT", 30)))


def registration_from_link(token: str, now: datetime | None = None) -> Registration:
    """The registration behind a private link, or InvalidLink saying why (tampered, replaced, expired)."""
    try:
        payload = _serializer().loads(token)
        registration_id, secret = int(payload[0]), str(payload[1])
    except (BadSignature, TypeError, ValueError, IndexError, KeyError):
        raise InvalidLink(
            _l(
                "Ce lien n'est pas valide : il a peut-être été modifié ou mal copié. "
                "Copiez le lien complet depuis l'e-mail reçu."
            ),
            reason="tampered",
        ) from None
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise InvalidLink(
            _l("Cette inscription n'existe plus : elle a pu être supprimée à la fin de la durée de conservation."),
            reason="unknown",
        )
    if not registration.link_secret or not hmac.compare_digest(registration.link_secret, secret):
        raise InvalidLink(
            _l("Ce lien a été remplacé par un lien plus récent, envoyé par e-mail."), reason="replaced"
        )
    today = (now or utcnow()).astimezone(registration.event.tz).date()
    if today > link_expiry(registration.event):
        raise InvalidLink(_l("Ce lien a expiré : l'événement est terminé depuis plus d'un mois."), reason="expired")
    return registration


# ------------------------------------------------------------------------- e-mails

NOTICE_KINDS = ("received", "duplicate", "promoted", "approved", "refused", "cancelled", "changed")


def _subject(kind: str, view: StatusView, title: str) -> str:
    if kind == "received":
        if view.overall == REG_PENDING:
            return _("Inscription reçue, en attente de validation : %(title)s", title=title)
        if view.overall == REG_WAITLISTED:
            return _("Inscription sur liste d'attente : %(title)s", title=title)
        return _("Inscription confirmée : %(title)s", title=title)
    subjects = {
        "duplicate": _("Votre lien d'inscription : %(title)s", title=title),
        "promoted": _("Une place s'est libérée : %(title)s", title=title),
        "approved": _("Inscription validée : %(title)s", title=title),
        "refused": _("Inscription non retenue : %(title)s", title=title),
        "cancelled": _("Inscription annulée : %(title)s", title=title),
        "changed": _("Inscription modifiée : %(title)s", title=title),
    }
    return subjects[kind]


_STATUS_LABELS = {
    REG_CONFIRMED: _l("Inscription confirmée"),
    REG_PENDING: _l("En attente de validation par l'organisateur"),
    REG_WAITLISTED: _l("Sur liste d'attente"),
    REG_CANCELLED: _l("Inscription annulée"),
    REG_REFUSED: _l("Inscription non retenue"),
}


def status_label(status: str) -> str:
    """A registration status as a sentence fragment for people (only that one is translated)."""
    label = _STATUS_LABELS.get(status)
    return status if label is None else str(label)


def choice_label(choice: ChoiceView) -> str:
    """A session choice's state for people."""
    if choice.status == CHOICE_CONFIRMED:
        return _("place confirmée")
    if choice.status == CHOICE_WAITLISTED:
        return _("liste d'attente, position n°%(position)s", position=choice.position)
    if choice.status == CHOICE_REQUESTED:
        return _("demandée : attribuée dès que vous aurez une place à l'événement")
    return choice.status


def _intro(kind: str, view: StatusView, title: str) -> str:
    if kind == "received":
        if view.overall == REG_CONFIRMED:
            return _("Votre inscription à « %(title)s » est confirmée.", title=title)
        if view.overall == REG_PENDING:
            return _(
                "Nous avons bien reçu votre inscription à « %(title)s ». Elle doit encore être validée par "
                "l'organisateur : vous recevrez un e-mail dès qu'elle le sera.",
                title=title,
            )
        if view.status == REG_WAITLISTED:
            return _(
                "L'événement « %(title)s » est complet : vous êtes sur liste d'attente, en position "
                "n°%(position)s. Nous vous écrirons dès qu'une place se libère.",
                title=title,
                position=view.position,
            )
        return _(
            "Vous êtes inscrit·e à « %(title)s ». Une session que vous avez choisie est complète : vous "
            "êtes sur sa liste d'attente, en position n°%(position)s.",
            title=title,
            position=view.position,
        )
    if kind == "promoted" and view.status == REG_PENDING:
        return _(
            "Bonne nouvelle : une place s'est libérée pour « %(title)s ». Votre inscription doit encore "
            "être validée par l'organisateur.",
            title=title,
        )
    intros = {
        "duplicate": _(
            "Vous êtes déjà inscrit·e à « %(title)s » : aucune nouvelle inscription n'a été créée. "
            "Voici à nouveau votre lien personnel.",
            title=title,
        ),
        "promoted": _("Bonne nouvelle : une place s'est libérée pour « %(title)s ».", title=title),
        "approved": _("L'organisateur a validé votre inscription à « %(title)s ».", title=title),
        "refused": _("L'organisateur n'a pas pu retenir votre inscription à « %(title)s ».", title=title),
        "cancelled": _("Votre inscription à « %(title)s » est annulée. Merci d'avoir libéré votre place.", title=title),
        "changed": _("Vos choix de sessions pour « %(title)s » sont enregistrés.", title=title),
    }
    return intros[kind]


def _render_mail(name: str, context: dict[str, Any]) -> str:
    """An e-mail template with what it is given and the environment's globals (`_`, `tr`…).

    Not `render_template`: that runs every page context processor (the signed-in user, CSRF token,
    language menu…) for every e-mail, which the e-mail templates never use, on the busiest path."""
    template = current_app.jinja_env.get_template(name)
    return template.render(current_locale=str(get_locale() or "fr"), **context)


def send_notice(registration: Registration, kind: str, *, view: StatusView | None = None) -> None:
    """Queue the e-mail telling the person what happened; `write_notice` writes it when it is sent.

    What it must say is fixed now (the status and waiting-list positions at this moment, and the
    host its link points to); the words are written at send time, outside the lock that a
    registration holds until it commits."""
    view = view or status_view(registration)
    notice = {
        "status": view.status,
        "overall": view.overall,
        "position": view.position,
        "choices": [[c.session.id, c.status, c.position] for c in view.choices],
        "base": site_root(),
    }
    mail.queue_message(
        registration.email, "", "", "", kind=kind, language=registration.language or "fr",
        registration_id=registration.id, notice=notice,
    )  # fmt: skip


def write_notice(message: OutboxMessage) -> bool:
    """Write a queued notice in the person's language, text and HTML; False if they are gone.

    The sentences are built here once and handed to both templates, so the text part is never
    HTML-escaped and the HTML part always is. Titles, the organiser's paragraph and the link's
    secret are read now, so the e-mail shows them as they are when it leaves."""
    registration = db.session.get(Registration, message.registration_id) if message.registration_id else None
    if registration is None:
        return False
    notice, kind = message.notice or {}, message.kind
    event = registration.event
    ids = [session_id for session_id, _status, _position in notice.get("choices", ())]
    sessions = {s.id: s for s in db.session.scalars(select(ProgrammeSession).where(ProgrammeSession.id.in_(ids)))} if ids else {}
    view = StatusView(
        notice["status"],
        notice["overall"],
        notice["position"],
        [ChoiceView(sessions[sid], status, position) for sid, status, position in notice.get("choices", ()) if sid in sessions],
    )
    language = message.language or registration.language or "fr"
    title = event.localized("title", language)  # the organiser's translation where there is one
    settings = load_settings(event)
    with force_locale(language):
        status = status_label(view.status)
        if view.status == REG_WAITLISTED and view.position:
            status = _("%(status)s (position n°%(position)s)", status=status, position=view.position)
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "intro": _intro(kind, view, title),
            "status": status,
            "choices": [
                (c.session.starts_at, c.session.localized("title", language), choice_label(c))
                for c in view.choices
            ],
            "link": external_url("registration.manage_link", root=notice.get("base"), token=link_token(registration)),
            "show_link": kind not in ("cancelled", "refused"),
            "retention_months": settings.retention_months,
            # the organiser's own paragraph, in the person's language or the main one
            "message_paragraphs": [
                p.split("\n") for p in (settings.localized("email_message", language) or "").split("\n\n") if p
            ],
            "message_lang": settings.localized_language("email_message", language),
        }
        message.subject = _subject(kind, view, title)[:300]
        message.body_text = _render_mail("registration/email/notice.txt", context)
        message.body_html = _render_mail("registration/email/notice.html", context)
    db.session.flush()
    return True


# ------------------------------------------------------------------------- organiser views


@dataclass
class SessionCount:
    session: ProgrammeSession
    capacity: int | None
    confirmed: int
    waitlisted: int


def session_counts(event: Event) -> list[SessionCount]:
    """Seats and waiting people for each session that takes registrations."""
    sessions = registrable_sessions(event)
    seats, waiting = _session_counts(s.id for s in sessions)  # the counters registering reads
    return [SessionCount(s, session_capacity(s), seats[s.id], waiting[s.id]) for s in sessions]


def status_counts(event: Event) -> dict[str, int]:
    """Registrations per status."""
    rows = db.session.execute(
        select(Registration.status, func.count()).where(Registration.event_id == event.id).group_by(Registration.status)
    )
    counts = dict.fromkeys(REG_STATUSES, 0)
    counts.update(dict(rows.all()))
    return counts


def search_registrations(
    event: Event,
    *,
    text: str = "",
    status: str = "",
    session_id: int | None = None,
    organisation: str = "",
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[Registration], int]:
    """Registrations matching the organiser's filters, with the total count."""
    query = select(Registration).where(Registration.event_id == event.id)
    if text:
        like = f"%{_escape_like(clean_line(text).casefold())}%"
        # The words as typed, in their order, anywhere in the folded name and organisation.
        phrase = fold(text)
        by_name = Registration.search_key.like(like_patterns([phrase])[0], escape="\\") if phrase else false()
        query = query.where(or_(Registration.email_key.like(like, escape="\\"), by_name))
    if status in REG_STATUSES:
        query = query.where(Registration.status == status)
    if session_id:
        query = query.where(
            Registration.id.in_(
                select(RegistrationChoice.registration_id).where(
                    RegistrationChoice.session_id == session_id, RegistrationChoice.status.in_(LIVE_CHOICES)
                )
            )
        )
    if organisation:
        query = query.where(func.lower(Registration.organisation) == clean_line(organisation).casefold())
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    query = query.order_by(func.lower(Registration.last_name), func.lower(Registration.first_name), Registration.id)
    query = query.options(
        selectinload(Registration.choices).selectinload(RegistrationChoice.session),
        selectinload(Registration.answers),
    )
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(db.session.scalars(query)), total


def organisations(event: Event) -> list[str]:
    """Distinct organisations, for the filter."""
    return list(
        db.session.scalars(
            select(Registration.organisation)
            .where(Registration.event_id == event.id, Registration.organisation != "")
            .distinct()
            .order_by(Registration.organisation)
        )
    )


def waitlist_positions(event: Event) -> tuple[dict[int, int], dict[int, int]]:
    """(registration id -> event position, choice id -> session position) for the whole event."""
    event_rank = func.dense_rank().over(order_by=Registration.ticket)  # a group: one position
    rows = db.session.execute(
        select(Registration.id, event_rank).where(Registration.event_id == event.id, Registration.status == REG_WAITLISTED)
    )
    by_registration = dict(rows.all())
    session_rank = func.row_number().over(
        partition_by=RegistrationChoice.session_id, order_by=(RegistrationChoice.ticket, RegistrationChoice.id)
    )
    rows = db.session.execute(
        select(RegistrationChoice.id, session_rank)
        .join(Registration)
        .where(
            Registration.event_id == event.id,
            Registration.status.in_(HOLDING_PLACE),
            RegistrationChoice.status == CHOICE_WAITLISTED,
        )
    )
    return by_registration, dict(rows.all())


def _escape_like(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# ------------------------------------------------------------------------- CSV

# Excel (French locale) opens a CSV by double-click correctly only with a BOM and semicolons;
# LibreOffice detects both in its import dialog. CRLF line ends, as RFC 4180 says.
CSV_DELIMITER = ";"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def registrations_csv(event: Event) -> bytes:
    """Every registration as CSV: UTF-8 with BOM, `;`-separated, one column per custom question."""
    registrations, _total = search_registrations(event)
    questions = event_questions(event)
    event_positions, choice_positions = waitlist_positions(event)
    status_labels = status_names()
    header = [
        _("N°"), _("Statut"), _("Position en liste d'attente"), pgettext("nom de famille", "Nom"), _("Prénom"), _("E-mail"),
        _("Organisation"), _("Type d'organisation"), _("Fonction"), _("Langue"), _("Sessions"),
        _("Déjeuner"), _("Besoins d'accessibilité"), _("Speed-networking"), _("Thèmes (par préférence)"),
        _("Inscrit le"), _("Origine"),
    ] + [q.label for q in questions]  # fmt: skip
    out = io.StringIO()
    writer = csv.writer(out, delimiter=CSV_DELIMITER, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow([_cell(h) for h in header])
    yes, no = _("oui"), _("non")
    for reg in registrations:
        choices = []
        for choice in sorted(reg.live_choices, key=lambda c: c.session.starts_at):
            label = status_labels.get(choice.status, choice.status)
            if choice.id in choice_positions:
                label = _("%(status)s n°%(position)d", status=label, position=choice_positions[choice.id])
            choices.append(f"{choice.session.title} ({label})")
        answers = {a.question_id: a.value for a in reg.answers}
        row = [
            reg.id,
            status_labels.get(reg.status, reg.status),
            event_positions.get(reg.id, ""),
            reg.last_name,
            reg.first_name,
            reg.email,
            reg.organisation,
            organisation_type_names().get(reg.organisation_type, ""),
            reg.job_title,
            reg.language,
            " | ".join(choices),
            "" if reg.lunch is None else (yes if reg.lunch else no),
            reg.accessibility,
            yes if reg.networking_opt_in else no,
            " > ".join(reg.networking_themes or []),
            reg.created_at.astimezone(event.tz).strftime("%d/%m/%Y %H:%M"),
            reg.source,
        ] + [_answer_text(q, answers.get(q.id, "")) for q in questions]
        writer.writerow([_cell(v) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _answer_text(question: CustomQuestion, value: str) -> str:
    if question.kind == QUESTION_YESNO and value:
        return _("oui") if value == "yes" else _("non")
    return value


def status_names() -> dict[str, str]:
    """Statuses as people read them."""
    return {
        REG_CONFIRMED: _("confirmée"),
        REG_PENDING: _("en attente de validation"),
        REG_WAITLISTED: _("liste d'attente"),
        REG_CANCELLED: _("annulée"),
        REG_REFUSED: _("refusée"),
        CHOICE_REQUESTED: _("souhaitée"),
    }


def organisation_type_names() -> dict[str, str]:
    return {"local_authority": _("Collectivité territoriale"), "other": _("Autre organisme")}


# Header aliases accepted by the import (lower case, accents kept).
IMPORT_COLUMNS = {
    "first_name": ("prénom", "prenom", "first_name", "first name", "firstname"),
    "last_name": ("nom", "last_name", "last name", "lastname", "nom de famille"),
    "email": ("e-mail", "email", "courriel", "adresse e-mail", "mail"),
    "organisation": ("organisation", "collectivité", "collectivite", "employeur", "organisme"),
    "job_title": ("fonction", "job_title", "job title", "poste"),
    "language": ("langue", "language"),
    "sessions": ("sessions", "ateliers", "workshops"),
}


@dataclass
class ImportRow:
    line: int
    name: str
    email: str
    outcome: str  # created / duplicate / rejected
    message: str
    status: str = ""


@dataclass
class ImportReport:
    rows: list[ImportRow] = field(default_factory=list)
    error: str = ""

    @property
    def created(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "created")

    @property
    def duplicates(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "duplicate")

    @property
    def rejected(self) -> int:
        return sum(1 for r in self.rows if r.outcome == "rejected")


def _import_row(
    event: Event, line: int, values: dict[str, str], sessions_by_title: dict[str, int], notify: bool, now: datetime | None
) -> ImportRow:
    name = f"{values.get('first_name', '')} {values.get('last_name', '')}".strip()
    session_ids: list[Any] = []
    for item in filter(None, (part.strip() for part in values.get("sessions", "").split("|"))):
        session_ids.append(item if item.isdigit() else sessions_by_title.get(item.casefold(), item))
    data = RegistrationInput(
        first_name=values.get("first_name", ""),
        last_name=values.get("last_name", ""),
        email=values.get("email", ""),
        organisation=values.get("organisation", ""),
        job_title=values.get("job_title", ""),
        language=values.get("language", "").lower(),
        sessions=session_ids,
        consent=True,  # the organiser confirmed, for the whole file, that people were informed
    )
    savepoint = db.session.begin_nested()
    try:
        outcome = register_attendee(event, data, source="import", by_organiser=True, notify=notify, now=now)
    except RegistrationInvalid as error:
        savepoint.rollback()
        errors = error.params.get("errors", {})
        message = " ".join(
            _("%(label)s :", label=_import_field_label(k)) + " " + " ".join(v) for k, v in errors.items()
        ) or str(error)
        return ImportRow(line, name, values.get("email", ""), "rejected", message)
    except (SessionClosed, SessionFull, ChoiceConflict, EventFull, RegistrationClosed) as error:
        savepoint.rollback()
        return ImportRow(line, name, values.get("email", ""), "rejected", str(error))
    savepoint.commit()
    registration = outcome.registration
    if not outcome.created:
        return ImportRow(line, name, registration.email, "duplicate", _("Déjà inscrit·e : ligne ignorée."), registration.status)
    return ImportRow(line, name, registration.email, "created", "", status_view(registration).overall)


def _import_field_label(name: str) -> str:
    labels = {
        "first_name": _("Prénom"), "last_name": pgettext("nom de famille", "Nom"), "email": _("E-mail"), "organisation": _("Organisation"),
        "job_title": _("Fonction"), "language": _("Langue"), "sessions": _("Sessions"),
    }  # fmt: skip
    return labels.get(name, name)
