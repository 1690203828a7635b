"""Demo mailbox pages: the list of messages sent, one message as its recipient sees it (HTML in a
sandboxed frame, text, attachments). Registered only where services.mailbox.enabled(app)."""

from __future__ import annotations

import re

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    has_request_context,
    render_template,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from eventsys.models.registration import MAIL_FAILED, MAIL_PENDING, MAIL_SENT, OutboxMessage
from eventsys.services import mailbox

bp = Blueprint("mailbox", __name__, url_prefix="/manage/mailbox", template_folder="templates")

LINK = re.compile(r"https?://[^\s<>\"']+")
# The e-mail's own HTML, shown in a frame of this site: no script, no form, nothing fetched
# from elsewhere; its links open outside the frame.
MESSAGE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'; "
    "sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"
)

STATUS_NAMES = {MAIL_PENDING: _l("En attente"), MAIL_SENT: _l("Envoyé"), MAIL_FAILED: _l("Échec")}


@bp.context_processor
def _names() -> dict:
    return {"status_names": STATUS_NAMES}


@bp.app_context_processor
def _menu_link() -> dict:
    """The main menu's link to the mailbox, for those who may read it (only where it exists)."""
    # e-mails are rendered outside any request (the sender): no menu, no user there
    if has_request_context() and current_user.is_authenticated and mailbox.may_read(current_user):
        return {"demo_mailbox_url": url_for("mailbox.index")}
    return {}


def _reader() -> None:
    if not mailbox.may_read(current_user):
        abort(403)


def _message(message_id: int) -> OutboxMessage:
    _reader()
    message = mailbox.message_for(current_user, message_id)
    if message is None:
        abort(404)
    return message


def linked_text(text: str) -> Markup:
    """Plain text, escaped, with each whole link made clickable."""
    out, last = [], 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(".,;:!?)")
        out += [escape(text[last:match.start()]), Markup('<a href="{0}">{0}</a>').format(url)]
        last = match.start() + len(url)
    out.append(escape(text[last:]))
    return Markup("").join(out)


@bp.get("/")
@login_required
def index():
    _reader()
    return render_template("mailbox/index.html", messages=mailbox.messages_for(current_user),
                           limit=mailbox.LIST_LIMIT)


@bp.get("/<int:message_id>")
@login_required
def show(message_id: int):
    message = _message(message_id)
    parts = mailbox.rendered(message, current_app.config["MAIL_DEFAULT_SENDER"]) if mailbox.written(message) else None
    return render_template("mailbox/show.html", message=message, parts=parts, event=mailbox.event_of(message),
                           text=linked_text(parts.text) if parts else "")


@bp.get("/<int:message_id>/html")
@login_required
def html(message_id: int):
    message = _message(message_id)
    if not mailbox.written(message):
        abort(404)
    parts = mailbox.rendered(message, current_app.config["MAIL_DEFAULT_SENDER"])
    if not parts.html:
        abort(404)
    response = Response(parts.html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = MESSAGE_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<int:message_id>/attachments/<int:number>")
@login_required
def attachment(message_id: int, number: int):
    message = _message(message_id)
    if not mailbox.written(message):
        abort(404)
    files = mailbox.rendered(message, current_app.config["MAIL_DEFAULT_SENDER"]).attachments
    if not 1 <= number <= len(files):
        abort(404)
    filename, content_type, data = files[number - 1]
    response = Response(data, mimetype=content_type)
    response.headers.set("Content-Disposition", "attachment", filename=filename)
    response.headers["Cache-Control"] = "no-store"
    return response
