"""Data model, one module per domain. Importing this package registers every table."""

# Area modules register their tables on import; their classes are imported from the module itself.
from eventsys.models import checkin as _checkin  # noqa: E402,F401
from eventsys.models import delegation as _delegation  # noqa: E402,F401
from eventsys.models import directory as _directory  # noqa: E402,F401
from eventsys.models import jobs as _jobs  # noqa: E402,F401
from eventsys.models import networking as _networking  # noqa: E402,F401
from eventsys.models import one_line as _one_line  # noqa: E402,F401
from eventsys.models import registration as _registration  # noqa: E402,F401
from eventsys.models.events import Event, Room, Speaker, Track
from eventsys.models.people import ApiToken, EventRole, User
from eventsys.models.programme import ProgrammeSession, SessionSpeaker

__all__ = [
    "ApiToken",
    "Event",
    "EventRole",
    "ProgrammeSession",
    "Room",
    "SessionSpeaker",
    "Speaker",
    "Track",
    "User",
]
