"""On-site check-in: scans at the desk and at room doors, staff tokens, badge and attendance data.

Check-in rules (`check_in`), in order: the client's nonce replays an earlier answer (safe retries,
offline queues); the scanned text must be a genuine badge token (`invalid` with a reason
otherwise); of this event (`wrong_event`); of a registration that still exists; not cancelled
(`cancelled`, whatever the badge); carrying the registration's current badge nonce (`invalid`,
reason `revoked`, for a replaced badge); confirmed (`not_confirmed`); then `ok` the first time and
`already_checked_in` (with the first time) afterwards. Door presence counts once per event day,
session presence once per session. Every scan is written to the history.

The builders at the end turn registrations and check-ins into the plain data of the pure
renderers (render/badges, render/attendance_pdf.py).

Functions flush, never commit: the caller commits once.

The package: common.py (limits, the actor of a scan), tokens.py (badge and staff tokens), desk.py
(check-in, undo, counters, search), badges.py (who gets which badge and what it shows),
attendance.py (sign-in sheets, hours attended, certificates).
"""

from eventsys.services.checkin.attendance import (
    all_signin_sheets,
    attended_days,
    attended_sessions,
    certificates,
    day_hours,
    half_day_signin_sheet,
    half_days,
    merge_pdfs,
    session_signin_sheet,
)
from eventsys.services.checkin.badges import (
    badge_data,
    badge_itineraries,
    badge_nonces,
    badge_options,
    badge_registrations,
)
from eventsys.services.checkin.common import (
    BADGE_SALT,
    DEVICE_MAX,
    MAX_SCAN_CHARS,
    NONCE_RE,
    NOON,
    SEARCH_LIMIT,
    SEARCH_MIN_CHARS,
    UNTIMED_TYPES,
    Actor,
)
from eventsys.services.checkin.desk import (
    check_in,
    check_nonce,
    counters,
    desk_fields,
    event_session,
    expected_registrations,
    local_day,
    registration_roles,
    search_attendees,
    undo_check_in,
)
from eventsys.services.checkin.tokens import (
    badge_credential,
    badge_secret,
    badge_token,
    check_staff_token,
    default_token_expiry,
    find_staff_token,
    issue_staff_token,
    reissue_badge,
    revoke_staff_token,
    staff_tokens,
    touch_staff_token,
    verify_staff_token,
)

__all__ = [
    "Actor",
    "all_signin_sheets",
    "attended_days",
    "attended_sessions",
    "badge_credential",
    "badge_data",
    "badge_itineraries",
    "badge_nonces",
    "badge_options",
    "badge_registrations",
    "BADGE_SALT",
    "badge_secret",
    "badge_token",
    "certificates",
    "check_in",
    "check_nonce",
    "check_staff_token",
    "counters",
    "day_hours",
    "default_token_expiry",
    "desk_fields",
    "DEVICE_MAX",
    "event_session",
    "expected_registrations",
    "find_staff_token",
    "half_day_signin_sheet",
    "half_days",
    "issue_staff_token",
    "local_day",
    "MAX_SCAN_CHARS",
    "merge_pdfs",
    "NONCE_RE",
    "NOON",
    "registration_roles",
    "reissue_badge",
    "revoke_staff_token",
    "search_attendees",
    "SEARCH_LIMIT",
    "SEARCH_MIN_CHARS",
    "session_signin_sheet",
    "staff_tokens",
    "touch_staff_token",
    "undo_check_in",
    "UNTIMED_TYPES",
    "verify_staff_token",
]
