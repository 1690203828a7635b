"""What a worker keeps between requests: values built once per app, and bounded caches per app.

Pure bookkeeping (no database, no rules): the services decide what is kept and by which key.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import Flask, current_app


def kept(app: Flask, name: str, key: Hashable, build: Callable[[], Any]) -> Any:
    """The value `build` made for this app, made again only when `key` changes (a secret key
    rotated, say): building it on every request cost more than using it."""
    held = app.extensions.get(name)
    if held is None or held[0] != key:
        held = app.extensions[name] = (key, build())
    return held[1]


class WorkerCache:
    """Values kept per app (so per worker process) by key, the oldest dropped past `entries`.

    Callers key by what changes the value (an event's id and `updated_at`), so an entry is never
    stale, only unused; values must be immutable, or copied by the caller."""

    def __init__(self, name: str, entries: int = 64) -> None:
        self.name = name
        self.entries = entries
        self._lock = threading.Lock()

    def _store(self) -> OrderedDict[Hashable, Any]:
        return current_app.extensions.setdefault(self.name, OrderedDict())

    def get(self, key: Hashable) -> Any:
        return self._store().get(key)

    def put(self, key: Hashable, value: Any) -> None:
        store = self._store()
        with self._lock:
            store[key] = value
            while len(store) > self.entries:
                store.popitem(last=False)
