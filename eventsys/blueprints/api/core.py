"""Events, rooms, speakers, tracks and sessions over JSON, for an organiser's bearer token.

Views are thin: parse (schemas), authorise (`event_for`), call one service of
services/programme.py inside `writing()` (which commits once), dump.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from functools import wraps
from typing import Any

from flask import current_app, request, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_smorest import Api

from eventsys.blueprints.api.common import ApiBlueprint, api_error, api_user, event_for, writing
from eventsys.blueprints.api.common import documented as common_documented
from eventsys.blueprints.api.schemas import (
    MAX_ID,
    ContentQuerySchema,
    EventInSchema,
    EventPatchSchema,
    EventSchema,
    RoomInSchema,
    RoomPatchSchema,
    RoomSchema,
    SessionInSchema,
    SessionPatchSchema,
    SessionSchema,
    SpeakerInSchema,
    SpeakerPatchSchema,
    SpeakerSchema,
    TrackInSchema,
    TrackPatchSchema,
    TrackSchema,
)
from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession, Room, Speaker, Track
from eventsys.models.translatable import CONTENT_LANGUAGES, Translatable
from eventsys.security import can_create_events, managed_events
from eventsys.services import programme

CODE = "<string(maxlength=64):code>"


def _id(name: str) -> str:
    return f"<int(min=1, max={MAX_ID}):{name}>"


# What the error statuses of the programme operations mean, with their stable codes.
PROGRAMME_ERRORS = {
    400: "A rule of the programme is broken: `invalid_dates`, `session_outside_event`, "
    "`invalid_value` (`details.field` names the field), `invalid_session_code`; or the body is "
    "not JSON: `invalid_json`.",
    404: "`event_not_found` (no event has this code) or `not_found` (no such object in this event).",
    409: "A conflict with the stored data: `duplicate_session_code`, `room_in_use`, `room_conflict`, "
    "or `conflict` (changed meanwhile by another request).",
}
EVENT_ERRORS = (401, 403, 404, 429)
BODY_ERRORS = (400, 413, 415, 422)


def documented(blp: ApiBlueprint, *statuses: int) -> Callable:
    """Bearer token required; error responses documented with the programme's codes."""
    return common_documented(blp, *statuses, docs=PROGRAMME_ERRORS)


# ------------------------------------------------------------------ serialisers


def content_language() -> str | None:
    """The language asked in Accept-Language among the content languages; None: the main one."""
    return request.accept_languages.best_match(CONTENT_LANGUAGES)


def _texts(obj: Translatable) -> dict[str, Any]:
    """The translatable fields in the language asked, plus every language with ?translations=all."""
    lang = content_language()
    texts: dict[str, Any] = {name: obj.localized(name, lang) for name in obj.TRANSLATABLE}
    if request.args.get("translations") == "all":  # validated by ContentQuerySchema on reads
        texts["translations"] = obj.all_translations()
    return texts


