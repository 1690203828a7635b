"""What every API module shares: bearer-token authentication and JSON errors with stable codes.

Every error under /api/ has one shape, `{"error": {"code", "message", "details"?}}`:
`api_error` raises it from a view, `raise_domain` turns a DomainError into it, `writing()`
wraps a change (domain errors, constraint violations → JSON; one commit at the end) and
`json_error` renders any HTTPException (webargs' 400/422, werkzeug's 404/405/413, the
limiter's 429) the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Any, NoReturn

import marshmallow as ma
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_smorest import Blueprint
from flask_smorest import abort as smorest_abort
from sqlalchemy.exc import IntegrityError
from webargs.flaskparser import FlaskParser
from werkzeug.exceptions import HTTPException

from eventsys.blueprints.api.schemas import MAX_ID, ErrorSchema
from eventsys.extensions import db
from eventsys.models import ApiToken, Event, User
from eventsys.security import account_for_token, find_event_with_role, role_allows
from eventsys.services.codes import canonical_code
from eventsys.services.errors import DomainError

BEARER = [{"bearerAuth": []}]
BEARER_SCHEME = {
    "type": "http",
    "scheme": "bearer",
    "description": "An organiser's token, issued by `flask --app eventsys api-token EMAIL`.",
}

# Code and message for statuses raised without one (routing, werkzeug, flask-limiter…).
DEFAULT_CODES = {
    400: "bad_request", 401: "invalid_token", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "conflict", 413: "payload_too_large",
    415: "unsupported_media_type", 422: "validation_error", 429: "rate_limited",
    500: "server_error", 503: "unavailable",
}  # fmt: skip


def _default_message(status: int) -> str:
    messages = {
        400: _("La demande n'a pas pu être comprise."),
        401: _("Un jeton d'API valide est nécessaire (Authorization: Bearer …)."),
        403: _("Ce jeton ne donne pas accès à cette ressource."),
        404: _("Cette ressource n'existe pas."),
        405: _("Cette méthode n'est pas acceptée ici."),
        409: _("La demande entre en conflit avec l'état actuel des données."),
        413: _("Le corps de la requête est trop volumineux."),
        415: _("Le corps de la requête doit être du JSON (Content-Type: application/json)."),
        422: _("Certaines valeurs envoyées ne sont pas valides."),
        429: _("Trop de demandes en peu de temps. Réessayez plus tard."),
    }
    return messages.get(status, _("Une erreur inattendue s'est produite."))


def api_error(status: int, code: str, message: str, **details: Any) -> NoReturn:
    """Stop the request with a JSON error {"error": {"code", "message", …}}."""
    smorest_abort(status, message=message, code=code, **({"details": details} if details else {}))
    raise AssertionError("unreachable")  # pragma: no cover - abort always raises


def raise_domain(error: DomainError) -> NoReturn:
    """A domain rule broken by the request, as a JSON error."""
    api_error(
        error.status,
        error.code,
        str(error),
        **{k: v for k, v in error.params.items() if isinstance(v, str | int)},
    )


def field_details(error: DomainError) -> dict[str, dict[str, Any]]:
    """Each field's machine code and messages, from the `errors` and `codes` of the error's params."""
    codes = error.params.get("codes", {})
    return {
        name: {"code": codes.get(name, "invalid"), "messages": [str(m) for m in messages]}
        for name, messages in error.params.get("errors", {}).items()
    }


def answer_domain_error(error: DomainError, *, per_field: bool) -> NoReturn:
    """Undo the request's changes and answer the broken rule as a JSON error; `per_field`: with
    each field's mistakes in `details.fields`."""
    db.session.rollback()
    if per_field:
        api_error(error.status, error.code, str(error), fields=field_details(error))
    raise_domain(error)


def database_refused(error: Exception) -> tuple[dict[str, Any], int]:
    """A value the database refused (out of range, too long…) that no schema caught: the
    request's fault, so a 422 rather than a 500; logged, since a schema should catch it."""
    db.session.rollback()
    current_app.logger.warning(
        "database refused a value on %s %s: %s", request.method, request.path, error
    )
    message = _("Une valeur envoyée ne peut pas être enregistrée.")
    return {"error": {"code": "invalid_value", "message": message}}, 422


