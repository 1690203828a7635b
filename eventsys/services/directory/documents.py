"""A session's attached document translated by a volunteer: the request names the attachment by
its address ("source_url" in the request's text); the volunteer gives the translated document's
title and address; publishing stores it as that language's version of the link, in the session's
`translations[lang]["links"]` ({"source", "url", "title"}), which visitors reading that language see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from eventsys.interchange.rows import web_link
from eventsys.models import ProgrammeSession
from eventsys.models.translatable import language_code
from eventsys.services.directory.errors import TranslationInvalid, TranslationState
from eventsys.text import breaks_line

SOURCE = "source_url"
FIELDS = ("title", "url")
LIMITS = {"title": 200, "url": 2000}


def attachments(session: ProgrammeSession) -> list[tuple[int, dict[str, Any]]]:
    """The session's attached documents with their position in its links."""
    return [
        (index, link)
        for index, link in enumerate(session.links or [])
        if isinstance(link, Mapping) and link.get("kind") == "attachment" and link.get("url")
    ]


def attachment_at(session: ProgrammeSession, index: int) -> dict[str, Any] | None:
    return next((link for i, link in attachments(session) if i == index), None)


def source_link(session: ProgrammeSession, url: str) -> dict[str, Any] | None:
    return next((link for _i, link in attachments(session) if link.get("url") == url), None)


def source_texts(session: ProgrammeSession, url: str) -> dict[str, str]:
    """The attachment's title and address as the volunteer sees them (empty when it was removed)."""
    link = source_link(session, url)
    if link is None:
        return {}
    return {"title": str(link.get("title") or link["url"]), "url": str(link["url"])}


def check(session: ProgrammeSession, url: str, texts: Mapping[str, Any]) -> dict[str, str]:
    """The translated document's title and address: http or https, one line, within limits."""
    if source_link(session, url) is None:
        raise TranslationState(_("Ce document n'est plus joint à la session."))
    title = str(texts.get("title") or "").strip()
    address = str(texts.get("url") or "").strip()
    if not address:
        raise TranslationInvalid(_("Donnez l'adresse du document traduit."), field="url")
    if breaks_line(title):
        raise TranslationInvalid(_("Le titre tient sur une seule ligne."), field="title")
    if len(title) > LIMITS["title"]:
        raise TranslationInvalid(
            _("%(max)d caractères au maximum.", max=LIMITS["title"]), field="title"
        )
    if breaks_line(address) or len(address) > LIMITS["url"] or web_link(address) is None:
        raise TranslationInvalid(
            _("L'adresse du document traduit doit être une adresse web sur une ligne, commençant par https:// ou http://."),
            field="url",
        )  # fmt: skip
    return {"title": title, "url": address, SOURCE: url}


def publish(session: ProgrammeSession, language: str, clean: Mapping[str, str]) -> None:
    """Store the translated document as `language`'s version of the attachment."""
    translations = {lang: dict(entry) for lang, entry in (session.translations or {}).items()}
    entry = translations.setdefault(language, {})
    source = clean[SOURCE]
    links = [link for link in entry.get("links") or [] if link.get("source") != source]
    links.append({"source": source, "url": clean["url"], "title": clean["title"]})
    entry["links"] = links
    session.translations = translations


def localized_links(session: ProgrammeSession, locale: Any) -> list[dict[str, Any]]:
    """The session's links as a visitor reading `locale` sees them: a translated document replaces
    its source (with "lang" set to the translation's language), the others are shown as they are."""
    lang = language_code(locale)
    entry = (session.translations or {}).get(lang) if lang != session.main_language else None
    translated = {
        link.get("source"): link
        for link in ((entry or {}).get("links") or [])
        if isinstance(link, Mapping)
    }
    shown = []
    for link in session.links or []:
        other = translated.get(link.get("url")) if link.get("kind") == "attachment" else None
        if other:
            shown.append(
                {
                    "url": other["url"],
                    "title": other.get("title") or other["url"],
                    "kind": link.get("kind"),
                    "lang": lang,
                }
            )
        else:
            shown.append(dict(link))
    return shown
