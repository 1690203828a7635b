"""Blueprint registry: an explicit list, in the order routes should be matched."""

from flask import Flask

from eventsys.services.mailbox import enabled as mailbox_enabled


def register_blueprints(app: Flask) -> None:
    """Attach every blueprint of the application."""
    from eventsys.blueprints import (
        api,
        auth,
        checkin,
        delegations,
        directory,
        exports,
        jobs,
        mailbox,
        manage,
        networking,
        public,
        registration,
    )

    app.register_blueprint(public.bp)
    app.register_blueprint(auth.bp)
    app.register_blueprint(manage.bp)
    app.register_blueprint(registration.bp)
    app.register_blueprint(exports.bp)
    app.register_blueprint(checkin.bp)
    app.register_blueprint(networking.bp)
    app.register_blueprint(delegations.bp)
    app.register_blueprint(jobs.bp)
    app.register_blueprint(directory.bp)
    if mailbox_enabled(app):  # development and demo only: absent in production
        app.register_blueprint(mailbox.bp)
    api.init_app(app)
