"""What the directory refuses, each with a stable code (the API returns it) and a message."""

from __future__ import annotations

from typing import Any

from eventsys.services.errors import DomainError


class ProfileInvalid(DomainError):
    """A profile's fields have mistakes; `params["errors"]` maps each field to its messages and
    `params["codes"]` to a code (`invalid_language`, `invalid_level`…)."""

    code = "validation_error"
    status = 422


class ProfileExists(DomainError):
    """This e-mail address already has a profile (one per address)."""

    code = "profile_exists"
    status = 409


class TranslationInvalid(DomainError):
    """A translation request that cannot be made as sent (language, target, volunteers); `reason`
    gives the stable code when there is a more precise one (`invalid_language`…)."""

    code = "translation_invalid"
    status = 422

    def __init__(self, message: Any = None, *, reason: str = "", **params: Any) -> None:
        super().__init__(message, **params)
        if reason:
            self.code = reason


class VolunteerRefused(DomainError):
    """A volunteer who does not speak both languages at the level asked, or is not a volunteer."""

    code = "volunteer_refused"
    status = 422


class TranslationState(DomainError):
    """The action does not apply to the request in its current status (submitted twice…)."""

    code = "invalid_transition"
    status = 409
