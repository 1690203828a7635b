"""Marshmallow schemas of the JSON API: what a client may send, what it gets back.

Request schemas reject unknown fields (marshmallow's default, RAISE): a typo such as `titel`
is a 422 `validation_error` naming the field, never a silent no-op. Read-only fields of the
responses (`id`, `code_display`, `status`…) are unknown to the request schemas, so they are
rejected too: send only what you mean to change.

Every limit here mirrors a database column (or keeps free text to a sane size), so that a
value the database would refuse becomes a 422 with the field named, never a 500.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import marshmallow as ma
from flask_babel import gettext as _
from marshmallow import fields, post_load, validate

from eventsys.models.events import EVENT_KINDS, EVENT_STATUSES, Event, Room, Speaker, Track
from eventsys.models.programme import (
    SESSION_CANCELLED,
    SESSION_SCHEDULED,
    SESSION_TYPES,
    SPEAKER_ROLES,
    ProgrammeSession,
)
from eventsys.models.translatable import CONTENT_LANGUAGES, ONE_LINE_MESSAGE, check_translations
from eventsys.models.types import max_length
from eventsys.text import breaks_line

MAX_ID = 2**31 - 1  # PostgreSQL `integer`
MAX_TEXT = 20_000  # free text (descriptions, bios, addresses)
MAX_CAPACITY = 1_000_000
# Dates far in the past or future are typing mistakes, and datetimes near the ends of the
# calendar overflow when moved to another time zone.
FIRST_DATE = date(1970, 1, 1)
LAST_DATE = date(2999, 12, 31)
SESSION_STATUSES = (SESSION_SCHEDULED, SESSION_CANCELLED)
LANGUAGE_CODE = r"^[a-z]{2,3}$"


class Text(fields.String):
    """A string the database can store: no NUL character, no lone surrogate."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in text:
            raise ma.ValidationError(_("Le caractère nul (\\u0000) n'est pas accepté."))
        try:
            text.encode("utf-8")
        except UnicodeEncodeError as error:
            raise ma.ValidationError(
                _("Le texte contient un caractère Unicode invalide.")
            ) from error
        return text


class OneLine(Text):
    """Text on one line: a line break or a control character is refused (eventsys/text.py); such
    text would reach e-mail headers, badges and CSV cells."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs)
        if breaks_line(text):
            raise ma.ValidationError(ONE_LINE_MESSAGE)
        return text


class Line(OneLine):
    """A one-line text that must not be blank."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text:
            raise ma.ValidationError(_("Ce champ ne peut pas être vide."))
        return text


def _in_calendar(value: date | datetime) -> None:
    day = value.date() if isinstance(value, datetime) else value
    if not FIRST_DATE <= day <= LAST_DATE:
        raise ma.ValidationError(
            _(
                "La date doit être comprise entre %(first)s et %(last)s.",
                first=FIRST_DATE.isoformat(),
                last=LAST_DATE.isoformat(),
            )
        )


def _email_or_blank(value: str) -> None:
    if value:
        validate.Email()(value)


def _ident(**kwargs: Any) -> fields.Integer:
    """The id of another object of the same event."""
    return fields.Integer(strict=True, validate=validate.Range(1, MAX_ID), **kwargs)


def _languages(**kwargs: Any) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Regexp(LANGUAGE_CODE)),
        validate=validate.Length(min=1, max=10),
        metadata={"description": 'ISO 639 codes, main language first, e.g. ["fr", "en"].'},
        **kwargs,
    )


def _join_languages(data: dict[str, Any]) -> dict[str, Any]:
    if "languages" in data:
        data["languages"] = ",".join(dict.fromkeys(data["languages"]))
    return data