def json_error(error: HTTPException) -> tuple[dict[str, Any], int, dict[str, str]]:
    """Any HTTP error under /api/ as `{"error": {"code", "message", "details"?}}`."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    code = data.get("code") or DEFAULT_CODES.get(status, "error")
    message = data.get("message")
    details = data.get("details")
    messages = data.get("errors") or data.get("messages")
    if isinstance(
        getattr(error, "exc", None), json.JSONDecodeError | UnicodeDecodeError | RecursionError
    ):
        # webargs could not parse the body
        code, message, messages = (
            "invalid_json",
            _("Le corps de la requête n'est pas du JSON valide."),
            None,
        )
    elif messages and details is None:
        details = messages  # webargs/marshmallow: {location: {field: [messages]}}
    if message is None:
        # werkzeug's descriptions are English prose written for HTML pages; keep our own,
        # except for the limiter whose description states the limit ("10 per 1 minute").
        message = _default_message(status)
        if status == 429 and error.description:
            message = f"{message} ({error.description})"
    body: dict[str, Any] = {"code": code, "message": str(message)}
    if details:
        body["details"] = details
    headers = dict(data.get("headers") or {})
    if status == 401:
        headers.setdefault("WWW-Authenticate", 'Bearer realm="eventsys"')
    if status == 405 and getattr(error, "valid_methods", None):
        headers.setdefault("Allow", ", ".join(error.valid_methods))
    return {"error": body}, status, headers


class ApiParser(FlaskParser):
    """webargs' parser, stricter on bodies: an operation that documents a JSON body needs one
    (webargs would read a missing body as `{}`, and a PATCH with nothing would succeed), and a
    body nested too deep for Python's parser is malformed JSON, not a crash."""

    def load_json(self, req: Any, schema: Any) -> Any:
        try:
            data = super().load_json(req, schema)
        except RecursionError as error:
            return self._handle_invalid_json_error(error, req)
        if data is ma.missing:
            raise ma.ValidationError({"_schema": [_("Un corps JSON est requis.")]})
        return data


# Generic meaning of each error status, used to document every operation of the API.
ERROR_DOCS = {
    400: "A rule is broken (see `error.code`), or the body is not JSON: `invalid_json`.",
    401: "`invalid_token`: the bearer token is missing, unknown, revoked or expired.",
    403: "`forbidden`: the token's account has no suitable role on this event.",
    404: "`event_not_found` (no event has this code) or `not_found` / `<object>_not_found`.",
    409: "A conflict with the stored data (see `error.code`).",
    413: "`payload_too_large`: the body is over the API's size limit.",
    415: "`unsupported_media_type`: a body was sent that is not `application/json`.",
    422: "`validation_error`: `details` lists the wrong fields by location (`json`, `query`), then field.",
    429: "`rate_limited`: too many calls with this token; slow down.",
}


class ApiBlueprint(Blueprint):
    """A flask-smorest Blueprint for /api/v1: arguments go through ApiParser, and every
    operation documents the errors any API call can meet (401, 429; 403/404 on paths with
    parameters; 400/413/415/422 when it takes a body) in the `{"error": …}` shape."""

    ARGUMENTS_PARSER = ApiParser()
    _PATH_PARAMS = "eventsys_path_parameters"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._prepare_doc_cbks.append(self._prepare_error_doc)

    def add_url_rule(
        self, rule, endpoint=None, view_func=None, provide_automatic_options=None, **kwargs
    ) -> None:
        super().add_url_rule(rule, endpoint, view_func, provide_automatic_options, **kwargs)
        has_parameters = "<" in (self.url_prefix or "") + rule
        for key, doc in self._docs[self._endpoints[-1]].items():
            if key != "parameters":
                doc[self._PATH_PARAMS] = has_parameters

    @classmethod
    def _prepare_error_doc(cls, doc: dict, doc_info: dict, *, api: Any, **kwargs: Any) -> dict:
        secured = doc_info.get("manual_doc", {}).get("security", BEARER) != []
        statuses = [429]
        if secured:
            statuses += [401]
        if doc_info.get(cls._PATH_PARAMS):
            statuses += [403, 404] if secured else [404]
        if "requestBody" in doc:
            statuses += [400, 413, 415, 422]
        responses = doc.setdefault("responses", {})
        present = {str(status) for status in responses}
        for status in sorted(statuses):
            if str(status) not in present:
                responses[status] = {
                    "description": ERROR_DOCS[status],
                    "content": {api.DEFAULT_RESPONSE_CONTENT_TYPE: {"schema": api.ERROR_SCHEMA}},
                }
        return doc


