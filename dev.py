#!/usr/bin/env python3
"""Bootstrap for a fresh clone: `python3 dev.py demo` serves the demo, `python3 dev.py test` runs the suite.

Only the standard library is used here, so it runs before anything is installed. It creates
.venv, installs the project (and, for tests, the [dev] extra plus Chromium and poppler from
Debian when run as root), compiles the translation catalogues, then does the job.

    python3 dev.py demo [--port N] [flask run arguments]
    python3 dev.py test [--quick] [pytest arguments]
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
SYSTEM_PACKAGES = {
    "chromium": "/usr/bin/chromium",
    "poppler-utils": "/usr/bin/pdftoppm",
    # PDF font fallbacks (eventsys/render/fonts.py): scripts, CJK, emoji and symbols DejaVu lacks
    "fonts-noto-core": "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf",
    "fonts-droid-fallback": "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "fonts-symbola": "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
}
# The day-to-day subset: no browser, no production set-ups (servers, backups, faults), nothing marked slow.
QUICK = ["-m", "not browser and not slow", "--ignore=tests/browser", "--ignore=tests/production"]
STOP_GRACE_S = 5.0  # after Ctrl-C, how long pytest gets to tear down its fixtures before it is killed
USAGE = "usage: python3 dev.py demo [--port N] | test [--quick] [pytest arguments]"


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command, stopping with its exit code when it fails."""
    completed = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def ensure_venv(extra: str = "") -> None:
    """Create .venv and install the project into it (quietly, and only what changed)."""
    if sys.version_info < (3, 11):  # noqa: UP036 - this file runs under whatever python3 the machine has
        sys.exit("eventsys needs Python 3.11 or newer.")
    if not (BIN / "python").exists():
        print("Creating .venv …", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    # pip takes about ten seconds even when there is nothing to do: skip it while the project's
    # requirements (pyproject.toml) and the Python are those of the last install that succeeded
    stamp = VENV / "eventsys-installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + sys.version.encode()).hexdigest()
    done = stamp.read_text().split() if stamp.exists() else []
    if done[:1] == [wanted] and (extra or "-") in done[1:]:
        return
    target = f".{extra}" if extra else "."
    print(f"Installing eventsys{extra} into .venv …", flush=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)
    extras = {"-", extra or "-"} | (set(done[1:]) if done[:1] == [wanted] else set())
    stamp.write_text(" ".join([wanted, *sorted(extras)]) + "\n")


def compile_translations() -> None:
    """Turn translations/*/LC_MESSAGES/messages.po into .mo files (they are not committed)."""
    catalogues = list((ROOT / "translations").glob("*/LC_MESSAGES/messages.po"))
    if any(not po.with_suffix(".mo").exists() or po.with_suffix(".mo").stat().st_mtime < po.stat().st_mtime
           for po in catalogues):
        run(BIN / "pybabel", "compile", "--use-fuzzy", "-d", ROOT / "translations")


def ensure_system_packages() -> None:
    """Chromium (browser tests) and poppler (PDF checks) from Debian, when we may install them."""
    missing = [name for name, path in SYSTEM_PACKAGES.items() if not Path(path).exists()]
    if not missing:
        return
    if shutil.which("apt-get") and hasattr(os, "geteuid") and os.geteuid() == 0:
        print(f"Installing {', '.join(missing)} from Debian …", flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        run("apt-get", "update", "-qq", env=env)
        run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)
    else:
        print(
            f"Note: {', '.join(missing)} not installed and cannot be installed here (need root and apt-get); "
            "the tests that need them will be skipped.",
            flush=True,
        )


def secret_key() -> str:
    """A per-clone secret kept in the instance folder, so demo sessions survive restarts."""
    path = ROOT / "instance" / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def port_from(args: list[str]) -> tuple[int, list[str]]:
    """`--port N` or `--port=N` (default: $PORT, else 5000) and the arguments left for flask run."""
    port, rest = os.environ.get("PORT", "5000"), []
    it = iter(args)
    for arg in it:
        if arg == "--port":
            port = next(it, "")
        elif arg.startswith("--port="):
            port = arg.split("=", 1)[1]
        else:
            rest.append(arg)
    if not port.isdigit() or not 0 < int(port) < 65536:
        sys.exit(f"--port needs a number between 1 and 65535 (got {port!r}).\n{USAGE}")
    return int(port), rest


def check_port_free(port: int) -> None:
    """Stop before doing anything else when the port is taken, saying how to pick another."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
            reason = "is already in use" if exc.errno == errno.EADDRINUSE else "may not be used by this user"
            sys.exit(f"Port {port} on 127.0.0.1 {reason} (another demo or another program?).\n"
                     f"Choose another one: python3 dev.py demo --port {port + 1 if port < 65535 else 8000}")


def demo(args: list[str]) -> None:
    """Install, migrate, load the demo and serve it at http://127.0.0.1:<port> (5000 unless --port)."""
    port, flask_args = port_from(args)
    check_port_free(port)
    ensure_venv()
    compile_translations()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "EVENTSYS_SECRET_KEY": os.environ.get("EVENTSYS_SECRET_KEY") or secret_key(),
        # links in e-mails and calendars point at the address served here
        "EVENTSYS_BASE_URL": base_url,
        # the demo mailbox (/manage/mailbox) shows what was sent, as each person sees it
        "EVENTSYS_DEMO_MAILBOX": "true",
    }
    flask = [BIN / "flask", "--app", "eventsys"]
    run(*flask, "db", "upgrade", env=env)
    run(*flask, "demo", env=env)
    print(f"\neventsys demo: {base_url}/  (Ctrl+C to stop)\n"
          f"e-mails it sends: {base_url}/manage/mailbox (signed in as the organiser)\n", flush=True)
    os.execve(BIN / "flask", [str(BIN / "flask"), "--app", "eventsys", "run", "--host", "127.0.0.1",
                              "--port", str(port), *flask_args], env)


