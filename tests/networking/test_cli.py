"""`flask --app eventsys rotations solve INSTANCE.json`: the plan on standard output, a clear message
and a non-zero exit on bad input."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventsys.cli.networking import register_commands, solve


@pytest.fixture
def cli(app):
    register_commands(app)
    return app.test_cli_runner()


def _write(tmp_path: Path, content, name: str = "instance.json") -> str:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def _repeats(plan) -> int:
    meetings = Counter()
    for rnd in plan["rounds"]:
        for g in rnd:
            for pair in itertools.combinations(sorted(g["members"]), 2):
                meetings[pair] += 1
    return sum(m - 1 for m in meetings.values() if m > 1)


def test_solve_prints_the_plan(cli, tmp_path):
    path = _write(tmp_path, {"participants": 15, "rounds": 7, "group_size": 3, "time_limit_s": 5})
    result = cli.invoke(args=["rotations", "solve", path])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    assert len(plan["rounds"]) == 7
    assert all(
        sorted(m for g in rnd for m in g["members"]) == list(range(1, 16)) for rnd in plan["rounds"]
    )
    assert _repeats(plan) == plan["metrics"]["repeat_encounters"] == 0  # Kirkman's schoolgirls
    assert plan["metrics"]["lower_bound_repeat_encounters"] == 0


def test_same_seed_same_plan_and_stdin(tmp_path):
    instance = {"participants": 12, "rounds": 3, "group_size": 4, "time_limit_s": 2}
    path = _write(tmp_path, instance)
    runner = CliRunner()
    first = runner.invoke(solve, [path, "--seed", "7"])
    again = runner.invoke(solve, ["-", "--seed", "7"], input=json.dumps(instance))
    assert first.exit_code == again.exit_code == 0
    assert json.loads(first.output)["rounds"] == json.loads(again.output)["rounds"]


def test_more_rounds_than_stations_warns_and_minimises_revisits(tmp_path):
    stations = [{"id": f"t{i}"} for i in range(1, 4)]
    path = _write(
        tmp_path, {"participants": 9, "rounds": 4, "stations": stations, "time_limit_s": 2}
    )
    result = CliRunner().invoke(solve, [path])
    assert result.exit_code == 0
    assert "warning: 4 rounds but only 3 stations" in result.stderr
    plan = json.loads(result.stdout)
    assert (
        plan["metrics"]["station_revisits"] == plan["metrics"]["lower_bound_station_revisits"] == 9
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("{not json", "is not valid JSON (line 1, column 2"),
        ("[1, 2, 3]", "is not a rotation instance: it holds an array"),
        ('"hello"', "is not a rotation instance: it holds a string"),
        ({"rounds": 3, "group_size": 2}, "(missing_participants): The instance has no 'participants'."),
        ({"participants": [{"id": 1}, {"id": 2}, {"id": 1}], "rounds": 2, "group_size": 2},
         "(duplicate_id): Participant id 1 appears more than once."),
        ({"participants": 4, "rounds": 2, "group_size": 2, "played": [[{"members": [1, 9]}, {"members": [2, 3]}]]},
         "(unknown_played_id): Played round 1 lists participant 9, who is not among the participants."),
        ({"participants": 4, "rounds": -1, "group_size": 2}, "(bad_rounds): 'rounds' must be a positive integer"),
        ({"participants": 3, "rounds": 2, "stations": [{"id": "a"}, {"id": "b"}, {"id": "c"}, {"id": "d"}]},
         "(not_enough_participants): Round 1 has 3 participants for 4 stations"),
        ({"participants": 4, "rounds": 2, "group_size": 2, "time_limit_s": -3}, "(bad_time_limit)"),
    ],
)  # fmt: skip
def test_bad_input_exits_non_zero_with_a_message(tmp_path, content, expected):
    path = _write(tmp_path, content)
    result = CliRunner().invoke(solve, [path])
    assert result.exit_code == 1
    assert expected in result.output
    assert result.output.startswith("Error: ")
    assert "Traceback" not in result.output


def test_unreadable_or_missing_file(tmp_path):
    result = CliRunner().invoke(solve, [str(tmp_path / "nowhere.json")])
    assert result.exit_code == 1
    assert "cannot read" in result.output
    assert "nowhere.json" in result.output
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    result = CliRunner().invoke(solve, [str(binary)])
    assert result.exit_code == 1
    assert "is not UTF-8 text" in result.output


def test_command_is_registered_on_the_app(app):
    register_commands(app)
    assert "rotations" in app.cli.commands
    assert "solve" in app.cli.commands["rotations"].commands
