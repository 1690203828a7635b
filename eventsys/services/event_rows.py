"""An event's row, kept per worker for each version: an API call finds its event without loading it.

Every API call names its event by code, and loading it (two dozen columns into an ORM object) cost
a registration more CPU than any other of its reads. The row changes only with `Event.updated_at`
(its `onupdate`, and eventsys/cache.py for a change of the programme), the key the page cache and
the registration's session snapshots use too. So each call reads the id, the version and the
account's role in one narrow query; the row itself comes from the worker's copy of that version
(read once), made into an Event attached to the request's session as persistent and unchanged, as
if just loaded: changing it writes an UPDATE as usual, and its relationships load as usual.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from sqlalchemy import bindparam, inspect, select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.util import identity_key

from eventsys.extensions import db
from eventsys.kept import WorkerCache
from eventsys.models import Event, EventRole

_ROWS = WorkerCache("eventsys.event_rows", entries=64)

# Built once (run on every API call): SQLAlchemy reuses their compiled form.
_ATTRIBUTES = [(attr.key, attr.columns[0]) for attr in inspect(Event).column_attrs]
_VERSION_AND_ROLE = (
    select(Event.id, Event.updated_at, EventRole.role)
    .outerjoin(
        EventRole,
        (EventRole.event_id == Event.id) & (EventRole.user_id == bindparam("user_id")),
    )
    .where(Event.code == bindparam("code"))
)
_ROW = select(*(column for _key, column in _ATTRIBUTES)).where(Event.id == bindparam("event_id"))


def event_with_role(
    code: str, user_id: int, known: tuple[int | None, Any, str | None] | None = None
) -> tuple[Event | None, str | None]:
    """The event with this canonical code, attached to the session, and the role the account
    `user_id` holds on it (None: none); (None, None) when no event has the code. `known`: its
    (id, version, role) already read in this transaction (with the API token)."""
    db.session.flush()  # Core statements do not autoflush
    connection = db.session.connection()
    if known is None:
        known = connection.execute(_VERSION_AND_ROLE, {"code": code, "user_id": user_id}).first()
    if known is None or known[0] is None:
        return None, None
    event_id, version, role = known
    present = db.session.identity_map.get(identity_key(Event, event_id))
    if present is not None:  # already in this session (a test's, or loaded earlier)
        return present, role
    values = _ROWS.get((event_id, version))
    if values is None:
        values = connection.execute(_ROW, {"event_id": event_id}).first()
        if values is None:  # deleted in between
            return None, None
        values = tuple(values)
        # keyed by the version the row carries (newer than `version` if it changed meanwhile)
        _ROWS.put((event_id, values[_UPDATED_AT]), values)
    return attached_row(Event, _KEYS, values), role


_KEYS = [key for key, _column in _ATTRIBUTES]
_UPDATED_AT = _KEYS.index("updated_at")


def attached_row(
    model: type[Any], keys: Sequence[str], values: Sequence[Any], *, shared: bool = True
) -> Any:
    """An object of `model` with these column values (`keys`: its column attributes, the primary
    key among them), persistent in the session as if just loaded, without SQL; a column left out
    loads when it is read, as a deferred one. `shared`: the values are a worker's copy, kept for
    other requests, so a JSON value is copied, not lent."""
    obj = inspect(model).class_manager.new_instance()
    # As the ORM's loader fills a row in: straight into the instance's dictionary, committed below
    # by make_transient_to_detached.
    if shared:
        values = [copy.deepcopy(v) if isinstance(v, dict | list) else v for v in values]
    obj.__dict__.update(zip(keys, values, strict=True))
    make_transient_to_detached(obj)
    db.session.add(obj)
    return obj
