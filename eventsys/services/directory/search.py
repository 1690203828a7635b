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


def _conditions(criteria: Criteria, members_only: bool) -> list[Any]:
    conditions = [DirectoryProfile.status == PROFILE_ACTIVE]
    if members_only:
        conditions.append(DirectoryProfile.visibility == VISIBILITY_MEMBERS)
    conditions += [
        _speaks(code, criteria.min_level)
        for code in (criteria.language, criteria.other_language)
        if code
    ]
    if criteria.region:
        conditions.append(DirectoryProfile.region == criteria.region)
    if criteria.role:
        conditions.append(_lists(DirectoryProfile.roles, criteria.role))
    if criteria.topic:
        conditions.append(_lists(DirectoryProfile.topics, criteria.topic))
    return conditions


def _kept(criteria: Criteria, roles: list[str] | None, topics: list[str] | None) -> bool:
    """The LIKE of `_lists` is a fast pre-filter; the lists decide (a stray quote in a hand-edited row)."""
    return (not criteria.role or criteria.role in (roles or [])) and (
        not criteria.topic or criteria.topic in (topics or [])
    )


ORDER = (DirectoryProfile.last_name, DirectoryProfile.first_name, DirectoryProfile.id)


def search_profiles(
    criteria: Criteria, *, members_only: bool = False, limit: int | None = MAX_RESULTS
) -> list[DirectoryProfile]:
    """Active profiles matching the criteria, by name; `members_only`: those visible to members."""
    query = (
        select(DirectoryProfile)
        .where(*_conditions(criteria, members_only))
        .options(selectinload(DirectoryProfile.languages))
        .order_by(*ORDER)
    )
    if limit is not None:
        query = query.limit(limit)
    return [p for p in db.session.scalars(query) if _kept(criteria, p.roles, p.topics)]


def csv_rows(criteria: Criteria, locale: Any) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a coordinator's CSV export of every match, labels in the reader's
    language. Plain rows, not objects: the whole directory is two queries and no ORM identity map
    (5,000 profiles as objects took seconds)."""
    header = [
        _("Prénom"), _("Nom"), _("E-mail"), _("Organisation"), _("Fonction"), _("Région"),
        _("Langues"), _("Rôles"), _("Thèmes"), _("Visible des membres"),
    ]  # fmt: skip
    conditions = _conditions(criteria, members_only=False)
    people = db.session.execute(
        select(
            DirectoryProfile.id, DirectoryProfile.first_name, DirectoryProfile.last_name, DirectoryProfile.email,
            DirectoryProfile.organisation, DirectoryProfile.job_title, DirectoryProfile.region,
            DirectoryProfile.roles, DirectoryProfile.topics, DirectoryProfile.visibility,
        ).where(*conditions).order_by(*ORDER)
    ).all()  # fmt: skip
    spoken: dict[int, list[tuple[str, str]]] = {}
    for profile_id, code, level in db.session.execute(
        select(DirectoryLanguage.profile_id, DirectoryLanguage.code, DirectoryLanguage.level)
        .where(DirectoryLanguage.profile_id.in_(select(DirectoryProfile.id).where(*conditions)))
        .order_by(DirectoryLanguage.id)
    ):
        spoken.setdefault(profile_id, []).append((code, level))
    # Each label translated once, not once per row (a gettext call costs ~50 µs in a request).
    regions, roles, topics = ({code: str(label) for code, label in known.items()}
                              for known in (vocab.REGIONS, vocab.ROLES, vocab.TOPICS))  # fmt: skip
    levels = {level: vocab.level_label(level) for level in vocab.LEVELS}
    visible = {True: _("oui"), False: _("non")}
    rows = []
    for p in people:
        if not _kept(criteria, p.roles, p.topics):
            continue
        rows.append([
            p.first_name, p.last_name, p.email, p.organisation, p.job_title, regions.get(p.region, ""),
            "; ".join(f"{vocab.language_name(code, locale)} ({levels.get(level, level)})" for code, level in spoken.get(p.id, ())),
            "; ".join(roles[r] for r in p.roles or [] if r in roles),
            "; ".join(topics[t] for t in p.topics or [] if t in topics),
            visible[p.visibility == VISIBILITY_MEMBERS],
        ])  # fmt: skip
    return header, rows