def _translations_in(model: type) -> fields.Dict:
    """Other languages' texts, validated against the model's translatable fields and limits."""

    def check(value: dict[str, Any]) -> None:
        problem = check_translations(value, model)
        if problem:
            raise ma.ValidationError(problem)

    names = ", ".join(f"`{name}`" for name in model.TRANSLATABLE)
    return fields.Dict(
        keys=fields.String(),
        values=fields.Dict(keys=fields.String(), values=fields.String()),
        validate=check,
        metadata={
            "description": "Texts in other languages: {language: {field: text}}, languages among "
            f"{', '.join(CONTENT_LANGUAGES)}, fields among {names}. Each language sent replaces that "
            "language's texts (an empty object removes them); languages not sent are kept. The plain "
            "fields hold the event's main language. An unknown language or field is a 422 "
            "`validation_error`.",
            "example": {"en": dict.fromkeys(model.TRANSLATABLE, "…")},
        },
    )


def _translations_out(model: type) -> fields.Dict:
    return fields.Dict(
        keys=fields.String(),
        values=fields.Dict(),
        metadata={
            "description": "Only with `?translations=all`: every language's texts, the main "
            "language's included: {language: {field: text}}. Without it the plain fields are in the "
            "language asked in `Accept-Language`, or the main language where no translation exists.",
            "example": {"fr": {model.TRANSLATABLE[0]: "…"}, "en": {model.TRANSLATABLE[0]: "…"}},
        },
    )


class ContentQuerySchema(ma.Schema):
    """Query string of the read operations."""

    class Meta:
        unknown = ma.EXCLUDE

    translations = fields.String(
        validate=validate.OneOf(["all"]),
        metadata={
            "description": "`all`: add a `translations` object with the texts in every language. "
            "Without it, texts are in the language of `Accept-Language` (fallback: the event's "
            "main language)."
        },
    )