def content_query(blp: ApiBlueprint) -> Callable:
    """Document and read `?translations=all` on a read operation."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, translations: str | None = None, **kwargs: Any) -> Any:
            return view(*args, **kwargs)  # _texts reads the validated query string

        return blp.arguments(ContentQuerySchema, location="query", as_kwargs=True)(wrapper)

    return decorator


def event_data(event: Event) -> dict[str, Any]:
    return {
        **{name: getattr(event, name) for name in programme.EVENT_FIELDS},
        **_texts(event),
        "default_language": event.main_language,
        "id": event.id,
        "code": event.code,
        "code_display": event.code_display,
        "status": event.status,
        "languages": event.language_list,
        "restrict_languages": bool(event.restrict_languages),
        "created_at": event.created_at,
        "updated_at": event.updated_at,
    }


def room_data(room: Room) -> dict[str, Any]:
    return {
        "id": room.id,
        **{name: getattr(room, name) for name in programme.ROOM_FIELDS},
        **_texts(room),
    }


def speaker_data(speaker: Speaker) -> dict[str, Any]:
    return {"id": speaker.id, **{name: getattr(speaker, name) for name in programme.SPEAKER_FIELDS}}


def track_data(track: Track) -> dict[str, Any]:
    return {"id": track.id, "name": track.name, "colour": track.colour}


def session_data(session: ProgrammeSession) -> dict[str, Any]:
    tz = session.event.tz
    return {
        **{name: getattr(session, name) for name in programme.SESSION_FIELDS},
        **_texts(session),
        "id": session.id,
        "guid": session.guid,
        "starts_at": session.starts_at.astimezone(tz),
        "ends_at": session.ends_at.astimezone(tz),
        "languages": session.language_list,
        "sequence": session.sequence,
        "speakers": [
            {"speaker_id": link.speaker_id, "role": link.role, "name": link.speaker.name}
            for link in session.speakers
        ],
        "updated_at": session.updated_at,
    }


# ------------------------------------------------------------------ loaders


def _child(event: Event, model: type, object_id: int, message: str) -> Any:
    """An object of the event, or 404 (objects of other events are not found either)."""
    obj = db.session.get(model, object_id)
    if obj is None or obj.event_id != event.id:
        api_error(404, "not_found", message)
    return obj


def _room(event: Event, room_id: int) -> Room:
    return _child(event, Room, room_id, _("Cette salle n'existe pas dans cet événement."))


def _speaker(event: Event, speaker_id: int) -> Speaker:
    return _child(event, Speaker, speaker_id, _("Cet intervenant n'existe pas dans cet événement."))


def _session(event: Event, session_id: int) -> ProgrammeSession:
    return _child(
        event, ProgrammeSession, session_id, _("Cette session n'existe pas dans cet événement.")
    )


def _track(event: Event, track_id: int) -> Track:
    return _child(event, Track, track_id, _("Ce thème n'existe pas dans cet événement."))


def _instant(event: Event, value: datetime) -> datetime:
    """An aware UTC datetime; a time sent without offset is a wall-clock time of the event."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=event.tz)
    return value.astimezone(UTC)


def _pattern() -> str:
    return current_app.config["SESSION_CODE_PATTERN"]


# ------------------------------------------------------------------ events

events = ApiBlueprint(
    "api_events",
    __name__,
    url_prefix="/api/v1",
    description="Events the token's account organises.",
)


CREATE_FORBIDDEN = "`forbidden`: the token's account may not create events (an administrator grants that role)."


@events.route("/events")
class Events(MethodView):
    @documented(events, 401, 429)
    @events.response(200, EventSchema(many=True))
    @content_query(events)
    def get(self):
        """Events the token's account organises (all events for an administrator)."""
        return [event_data(event) for event in managed_events(api_user())]

    @common_documented(events, 401, 403, 409, 429, *BODY_ERRORS, docs={**PROGRAMME_ERRORS, 403: CREATE_FORBIDDEN})
    @events.arguments(EventInSchema)
    @events.response(201, EventSchema)
    def post(self, data: dict[str, Any]):
        """Create a draft event; the token's account becomes its organiser.

        Only accounts an administrator made organisers (or administrators) may create events.
        Without `code`, one is generated from the configured pattern.
        """
        if not can_create_events(api_user()):
            api_error(403, "forbidden", _("Le compte de ce jeton n'a pas le droit de créer des événements."))
        with writing():
            event = programme.create_event(api_user(), data, _pattern())
        return (
            event_data(event),
            201,
            {"Location": url_for("api_events.EventByCode", code=event.code)},
        )


@events.route(f"/events/{CODE}")
class EventByCode(MethodView):
    @documented(events, *EVENT_ERRORS)
    @events.response(200, EventSchema)
    @content_query(events)
    def get(self, code: str):
        """One event, by its session code (any case, spaces optional)."""
        return event_data(event_for(code))

    @documented(events, *EVENT_ERRORS, 409, *BODY_ERRORS)
    @events.arguments(EventInSchema)
    @events.response(200, EventSchema)
    def put(self, data: dict[str, Any], code: str):
        """Replace an event's fields; those left out go back to their defaults (the code is kept)."""
        event = event_for(code)
        with writing():
            programme.save_event(event, data, _pattern())
        return event_data(event)

    @documented(events, *EVENT_ERRORS, 409, *BODY_ERRORS)
    @events.arguments(EventPatchSchema)
    @events.response(200, EventSchema)
    def patch(self, data: dict[str, Any], code: str):
        """Change some fields of an event; sending `code` renames it."""
        event = event_for(code)
        with writing():
            programme.save_event(event, data, _pattern())
        return event_data(event)

    @documented(events, *EVENT_ERRORS, 409)
    @events.response(204)
    def delete(self, code: str):
        """Delete an event with its rooms, speakers and programme."""
        event = event_for(code)
        with writing():
            programme.delete_event(event)


