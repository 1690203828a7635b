"""Labels people read for the stored codes of kinds, session types and speaker roles."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

EVENT_KIND_LABELS = {
    "training_day": _l("Journée d'actualité"),
    "conference": _l("Rencontres nationales / conférence"),
    "network_meeting": _l("Rencontre de réseau"),
}

SESSION_TYPE_LABELS = {
    "welcome": lazy_pgettext("type de session", "Accueil"),
    "opening": _l("Ouverture"),
    "talk": _l("Exposé"),
    "plenary": _l("Plénière"),
    "workshop": _l("Atelier"),
    "interaction": _l("Interaction"),
    "sharing": _l("Mise en partage"),
    "speed_networking": _l("Speed-networking"),
    "meal": _l("Repas"),
    "break": _l("Pause"),
    "closing": _l("Clôture"),
    "technical_visit": _l("Visite technique"),
    "other": _l("Autre"),
}

SPEAKER_ROLE_LABELS = {
    "speaker": _l("intervenant·e"),
    "moderator": _l("modérateur·rice"),
    "facilitator": _l("animateur·rice"),
    "chair": _l("président·e de séance"),
}
