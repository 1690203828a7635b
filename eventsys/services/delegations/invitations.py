"""The e-mail asking a volunteer of the directory to interpret a session, in the volunteer's
language: the event, the session and its time, the language pair, and whom to answer."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import gettext as _

from eventsys import i18n
from eventsys.models import Event, ProgrammeSession
from eventsys.models.directory import DirectoryProfile
from eventsys.services import mail

MAIL_KIND = "interpreting_invitation"


def invite_volunteer(
    event: Event, session: ProgrammeSession, source: str, target: str, profile: DirectoryProfile
) -> None:
    """Queue the invitation to `profile` for the pair `source` -> `target` in `session`."""
    language = profile.language or "fr"
    with force_locale(language):
        title = event.localized("title", language)
        subject = _("Interprétation demandée : %(title)s", title=title)
        lines = [
            _("Bonjour %(name)s,", name=profile.first_name),
            "",
            _(
                "L'équipe de « %(event)s » vous propose d'interpréter la session « %(session)s » (%(when)s), de %(source)s vers %(target)s, pour une délégation étrangère.",
                event=title,
                session=session.localized("title", language),
                when=i18n.format_range(session.starts_at, session.ends_at, language, event.tz),
                source=i18n.language_name(source, language),
                target=i18n.language_name(target, language),
            ),
            "",
            _("Si vous êtes disponible, répondez aux organisateurs :"),
            event.contacts or "",
        ]
    mail.queue_message(
        profile.email, subject, "\n".join(lines).rstrip() + "\n", kind=MAIL_KIND, language=language
    )
