"""The blueprint and what its three sides share: private pages, the rule on who coordinates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, abort, flash, make_response, redirect, url_for
from flask_babel import get_locale
from flask_login import current_user

from eventsys.extensions import db
from eventsys.models import Event
from eventsys.security import require_organiser
from eventsys.services.directory import search
from eventsys.services.errors import DomainError

bp = Blueprint("directory", __name__, template_folder="templates")


def private(response: Any) -> Any:
    """A page reached through a private link: never cached, never indexed."""
    response = make_response(response)
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def locale() -> str:
    return str(get_locale() or "fr")


def require_coordinator() -> None:
    """403 unless the logged-in account coordinates the directory (login is checked by the view)."""
    if not search.is_coordinator(current_user):
        abort(403)


def organised_event(event_id: int) -> Event:
    """The event, if the logged-in account organises it (404 / 403 otherwise)."""
    event = db.get_or_404(Event, event_id)
    require_organiser(event)
    return event


def apply(change: Callable[[], Any], done: str, then: str) -> tuple[Any, int]:
    """Run one change and commit: (redirect to `then`, 200) with `done` flashed; a broken rule
    is flashed instead and gives (None, its status) so the page is shown again."""
    try:
        change()
        db.session.commit()
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None, (409 if error.status == 409 else 422)
    flash(done, "success")
    return redirect(then), 200


def typed(form: Any, names: Any) -> dict[str, str]:
    """The texts a translation form holds, by field."""
    return {name: form[name].data for name in names}


@bp.app_context_processor
def _directory_nav() -> dict[str, Any]:
    """The main menu's "Directory" entry, for coordinators and administrators only."""

    def directory_url() -> str | None:
        return url_for("directory.search") if search.is_coordinator(current_user) else None

    return {"directory_url": directory_url}
