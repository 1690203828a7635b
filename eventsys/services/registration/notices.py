"""E-mails to people: queued under the lock with what they must say, written in their language when sent."""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import ProgrammeSession
from eventsys.models.registration import (
    CHOICE_CONFIRMED,
    CHOICE_REQUESTED,
    CHOICE_WAITLISTED,
    REG_CANCELLED,
    REG_CONFIRMED,
    REG_PENDING,
    REG_REFUSED,
    REG_WAITLISTED,
    OutboxMessage,
    Registration,
)
from eventsys.services import mail
from eventsys.services.links import external_url, site_root
from eventsys.services.registration.links import link_token
from eventsys.services.registration.settings import load_settings
from eventsys.services.registration.status import ChoiceView, StatusView, status_view

# ------------------------------------------------------------------------- e-mails

NOTICE_KINDS = ("received", "duplicate", "promoted", "approved", "refused", "cancelled", "changed")


def _subject(kind: str, view: StatusView, title: str) -> str:
    if kind == "received":
        if view.overall == REG_PENDING:
            return _("Inscription reçue, en attente de validation : %(title)s", title=title)
        if view.overall == REG_WAITLISTED:
            return _("Inscription sur liste d'attente : %(title)s", title=title)
        return _("Inscription confirmée : %(title)s", title=title)
    subjects = {
        "duplicate": _("Votre lien d'inscription : %(title)s", title=title),
        "promoted": _("Une place s'est libérée : %(title)s", title=title),
        "approved": _("Inscription validée : %(title)s", title=title),
        "refused": _("Inscription non retenue : %(title)s", title=title),
        "cancelled": _("Inscription annulée : %(title)s", title=title),
        "changed": _("Inscription modifiée : %(title)s", title=title),
    }
    return subjects[kind]


_STATUS_LABELS = {
    REG_CONFIRMED: _l("Inscription confirmée"),
    REG_PENDING: _l("En attente de validation par l'organisateur"),
    REG_WAITLISTED: _l("Sur liste d'attente"),
    REG_CANCELLED: _l("Inscription annulée"),
    REG_REFUSED: _l("Inscription non retenue"),
}


def status_label(status: str) -> str:
    """A registration status as a sentence fragment for people (only that one is translated)."""
    label = _STATUS_LABELS.get(status)
    return status if label is None else str(label)


def choice_label(choice: ChoiceView) -> str:
    """A session choice's state for people."""
    if choice.status == CHOICE_CONFIRMED:
        return _("place confirmée")
    if choice.status == CHOICE_WAITLISTED:
        return _("liste d'attente, position n°%(position)s", position=choice.position)
    if choice.status == CHOICE_REQUESTED:
        return _("demandée : attribuée dès que vous aurez une place à l'événement")
    return choice.status


def _intro(kind: str, view: StatusView, title: str) -> str:
    if kind == "received":
        if view.overall == REG_CONFIRMED:
            return _("Votre inscription à « %(title)s » est confirmée.", title=title)
        if view.overall == REG_PENDING:
            return _(
                "Nous avons bien reçu votre inscription à « %(title)s ». Elle doit encore être validée par "
                "l'organisateur : vous recevrez un e-mail dès qu'elle le sera.",
                title=title,
            )
        if view.status == REG_WAITLISTED:
            return _(
                "L'événement « %(title)s » est complet : vous êtes sur liste d'attente, en position "
                "n°%(position)s. Nous vous écrirons dès qu'une place se libère.",
                title=title,
                position=view.position,
            )
        return _(
            "Vous êtes inscrit·e à « %(title)s ». Une session que vous avez choisie est complète : vous "
            "êtes sur sa liste d'attente, en position n°%(position)s.",
            title=title,
            position=view.position,
        )
    if kind == "promoted" and view.status == REG_PENDING:
        return _(
            "Bonne nouvelle : une place s'est libérée pour « %(title)s ». Votre inscription doit encore "
            "être validée par l'organisateur.",
            title=title,
        )
    intros = {
        "duplicate": _(
            "Vous êtes déjà inscrit·e à « %(title)s » : aucune nouvelle inscription n'a été créée. "
            "Voici à nouveau votre lien personnel.",
            title=title,
        ),
        "promoted": _("Bonne nouvelle : une place s'est libérée pour « %(title)s ».", title=title),
        "approved": _("L'organisateur a validé votre inscription à « %(title)s ».", title=title),
        "refused": _(
            "L'organisateur n'a pas pu retenir votre inscription à « %(title)s ».", title=title
        ),
        "cancelled": _(
            "Votre inscription à « %(title)s » est annulée. Merci d'avoir libéré votre place.",
            title=title,
        ),
        "changed": _("Vos choix de sessions pour « %(title)s » sont enregistrés.", title=title),
    }
    return intros[kind]


