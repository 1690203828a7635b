"""Progress of background jobs: a page per job, its JSON status, and the finished file."""

from eventsys.blueprints.jobs.views import bp

__all__ = ["bp"]
