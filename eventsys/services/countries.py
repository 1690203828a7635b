"""Country and language names (Babel's CLDR data): ISO codes checked and named in any language."""

from __future__ import annotations

import re

from babel import Locale

# Babel's territories hold regions ("150"), groupings and private-use codes besides countries.
_NOT_COUNTRIES = {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
_ALPHA2 = re.compile(r"^[A-Z]{2}$")


def country_name(code: str, language: str) -> str:
    """The country's name in a language ("BE", "de" → "Belgien"); the code when unknown."""
    try:
        return Locale.parse(language or "fr").territories.get(code, code)
    except (ValueError, TypeError):
        return code


def is_country(code: str) -> bool:
    """An ISO 3166-1 alpha-2 code of a country or territory."""
    return (
        bool(_ALPHA2.match(code))
        and code not in _NOT_COUNTRIES
        and code in Locale("en").territories
    )


def language_name(code: str, language: str) -> str:
    try:
        return Locale.parse(language or "fr").languages.get(code, code)
    except (ValueError, TypeError):
        return code


def is_language(code: str) -> bool:
    """An ISO 639-1 code (two letters) Babel knows: any language may need interpreting."""
    return len(code) == 2 and code.isalpha() and code in Locale("en").languages
