"""The network's directory: members' profiles (from private links), coordinators' search and
export, organisers' translation requests and volunteers' side-by-side translation."""

from eventsys.blueprints.directory import coordinator, member, organiser  # noqa: F401 - routes
from eventsys.blueprints.directory.common import bp

__all__ = ["bp"]
