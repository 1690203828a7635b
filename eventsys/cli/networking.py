"""Command-line commands of the speed-networking area (wired in by eventsys.cli.init_app via register_commands).

    flask --app eventsys rotations solve INSTANCE.json [--seed N] [--time-limit S] [--indent N]

prints the plan of a rotation instance as JSON (format: shared/formats/rotation.md) on standard
output; warnings go to standard error. Bad input exits with status 1 and a message naming the
problem (unreadable file, not JSON, not an instance, duplicate ids, unknown id in `played`, ...).
"""

from __future__ import annotations

import json
import sys

import click
from flask import Flask

from eventsys.planner import RotationInputError, plan_rotation


def register_commands(app: Flask) -> None:
    """Add the `rotations` command group to the app's CLI."""
    app.cli.add_command(rotations)


@click.group("rotations")
def rotations() -> None:
    """Plan speed-networking rotations from JSON instances."""


def _read(path: str) -> str:
    """The file's text (standard input for "-"), or a ClickException saying why it cannot be read."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except OSError as error:
        raise click.ClickException(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{path} is not UTF-8 text, so it cannot be a JSON instance"
        ) from None


@rotations.command("solve")
@click.argument(
    "instance_file", metavar="INSTANCE.json", type=click.Path(dir_okay=False, allow_dash=True)
)
@click.option(
    "--seed", type=int, default=None, help="Override the instance's seed (same seed, same plan)."
)
@click.option(
    "--time-limit",
    "time_limit",
    type=float,
    default=None,
    help="Override 'time_limit_s' (seconds).",
)
@click.option("--indent", type=click.IntRange(0, 8), default=None, help="Pretty-print the JSON.")
def solve(
    instance_file: str, seed: int | None, time_limit: float | None, indent: int | None
) -> None:
    """Print the plan of INSTANCE.json (use - to read standard input)."""
    text = _read(instance_file)
    try:
        instance = json.loads(text)
    except json.JSONDecodeError as error:
        raise click.ClickException(
            f"{instance_file} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg})"
        ) from None
    except RecursionError:
        raise click.ClickException(
            f"{instance_file} is nested too deeply to be a rotation instance"
        ) from None
    if not isinstance(instance, dict):
        kind = {
            list: "an array",
            str: "a string",
            int: "a number",
            float: "a number",
            bool: "a boolean",
        }.get(type(instance), "null")
        raise click.ClickException(
            f"{instance_file} is not a rotation instance: it holds {kind}, not an object with "
            "'participants' and 'rounds'"
        )
    if seed is not None:
        instance["seed"] = seed
    if time_limit is not None:
        instance["time_limit_s"] = time_limit
    try:
        plan = plan_rotation(instance)
    except RotationInputError as error:
        raise click.ClickException(
            f"{instance_file} is not a valid rotation instance ({error.code}): {error}"
        ) from None
    for warning in plan.get("warnings", []):
        click.echo(f"warning: {warning}", err=True)
    click.echo(json.dumps(plan, ensure_ascii=False, indent=indent))
