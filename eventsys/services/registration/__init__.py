"""Registration rules: input checks, seats and waiting lists under a lock, moderation, private links.

Concurrency. Every operation that takes or frees a place first locks the event's
`RegistrationSettings` row (`lock_event`): `SELECT … FOR UPDATE` on PostgreSQL; on SQLite an UPDATE
of that row as the first write of the transaction, which takes the database write lock at once
(the effect of BEGIN IMMEDIATE) — so seats are counted while no other writer can commit, and two
registrations can never both take the last seat. A submission, the busiest path, takes the same
lock with `_lock_drawing_ticket` (an UPDATE of the row that draws its ticket at the same time) and
keeps its round trips few: what it reads under the lock comes in one query, what it writes in one
INSERT per table. The unique constraint on (event, normalised e-mail) is the last guard against
double registration.

Waiting lists are first come, first served: each submission draws a ticket from a per-event
counter under the lock; a waiting list is ordered by ticket, and positions are computed, never
stored, so they stay 1..N after every promotion or cancellation.

Functions flush, never commit: the caller (view, API, CLI) commits once.

The package, by concern: `checks` (what a person submits), `settings` (the event's settings, its lock
and window), `sessions` (choices, time slots, counters), `submission` (registering), `allocation`
(seats, waiting lists, changes, cancellation), `moderation`, `configuration` (the organiser's settings
and questions), `status` (positions), `links` (private links), `notices` (e-mails), `counts` (organiser
views), `export` (CSV) and `imports` (one row of an import file). Every name is re-exported here:
`from eventsys.services.registration import register_attendee` works as it always did.
"""

from eventsys.services.errors import InvalidLink
from eventsys.services.registration.allocation import (
    cancel_registration,
    change_choices,
    fill_vacancies,
)
from eventsys.services.registration.checks import (
    ANSWER_MAX,
    EMAIL_MESSAGE_MAX,
    LONG_TEXT_MAX,
    MAX_RANKED_THEMES,
    NAME_MAX,
    TEXT_MAX,
    RegistrationInput,
    clean_line,
    clean_multiline,
    clean_text_block,
    languages_offered,
    normalise_email,
)
from eventsys.services.registration.configuration import (
    add_question,
    delete_question,
    save_settings,
)
from eventsys.services.registration.counts import (
    SessionCount,
    organisations,
    search_registrations,
    session_counts,
    status_counts,
    waitlist_positions,
)
from eventsys.services.registration.export import (
    CSV_DELIMITER,
    organisation_type_names,
    registrations_csv,
    status_names,
)
from eventsys.services.registration.imports import (
    IMPORT_COLUMNS,
    ImportReport,
    ImportRow,
    _import_row,
)
from eventsys.services.registration.links import (
    LINK_SALT,
    _serializer,
    link_expiry,
    link_token,
    registration_from_link,
    renew_link,
)
from eventsys.services.registration.moderation import (
    approve_registration,
    promote_choice,
    promote_registration,
    refuse_registration,
    update_details,
)
from eventsys.services.registration.notices import (
    NOTICE_KINDS,
    choice_label,
    send_notice,
    status_label,
    write_notice,
)
from eventsys.services.registration.sessions import (
    group_slots,
    places_taken,
    registrable_sessions,
    seats_taken,
    session_capacity,
)
from eventsys.services.registration.settings import (
    default_settings,
    ensure_settings,
    event_questions,
    load_settings,
    lock_event,
    registration_state,
)
from eventsys.services.registration.snapshots import SessionSnapshot, session_snapshots
from eventsys.services.registration.status import (
    ChoiceView,
    StatusView,
    choice_position,
    event_position,
    status_view,
)
from eventsys.services.registration.submission import (
    RegistrationOutcome,
    register_attendee,
)

__all__ = [
    "InvalidLink",
    "NAME_MAX",
    "TEXT_MAX",
    "EMAIL_MESSAGE_MAX",
    "LONG_TEXT_MAX",
    "ANSWER_MAX",
    "MAX_RANKED_THEMES",
    "RegistrationInput",
    "clean_line",
    "clean_text_block",
    "clean_multiline",
    "normalise_email",
    "languages_offered",
    "default_settings",
    "load_settings",
    "ensure_settings",
    "lock_event",
    "event_questions",
    "registration_state",
    "session_capacity",
    "registrable_sessions",
    "group_slots",
    "seats_taken",
    "places_taken",
    "event_position",
    "choice_position",
    "SessionSnapshot",
    "session_snapshots",
    "ChoiceView",
    "StatusView",
    "status_view",
    "LINK_SALT",
    "_serializer",
    "link_token",
    "renew_link",
    "link_expiry",
    "registration_from_link",
    "NOTICE_KINDS",
    "status_label",
    "choice_label",
    "send_notice",
    "write_notice",
    "fill_vacancies",
    "change_choices",
    "cancel_registration",
    "RegistrationOutcome",
    "register_attendee",
    "approve_registration",
    "refuse_registration",
    "promote_registration",
    "promote_choice",
    "update_details",
    "save_settings",
    "add_question",
    "delete_question",
    "SessionCount",
    "session_counts",
    "status_counts",
    "search_registrations",
    "organisations",
    "waitlist_positions",
    "CSV_DELIMITER",
    "registrations_csv",
    "status_names",
    "organisation_type_names",
    "IMPORT_COLUMNS",
    "ImportRow",
    "ImportReport",
    "_import_row",
]
