"""Public pages: home with the session-code box, event pages, programme, health check."""

from __future__ import annotations

from datetime import date, datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select, text

from eventsys import cache as page_cache
from eventsys import richtext
from eventsys.blueprints.public.forms import CodeForm
from eventsys.blueprints.public.labels import (
    EVENT_KIND_LABELS,
    SESSION_TYPE_LABELS,
    SPEAKER_ROLE_LABELS,
)
from eventsys.blueprints.public.layout import programme_days, text_blocks
from eventsys.extensions import db
from eventsys.i18n import format_list
from eventsys.models import Event
from eventsys.models.events import STATUS_DRAFT, STATUS_PUBLISHED
from eventsys.security import can_manage
from eventsys.services import programme_page
from eventsys.services.codes import canonical_code, display_code
from eventsys.services.links import external_url
from eventsys.services.programme import find_event
from eventsys.web import LANGUAGE_NAMES, format_local_date, viewer_locale

bp = Blueprint("public", __name__, template_folder="templates")
# A filter, not a context variable, so that imported macros can use it too.
bp.add_app_template_filter(text_blocks, "text_blocks")
bp.add_app_template_filter(programme_page.excerpt, "excerpt")
bp.add_app_template_filter(richtext.to_html, "richtext")

UPCOMING_LIMIT = 50
PAST_LIMIT = 10


@bp.context_processor
def _public_helpers():
    def event_dates(event: Event, fmt: str = "full") -> str:
        if event.start_date == event.end_date:
            return format_local_date(event.start_date, fmt)
        return _(
            "du %(start)s au %(end)s",
            start=format_local_date(event.start_date, fmt),
            end=format_local_date(event.end_date, fmt),
        )

    def language_names(codes: list[str]) -> str:
        return format_list([LANGUAGE_NAMES.get(code, code) for code in codes], viewer_locale())

    return {
        "event_dates": event_dates,
        "language_names": language_names,
        "kind_labels": EVENT_KIND_LABELS,
        "type_labels": SESSION_TYPE_LABELS,
        "role_labels": SPEAKER_ROLE_LABELS,
    }


def _today() -> date:
    return datetime.now(ZoneInfo(current_app.config["DEFAULT_TIMEZONE"])).date()


def _published_events() -> tuple[list[Event], list[Event]]:
    """Upcoming published events (soonest first) and the most recent past ones."""
    today = _today()
    published = select(Event).where(Event.status == STATUS_PUBLISHED)
    upcoming = published.where(Event.end_date >= today).order_by(Event.start_date, Event.id)
    past = published.where(Event.end_date < today).order_by(Event.end_date.desc(), Event.id.desc())
    return (
        list(db.session.scalars(upcoming.limit(UPCOMING_LIMIT))),
        list(db.session.scalars(past.limit(PAST_LIMIT))),
    )


def _home(form: CodeForm, status: int = 200):
    upcoming, past = _published_events()
    return render_template("public/index.html", form=form, events=upcoming, past_events=past), status


def _visible(event: Event | None) -> bool:
    """Drafts exist only for the people who build them."""
    if event is None:
        return False
    return event.status != STATUS_DRAFT or can_manage(current_user, event)


def _canonical_redirect(endpoint: str, code: str):
    target = url_for(endpoint, **{**(request.view_args or {}), "code": code})
    if request.query_string:
        # Keep the query string as sent (already percent-encoded); quote anything that is not.
        target += "?" + quote(request.query_string, safe="=&+%;/:,@!$'()*?~")
    return redirect(target, 301)


def _load_event(code: str, endpoint: str):
    """The visible event for a URL code, a redirect to its canonical URL, or a friendly 404."""
    event = find_event(code)
    if not _visible(event):
        form = CodeForm(formdata=None, code=code if canonical_code(code) else "")
        return None, (render_template("public/event_not_found.html", form=form), 404)
    if code != event.code:
        return None, _canonical_redirect(endpoint, event.code)
    return event, None


@bp.route("/")
def index():
    return _home(CodeForm(formdata=None))


