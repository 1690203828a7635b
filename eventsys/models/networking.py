"""Speed-networking: an activity attached to a programme session, its stations (tables with a
facilitator and a theme), its participants and the plans made for it.

Plans are kept (never edited in place): re-planning from round k adds a new plan whose first k - 1
rounds are those of the plan it follows. The current plan is the newest one.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eventsys.extensions import db
from eventsys.models.events import Event, Speaker
from eventsys.models.programme import ProgrammeSession
from eventsys.models.registration import REG_CONFIRMED, Registration
from eventsys.models.types import UTCDateTime, utcnow

MODE_REMIX = "remix"  # new groups every round, no stations
MODE_STATIONS = "stations"  # a group at every station each round, nobody visits a station twice
MODE_KEEP_GROUPS = "keep_groups"  # groups formed once, rotating together through the stations
MODE_PAIRS = "pairs"  # 1:1 meetings; with an odd number present one person sits out
NETWORKING_MODES = (MODE_STATIONS, MODE_REMIX, MODE_KEEP_GROUPS, MODE_PAIRS)
STATION_MODES = (MODE_STATIONS, MODE_KEEP_GROUPS)


class NetworkingActivity(db.Model):
    """The speed-networking of one programme session: timing, group size and how groups form."""

    __tablename__ = "networking_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("programme_sessions.id", ondelete="CASCADE"), unique=True
    )
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    round_minutes: Mapped[int] = mapped_column(default=10)
    changeover_minutes: Mapped[int] = mapped_column(default=2)
    # Either a number of rounds, or an end time from which the number of rounds follows.
    rounds: Mapped[int | None]
    ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    group_size: Mapped[int] = mapped_column(default=6)
    mode: Mapped[str] = mapped_column(String(20), default=MODE_STATIONS)
    avoid_same_organisation: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    event: Mapped[Event] = relationship()
    session: Mapped[ProgrammeSession] = relationship()
    stations: Mapped[list[Station]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="Station.position, Station.id",
    )
    participants: Mapped[list[NetworkingParticipant]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="NetworkingParticipant.id",
    )
    plans: Mapped[list[NetworkingPlan]] = relationship(
        back_populates="activity",
        cascade="all, delete-orphan",
        order_by="NetworkingPlan.id",
    )

    @property
    def uses_stations(self) -> bool:
        return self.mode in STATION_MODES

    @property
    def slot_minutes(self) -> int:
        """Minutes from the start of one round to the start of the next."""
        return self.round_minutes + self.changeover_minutes

    @property
    def round_count(self) -> int:
        """Rounds to plan: the number given, or as many as fit before the end time."""
        if self.rounds:
            return self.rounds
        if self.ends_at is None or self.round_minutes <= 0:
            return 0
        available = (self.ends_at - self.starts_at).total_seconds() / 60
        # The last round needs no changeover after it.
        return max(0, int((available + self.changeover_minutes) // self.slot_minutes))

    def round_start(self, number: int) -> datetime:
        """When round `number` (1-based) starts (UTC)."""
        return self.starts_at + timedelta(minutes=(number - 1) * self.slot_minutes)

    def round_end(self, number: int) -> datetime:
        """When round `number` (1-based) ends (UTC)."""
        return self.round_start(number) + timedelta(minutes=self.round_minutes)

    @property
    def finishes_at(self) -> datetime | None:
        """End of the last round (UTC)."""
        count = self.round_count
        return self.round_end(count) if count else None

    @property
    def current_plan(self) -> NetworkingPlan | None:
        return self.plans[-1] if self.plans else None


class Station(db.Model):
    """A table of the activity: a theme, a facilitator (optional) and a capacity (optional)."""

    __tablename__ = "networking_stations"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("networking_activities.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(120))
    theme: Mapped[str] = mapped_column(String(200), default="")
    facilitator_id: Mapped[int | None] = mapped_column(
        ForeignKey("speakers.id", ondelete="SET NULL"), index=True
    )
    capacity: Mapped[int | None]
    position: Mapped[int] = mapped_column(default=0)

    activity: Mapped[NetworkingActivity] = relationship(back_populates="stations")
    facilitator: Mapped[Speaker | None] = relationship()

    @property
    def label(self) -> str:
        """The station's name with its theme, as printed and shown."""
        return f"{self.name} — {self.theme}" if self.theme else self.name


class NetworkingParticipant(db.Model):
    """Someone in the rotation: a confirmed registration that opted in, or a walk-in of the day.

    `present` False takes the person out of every round still to plan; `absent_from_round` k takes
    them out from round k on (left at lunch); `joins_from_round` k puts them in from round k on
    (arrived late). Rows are kept while a stored plan names them, so played rounds stay whole.
    """

    __tablename__ = "networking_participants"
    __table_args__ = (
        UniqueConstraint(
            "activity_id", "registration_id", name="uq_networking_participants_registration"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("networking_activities.id", ondelete="CASCADE"), index=True
    )
    # SET NULL: a registration purged after the event leaves the name in the stored plans.
    registration_id: Mapped[int | None] = mapped_column(
        ForeignKey("registrations.id", ondelete="SET NULL"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    organisation: Mapped[str] = mapped_column(String(200), default="")
    themes: Mapped[list[str]] = mapped_column(JSON, default=list)  # walk-ins; ranked
    walk_in: Mapped[bool] = mapped_column(default=False)
    present: Mapped[bool] = mapped_column(default=True)
    absent_from_round: Mapped[int | None]
    joins_from_round: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    activity: Mapped[NetworkingActivity] = relationship(back_populates="participants")
    registration: Mapped[Registration | None] = relationship()

    @property
    def eligible(self) -> bool:
        """Still entitled to take part: walk-ins always, registrations while confirmed and opted in."""
        if self.walk_in:
            return True
        reg = self.registration
        return reg is not None and reg.status == REG_CONFIRMED and bool(reg.networking_opt_in)

    @property
    def ranked_themes(self) -> list[str]:
        """Themes in the person's order of preference."""
        if self.registration is not None and not self.walk_in:
            return list(self.registration.networking_themes or [])
        return list(self.themes or [])

    def takes_part_in(self, number: int) -> bool:
        """Whether the person is expected in round `number` (1-based) of a plan to make."""
        if not (self.present and self.eligible):
            return False
        if self.absent_from_round is not None and number >= self.absent_from_round:
            return False
        return not (self.joins_from_round is not None and number < self.joins_from_round)


class NetworkingPlan(db.Model):
    """One plan of the activity: the planner's output (rounds, sitting out, warnings) and metrics."""

    __tablename__ = "networking_plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(
        ForeignKey("networking_activities.id", ondelete="CASCADE"), index=True
    )
    data: Mapped[dict[str, Any]] = mapped_column(JSON)  # rounds, sitting_out, warnings
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON)
    rounds_played: Mapped[int] = mapped_column(default=0)  # rounds kept from the previous plan
    seed: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    activity: Mapped[NetworkingActivity] = relationship(back_populates="plans")

    @property
    def rounds(self) -> list[list[dict[str, Any]]]:
        return list((self.data or {}).get("rounds") or [])

    @property
    def sitting_out(self) -> list[list[Any]]:
        return list((self.data or {}).get("sitting_out") or [[] for _ in self.rounds])
