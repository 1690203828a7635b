"""Invented members of the network's directory for the demo: engineers from metropolitan and
overseas regions and from partner networks abroad, the languages they offer with a level, and
what they volunteer for; the demo organiser coordinates the directory, so it can be searched and
its volunteers asked for translations at once.

Every name and address is invented (example.org). Created only while the directory is empty, so
loading the demo twice changes nothing.
"""

from __future__ import annotations

import random
import secrets

from sqlalchemy import func, select

from eventsys.extensions import db
from eventsys.models.directory import DirectoryLanguage, DirectoryProfile
from eventsys.models.people import User
from eventsys.models.types import utcnow
from eventsys.services.directory import search
from eventsys.services.directory import vocabulary as vocab

# (first name, last name, organisation, region, e-mail language, [(language, level)], roles)
MEMBERS = (
    ("Hélène", "Kieffer", "Eurométropole de Strasbourg", "FR-GES", "fr", [("de", "C1"), ("en", "B2")], ["translation", "hosting"]),
    ("Benoît", "Hoarau", "Ville de Saint-Denis", "FR-974", "fr", [("en", "B2")], ["co_facilitation"]),
    ("Maëlle", "Le Gall", "Brest métropole", "FR-BRE", "fr", [("en", "C1"), ("es", "B1")], ["translation"]),
    ("Jérôme", "Thiébaut", "Ville de Mulhouse", "FR-GES", "fr", [("de", "native"), ("en", "B2")], ["interpreting", "translation"]),
    ("Inès", "Pérez", "Perpignan Méditerranée Métropole", "FR-OCC", "fr", [("es", "native"), ("ca", "C1")], ["interpreting"]),
    ("Raphaël", "Marchand", "Département de la Guyane", "FR-973", "fr", [("pt", "C1"), ("en", "B1")], ["hosting"]),
    ("Anaïs", "Bénard", "Ville de Nice", "FR-PAC", "fr", [("it", "C2"), ("en", "B2")], ["translation", "co_facilitation"]),
    ("Loïc", "Nguyen", "Grand Lyon", "FR-ARA", "fr", [("en", "C2"), ("vi", "native")], ["translation"]),
    ("Gaëlle", "Faure", "Ville de Lille", "FR-HDF", "fr", [("nl", "B2"), ("en", "C1")], ["hosting"]),
    ("Clément", "Giraud", "Région Île-de-France", "FR-IDF", "fr", [("en", "C1"), ("de", "B2")], ["co_facilitation", "translation"]),
    ("Thérèse", "Vidal", "Ville de Fort-de-France", "FR-972", "fr", [("en", "B2"), ("es", "B2")], ["interpreting"]),
    ("Marta", "Rossi", "Comune di Torino (ANTEL)", "abroad", "it", [("it", "native"), ("en", "B2")], ["hosting", "co_facilitation"]),
    ("Luc", "Janssens", "Ville de Liège (ARDIC)", "abroad", "fr", [("nl", "native"), ("de", "B2")], ["translation"]),
    ("Jana", "Weber", "Stadt Freiburg", "abroad", "de", [("de", "native"), ("en", "C1")], ["translation", "interpreting"]),
    ("Carmen", "Ruiz", "Ayuntamiento de Bilbao", "abroad", "es", [("es", "native"), ("en", "C1")], ["translation"]),
)  # fmt: skip


def seed_directory(coordinator: User) -> int:
    """Make `coordinator` coordinate the directory; fill an empty directory; how many were added."""
    search.grant_coordinator(coordinator, coordinator)
    if db.session.scalar(select(func.count()).select_from(DirectoryProfile)):
        return 0
    rng = random.Random(20)  # noqa: S311 - invented demo data, not secrets
    topics = list(vocab.TOPICS)
    now = utcnow()
    for first, last, organisation, region, language, languages, roles in MEMBERS:
        email = (
            f"{first}.{last}".lower().replace(" ", "-").encode("ascii", "ignore").decode()
            + "@example.org"
        )
        profile = DirectoryProfile(
            email=email, first_name=first, last_name=last, organisation=organisation, region=region,
            language=language, roles=roles, topics=sorted(rng.sample(topics, 3), key=topics.index),
            visibility=rng.choice(["coordinators", "members"]), show_email=rng.random() < 0.3, status="active",
            link_secret=secrets.token_urlsafe(32), consent_at=now, confirmed_at=now,
        )  # fmt: skip
        extra = (
            [("fr", "native")]
            if language == "fr"
            else []
            if any(c == "fr" for c, _l in languages)
            else [("fr", "B2")]
        )
        profile.languages = [
            DirectoryLanguage(code=code, level=level) for code, level in extra + languages
        ]
        db.session.add(profile)
    db.session.flush()
    return len(MEMBERS)
