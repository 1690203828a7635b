"""What a directory profile may say: language codes (ISO 639-1), levels, roles, regions, topics.

Codes are stable (the API and CSV exports use them); labels are translated for people. Language
names come from the CLDR data Babel ships, in the reader's language.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from babel import Locale, UnknownLocaleError
from flask_babel import lazy_gettext as _l

# CEFR levels, lowest first, then a native speaker's.
LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2", "native")
LEVEL_RANK = {level: rank for rank, level in enumerate(LEVELS)}
TRANSLATION_LEVEL = "B2"  # the default minimum an organiser asks for

ROLES = {
    "translation": _l("Traduction"),
    "interpreting": _l("Interprétariat"),
    "co_facilitation": _l("Co-animation d'une session"),
    "hosting": _l("Accueil d'une délégation"),
}

# French regions (ISO 3166-2:FR), overseas ones included, and the rest of the world.
REGIONS = {
    "FR-ARA": _l("Auvergne-Rhône-Alpes"),
    "FR-BFC": _l("Bourgogne-Franche-Comté"),
    "FR-BRE": _l("Bretagne"),
    "FR-CVL": _l("Centre-Val de Loire"),
    "FR-20R": _l("Corse"),
    "FR-GES": _l("Grand Est"),
    "FR-HDF": _l("Hauts-de-France"),
    "FR-IDF": _l("Île-de-France"),
    "FR-NOR": _l("Normandie"),
    "FR-NAQ": _l("Nouvelle-Aquitaine"),
    "FR-OCC": _l("Occitanie"),
    "FR-PDL": _l("Pays de la Loire"),
    "FR-PAC": _l("Provence-Alpes-Côte d'Azur"),
    "FR-971": _l("Guadeloupe"),
    "FR-972": _l("Martinique"),
    "FR-973": _l("Guyane"),
    "FR-974": _l("La Réunion"),
    "FR-976": _l("Mayotte"),
    "FR-PF": _l("Polynésie française"),
    "FR-NC": _l("Nouvelle-Calédonie"),
    "FR-PM": _l("Saint-Pierre-et-Miquelon"),
    "FR-WF": _l("Wallis-et-Futuna"),
    "FR-MF": _l("Saint-Martin"),
    "FR-BL": _l("Saint-Barthélemy"),
    "abroad": _l("Hors de France"),
}

# The network's themes, then the 17 Sustainable Development Goals.
TOPICS = {
    "mobility": _l("Mobilité et voirie"),
    "water": _l("Eau et assainissement"),
    "waste": _l("Déchets et économie circulaire"),
    "energy": _l("Énergie et climat"),
    "buildings": _l("Bâtiments et patrimoine"),
    "planning": _l("Urbanisme et aménagement"),
    "nature": _l("Espaces verts et biodiversité"),
    "risks": _l("Risques et résilience"),
    "digital": _l("Numérique et données"),
    "cooperation": _l("Coopération internationale"),
    "sdg1": _l("ODD 1 : pas de pauvreté"),
    "sdg2": _l("ODD 2 : faim « zéro »"),
    "sdg3": _l("ODD 3 : bonne santé et bien-être"),
    "sdg4": _l("ODD 4 : éducation de qualité"),
    "sdg5": _l("ODD 5 : égalité entre les sexes"),
    "sdg6": _l("ODD 6 : eau propre et assainissement"),
    "sdg7": _l("ODD 7 : énergie propre et d'un coût abordable"),
    "sdg8": _l("ODD 8 : travail décent et croissance économique"),
    "sdg9": _l("ODD 9 : industrie, innovation et infrastructure"),
    "sdg10": _l("ODD 10 : inégalités réduites"),
    "sdg11": _l("ODD 11 : villes et communautés durables"),
    "sdg12": _l("ODD 12 : consommation et production responsables"),
    "sdg13": _l("ODD 13 : mesures relatives à la lutte contre les changements climatiques"),
    "sdg14": _l("ODD 14 : vie aquatique"),
    "sdg15": _l("ODD 15 : vie terrestre"),
    "sdg16": _l("ODD 16 : paix, justice et institutions efficaces"),
    "sdg17": _l("ODD 17 : partenariats pour la réalisation des objectifs"),
}

VISIBILITY_LABELS = {
    "coordinators": _l("Les coordinateurs de l'annuaire seulement"),
    "members": _l("Les coordinateurs et les autres membres visibles"),
}

LEVEL_LABELS = {"native": _l("langue maternelle")}


@lru_cache(maxsize=1)
def iso_639_1() -> frozenset[str]:
    """The two-letter ISO 639-1 codes ("sh", withdrawn from the standard, left out)."""
    return frozenset(
        code
        for code in Locale("en").languages
        if len(code) == 2 and code.isalpha() and code.islower() and code != "sh"
    )


@lru_cache(maxsize=16)
def _language_names(locale: str) -> dict[str, str]:
    try:
        return dict(Locale.parse(locale.replace("-", "_")).languages)
    except (ValueError, UnknownLocaleError):
        return dict(Locale("fr").languages)


def language_name(code: str, locale: Any = "fr") -> str:
    """The language's name in the reader's language ("de" read in French: "allemand")."""
    return _language_names(str(locale or "fr")).get(code, code)


def level_label(level: str) -> str:
    return str(LEVEL_LABELS.get(level, level))


def level_at_least(level: str | None, minimum: str) -> bool:
    """Whether a stated level reaches the minimum (no level stated: no)."""
    return level is not None and LEVEL_RANK.get(level, -1) >= LEVEL_RANK[minimum]


def language_choices(locale: Any) -> list[tuple[str, str]]:
    """Every ISO 639-1 language, named in the reader's language, sorted by name."""
    return sorted(
        ((code, language_name(code, locale)) for code in iso_639_1()),
        key=lambda item: item[1].casefold(),
    )


REQUEST_STATUS_LABELS = {
    "asked": _l("demandée"),
    "accepted": _l("acceptée"),
    "submitted": _l("traduite, à relire"),
    "published": _l("publiée"),
    "declined": _l("déclinée"),
    "closed": _l("close"),
}
INVITATION_STATUS_LABELS = {
    "invited": _l("invité·e, sans réponse"),
    "accepted": _l("a accepté"),
    "declined": _l("a décliné"),
    "withdrawn": _l("invitation retirée"),
}
