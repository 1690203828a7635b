"""Check-in limits and the actor of a scan (who, from which device), shared by the package.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time

from eventsys.models.checkin import (
    REASON_BAD_SIGNATURE,
    REASON_MALFORMED,
    REASON_UNSUPPORTED,
)
from eventsys.services.tokens import (
    BadgeSignatureInvalid,
    MalformedBadgeToken,
    UnsupportedBadgeVersion,
)

NONCE_RE = re.compile(r"[A-Za-z0-9._:-]{1,64}")
MAX_SCAN_CHARS = 4096  # a QR code can hold more, but nothing that long is one of our badges
DEVICE_MAX = 100
SEARCH_MIN_CHARS = 2
SEARCH_LIMIT = 12
NOON = time(13, 0)  # half-days: morning sessions start before 13:00 local time
UNTIMED_TYPES = ("meal", "break")  # not counted as attendance time on certificates
BADGE_SALT = b"eventsys/badge-token-key"

TOKEN_ERRORS = {
    MalformedBadgeToken: REASON_MALFORMED,
    UnsupportedBadgeVersion: REASON_UNSUPPORTED,
    BadgeSignatureInvalid: REASON_BAD_SIGNATURE,
}


@dataclass(frozen=True)
class Actor:
    """Who scans: a logged-in account or a staff token, at a named desk or device."""

    user_id: int | None = None
    token_id: int | None = None
    device: str = ""
