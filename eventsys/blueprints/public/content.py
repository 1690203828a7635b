"""Template helpers for organiser-written content in the visitor's language.

`tr(obj, "title")` gives the text in the current locale where it was translated, in the event's
main language otherwise; `tr_lang(obj, "title")` gives ` lang="fr"` when the text falls back, so
screen readers pronounce it in the right language. Registered app-wide: every area shows content.
"""

from __future__ import annotations

from typing import Any

from flask_babel import get_locale
from markupsafe import Markup

from eventsys.models.translatable import Translatable, language_code
from eventsys.services.directory import documents


def tr(obj: Translatable | None, name: str) -> Any:
    """The field in the visitor's language, or in the main language."""
    if obj is None:
        return ""
    return obj.localized(name, get_locale())


def tr_lang(obj: Translatable | None, name: str) -> Markup:
    """A lang attribute for an element showing `tr(obj, name)` when it is not in the page's language."""
    if obj is None:
        return Markup("")
    locale = get_locale()
    shown = obj.localized_language(name, locale)
    if shown == language_code(locale):
        return Markup("")
    return Markup(' lang="{}"').format(shown)


def session_links(session: Any) -> list[dict[str, Any]]:
    """The session's links, a document translated into the visitor's language replacing its source."""
    return documents.localized_links(session, get_locale())


def register(bp: Any) -> None:
    """Make tr and tr_lang available in every template of the app."""
    bp.add_app_template_global(tr, "tr")
    bp.add_app_template_filter(tr, "tr")  # for lists: sessions|map("tr", "title")
    bp.add_app_template_global(tr_lang, "tr_lang")
    bp.add_app_template_global(session_links, "session_links")
