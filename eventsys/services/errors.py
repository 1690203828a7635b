"""Domain exceptions. Each carries a stable machine code (for the API) and a message for people.

Messages are lazy translatable strings so a view can show them in the user's language, and
the API can return both `code` and the translated `message`.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A rule of the domain was broken by the request; never a server fault."""

    code = "domain_error"
    status = 400

    def __init__(self, message: Any = None, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message if message is not None else self.code)

    def __str__(self) -> str:
        return str(self.message) if self.message is not None else self.code


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidSessionCode(DomainError):
    code = "invalid_session_code"


class DuplicateSessionCode(DomainError):
    code = "duplicate_session_code"
    status = 409


class InvalidDates(DomainError):
    code = "invalid_dates"


class SessionOutsideEvent(DomainError):
    code = "session_outside_event"


class RoomInUse(DomainError):
    code = "room_in_use"
    status = 409


class RoomConflict(DomainError):
    """Publishing is refused while a room is double-booked."""

    code = "room_conflict"
    status = 409


class InvalidValue(DomainError):
    code = "invalid_value"
