"""Counters kept by the database: places held and waiting per event, seats and waiting per session.

Registering reads these numbers under the event's lock on every submission. Counting the rows there
grew with the event (an index scan of every registration of the event and every choice of the
chosen sessions, while every other submission waited for the lock); these counters cost one row.

Triggers keep them, in the same transaction as the change, whatever made it: the ORM, a Core bulk
statement, an `ON DELETE CASCADE` from a deleted event or session, a hand-written SQL fix. Each row
of `registrations` adds 1 to its event's `held_count` while it is confirmed or pending, 1 to
`waiting_count` while it is waitlisted; each row of `registration_choices` adds 1 to its session's
`seats` while confirmed, 1 to `waiting` while waitlisted. An insert adds the row's contribution, a
delete removes it, an update of the status (or of the event/session) moves it. Additions commute,
so concurrent writers can never make a counter wrong, locked or not.

An event's counters live in its `registration_settings` row, the row that registering locks and
returns anyway (`UPDATE … RETURNING`); when that row is created, it starts from the rows already
there (services/registration/settings.ensure_settings). A session's counters live in
`registration_session_counts`, created by the first choice that counts.

`create_counter_triggers(connection)` installs them (the migration and `create_all` both call it);
`counter_drift(connection)` recounts everything from the rows and returns the differences (tests,
the benchmark's end-state check, and `flask recount-registrations` after a restore).
"""

# ruff: noqa: S608 - the SQL below is built from the constants of this module, never from input

from __future__ import annotations

from typing import Any

from sqlalchemy import event as sa_event
from sqlalchemy import text

HELD = "('confirmed', 'pending')"  # models.registration.HOLDING_PLACE
WAITING = "'waitlisted'"  # REG_WAITLISTED and CHOICE_WAITLISTED
SEATED = "'confirmed'"  # CHOICE_CONFIRMED

_POSTGRESQL = [
    f"""
CREATE OR REPLACE FUNCTION eventsys_count_registration() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND (OLD.status IN {HELD} OR OLD.status = {WAITING}) THEN
        UPDATE registration_settings
           SET held_count = held_count - (OLD.status IN {HELD})::int,
               waiting_count = waiting_count - (OLD.status = {WAITING})::int
         WHERE event_id = OLD.event_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND (NEW.status IN {HELD} OR NEW.status = {WAITING}) THEN
        UPDATE registration_settings
           SET held_count = held_count + (NEW.status IN {HELD})::int,
               waiting_count = waiting_count + (NEW.status = {WAITING})::int
         WHERE event_id = NEW.event_id;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    f"""
CREATE OR REPLACE FUNCTION eventsys_count_choice() RETURNS trigger AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN ({SEATED}, {WAITING}) THEN
        UPDATE registration_session_counts
           SET seats = seats - (OLD.status = {SEATED})::int,
               waiting = waiting - (OLD.status = {WAITING})::int
         WHERE session_id = OLD.session_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status IN ({SEATED}, {WAITING}) THEN
        INSERT INTO registration_session_counts AS c (session_id, seats, waiting)
        VALUES (NEW.session_id, (NEW.status = {SEATED})::int, (NEW.status = {WAITING})::int)
        ON CONFLICT (session_id) DO UPDATE
           SET seats = c.seats + excluded.seats, waiting = c.waiting + excluded.waiting;
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql""",
    """
CREATE OR REPLACE TRIGGER registrations_count_insert_delete AFTER INSERT OR DELETE ON registrations
FOR EACH ROW EXECUTE FUNCTION eventsys_count_registration()""",
    """
CREATE OR REPLACE TRIGGER registrations_count_update AFTER UPDATE OF status, event_id ON registrations
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.event_id <> NEW.event_id)
EXECUTE FUNCTION eventsys_count_registration()""",
    """
CREATE OR REPLACE TRIGGER registration_choices_count_insert_delete AFTER INSERT OR DELETE ON registration_choices
FOR EACH ROW EXECUTE FUNCTION eventsys_count_choice()""",
    """
