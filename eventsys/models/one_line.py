"""Every `String` column holds one line: cleaned before it is written, whatever wrote it.

Forms, the API, imports and the registration service apply the rule of eventsys/text.py
themselves (with a message where a person can correct the text); this is the floor under
them, so a path that forgot (a CLI option, a service called from a job, a future form) still
cannot store a line break or a control character that would later break an e-mail header,
a badge line or a CSV cell. `Text` columns (descriptions, addresses) keep their lines; the
other languages' values of one-line fields in `translations` are cleaned the same way.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import String, Text
from sqlalchemy import event as sa_event
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session

from eventsys.text import breaks_line, one_line


@cache
def one_line_fields(cls: type) -> tuple[str, ...]:
    """The attributes of a mapped class stored in String (not Text) columns."""
    fields = []
    for attribute in sa_inspect(cls).column_attrs:
        column_type = attribute.columns[0].type
        if isinstance(column_type, String) and not isinstance(column_type, Text):
            fields.append(attribute.key)
    return tuple(fields)


def _clean_translations(obj: Any, fields: tuple[str, ...]) -> None:
    translations = obj.__dict__.get("translations")
    if not isinstance(translations, dict):
        return
    wanted = [name for name in getattr(obj, "TRANSLATABLE", ()) if name in fields]
    dirty = any(
        isinstance(entry, dict) and isinstance(entry.get(name), str) and breaks_line(entry[name])
        for entry in translations.values() for name in wanted
    )
    if dirty:  # replaced, never mutated in place, so the change is seen
        obj.translations = {
            lang: {k: one_line(v) if k in wanted and isinstance(v, str) else v for k, v in entry.items()}
            if isinstance(entry, dict) else entry
            for lang, entry in translations.items()
        }


@sa_event.listens_for(Session, "before_flush")
def _one_line_columns(session: Session, _context: Any, _instances: Any) -> None:
    new = session.new  # built on each access: once, not once per object (an import adds thousands)
    for obj in (*new, *session.dirty):
        fields = one_line_fields(type(obj))
        values = obj.__dict__
        changed = sa_inspect(obj).committed_state  # on a loaded row, only what this flush writes
        for name in fields if obj in new else (f for f in fields if f in changed):
            value = values.get(name)
            if isinstance(value, str) and breaks_line(value):
                setattr(obj, name, one_line(value))
        if "translations" in values and (obj in new or "translations" in changed):
            _clean_translations(obj, fields)
