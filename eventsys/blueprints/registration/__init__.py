"""The registration area: public form, private links, organiser pages (one blueprint)."""

from eventsys.blueprints.registration import organiser as _organiser  # noqa: F401 - registers its routes
from eventsys.blueprints.registration import organiser_files as _files  # noqa: F401 - registers its routes
from eventsys.blueprints.registration import organiser_settings as _settings  # noqa: F401 - registers its routes
from eventsys.blueprints.registration.views import bp

__all__ = ["bp"]
