"""Command-line commands: `flask --app eventsys <command>`. Bodies call services and commit once."""

from __future__ import annotations

import click
from flask import Flask

from eventsys.extensions import db


def init_app(app: Flask) -> None:
    """Register every command on the app."""
    app.cli.add_command(create_admin)
    app.cli.add_command(grant_organiser)
    app.cli.add_command(api_token)
    app.cli.add_command(demo)
    app.cli.add_command(worker)
    app.cli.add_command(jobs_group)
    from eventsys import checkin_cli, networking_cli, registration_cli

    for area in (registration_cli, checkin_cli, networking_cli):
        area.register_commands(app)


@click.command("create-admin")
@click.argument("email")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, help="Password (asked when omitted).")
@click.option("--name", default="", help="Display name.")
def create_admin(email: str, password: str, name: str) -> None:
    """Create the first administrator account (or make an existing account administrator)."""
    from eventsys.security import create_user, find_user, set_password

    if len(password) < 8:
        raise click.BadParameter("the password needs at least 8 characters", param_hint="--password")
    user = find_user(email)
    if user is None:
        user = create_user(email, password, name=name, is_admin=True)
        click.echo(f"Administrator {user.email} created.")
    else:
        user.is_admin = True
        set_password(user, password)  # its sessions on other devices end
        click.echo(f"{user.email} is now an administrator; password updated.")
    db.session.commit()


@click.command("grant-organiser")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Withdraw the role instead.")
def grant_organiser(email: str, revoke: bool) -> None:
    """Let an account create events (platform organiser), or withdraw that right with --revoke.

    Events it already organises stay its own either way; administrators always may."""
    from eventsys.models.people import PLATFORM_ORGANISER
    from eventsys.security import find_user, set_platform_role

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    set_platform_role(user, None if revoke else PLATFORM_ORGANISER)
    db.session.commit()
    if revoke:
        click.echo(f"{user.email} may no longer create events.")
    else:
        click.echo(f"{user.email} may now create events.")


@click.command("api-token")
@click.argument("email")
@click.option("--name", default="cli", help="A label to recognise the token by.")
@click.option("--revoke", "revoke_prefix", default=None, help="Revoke the token starting with this prefix instead.")
def api_token(email: str, name: str, revoke_prefix: str | None) -> None:
    """Issue (or revoke) an API token for an account; the token is printed once."""
    from sqlalchemy import select

    from eventsys.models import ApiToken
    from eventsys.security import find_user, issue_api_token, revoke_api_token

    user = find_user(email)
    if user is None:
        raise click.ClickException(f"no account with the e-mail {email}")
    if revoke_prefix:
        token = db.session.scalar(
            select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.prefix == revoke_prefix[:12])
        )
        if token is None:
            raise click.ClickException("no token with that prefix for this account")
        revoke_api_token(token)
        db.session.commit()
        click.echo(f"Token {token.prefix}… revoked.")
        return
    _, raw = issue_api_token(user, name=name)
    db.session.commit()
    click.echo(raw)


@click.command("demo")
def demo() -> None:
    """Load the demo events (idempotent): Z26IN 001 and RNIT 26."""
    from eventsys.services.demo import load_demo

    summary = load_demo()
    db.session.commit()
    click.echo(summary)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty (scripts, tests).")
@click.option("--simple", is_flag=True, help="Run jobs in this process instead of a forked child.")
def worker(burst: bool, simple: bool) -> None:
    """Run background jobs from Redis (EVENTSYS_REDIS_URL): bulk PDFs, e-mail. Start one or more."""
    from flask import current_app
    from rq import SimpleWorker, Worker

    from eventsys import jobs

    app = current_app._get_current_object()
    connection = jobs.redis_client(app)
    if connection is None:
        raise click.ClickException(
            "EVENTSYS_REDIS_URL is not set: without Redis, jobs run inside the web process."
        )
    jobs.set_worker_app(app)
    requeued = jobs.recover_stale(app)  # jobs left "running" by a worker that died
    if requeued:
        click.echo(f"{len(requeued)} stale job(s) recovered.")
    db.session.remove()
    db.engine.dispose()  # forked work horses must not share the parent's database connections
    worker_class = SimpleWorker if simple else Worker
    rq_worker = worker_class([app.config["JOBS_QUEUE"]], connection=connection)
    # The scheduler runs retries that wait (RQ Retry intervals) and the outbox's next retry.
    rq_worker.work(burst=burst, with_scheduler=True)


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs: housekeeping."""


@jobs_group.command("purge")
@click.option("--days", type=click.IntRange(min=0), default=None,
              help="Keep files of jobs finished less than this many days ago (default: EVENTSYS_JOB_RESULT_DAYS).")  # fmt: skip
def purge_jobs(days: int | None) -> None:
    """Delete the files of finished jobs older than the retention (run it daily)."""
    from eventsys import jobs

    count = jobs.purge_old_results(days=days)
    db.session.commit()
    click.echo(f"{count} job file(s) deleted.")
