"""Uploaded files waiting between a preview and its confirmation (programme and registration imports).

Kept on disk under a random name with who uploaded them for which event; forgotten after a day.
"""

from __future__ import annotations

import json
import re
import secrets
import time as clock
from datetime import timedelta
from pathlib import Path

from flask import current_app

_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
UPLOAD_LIFETIME = timedelta(hours=24)


def storage_dir() -> Path:
    """Where uploaded files wait between the preview and the confirmation."""
    base = current_app.config.get("STORAGE_DIR") or str(Path(current_app.instance_path) / "storage")
    path = Path(base) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store_upload(data: bytes, *, filename: str, event_id: int, user_id: int) -> str:
    """Keep an uploaded file under a random name; returns the name to confirm it with."""
    directory = storage_dir()
    purge_uploads(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.bin").write_bytes(data)
    meta = {
        "filename": filename[:200],
        "event_id": event_id,
        "user_id": user_id,
        "stored": clock.time(),
    }
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_upload(token: str, *, event_id: int, user_id: int) -> tuple[bytes, str] | None:
    """The file and its name, if the token is ours, recent, and for this event and person."""
    if not _TOKEN.fullmatch(token or ""):
        return None
    directory = storage_dir()
    try:
        meta = json.loads((directory / f"{token}.json").read_text(encoding="utf-8"))
        data = (directory / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("event_id") != event_id or meta.get("user_id") != user_id:
        return None
    if clock.time() - float(meta.get("stored", 0)) > UPLOAD_LIFETIME.total_seconds():
        return None
    return data, str(meta.get("filename", ""))


def discard_upload(token: str) -> None:
    if not _TOKEN.fullmatch(token or ""):
        return
    directory = storage_dir()
    for suffix in (".bin", ".json"):
        (directory / f"{token}{suffix}").unlink(missing_ok=True)


def purge_uploads(directory: Path) -> None:
    """Forget uploads nobody confirmed within a day."""
    limit = clock.time() - UPLOAD_LIFETIME.total_seconds()
    for path in directory.glob("*.json"):
        try:
            stored = float(json.loads(path.read_text(encoding="utf-8")).get("stored", 0))
        except (OSError, ValueError):
            stored = 0
        if stored < limit:
            path.unlink(missing_ok=True)
            path.with_suffix(".bin").unlink(missing_ok=True)
