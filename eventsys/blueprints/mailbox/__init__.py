"""The demo mailbox under /manage/mailbox (development and demo mode only)."""

from eventsys.blueprints.mailbox.views import bp

__all__ = ["bp"]
