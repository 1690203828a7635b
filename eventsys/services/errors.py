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


class FieldErrors(dict):
    """The mistakes of a form or payload, collected before anything is written: field -> its
    messages, with the machine code of each field's first mistake (for the API).

    A subclass names the exception to raise and its message; `raise_if_any` raises it with
    `errors` and `codes` in its params when a field has a mistake.
    """

    invalid: type[DomainError] = DomainError
    message: Any = None

    def __init__(self) -> None:
        super().__init__()
        self.codes: dict[str, str] = {}

    def add(self, name: str, code: str, message: str) -> None:
        self.setdefault(name, []).append(message)
        self.codes.setdefault(name, code)

    def raise_if_any(self, message: Any = None) -> None:
        if self:
            raise self.invalid(message or self.message, errors=dict(self), codes=dict(self.codes))


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


# --- registration -----------------------------------------------------------------------------


class RegistrationInvalid(DomainError):
    """The form or API payload has mistakes; `params["errors"]` maps each field to its messages."""

    code = "validation_error"
    status = 422


class RegistrationClosed(DomainError):
    """Outside the registration window, or registration not offered for this event."""

    code = "registration_closed"
    status = 409


class EventFull(DomainError):
    code = "event_full"
    status = 409


class SessionFull(DomainError):
    code = "session_full"
    status = 409


class SessionClosed(DomainError):
    """The chosen session does not (or no longer) take registrations."""

    code = "session_closed"
    status = 409


class ChoiceConflict(DomainError):
    """Two chosen sessions take place at the same time."""

    code = "choice_conflict"
    status = 422


class InvalidTransition(DomainError):
    """The action does not apply to the registration in its current state."""

    code = "invalid_transition"
    status = 409


class InvalidLink(DomainError):
    """A private registration link that was altered, replaced, cancelled or has expired."""

    code = "invalid_link"
    status = 404


class ImportRejected(DomainError):
    """A programme import with rows in error, when the organiser did not accept a partial import."""

    code = "import_rejected"
    status = 409


# --- check-in ---------------------------------------------------------------------------------


class InvalidCheckIn(DomainError):
    """A check-in request the desk cannot process as sent (no nonce, nothing scanned, unknown session)."""

    code = "invalid_checkin"
    status = 422


class NonceReused(DomainError):
    """The client sent an already-used nonce with a different scan: it would be lost as a replay."""

    code = "nonce_reused"
    status = 409


class StaffTokenInvalid(DomainError):
    """A staff token that is unknown (`invalid_token`), revoked or expired: the desk needs a new link."""

    code = "invalid_token"
    status = 401


class StaffTokenRevoked(StaffTokenInvalid):
    code = "staff_token_revoked"


class StaffTokenExpired(StaffTokenInvalid):
    code = "staff_token_expired"


class StaffTokenWrongEvent(DomainError):
    """A valid staff token used for another event."""

    code = "forbidden"
    status = 403


# --- speed networking -------------------------------------------------------------------------


class NetworkingInvalid(DomainError):
    """Speed-networking settings, stations or participants that cannot be accepted as sent."""

    code = "networking_invalid"
    status = 422


class RotationImpossible(DomainError):
    """No rotation can be planned with these settings and participants; the message says why."""

    code = "rotation_impossible"
    status = 422
