"""The command line: every command lives in eventsys/cli/ and the README shows how to run it."""

from __future__ import annotations

import re
from pathlib import Path

import click
from flask import Flask

from eventsys import cli

ROOT = Path(__file__).resolve().parents[1]


def command_lines() -> list[str]:
    """`name` for each command, `group sub` for each command of a group, as typed after --app."""
    app = Flask("commands")
    cli.init_app(app)
    found = []
    for name, command in sorted(app.cli.commands.items()):
        if isinstance(command, click.Group):
            found.extend(f"{name} {sub}" for sub in sorted(command.commands))
        else:
            found.append(name)
    return found


def test_every_command_is_in_the_readme():
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    lines = command_lines()
    assert {"create-admin", "staff-token", "jobs purge", "rotations solve"} <= set(lines)
    missing = [
        line for line in lines if not re.search(rf"(?<![\w-]){re.escape(line)}(?![\w-])", readme)
    ]
    assert not missing, "commands the README does not show: " + ", ".join(missing)


def test_no_blueprint_adds_commands():
    """Commands are wired in by eventsys.cli.init_app only, not by a blueprint of its own."""
    registering = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / "eventsys" / "blueprints").rglob("*.py")
        if re.search(r"\.cli\.(command|group|add_command)\b|cli_group\s*=|\bimport click\b",
                     path.read_text(encoding="utf-8"))
    )  # fmt: skip
    assert not registering, "move these commands to eventsys/cli/: " + ", ".join(registering)