def _render_mail(name: str, context: dict[str, Any]) -> str:
    """An e-mail template with what it is given and the environment's globals (`_`, `tr`…).

    Not `render_template`: that runs every page context processor (the signed-in user, CSRF token,
    language menu…) for every e-mail, which the e-mail templates never use, on the busiest path."""
    template = current_app.jinja_env.get_template(name)
    return template.render(current_locale=str(get_locale() or "fr"), **context)


def send_notice(registration: Registration, kind: str, *, view: StatusView | None = None) -> None:
    """Queue the e-mail telling the person what happened; `write_notice` writes it when it is sent.

    What it must say is fixed now (the status and waiting-list positions at this moment, and the
    host its link points to); the words are written at send time, outside the lock that a
    registration holds until it commits."""
    view = view or status_view(registration)
    notice = {
        "status": view.status,
        "overall": view.overall,
        "position": view.position,
        "choices": [[c.session.id, c.status, c.position] for c in view.choices],
        "base": site_root(),
    }
    mail.queue_message(
        registration.email, "", "", "", kind=kind, language=registration.language or "fr",
        registration_id=registration.id, notice=notice,
    )  # fmt: skip


def write_notice(message: OutboxMessage) -> bool:
    """Write a queued notice in the person's language, text and HTML; False if they are gone.

    The sentences are built here once and handed to both templates, so the text part is never
    HTML-escaped and the HTML part always is. Titles, the organiser's paragraph and the link's
    secret are read now, so the e-mail shows them as they are when it leaves."""
    registration = (
        db.session.get(Registration, message.registration_id) if message.registration_id else None
    )
    if registration is None:
        return False
    notice, kind = message.notice or {}, message.kind
    event = registration.event
    ids = [session_id for session_id, _status, _position in notice.get("choices", ())]
    sessions = (
        {
            s.id: s
            for s in db.session.scalars(
                select(ProgrammeSession).where(ProgrammeSession.id.in_(ids))
            )
        }
        if ids
        else {}
    )
    view = StatusView(
        notice["status"],
        notice["overall"],
        notice["position"],
        [
            ChoiceView(sessions[sid], status, position)
            for sid, status, position in notice.get("choices", ())
            if sid in sessions
        ],
    )
    language = message.language or registration.language or "fr"
    title = event.localized("title", language)  # the organiser's translation where there is one
    settings = load_settings(event)
    with force_locale(language):
        status = status_label(view.status)
        if view.status == REG_WAITLISTED and view.position:
            status = _(
                "%(status)s (position n°%(position)s)", status=status, position=view.position
            )
        context = {
            "kind": kind,
            "registration": registration,
            "event": event,
            "intro": _intro(kind, view, title),
            "status": status,
            "choices": [
                (c.session.starts_at, c.session.localized("title", language), choice_label(c))
                for c in view.choices
            ],
            "link": external_url(
                "registration.manage_link", root=notice.get("base"), token=link_token(registration)
            ),
            "show_link": kind not in ("cancelled", "refused"),
            "retention_months": settings.retention_months,
            # the organiser's own paragraph, in the person's language or the main one
            "message_paragraphs": [
                p.split("\n")
                for p in (settings.localized("email_message", language) or "").split("\n\n")
                if p
            ],
            "message_lang": settings.localized_language("email_message", language),
        }
        message.subject = _subject(kind, view, title)[:300]
        message.body_text = _render_mail("registration/email/notice.txt", context)
        message.body_html = _render_mail("registration/email/notice.html", context)
    db.session.flush()
    return True