@events.route(f"/events/{CODE}/publish", methods=["POST"])
@documented(events, *EVENT_ERRORS, 409, 413, 415)
@events.response(200, EventSchema)
def publish(code: str):
    """Publish the event, unless a room is double-booked (409 `room_conflict`)."""
    event = event_for(code)
    with writing():
        programme.publish_event(event)
    return event_data(event)


# ------------------------------------------------------------------ rooms

rooms = ApiBlueprint("api_rooms", __name__, url_prefix="/api/v1", description="Rooms of an event.")


@rooms.route(f"/events/{CODE}/rooms")
class Rooms(MethodView):
    @documented(rooms, *EVENT_ERRORS)
    @rooms.response(200, RoomSchema(many=True))
    @content_query(rooms)
    def get(self, code: str):
        """The event's rooms, in display order."""
        return [room_data(room) for room in event_for(code).rooms]

    @documented(rooms, *EVENT_ERRORS, *BODY_ERRORS)
    @rooms.arguments(RoomInSchema)
    @rooms.response(201, RoomSchema)
    def post(self, data: dict[str, Any], code: str):
        """Add a room."""
        event = event_for(code)
        with writing():
            room = programme.save_room(event, Room(), data)
        return (
            room_data(room),
            201,
            {"Location": url_for("api_rooms.RoomById", code=event.code, room_id=room.id)},
        )


@rooms.route(f"/events/{CODE}/rooms/{_id('room_id')}")
class RoomById(MethodView):
    @documented(rooms, *EVENT_ERRORS)
    @rooms.response(200, RoomSchema)
    @content_query(rooms)
    def get(self, code: str, room_id: int):
        """One room."""
        return room_data(_room(event_for(code), room_id))

    @documented(rooms, *EVENT_ERRORS, *BODY_ERRORS)
    @rooms.arguments(RoomInSchema)
    @rooms.response(200, RoomSchema)
    def put(self, data: dict[str, Any], code: str, room_id: int):
        """Replace a room's fields."""
        event = event_for(code)
        room = _room(event, room_id)
        with writing():
            programme.save_room(event, room, data)
        return room_data(room)

    @documented(rooms, *EVENT_ERRORS, *BODY_ERRORS)
    @rooms.arguments(RoomPatchSchema)
    @rooms.response(200, RoomSchema)
    def patch(self, data: dict[str, Any], code: str, room_id: int):
        """Change some fields of a room."""
        event = event_for(code)
        room = _room(event, room_id)
        with writing():
            programme.save_room(event, room, data)
        return room_data(room)

    @documented(rooms, *EVENT_ERRORS, 409)
    @rooms.response(204)
    def delete(self, code: str, room_id: int):
        """Delete a room no session uses (409 `room_in_use` otherwise)."""
        room = _room(event_for(code), room_id)
        with writing():
            programme.delete_room(room)


# ------------------------------------------------------------------ speakers

speakers = ApiBlueprint(
    "api_speakers", __name__, url_prefix="/api/v1", description="Speakers of an event."
)


@speakers.route(f"/events/{CODE}/speakers")
class Speakers(MethodView):
    @documented(speakers, *EVENT_ERRORS)
    @speakers.response(200, SpeakerSchema(many=True))
    def get(self, code: str):
        """The event's speakers, by name."""
        return [speaker_data(speaker) for speaker in event_for(code).speakers]

    @documented(speakers, *EVENT_ERRORS, *BODY_ERRORS)
    @speakers.arguments(SpeakerInSchema)
    @speakers.response(201, SpeakerSchema)
    def post(self, data: dict[str, Any], code: str):
        """Add a speaker."""
        event = event_for(code)
        with writing():
            speaker = programme.save_speaker(event, Speaker(), data)
        location = url_for("api_speakers.SpeakerById", code=event.code, speaker_id=speaker.id)
        return speaker_data(speaker), 201, {"Location": location}