def token_required(view: Callable) -> Callable:
    """The request must carry `Authorization: Bearer <token>` of an active account."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any):
        raw = bearer_token()
        # A path that names an event: the event is looked up with the token, in one query.
        code = kwargs.get("code")
        account = account_for_token(raw, canonical_code(code) if code else None) if raw else None
        if account is None:
            api_error(
                401,
                "invalid_token",
                _("Un jeton d'API valide est nécessaire (Authorization: Bearer …)."),
            )
        g.api_account = account
        g.pop("api_user", None)  # an app context reused across requests (tests) keeps `g`
        result = view(*args, **kwargs)
        if account.token_written or db.session.dirty:
            # Only the token's last-use time is left when the view changed nothing itself.
            db.session.commit()
        return result

    return wrapper


def api_user() -> User:
    """The token's account as an ORM object, loaded on first use: authentication reads only its
    id and flags (`g.api_account`)."""
    user = g.get("api_user")
    if user is None:
        user = g.api_user = db.session.get(User, g.api_account.id)
    return user


def documented(blp: ApiBlueprint, *statuses: int, docs: dict[int, str] | None = None) -> Callable:
    """Secure an operation with the bearer token (checked before the body is parsed) and
    document the error statuses it can answer, with `docs` describing their specific codes.

    Put it above @blp.arguments/@blp.response so the token is checked first."""

    def decorator(func: Callable) -> Callable:
        wrapped = token_required(func)
        for status in sorted(set(statuses)):
            description = (docs or {}).get(status) or ERROR_DOCS[status]
            wrapped = blp.alt_response(status, schema=ErrorSchema, description=description)(wrapped)
        return blp.doc(security=BEARER)(wrapped)

    return decorator


def event_for(code: str, role: str = "organiser") -> Event:
    """The event named by its code, if the token's account may act on it."""
    event, held = find_event_with_role(code, g.api_account)
    if event is None:
        api_error(404, "event_not_found", _("Aucun événement ne porte ce code de session."))
    if not role_allows(held, role):
        api_error(403, "forbidden", _("Le compte de ce jeton n'a pas de rôle sur cet événement."))
    return event


@contextmanager
def writing() -> Iterator[None]:
    """Run one change of the request: broken rules become JSON errors; commit once at the end."""
    try:
        yield
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        raise_domain(error)
    except IntegrityError:
        # A rule the database enforces that a concurrent request broke first (e.g. the same code).
        db.session.rollback()
        api_error(409, "conflict", _("La demande entre en conflit avec l'état actuel des données."))


# ------------------------------------------------------------------ request guards


def bearer_token() -> str:
    """The token of `Authorization: Bearer <token>`, however the header is spaced or cased; ""
    without one. The one reading of the header: authentication and the rate limit agree on it."""
    parts = request.headers.get("Authorization", "").split()
    if len(parts) == 2 and parts[0].lower() == "bearer":
        return parts[1]
    return ""


def rate_limit_key() -> str:
    """Count API calls per token, by its identity (the hash stored for it: every spelling of
    the header that authenticates as the token counts against the same budget), or per address
    without one."""
    raw = bearer_token()
    if raw:
        return "token:" + ApiToken.hash(raw)[:32]
    return "ip:" + (get_remote_address() or "unknown")


def rate_limit_value() -> str:
    return current_app.config["API_RATE_LIMIT"]


def guard_request() -> None:
    """Before any API view: a smaller body limit, and bodies must be JSON."""
    if not request.path.startswith(current_app.config["OPENAPI_URL_PREFIX"] + "/"):
        return
    request.max_content_length = current_app.config["API_MAX_CONTENT_LENGTH"]
    # Ids in paths are `integer` columns: a larger number names nothing (and SQLite cannot even
    # bind it), whatever the route's converter accepted.
    for value in (request.view_args or {}).values():
        if isinstance(value, int) and not 0 < value <= MAX_ID:
            api_error(404, "not_found", _default_message(404))
    if request.method in ("POST", "PUT", "PATCH") and _has_body() and not request.is_json:
        api_error(415, "unsupported_media_type", _default_message(415))


def _has_body() -> bool:
    return (
        bool(request.content_length)
        or "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    )