CREATE OR REPLACE TRIGGER registration_choices_count_update AFTER UPDATE OF status, session_id ON registration_choices
FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.session_id <> NEW.session_id)
EXECUTE FUNCTION eventsys_count_choice()""",
]

# SQLite: comparisons are 0 or 1 already; one trigger per operation (no TG_OP).
_REMOVE_REGISTRATION = f"""
    UPDATE registration_settings
       SET held_count = held_count - (OLD.status IN {HELD}),
           waiting_count = waiting_count - (OLD.status = {WAITING})
     WHERE event_id = OLD.event_id AND (OLD.status IN {HELD} OR OLD.status = {WAITING});"""
_ADD_REGISTRATION = f"""
    UPDATE registration_settings
       SET held_count = held_count + (NEW.status IN {HELD}),
           waiting_count = waiting_count + (NEW.status = {WAITING})
     WHERE event_id = NEW.event_id AND (NEW.status IN {HELD} OR NEW.status = {WAITING});"""
_REMOVE_CHOICE = f"""
    UPDATE registration_session_counts
       SET seats = seats - (OLD.status = {SEATED}), waiting = waiting - (OLD.status = {WAITING})
     WHERE session_id = OLD.session_id AND OLD.status IN ({SEATED}, {WAITING});"""
_ADD_CHOICE = f"""
    INSERT INTO registration_session_counts (session_id, seats, waiting)
    SELECT NEW.session_id, NEW.status = {SEATED}, NEW.status = {WAITING}
     WHERE NEW.status IN ({SEATED}, {WAITING})
    ON CONFLICT (session_id) DO UPDATE
       SET seats = seats + excluded.seats, waiting = waiting + excluded.waiting;"""
_SQLITE = [
    f"CREATE TRIGGER IF NOT EXISTS registrations_count_insert AFTER INSERT ON registrations BEGIN{_ADD_REGISTRATION} END",
    f"CREATE TRIGGER IF NOT EXISTS registrations_count_delete AFTER DELETE ON registrations BEGIN{_REMOVE_REGISTRATION} END",
    "CREATE TRIGGER IF NOT EXISTS registrations_count_update AFTER UPDATE OF status, event_id ON registrations"
    " WHEN OLD.status IS NOT NEW.status OR OLD.event_id IS NOT NEW.event_id"
    f" BEGIN{_REMOVE_REGISTRATION}{_ADD_REGISTRATION} END",
    f"CREATE TRIGGER IF NOT EXISTS registration_choices_count_insert AFTER INSERT ON registration_choices BEGIN{_ADD_CHOICE} END",
    f"CREATE TRIGGER IF NOT EXISTS registration_choices_count_delete AFTER DELETE ON registration_choices BEGIN{_REMOVE_CHOICE} END",
    "CREATE TRIGGER IF NOT EXISTS registration_choices_count_update AFTER UPDATE OF status, session_id ON registration_choices"
    " WHEN OLD.status IS NOT NEW.status OR OLD.session_id IS NOT NEW.session_id"
    f" BEGIN{_REMOVE_CHOICE}{_ADD_CHOICE} END",
]

_TRIGGERS = (
    ("registrations", "registrations_count_insert_delete"),
    ("registrations", "registrations_count_insert"),
    ("registrations", "registrations_count_delete"),
    ("registrations", "registrations_count_update"),
    ("registration_choices", "registration_choices_count_insert_delete"),
    ("registration_choices", "registration_choices_count_insert"),
    ("registration_choices", "registration_choices_count_delete"),
    ("registration_choices", "registration_choices_count_update"),
)



def _recount_part(kind: str, counter: str, statuses: str) -> str:
    """One counter of every event or session next to a count of its rows, where they differ."""
    if kind == "event":
        owner, counted, join = "s.event_id", f"s.{counter}", "registration_settings s"
        rows = f"registrations r ON r.event_id = s.event_id AND r.status IN {statuses}"
    else:  # a session with no counters row has counters 0
        owner, counted = "p.id", f"coalesce(max(c.{counter}), 0)"
        join = "programme_sessions p LEFT JOIN registration_session_counts c ON c.session_id = p.id"
        rows = f"registration_choices r ON r.session_id = p.id AND r.status IN {statuses}"
    group = f"{owner}, {counted}" if kind == "event" else owner
    return (
        f"SELECT '{kind}', {owner}, '{counter}', {counted}, count(r.id) FROM {join} LEFT JOIN {rows}"
        f" GROUP BY {group} HAVING {counted} <> count(r.id)"
    )


# The counters, recounted from the rows: one row per difference (kind, id, counter, stored, actual).
_RECOUNT = " UNION ALL ".join(
    _recount_part(kind, counter, statuses)
    for kind, counter, statuses in (
        ("event", "held_count", HELD),
        ("event", "waiting_count", f"({WAITING})"),
        ("session", "seats", f"({SEATED})"),
        ("session", "waiting", f"({WAITING})"),
    )
)

_RESET = [
    f"""UPDATE registration_settings SET
        held_count = (SELECT count(*) FROM registrations r
                       WHERE r.event_id = registration_settings.event_id AND r.status IN {HELD}),
        waiting_count = (SELECT count(*) FROM registrations r
                          WHERE r.event_id = registration_settings.event_id AND r.status = {WAITING})""",
    "DELETE FROM registration_session_counts",
    f"""INSERT INTO registration_session_counts (session_id, seats, waiting)
        SELECT session_id, sum(CASE WHEN status = {SEATED} THEN 1 ELSE 0 END),
               sum(CASE WHEN status = {WAITING} THEN 1 ELSE 0 END)
          FROM registration_choices WHERE status IN ({SEATED}, {WAITING}) GROUP BY session_id""",
]


def create_counter_triggers(connection: Any) -> None:
    """Install the triggers on this connection's database (PostgreSQL or SQLite); installing them
    again changes nothing."""
    dialect = connection.dialect.name
    if dialect not in ("postgresql", "sqlite"):
        raise RuntimeError(f"no counter triggers for {dialect}")
    for statement in _POSTGRESQL if dialect == "postgresql" else _SQLITE:
        connection.execute(text(statement))


def drop_counter_triggers(connection: Any) -> None:
    dialect = connection.dialect.name
    for table, name in _TRIGGERS:
        suffix = f" ON {table}" if dialect == "postgresql" else ""
        connection.execute(text(f"DROP TRIGGER IF EXISTS {name}{suffix}"))
    if dialect == "postgresql":
        connection.execute(text("DROP FUNCTION IF EXISTS eventsys_count_registration()"))
        connection.execute(text("DROP FUNCTION IF EXISTS eventsys_count_choice()"))


def recount(connection: Any) -> None:
    """Set every counter from the rows (after a restore that skipped triggers, for instance)."""
    for statement in _RESET:
        connection.execute(text(statement))


def counter_drift(connection: Any) -> list[tuple[str, int, str, int, int]]:
    """Every counter that differs from a count of the rows: (kind, id, counter, stored, actual)."""
    return [tuple(row) for row in connection.execute(text(_RECOUNT))]


def install(metadata: Any) -> None:
    """Create the triggers whenever `metadata.create_all` creates the tables (tests, the demo)."""

    @sa_event.listens_for(metadata, "after_create")
    def _create(_target: Any, connection: Any, **_kw: Any) -> None:
        create_counter_triggers(connection)

    @sa_event.listens_for(metadata, "before_drop")
    def _drop(_target: Any, connection: Any, **_kw: Any) -> None:
        drop_counter_triggers(connection)
