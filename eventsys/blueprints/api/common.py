"""What every API module shares: bearer-token authentication and JSON errors with stable codes."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import g, request
from flask_smorest import abort as smorest_abort

from eventsys.models import Event
from eventsys.security import can_manage, can_staff, user_for_token
from eventsys.services.errors import DomainError
from eventsys.services.programme import find_event

BEARER = [{"bearerAuth": []}]


def api_error(status: int, code: str, message: str, **details: Any):
    """Stop the request with a JSON error {"error": {"code", "message", …}}."""
    smorest_abort(status, message=message, code=code, **({"details": details} if details else {}))


def raise_domain(error: DomainError):
    """A domain rule broken by the request, as a JSON error."""
    api_error(error.status, error.code, str(error), **{k: v for k, v in error.params.items() if isinstance(v, str | int)})


def token_required(view: Callable) -> Callable:
    """The request must carry `Authorization: Bearer <token>` of an active account."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        header = request.headers.get("Authorization", "")
        scheme, _, raw = header.partition(" ")
        user = user_for_token(raw.strip()) if scheme.lower() == "bearer" and raw.strip() else None
        if user is None:
            api_error(401, "invalid_token", "A valid bearer token is required (Authorization: Bearer …).")
        g.api_user = user
        return view(*args, **kwargs)

    return wrapper


def event_for(code: str, role: str = "organiser") -> Event:
    """The event named by its code, if the token's account may act on it (404 hides others' drafts)."""
    event = find_event(code)
    if event is None:
        api_error(404, "event_not_found", "No event has this session code.")
    allowed = can_manage(g.api_user, event) if role == "organiser" else can_staff(g.api_user, event)
    if not allowed:
        api_error(403, "forbidden", "This token's account has no role on this event.")
    return event


