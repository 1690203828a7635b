"""Command-line commands for background jobs: the RQ worker and the housekeeping of job files."""

from __future__ import annotations

import click
from flask import Flask

from eventsys.extensions import db


def register_commands(app: Flask) -> None:
    """Add `worker` and the `jobs` group to the app's CLI."""
    app.cli.add_command(worker)
    app.cli.add_command(jobs_group)


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
