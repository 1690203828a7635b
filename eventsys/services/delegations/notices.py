"""The e-mail to a delegation's head: the group, where each member stands, the private link.

Written now in the head's language (a delegation changes rarely; no registration lock is held by
the time it is written). Members without an address of their own are reached through it: their
personal links are listed for the head to pass on.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from eventsys.models.delegation import Delegation
from eventsys.services import mail
from eventsys.services import registration as reg
from eventsys.services.delegations import status
from eventsys.services.links import external_url


def send_summary(delegation: Delegation, kind: str) -> None:
    """Queue the head's e-mail after the group was registered (`received`) or changed (`changed`)."""
    if not delegation.head_email:  # the head's data was erased: nobody to write to
        return
    event = delegation.event
    language = delegation.head_language or "fr"
    with force_locale(language):
        title = event.localized("title", language)
        if kind == "received":
            subject = _("Délégation enregistrée : %(title)s", title=title)
        else:
            subject = _("Délégation modifiée : %(title)s", title=title)
        seats = status.member_seats(delegation)
        context = {
            "delegation": delegation,
            "event": event,
            "title": title,
            "kind": kind,
            "status": status.status_label(status.delegation_status(delegation)),
            "members": [
                (
                    seat.member,
                    reg.status_label(seat.status),
                    seat.position,
                    None
                    if seat.member.own_address
                    else external_url(
                        "registration.manage_link", token=reg.link_token(seat.member.registration)
                    ),
                )
                for seat in seats
            ],
            "link": external_url("delegations.head_link", token=status.link_token(delegation)),
            "deadline": status.changes_deadline(delegation),
        }
        template = current_app.jinja_env.get_template("delegations/email/summary.txt")
        text = template.render(current_locale=language, **context)
    mail.queue_message(delegation.head_email, subject, text, kind="delegation", language=language)
