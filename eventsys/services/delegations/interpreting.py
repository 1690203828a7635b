"""The interpreting plan: for each session, the language pairs delegations need, who interprets,
and clashes (one interpreter needed in two sessions at the same time).

Only the organiser's choices are stored (InterpretingAssignment); where none was made, the plan
proposes the first interpreter of the delegation that needs the pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from eventsys.extensions import db
from eventsys.models import Event, ProgrammeSession
from eventsys.models.delegation import ROLE_INTERPRETER, DelegationMember, InterpretingAssignment
from eventsys.models.directory import DirectoryProfile
from eventsys.services.delegations.invitations import invite_volunteer
from eventsys.services.delegations.status import event_delegations
from eventsys.services.directory.search import Criteria, search_profiles
from eventsys.services.errors import DomainError


@dataclass
class Need:
    session: ProgrammeSession
    source: str
    target: str
    delegations: list[str] = field(default_factory=list)  # names
    member: DelegationMember | None = None
    name: str = ""  # the interpreter's name as shown
    proposed: bool = True  # no choice stored yet: the delegation's own interpreter
    volunteers: list[DirectoryProfile] = field(default_factory=list)  # from the network's directory

    @property
    def key(self) -> str:
        """Who interprets, to find clashes: the member, else the name typed."""
        return f"m{self.member.id}" if self.member is not None else f"n{self.name.casefold()}"


@dataclass
class Clash:
    interpreter: str
    first: Need
    second: Need


def interpreters(event: Event) -> list[DelegationMember]:
    """Every delegation interpreter who still comes."""
    return [
        m for d in event_delegations(event) for m in d.members
        if m.role == ROLE_INTERPRETER and m.registration.is_active
    ]  # fmt: skip


def interpreting_plan(event: Event) -> tuple[list[Need], list[Clash]]:
    """Needs in session order, with the interpreter chosen or proposed, and the clashes."""
    sessions = {s.id: s for s in event.sessions}
    needs: dict[tuple[int, str, str], Need] = {}
    for delegation in event_delegations(event):
        own = [
            m for m in delegation.members if m.role == ROLE_INTERPRETER and m.registration.is_active
        ]
        for pair in delegation.interpreting:
            for session_id in pair.session_ids or []:
                if session_id not in sessions:
                    continue
                key = (session_id, pair.source_language, pair.target_language)
                need = needs.setdefault(
                    key, Need(sessions[session_id], pair.source_language, pair.target_language)
                )
                need.delegations.append(delegation.name)
                if need.member is None and own:
                    need.member, need.name = own[0], own[0].registration.full_name
    stored = db.session.scalars(
        select(InterpretingAssignment).where(InterpretingAssignment.event_id == event.id)
    )
    for choice in stored:
        need = needs.get((choice.session_id, choice.source_language, choice.target_language))
        if need is not None:
            need.member, need.proposed = choice.member, False
            need.name = (
                choice.member.registration.full_name
                if choice.member
                else profile_name(choice.profile)
                if choice.profile
                else choice.interpreter_name
            )
    ordered = sorted(
        needs.values(), key=lambda n: (n.session.starts_at, n.session.id, n.source, n.target)
    )
    found: dict[tuple[str, str], list[DirectoryProfile]] = {}
    for need in ordered:
        pair = (need.source, need.target)
        if pair not in found:
            found[pair] = volunteers(*pair)
        need.volunteers = found[pair]
    return ordered, _clashes(ordered)


def profile_name(profile: DirectoryProfile) -> str:
    return f"{profile.first_name} {profile.last_name}".strip()


def volunteers(source: str, target: str) -> list[DirectoryProfile]:
    """Volunteers of the directory who offer interpreting and speak both languages well (C1 or
    better), among the profiles their owners let the network's members see."""
    criteria = Criteria(language=source, other_language=target, min_level="C1", role="interpreting")
    return search_profiles(criteria, members_only=True)


def _clashes(needs: list[Need]) -> list[Clash]:
    found = []
    named = [n for n in needs if n.member is not None or n.name]
    for i, first in enumerate(named):
        for second in named[i + 1 :]:
            if first.key != second.key or first.session.id == second.session.id:
                continue
            if (
                first.session.starts_at < second.session.ends_at
                and second.session.starts_at < first.session.ends_at
            ):
                found.append(Clash(first.name, first, second))
    return found


class InterpreterMissing(DomainError):
    """No interpreter chosen, or a pair no delegation needs in that session."""

    code = "interpreter_missing"
    status = 422


def choose_interpreter(
    event: Event,
    session_id: int | None,
    source: str,
    target: str,
    interpreter: str,
    name: str,
    *,
    invite: bool = False,
) -> InterpretingAssignment:
    """The organiser's choice from the plan: a name typed (a volunteer) wins over the list of
    delegation interpreters (`interpreter` is "m<member id>"). A volunteer chosen from the
    directory ("d<profile id>") is sent the invitation in their language when `invite`."""
    needs, _clashes = interpreting_plan(event)
    wanted = (session_id, source, target)
    need = next((n for n in needs if (n.session.id, n.source, n.target) == wanted), None)
    name = name.strip()
    people = {f"m{m.id}": m for m in interpreters(event)}
    member = None if name else people.get(interpreter)
    if need is not None and not name and member is None:
        chosen = next((p for p in need.volunteers if f"d{p.id}" == interpreter), None)
        if chosen is not None:
            if invite:
                invite_volunteer(event, need.session, source, target, chosen)
            return assign_interpreter(event, need.session.id, source, target, None, profile=chosen)
    if need is None or (member is None and not name):
        raise InterpreterMissing(_l("Choisissez un interprète ou saisissez un nom."))
    return assign_interpreter(event, need.session.id, source, target, member, name)


def assign_interpreter(
    event: Event,
    session_id: int,
    source: str,
    target: str,
    member: DelegationMember | None,
    name: str = "",
    *,
    profile: DirectoryProfile | None = None,
) -> InterpretingAssignment:
    """The organiser's choice of interpreter for a pair in a session (replaces an earlier one)."""
    choice = db.session.scalar(
        select(InterpretingAssignment).where(
            InterpretingAssignment.session_id == session_id,
            InterpretingAssignment.source_language == source,
            InterpretingAssignment.target_language == target,
        )
    )
    if choice is None:
        choice = InterpretingAssignment(event_id=event.id, session_id=session_id, source_language=source,
                                        target_language=target)  # fmt: skip
        db.session.add(choice)
    choice.member_id = member.id if member is not None else None
    choice.member = member
    choice.profile_id = profile.id if profile is not None else None
    choice.profile = profile
    choice.interpreter_name = (
        "" if member is not None or profile is not None else name.strip()[:200]
    )
    db.session.flush()
    return choice