def descendants(root: int) -> set[tuple[int, str]]:
    """Every process below `root`, as (pid, start time) so a reused pid is never mistaken for it."""
    children: dict[int, list[tuple[int, str]]] = {}
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append((int(entry.name), fields[19]))
    found: set[tuple[int, str]] = set()
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child[0])
    return found


def kill_left_behind(processes: set[tuple[int, str]]) -> None:
    """SIGKILL those of `processes` still running (same pid and same start time)."""
    for pid, started in processes:
        try:
            if (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[19] == started:
                os.kill(pid, signal.SIGKILL)
        except (OSError, IndexError):
            continue


def run_interruptible(command: list[str | Path]) -> int:
    """Run `command` in its own process group; Ctrl-C (SIGINT/SIGTERM/SIGHUP) stops all of it at once.

    The group holds pytest, its xdist workers and whatever they started. On the first Ctrl-C the
    group gets SIGINT (pytest stops and tears its fixtures down: servers, browsers); after
    STOP_GRACE_S, or at a second Ctrl-C, the group and every process it started (also browsers
    that put themselves in a group of their own) get SIGKILL.
    """
    process = subprocess.Popen([str(c) for c in command], cwd=ROOT, stdin=subprocess.DEVNULL, process_group=0)
    stopping: list[int] = []
    started: set[tuple[int, str]] = set()

    def kill_everything() -> None:
        started.update(descendants(process.pid))
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
        kill_left_behind(started)

    def stop(signum, _frame) -> None:
        stopping.append(signum)
        started.update(descendants(process.pid))
        if len(stopping) == 1:
            print("\nStopping the tests …", file=sys.stderr, flush=True)
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGINT)
        else:
            kill_everything()

    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop)
    while True:
        try:
            process.wait(timeout=STOP_GRACE_S if stopping else 0.5)
            break
        except subprocess.TimeoutExpired:
            if stopping:
                kill_everything()
    if not stopping:
        return process.returncode
    kill_everything()  # what pytest started and left running (a browser, a server) goes with it
    print("Tests stopped.", file=sys.stderr, flush=True)
    return 128 + stopping[0]


def workers_requested(args: list[str]) -> bool:
    """Whether the pytest arguments already say how to run in parallel (or not at all)."""
    plugins = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-p"] + [
        a[2:] for a in args if a.startswith("-p") and a != "-p"]
    return "no:xdist" in plugins or any(
        a in ("-n", "--numprocesses", "--pdb", "--trace") or a.startswith(("-n", "--numprocesses=")) for a in args)


def test(args: list[str]) -> None:
    """Install what the tests need and run the suite in parallel (arguments go to pytest).

    --quick runs the day-to-day subset (no browser, production or slow tests). Unless told
    otherwise (-n, -p, --pdb), pytest-xdist runs one worker per CPU.
    """
    quick = "--quick" in args
    args = [a for a in args if a != "--quick"]
    ensure_venv("[dev]")
    ensure_system_packages()
    compile_translations()
    parallel = [] if workers_requested(args) else ["-n", str(len(os.sched_getaffinity(0)) if hasattr(
        os, "sched_getaffinity") else os.cpu_count() or 1)]
    command = [BIN / "python", "-m", "pytest", *parallel, *(QUICK if quick else []), *args]
    if "--pdb" in args or "--trace" in args:  # interactive: keep the terminal
        run(*command)
        return
    sys.exit(run_interruptible(command))


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit(USAGE)
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