@speakers.route(f"/events/{CODE}/speakers/{_id('speaker_id')}")
class SpeakerById(MethodView):
    @documented(speakers, *EVENT_ERRORS)
    @speakers.response(200, SpeakerSchema)
    def get(self, code: str, speaker_id: int):
        """One speaker."""
        return speaker_data(_speaker(event_for(code), speaker_id))

    @documented(speakers, *EVENT_ERRORS, *BODY_ERRORS)
    @speakers.arguments(SpeakerInSchema)
    @speakers.response(200, SpeakerSchema)
    def put(self, data: dict[str, Any], code: str, speaker_id: int):
        """Replace a speaker's fields."""
        event = event_for(code)
        speaker = _speaker(event, speaker_id)
        with writing():
            programme.save_speaker(event, speaker, data)
        return speaker_data(speaker)

    @documented(speakers, *EVENT_ERRORS, *BODY_ERRORS)
    @speakers.arguments(SpeakerPatchSchema)
    @speakers.response(200, SpeakerSchema)
    def patch(self, data: dict[str, Any], code: str, speaker_id: int):
        """Change some fields of a speaker."""
        event = event_for(code)
        speaker = _speaker(event, speaker_id)
        with writing():
            programme.save_speaker(event, speaker, data)
        return speaker_data(speaker)

    @documented(speakers, *EVENT_ERRORS)
    @speakers.response(204)
    def delete(self, code: str, speaker_id: int):
        """Delete a speaker; they are taken off the sessions they spoke in."""
        speaker = _speaker(event_for(code), speaker_id)
        with writing():
            programme.delete_speaker(speaker)


# ------------------------------------------------------------------ tracks

tracks = ApiBlueprint(
    "api_tracks", __name__, url_prefix="/api/v1", description="Themes of an event."
)


@tracks.route(f"/events/{CODE}/tracks")
class Tracks(MethodView):
    @documented(tracks, *EVENT_ERRORS)
    @tracks.response(200, TrackSchema(many=True))
    def get(self, code: str):
        """The event's themes, whose ids sessions refer to as `track_id`."""
        return [track_data(track) for track in event_for(code).tracks]

    @documented(tracks, *EVENT_ERRORS, *BODY_ERRORS)
    @tracks.arguments(TrackInSchema)
    @tracks.response(201, TrackSchema)
    def post(self, data: dict[str, Any], code: str):
        """Add a theme."""
        event = event_for(code)
        with writing():
            track = programme.save_track(event, Track(), data)
        location = url_for("api_tracks.TrackById", code=event.code, track_id=track.id)
        return track_data(track), 201, {"Location": location}


@tracks.route(f"/events/{CODE}/tracks/{_id('track_id')}")
class TrackById(MethodView):
    @documented(tracks, *EVENT_ERRORS)
    @tracks.response(200, TrackSchema)
    def get(self, code: str, track_id: int):
        """One theme."""
        return track_data(_track(event_for(code), track_id))

    @documented(tracks, *EVENT_ERRORS, *BODY_ERRORS)
    @tracks.arguments(TrackInSchema)
    @tracks.response(200, TrackSchema)
    def put(self, data: dict[str, Any], code: str, track_id: int):
        """Replace a theme's fields."""
        event = event_for(code)
        track = _track(event, track_id)
        with writing():
            programme.save_track(event, track, data)
        return track_data(track)

    @documented(tracks, *EVENT_ERRORS, *BODY_ERRORS)
    @tracks.arguments(TrackPatchSchema)
    @tracks.response(200, TrackSchema)
    def patch(self, data: dict[str, Any], code: str, track_id: int):
        """Change some fields of a theme."""
        event = event_for(code)
        track = _track(event, track_id)
        with writing():
            programme.save_track(event, track, data)
        return track_data(track)

    @documented(tracks, *EVENT_ERRORS)
    @tracks.response(204)
    def delete(self, code: str, track_id: int):
        """Delete a theme; its sessions stay, without a theme."""
        track = _track(event_for(code), track_id)
        with writing():
            programme.delete_track(track)