class PatchMixin:
    """Every field may be left out, and nothing left out is filled with a default: only what
    is sent changes. Nested objects stay complete (`partial=True` would also make a session
    speaker's `speaker_id` optional)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(partial=tuple(self._declared_fields), **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            field.load_default = ma.missing  # not applied to partial loads; keep it out of the docs


# ------------------------------------------------------------------ errors


class ErrorBodySchema(ma.Schema):
    code = fields.String(
        required=True,
        metadata={
            "description": "Stable machine code, e.g. `validation_error`, `room_in_use`.",
            "example": "not_found",
        },
    )
    message = fields.String(
        required=True,
        metadata={"description": "Explanation for people, in the request's language."},
    )
    details = fields.Dict(
        metadata={
            "description": "Extra facts: per-field messages for `validation_error` (keyed by location, "
            "then field), the offending `field` for `invalid_value`…"
        }
    )


class ErrorSchema(ma.Schema):
    """Every error of the API has this shape."""

    error = fields.Nested(ErrorBodySchema, required=True)


# ------------------------------------------------------------------ events


class EventInSchema(ma.Schema):
    """An event as sent on creation (POST) or full replacement (PUT)."""

    code = OneLine(
        validate=validate.Length(max=max_length(Event.code_display)),
        metadata={
            "description": "Session code such as `Z26IN 001`; generated when absent on creation, "
            "kept when absent on replacement.",
            "example": "Z26IN 001",
        },
    )
    title = Line(required=True, validate=validate.Length(max=max_length(Event.title)))
    subtitle = OneLine(validate=validate.Length(max=max_length(Event.subtitle)), load_default="")
    kind = fields.String(validate=validate.OneOf(EVENT_KINDS), load_default=EVENT_KINDS[0])
    start_date = fields.Date(required=True, validate=_in_calendar)
    end_date = fields.Date(required=True, validate=_in_calendar)
    timezone = OneLine(
        validate=validate.Length(min=1, max=64),
        load_default="Europe/Paris",
        metadata={"description": "IANA time zone, e.g. Europe/Paris or America/Martinique."},
    )
    venue_name = OneLine(validate=validate.Length(max=max_length(Event.venue_name)), load_default="")
    venue_address = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    access_notes = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    audience = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    context = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    contacts = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    default_language = fields.String(
        validate=validate.OneOf(CONTENT_LANGUAGES),
        metadata={
            "description": "Main language: the language of the plain text fields, shown when a "
            "translation is missing. Kept when absent; changing it moves the texts already stored "
            "(of the event, its rooms and sessions) to their language's translations."
        },
    )
    languages = fields.List(
        fields.String(validate=validate.OneOf(CONTENT_LANGUAGES)),
        validate=validate.Length(min=1, max=10),
        load_default=lambda: ["fr", "en"],
        metadata={
            "description": 'Offered languages, e.g. ["fr", "en"]; the main language is always offered.'
        },
    )
    restrict_languages = fields.Boolean(
        load_default=False,
        metadata={
            "description": "True: the event's pages offer only its languages in the language "
            "switch; false: every interface language (untranslated texts in the main language)."
        },
    )
    translations = _translations_in(Event)

    @post_load
    def _store_languages(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return _join_languages(data)


class EventPatchSchema(PatchMixin, EventInSchema):
    """Only the fields sent are changed."""


class EventSchema(ma.Schema):
    id = fields.Integer(required=True)
    code = fields.String(
        required=True, metadata={"description": "Canonical code: upper case, no spaces."}
    )
    code_display = fields.String(required=True, metadata={"description": "The code as printed."})
    title = fields.String(required=True)
    subtitle = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(EVENT_KINDS))
    status = fields.String(required=True, validate=validate.OneOf(EVENT_STATUSES))
    start_date = fields.Date(required=True)
    end_date = fields.Date(required=True)
    timezone = fields.String(required=True)
    venue_name = fields.String(required=True)
    venue_address = fields.String(required=True)
    access_notes = fields.String(required=True)
    audience = fields.String(required=True)
    context = fields.String(required=True)
    contacts = fields.String(required=True)
    default_language = fields.String(required=True, validate=validate.OneOf(CONTENT_LANGUAGES))
    languages = fields.List(
        fields.String(), required=True, metadata={"description": "Offered languages, main first."}
    )
    restrict_languages = fields.Boolean(
        required=True,
        metadata={"description": "The event's pages offer only its languages."},
    )
    translations = _translations_out(Event)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


# ------------------------------------------------------------------ rooms


class RoomInSchema(ma.Schema):
    name = Line(required=True, validate=validate.Length(max=max_length(Room.name)))
    capacity = fields.Integer(
        strict=True,
        allow_none=True,
        load_default=None,
        validate=validate.Range(0, MAX_CAPACITY),
        metadata={"description": "Seats; null when unknown."},
    )
    location_notes = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    step_free = fields.Boolean(
        allow_none=True,
        load_default=None,
        metadata={"description": "Reachable without steps (or by lift): true, false, or null when not known "
                  "(then not shown to attendees)."},
    )
    shared = fields.Boolean(
        load_default=False,
        metadata={"description": "Holds several sessions at once (foyer, exhibition hall): overlaps are not clashes."},
    )
    position = fields.Integer(strict=True, validate=validate.Range(0, 100_000), load_default=0)
    translations = _translations_in(Room)


class RoomPatchSchema(PatchMixin, RoomInSchema):
    """Only the fields sent are changed."""


class RoomSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    capacity = fields.Integer(required=True, allow_none=True)
    location_notes = fields.String(required=True)
    step_free = fields.Boolean(required=True, allow_none=True)
    shared = fields.Boolean(required=True)
    position = fields.Integer(required=True)
    translations = _translations_out(Room)


# ------------------------------------------------------------------ speakers


class SpeakerInSchema(ma.Schema):
    name = Line(required=True, validate=validate.Length(max=max_length(Speaker.name)))
    function = OneLine(validate=validate.Length(max=max_length(Speaker.function)), load_default="")
    organisation = OneLine(validate=validate.Length(max=max_length(Speaker.organisation)), load_default="")
    bio = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    email = OneLine(
        validate=[validate.Length(max=max_length(Speaker.email)), _email_or_blank],
        load_default="",
        metadata={"description": "Private: never shown publicly.", "format": "email"},
    )
    or_representative = fields.Boolean(
        load_default=False, metadata={"description": "Speaks for the organising network (OR)."}
    )


class SpeakerPatchSchema(PatchMixin, SpeakerInSchema):
    """Only the fields sent are changed."""


class SpeakerSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    function = fields.String(required=True)
    organisation = fields.String(required=True)
    bio = fields.String(required=True)
    email = fields.String(required=True)
    or_representative = fields.Boolean(required=True)


# ------------------------------------------------------------------ tracks


class TrackInSchema(ma.Schema):
    name = Line(required=True, validate=validate.Length(max=max_length(Track.name)))
    colour = fields.String(
        validate=validate.Regexp(r"^#[0-9a-fA-F]{6}$"),
        load_default="#1f5f99",
        metadata={"description": "Hex colour, e.g. #1f5f99 (always shown with the theme's name)."},
    )


class TrackPatchSchema(PatchMixin, TrackInSchema):
    """Only the fields sent are changed."""


class TrackSchema(ma.Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    colour = fields.String(required=True)


# ------------------------------------------------------------------ sessions


class SessionSpeakerInSchema(ma.Schema):
    speaker_id = _ident(required=True)
    role = fields.String(validate=validate.OneOf(SPEAKER_ROLES), load_default=SPEAKER_ROLES[0])


class SessionInSchema(ma.Schema):
    """A programme session as sent on creation (POST) or full replacement (PUT)."""

    title = Line(required=True, validate=validate.Length(max=max_length(ProgrammeSession.title)))
    type = fields.String(validate=validate.OneOf(SESSION_TYPES), load_default="talk")
    starts_at = fields.DateTime(
        required=True,
        validate=_in_calendar,
        metadata={
            "description": "ISO 8601; without an offset it is read in the event's time zone."
        },
    )
    ends_at = fields.DateTime(
        required=True,
        validate=_in_calendar,
        metadata={
            "description": "ISO 8601; without an offset it is read in the event's time zone."
        },
    )
    room_id = _ident(allow_none=True, load_default=None)
    track_id = _ident(allow_none=True, load_default=None)
    capacity = fields.Integer(
        strict=True, allow_none=True, load_default=None, validate=validate.Range(0, MAX_CAPACITY)
    )
    description = Text(validate=validate.Length(max=MAX_TEXT), load_default="")
    languages = _languages(load_default=lambda: ["fr"])
    requires_registration = fields.Boolean(load_default=False)
    status = fields.String(
        validate=validate.OneOf(SESSION_STATUSES), load_default=SESSION_SCHEDULED
    )
    speakers = fields.List(
        fields.Nested(SessionSpeakerInSchema),
        validate=validate.Length(max=50),
        load_default=list,
        metadata={"description": "Who speaks, in order; replaces the whole list when sent."},
    )
    translations = _translations_in(ProgrammeSession)

    @post_load
    def _store_languages(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        return _join_languages(data)


class SessionPatchSchema(PatchMixin, SessionInSchema):
    """Only the fields sent are changed."""


class SessionSpeakerSchema(ma.Schema):
    speaker_id = fields.Integer(required=True)
    role = fields.String(required=True, validate=validate.OneOf(SPEAKER_ROLES))
    name = fields.String(required=True)


class SessionSchema(ma.Schema):
    id = fields.Integer(required=True)
    guid = fields.String(
        required=True, metadata={"description": "Stable identifier for calendar clients."}
    )
    title = fields.String(required=True)
    type = fields.String(required=True, validate=validate.OneOf(SESSION_TYPES))
    starts_at = fields.DateTime(
        required=True, metadata={"description": "In the event's time zone, with its offset."}
    )
    ends_at = fields.DateTime(
        required=True, metadata={"description": "In the event's time zone, with its offset."}
    )
    room_id = fields.Integer(required=True, allow_none=True)
    track_id = fields.Integer(required=True, allow_none=True)
    capacity = fields.Integer(required=True, allow_none=True)
    description = fields.String(required=True)
    languages = fields.List(fields.String(), required=True)
    requires_registration = fields.Boolean(required=True)
    status = fields.String(required=True, validate=validate.OneOf(SESSION_STATUSES))
    sequence = fields.Integer(required=True, metadata={"description": "Raised on every change."})
    speakers = fields.List(fields.Nested(SessionSpeakerSchema), required=True)
    translations = _translations_out(ProgrammeSession)
    updated_at = fields.DateTime(required=True)
