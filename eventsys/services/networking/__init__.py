"""Speed-networking in the application: activities, stations, participants, plans, itineraries.

DB-aware: flushes, never commits. The rotation itself comes from the pure planner
(the `eventsys.planner` package); this package builds the planner's instance from the database (participants
→ ids, organisations, ranked themes mapped onto station themes, absences), stores its output, and
turns a stored plan back into what people read: the round × station matrix, the quality figures in
words, each participant's itinerary, each facilitator's roster and the projector's rounds.

Planner ids are `NetworkingParticipant.id` and `Station.id`. Participant rows named by a stored plan
are never deleted (only marked absent), so the rounds already played can always be handed back to
the planner unchanged.

limits.py: limits and text rules; activities.py: activities and stations, with their checks; participants.py: who takes part
(registered, walk-ins, attendance); planning.py: the planner's instance and planning; plans.py:
reading a stored plan (matrix, quality in words, itineraries).
"""

from eventsys.services.networking.activities import (
    activity_warnings,
    add_facilitator_stations,
    create_activity,
    delete_activity,
    delete_station,
    event_activities,
    networking_sessions,
    save_activity,
    save_station,
)
from eventsys.services.networking.limits import (
    DEFAULT_TIME_LIMIT_S,
    MAX_CAPACITY,
    MAX_CHANGEOVER_MINUTES,
    MAX_GROUP_SIZE,
    MAX_ROUND_MINUTES,
    MAX_ROUNDS,
    NAME_MAX,
    SESSION_TYPE,
)
from eventsys.services.networking.participants import (
    add_walk_in,
    pending_registrations,
    remove_participant,
    set_attendance,
    sync_participants,
)
from eventsys.services.networking.planning import (
    build_instance,
    plan_activity,
)
from eventsys.services.networking.plans import (
    Column,
    PersonView,
    PlanView,
    RoundView,
    Stop,
    describe_quality,
    participant_itinerary,
    plan_view,
    registration_itineraries,
)

__all__ = [
    "activity_warnings",
    "add_facilitator_stations",
    "add_walk_in",
    "build_instance",
    "Column",
    "create_activity",
    "DEFAULT_TIME_LIMIT_S",
    "delete_activity",
    "delete_station",
    "describe_quality",
    "event_activities",
    "MAX_CAPACITY",
    "MAX_CHANGEOVER_MINUTES",
    "MAX_GROUP_SIZE",
    "MAX_ROUND_MINUTES",
    "MAX_ROUNDS",
    "NAME_MAX",
    "networking_sessions",
    "participant_itinerary",
    "pending_registrations",
    "PersonView",
    "plan_activity",
    "plan_view",
    "PlanView",
    "registration_itineraries",
    "remove_participant",
    "RoundView",
    "save_activity",
    "save_station",
    "SESSION_TYPE",
    "set_attendance",
    "Stop",
    "sync_participants",
]
