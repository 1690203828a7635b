"""Data model, one module per domain. Importing this package registers every table."""

from eventsys.models.events import Event, Room, Speaker, Track
from eventsys.models.people import ApiToken, EventRole, User
from eventsys.models.programme import ProgrammeSession, SessionSpeaker

__all__ = [
    "ApiToken",
    "Event",
    "EventRole",
    "ProgrammeSession",
    "Room",
    "SessionSpeaker",
    "Speaker",
    "Track",
    "User",
]