# ------------------------------------------------------------------ sessions

sessions = ApiBlueprint(
    "api_sessions", __name__, url_prefix="/api/v1", description="The programme of an event."
)


def _speaker_links(data: dict[str, Any]) -> list[tuple[int, str]] | None:
    links = data.pop("speakers", None)
    return None if links is None else [(link["speaker_id"], link["role"]) for link in links]


@sessions.route(f"/events/{CODE}/sessions")
class Sessions(MethodView):
    @documented(sessions, *EVENT_ERRORS)
    @sessions.response(200, SessionSchema(many=True))
    @content_query(sessions)
    def get(self, code: str):
        """The programme in time order, times in the event's zone."""
        return [session_data(session) for session in event_for(code).sessions]

    @documented(sessions, *EVENT_ERRORS, *BODY_ERRORS)
    @sessions.arguments(SessionInSchema)
    @sessions.response(201, SessionSchema)
    def post(self, data: dict[str, Any], code: str):
        """Add a session; its times must fall within the event's days."""
        event = event_for(code)
        starts, ends = _instant(event, data.pop("starts_at")), _instant(event, data.pop("ends_at"))
        links = _speaker_links(data)
        with writing():
            session = programme.save_session(event, ProgrammeSession(), data, starts, ends, links)
        location = url_for("api_sessions.SessionById", code=event.code, session_id=session.id)
        return session_data(session), 201, {"Location": location}


@sessions.route(f"/events/{CODE}/sessions/{_id('session_id')}")
class SessionById(MethodView):
    @documented(sessions, *EVENT_ERRORS)
    @sessions.response(200, SessionSchema)
    @content_query(sessions)
    def get(self, code: str, session_id: int):
        """One session."""
        return session_data(_session(event_for(code), session_id))

    @documented(sessions, *EVENT_ERRORS, *BODY_ERRORS)
    @sessions.arguments(SessionInSchema)
    @sessions.response(200, SessionSchema)
    def put(self, data: dict[str, Any], code: str, session_id: int):
        """Replace a session; fields left out go back to their defaults, speakers to none."""
        event = event_for(code)
        session = _session(event, session_id)
        starts, ends = _instant(event, data.pop("starts_at")), _instant(event, data.pop("ends_at"))
        links = _speaker_links(data)
        with writing():
            programme.save_session(event, session, data, starts, ends, links)
        return session_data(session)

    @documented(sessions, *EVENT_ERRORS, *BODY_ERRORS)
    @sessions.arguments(SessionPatchSchema)
    @sessions.response(200, SessionSchema)
    def patch(self, data: dict[str, Any], code: str, session_id: int):
        """Change some fields of a session; `speakers`, when sent, replaces the list."""
        event = event_for(code)
        session = _session(event, session_id)
        starts = (
            _instant(event, data.pop("starts_at")) if "starts_at" in data else session.starts_at
        )
        ends = _instant(event, data.pop("ends_at")) if "ends_at" in data else session.ends_at
        links = _speaker_links(data)
        with writing():
            programme.save_session(event, session, data, starts, ends, links)
        return session_data(session)

    @documented(sessions, *EVENT_ERRORS)
    @sessions.response(204)
    def delete(self, code: str, session_id: int):
        """Remove a session from the programme."""
        session = _session(event_for(code), session_id)
        with writing():
            programme.delete_session(session)


def _vary_on_language(response: Any) -> Any:
    """Texts follow Accept-Language: caches must keep one answer per language."""
    response.vary.add("Accept-Language")
    return response


for _blueprint in (events, rooms, sessions):
    _blueprint.after_request(_vary_on_language)


def register(api: Api) -> None:
    """Attach this module's blueprints to the API."""
    for blueprint in (events, rooms, speakers, tracks, sessions):
        api.register_blueprint(blueprint)
