"""Content written per language: the columns hold the main language, `translations` the others.

`translations` is a JSON object shaped {"en": {"title": "…", "description": "…"}, "de": {…}}.
A visitor reads their language where a non-empty translation exists, the main language otherwise.
The JSON value is always replaced, never mutated in place, so SQLAlchemy sees every change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, Text

from eventsys.text import breaks_line

CONTENT_LANGUAGES = ("fr", "en", "de", "es", "it")
DEFAULT_LANGUAGE = "fr"
DEFAULT_OFFERED = ("fr", "en")
ONE_LINE_MESSAGE = _l("Une seule ligne : retirez les retours à la ligne et les caractères de contrôle.")


def language_code(locale: Any) -> str:
    """ "en_GB", "EN-gb" or a babel Locale → "en"; anything else → ""."""
    if locale is None:
        return ""
    text = str(locale).strip().lower().replace("-", "_").split("_", 1)[0]
    return text if text.isascii() and text.isalpha() and 2 <= len(text) <= 3 else ""


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple):
        return not any(isinstance(v, str) and v.strip() for v in value)
    return False


class Translatable:
    """Per-language values for the text columns named in TRANSLATABLE."""

    TRANSLATABLE: ClassVar[tuple[str, ...]] = ()
    # Values of a language that are not text fields (a session's translated documents): kept
    # when that language's texts are saved again.
    KEPT: ClassVar[tuple[str, ...]] = ()

    @property
    def main_language(self) -> str:
        """The language the columns are written in (the event's main language)."""
        event = getattr(self, "event", None)
        return getattr(event, "default_language", None) or DEFAULT_LANGUAGE

    def translation(self, locale: Any, field: str) -> Any:
        """The value written for this language, or None when there is none (empty counts as none)."""
        lang = language_code(locale)
        if lang == self.main_language:
            value = getattr(self, field)
            return None if _empty(value) else value
        value = ((self.translations or {}).get(lang) or {}).get(field)
        return None if _empty(value) else value

    def localized(self, field: str, locale: Any = None) -> Any:
        """The value in this language where it exists, the main language's otherwise."""
        value = self.translation(locale, field) if locale else None
        return getattr(self, field) if value is None else value

    def localized_language(self, field: str, locale: Any = None) -> str:
        """The language `localized(field, locale)` is written in."""
        lang = language_code(locale)
        if lang and self.translation(lang, field) is not None:
            return lang
        return self.main_language

    def all_translations(self) -> dict[str, dict[str, Any]]:
        """Every language's values, the main language included (from the columns)."""
        values: dict[str, dict[str, Any]] = {
            self.main_language: {name: getattr(self, name) for name in self.TRANSLATABLE}
        }
        for lang, entry in sorted((self.translations or {}).items()):
            if lang != self.main_language and isinstance(entry, Mapping):
                kept = {k: v for k, v in entry.items() if k in self.TRANSLATABLE and not _empty(v)}
                if kept:
                    values[lang] = kept
        return values

    def set_translations(
        self, values: Mapping[str, Mapping[str, Any]], languages: Iterable[str] | None = None
    ) -> None:
        """Store other languages' values; `languages` limits which entries are replaced (others kept).

        Empty values are dropped; the main language's entry is ignored (the columns hold it).
        """
        replace = set(values) if languages is None else set(languages)
        kept = {
            lang: dict(entry)
            for lang, entry in (self.translations or {}).items()
            if lang not in replace and lang != self.main_language
        }
        for lang, entry in values.items():
            if lang not in replace or lang == self.main_language:
                continue
            clean = {k: v for k, v in entry.items() if k in self.TRANSLATABLE and not _empty(v)}
            if clean:
                kept[lang] = clean
        for lang, entry in (self.translations or {}).items():
            if lang != self.main_language and isinstance(entry, Mapping):
                for key in self.KEPT:
                    if entry.get(key):
                        kept.setdefault(lang, {})[key] = entry[key]
        self.translations = kept

    def switch_main_language(self, old: str, new: str) -> None:
        """The main language changes: the columns move to `old`'s entry, `new`'s entry into the columns.

        A field with no value in the new language keeps its current text as the fallback.
        Call before the event's default_language is changed (main_language still says `old`).
        """
        if old == new:
            return
        translations = {lang: dict(entry) for lang, entry in (self.translations or {}).items()}
        previous = {name: getattr(self, name) for name in self.TRANSLATABLE}
        incoming = translations.pop(new, {})
        for name in self.TRANSLATABLE:
            if not _empty(incoming.get(name)):
                setattr(self, name, incoming[name])
        translations[old] = {k: v for k, v in previous.items() if not _empty(v)}
        self.translations = {lang: entry for lang, entry in translations.items() if entry}


def _one_line(model: Any, field: str) -> bool:
    column_type = getattr(model.__table__.c.get(field), "type", None)
    return isinstance(column_type, String) and not isinstance(column_type, Text)


def _limit(model: Any, field: str) -> int:
    column = model.__table__.c.get(field)
    length = getattr(getattr(column, "type", None), "length", None)
    return length or 10_000


MAX_OPTIONS = 50


def check_translations(values: Any, model: Any) -> str | None:
    """None when `values` is a well-formed translations object for this model, else why not.

    Well formed: {"en": {"title": "…"}} with known language codes, translatable fields, strings
    no longer than the column (lists of strings for question options).
    """
    from flask_babel import gettext as _

    if not isinstance(values, Mapping):
        return _("Les traductions doivent être un objet {langue: {champ: texte}}.")
    for lang, entry in values.items():
        if lang not in CONTENT_LANGUAGES:
            return _(
                "Langue inconnue : %(code)s (langues possibles : %(known)s).",
                code=str(lang)[:20],
                known=", ".join(CONTENT_LANGUAGES),
            )
        if not isinstance(entry, Mapping):
            return _("Les traductions doivent être un objet {langue: {champ: texte}}.")
        for field, value in entry.items():
            if field not in model.TRANSLATABLE:
                return _(
                    "Champ non traduisible : %(field)s (champs possibles : %(known)s).",
                    field=str(field)[:40],
                    known=", ".join(model.TRANSLATABLE),
                )
            limit = _limit(model, field)
            items = value if isinstance(value, list) else [value]
            if field == "options" and not isinstance(value, list):
                return _("Les réponses possibles traduites doivent être une liste de textes.")
            if len(items) > MAX_OPTIONS or not all(isinstance(v, str) for v in items):
                return _("Les textes traduits doivent être des chaînes de caractères.")
            if _one_line(model, field) and any(breaks_line(v) for v in items):
                return "%s (%s) : %s" % (field, lang, ONE_LINE_MESSAGE)  # noqa: UP031 - lazy message
            if any(len(v) > (300 if field == "options" else limit) for v in items):
                return _(
                    "%(field)s (%(code)s) : %(max)d caractères au maximum.",
                    field=field,
                    code=lang,
                    max=300 if field == "options" else limit,
                )
    return None
