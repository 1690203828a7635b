"""Looking people up: coordinators search every active profile; members who chose to be visible
browse the other visible members; administrators grant and withdraw the coordinator role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import String, cast, select
from sqlalchemy.orm import selectinload

from eventsys.extensions import db
from eventsys.models.directory import (
    PROFILE_ACTIVE,
    VISIBILITY_MEMBERS,
    DirectoryCoordinator,
    DirectoryLanguage,
    DirectoryProfile,
)
from eventsys.models.people import User
from eventsys.services.directory import vocabulary as vocab

MAX_RESULTS = 500


@dataclass
class Criteria:
    """A search: every criterion given must hold (a language pair: both languages)."""

    language: str = ""
    other_language: str = ""
    min_level: str = ""
    role: str = ""
    topic: str = ""
    region: str = ""


def is_coordinator(user: Any) -> bool:
    """Coordinators (and administrators) search and export the whole directory."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return db.session.get(DirectoryCoordinator, user.id) is not None


def coordinators() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .join(DirectoryCoordinator, DirectoryCoordinator.user_id == User.id)
            .order_by(User.email)
        )
    )


def grant_coordinator(user: User, granted_by: User) -> None:
    if db.session.get(DirectoryCoordinator, user.id) is None:
        db.session.add(DirectoryCoordinator(user_id=user.id, granted_by_id=granted_by.id))
        db.session.flush()


def revoke_coordinator(user: User) -> None:
    row = db.session.get(DirectoryCoordinator, user.id)
    if row is not None:
        db.session.delete(row)
        db.session.flush()


def _speaks(code: str, min_level: str) -> Any:
    levels = [level for level in vocab.LEVELS if vocab.level_at_least(level, min_level or "A1")]
    return DirectoryProfile.id.in_(
        select(DirectoryLanguage.profile_id).where(
            DirectoryLanguage.code == code, DirectoryLanguage.level.in_(levels)
        )
    )


def _lists(column: Any, code: str) -> Any:
    """The JSON list column holds this code. Codes are fixed words without quotes, so looking for
    the quoted code in the JSON text is exact ("sdg1" never matches "sdg11"), on every database."""
    return cast(column, String).like(f'%"{code}"%')


def search_profiles(
    criteria: Criteria, *, members_only: bool = False, limit: int | None = MAX_RESULTS
) -> list[DirectoryProfile]:
    """Active profiles matching the criteria, by name; `members_only`: those visible to members."""
    query = (
        select(DirectoryProfile)
        .where(DirectoryProfile.status == PROFILE_ACTIVE)
        .options(selectinload(DirectoryProfile.languages))
        .order_by(DirectoryProfile.last_name, DirectoryProfile.first_name, DirectoryProfile.id)
    )
    if members_only:
        query = query.where(DirectoryProfile.visibility == VISIBILITY_MEMBERS)
    for code in (criteria.language, criteria.other_language):
        if code:
            query = query.where(_speaks(code, criteria.min_level))
    if criteria.region:
        query = query.where(DirectoryProfile.region == criteria.region)
    if criteria.role:
        query = query.where(_lists(DirectoryProfile.roles, criteria.role))
    if criteria.topic:
        query = query.where(_lists(DirectoryProfile.topics, criteria.topic))
    if limit is not None:
        query = query.limit(limit)
    # The LIKE above is a fast pre-filter; the lists decide (a stray quote in a hand-edited row).
    return [
        p
        for p in db.session.scalars(query)
        if (not criteria.role or criteria.role in (p.roles or []))
        and (not criteria.topic or criteria.topic in (p.topics or []))
    ]


def csv_rows(profiles: list[DirectoryProfile], locale: Any) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a coordinator's CSV export, labels in the reader's language."""
    header = [
        _("Prénom"), _("Nom"), _("E-mail"), _("Organisation"), _("Fonction"), _("Région"),
        _("Langues"), _("Rôles"), _("Thèmes"), _("Visible des membres"),
    ]  # fmt: skip
    # Each label translated once, not once per row (a gettext call costs ~50 µs in a request).
    regions, roles, topics = ({code: str(label) for code, label in known.items()}
                              for known in (vocab.REGIONS, vocab.ROLES, vocab.TOPICS))  # fmt: skip
    levels = {level: vocab.level_label(level) for level in vocab.LEVELS}
    visible = {True: _("oui"), False: _("non")}
    rows = []
    for p in profiles:
        rows.append([
            p.first_name, p.last_name, p.email, p.organisation, p.job_title, regions.get(p.region, ""),
            "; ".join(f"{vocab.language_name(row.code, locale)} ({levels.get(row.level, row.level)})" for row in p.languages),
            "; ".join(roles[r] for r in p.roles or [] if r in roles),
            "; ".join(topics[t] for t in p.topics or [] if t in topics),
            visible[p.visibility == VISIBILITY_MEMBERS],
        ])  # fmt: skip
    return header, rows