@bp.route("/e")
def find():
    """Where the session-code box sends its GET request."""
    form = CodeForm(request.args)
    typed = (form.code.data or "").strip()
    if not typed:
        form.code.errors = [_("Saisissez le code de session, par exemple Z26IN 001.")]
        return _home(form, 400)
    code = canonical_code(typed)
    if code is None:
        form.code.errors = [
            _("Ce code n'a pas la forme d'un code de session : 3 à 20 lettres ou chiffres, par exemple Z26IN 001.")
        ]
        return _home(form, 400)
    event = find_event(code)
    if not _visible(event):
        form.code.errors = [
            _("Aucun événement ne porte le code « %(code)s ». Vérifiez le code indiqué sur votre invitation.",
              code=display_code(typed)[:40])
        ]
        return _home(form, 404)
    # The issue asks that a visitor typing the code lands on the programme; its header links to the event page.
    return redirect(url_for("public.programme", code=event.code))


@bp.route("/e/<code>")
def event(code: str):
    event, response = _load_event(code, "public.event")
    if response is not None:
        return response
    return render_template(
        "public/event.html",
        event=event,
        is_draft=event.status == STATUS_DRAFT,
        is_past=event.end_date < _today(),
        can_register=event.status == STATUS_PUBLISHED and event.end_date >= _today(),
        webcal_url=_webcal(event),
    )


@bp.route("/e/<code>/programme")
@bp.route("/e/<code>/programme/<day>")
def programme(code: str, day: str | None = None):
    """The programme: one day per page for a large programme, everything for a small one;
    filters by theme, room and words as GET parameters (no JavaScript needed)."""
    event, response = _load_event(code, "public.programme")
    if response is not None:
        return response
    wanted = None
    if day is not None:
        wanted = programme_page.parse_day(day)
        if wanted is None:
            return redirect(url_for("public.programme", code=event.code), 302)
    filters = programme_page.parse_filters(request.args)
    if not filters.all_days and request.args.get("day"):
        wanted = programme_page.parse_day(request.args.get("day")) or wanted
    today = _today()

    def render() -> str:
        page = programme_page.programme_page(event, wanted, filters, today)
        return render_template(
            "public/programme.html",
            event=event,
            page=page,
            filters=filters,
            days=programme_days(event, page.sessions),
            is_draft=event.status == STATUS_DRAFT,
            can_register=event.status == STATUS_PUBLISHED and event.end_date >= today,
            webcal_url=_webcal(event),
        )

    # Rendered once per event version, language and day (eventsys/cache.py); never when logged
    # in, nor for a filtered view (query arguments).
    return page_cache.cached_page(event, render, vary=(today, wanted))


@bp.route("/e/<code>/sessions/<int:session_id>")
def session(code: str, session_id: int):
    """One session with everything about it (the day pages show an excerpt of its description)."""
    event, response = _load_event(code, "public.session")
    if response is not None:
        return response
    found = programme_page.public_session(event, session_id)
    if found is None:
        abort(404)
    today = _today()

    def render() -> str:
        return render_template(
            "public/session.html",
            event=event,
            s=found,
            day=programme_page.session_day(event, found),
            is_draft=event.status == STATUS_DRAFT,
        )

    return page_cache.cached_page(event, render, vary=(today, session_id))


def _webcal(event) -> str:
    """The calendar feed as a subscription link: calendar apps then refresh it by themselves.

    In the page's language (?lang=): a calendar app sends neither the reader's cookie nor their
    browser's languages. The page is cached per language, so the link suits every reader of it.
    """
    url = external_url("exports.programme_ics", code=event.code, lang=viewer_locale())
    return "webcal://" + url.split("://", 1)[1]


@bp.route("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
        database = "ok"
    except Exception:  # noqa: BLE001 - any failure means the database is not usable
        db.session.rollback()
        database = "error"
    body = {"database": database}
    from eventsys.jobs import redis_status

    redis = redis_status()  # None when Redis is not configured (the laptop case)
    if redis is not None:
        body["redis"] = redis
    status = 200 if all(value == "ok" for value in body.values()) else 503
    response = jsonify({"status": "ok" if status == 200 else "degraded", **body})
    response.headers["Cache-Control"] = "no-store"
    return response, status
