"""Command-line commands of the registration area (wired in by eventsys.cli.init_app via register_commands)."""

from __future__ import annotations

import time

import click
from flask import Flask

from eventsys.extensions import db


def register_commands(app: Flask) -> None:
    """Add `send-mail`, `purge-registrations` and `check-counters` to the app's CLI."""
    app.cli.add_command(send_mail)
    app.cli.add_command(purge_registrations)
    app.cli.add_command(check_counters)


@click.command("send-mail")
@click.option("--loop", is_flag=True, help="Keep running: deliver, then wait --interval seconds, again.")
@click.option("--interval", default=30, show_default=True, help="Seconds between two runs with --loop.")
def send_mail(loop: bool, interval: int) -> None:
    """Deliver the e-mails waiting in the outbox (retries failed ones when their time has come)."""
    from eventsys.services.delivery import deliver_due
    from eventsys.services.mail import backend

    while True:
        report = deliver_due()
        click.echo(f"[{backend()}] {report}")
        for error in report.errors[:5]:
            click.echo(f"  {error}", err=True)
        if not loop:
            return
        time.sleep(interval)


@click.command("purge-registrations")
@click.option("--dry-run", is_flag=True, help="Count without deleting.")
def purge_registrations(dry_run: bool) -> None:
    """Delete registrations kept longer than their event's retention period."""
    from eventsys.services.personal_data import purge_expired

    removed = purge_expired()
    if dry_run:
        db.session.rollback()
        click.echo(f"{removed} registration(s) would be deleted.")
        return
    db.session.commit()
    click.echo(f"{removed} registration(s) deleted.")


@click.command("check-counters")
@click.option("--repair", is_flag=True, help="Set every counter from the rows.")
def check_counters(repair: bool) -> None:
    """Compare the places and seats counters with a count of the registrations (exit 1 if any
    differs and --repair was not given). The database's triggers keep them; a restore of data
    without its triggers, or a manual change with triggers disabled, is what could break them."""
    from eventsys.models import counters

    connection = db.session.connection()
    drift = counters.counter_drift(connection)
    for kind, key, name, stored, actual in drift:
        click.echo(f"{kind} {key}: {name} = {stored}, rows say {actual}")
    if drift and repair:
        counters.recount(connection)
        db.session.commit()
        click.echo(f"{len(drift)} counter(s) repaired.")
    elif drift:
        raise SystemExit(1)
    else:
        click.echo("Counters agree with the registrations.")
