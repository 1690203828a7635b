"""dev.py, the newcomer's entry point: the demo's port, and Ctrl-C stopping a parallel test run."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("dev_script", ROOT / "dev.py")
dev = importlib.util.module_from_spec(spec)
spec.loader.exec_module(dev)


def _dev(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "dev.py"), *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env={**os.environ, "PORT": ""})


def test_demo_says_the_port_is_taken_before_doing_anything():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        started = time.monotonic()
        result = _dev("demo", "--port", str(port))
    assert result.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in result.stderr
    assert f"python3 dev.py demo --port {port + 1}" in result.stderr
    # nothing was installed, migrated or served first
    assert "Installing" not in result.stdout + result.stderr
    assert "eventsys demo:" not in result.stdout
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("value", ["abc", "0", "70000", ""])
def test_demo_refuses_a_port_that_is_not_one(value):
    result = _dev("demo", f"--port={value}")
    assert result.returncode != 0
    assert "--port needs a number between 1 and 65535" in result.stderr
    assert "Installing" not in result.stdout


def test_port_option_forms():
    assert dev.port_from(["--port", "8080", "--debug"]) == (8080, ["--debug"])
    assert dev.port_from(["--port=5001"]) == (5001, [])


@pytest.mark.parametrize(
    ("args", "given"),
    [
        ([], False),
        (["-p", "no:cacheprovider", "-k", "clash"], False),
        (["-n", "0"], True),
        (["-n2"], True),
        (["--numprocesses=3"], True),
        (["-p", "no:xdist"], True),
        (["--pdb"], True),
    ],
)
def test_parallel_unless_told_otherwise(args, given):
    assert dev.workers_requested(args) is given


INNER_TESTS = '''
import os, subprocess, sys, time
from pathlib import Path

import pytest

MARKS = Path(os.environ["DEV_TEST_MARKS"])


@pytest.fixture
def server():
    # a server-like child of the worker, stopped by the fixture's teardown
    process = subprocess.Popen(["sleep", "300"])
    (MARKS / f"pid-{process.pid}").touch()
    yield process
    process.terminate()


@pytest.mark.parametrize("n", range(4))
def test_long(n, server):
    if n == 0:
        # like a browser: in a session of its own, out of the test run's process group
        lone = subprocess.Popen(["sleep", "300"], start_new_session=True)
        (MARKS / f"pid-{lone.pid}").touch()
    (MARKS / f"running-{os.getpid()}-{n}").touch()
    time.sleep(300)
'''


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir() or not hasattr(os, "killpg"), reason="needs Linux /proc")
def test_ctrl_c_stops_a_parallel_run_at_once_and_leaves_nothing_behind(tmp_path):
    (tmp_path / "inner").mkdir()
    (tmp_path / "inner" / "test_inner.py").write_text(INNER_TESTS)
    marks = tmp_path / "marks"
    marks.mkdir()
    driver = textwrap.dedent(f"""
        import importlib.util, sys
        spec = importlib.util.spec_from_file_location("dev_script", {str(ROOT / "dev.py")!r})
        dev = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(dev)
        sys.exit(dev.run_interruptible([sys.executable, "-m", "pytest", "-q", "-n", "2", "-p", "no:cacheprovider",
                                        {str(tmp_path / "inner")!r}]))
    """)
    process = subprocess.Popen([sys.executable, "-c", driver], env={**os.environ, "DEV_TEST_MARKS": str(marks)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 120
        while len(list(marks.glob("running-*"))) < 2:  # both workers are in a test
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "the inner tests never started"
            time.sleep(0.2)
        time.sleep(0.5)
        workers = {int(p.name.split("-")[1]) for p in marks.glob("running-*")}
        children = {int(p.name.split("-")[1]) for p in marks.glob("pid-*")}
        assert len(children) >= 3
        assert all(_alive(pid) for pid in workers | children)
        process.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal does to dev.py
        started = time.monotonic()
        output, _ = process.communicate(timeout=30)
        stopped_after = time.monotonic() - started
    finally:
        if process.poll() is None:
            process.kill()
    assert stopped_after < dev.STOP_GRACE_S + 3, output
    assert process.returncode == 130, output
    assert "Stopping the tests" in output
    time.sleep(0.3)
    assert [pid for pid in workers | children if _alive(pid)] == []
