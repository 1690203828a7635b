#!/usr/bin/env python3
"""Bootstrap for a fresh clone: `python3 dev.py demo` serves the demo, `python3 dev.py test` runs the suite.

Only the standard library is used here, so it runs before anything is installed. It creates
.venv, installs the project (and, for tests, the [dev] extra plus Chromium and poppler from
Debian when run as root), compiles the translation catalogues, then does the job.
"""

from __future__ import annotations

import os
import secrets
import shutil
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
    target = f".{extra}" if extra else "."
    print(f"Installing eventsys{extra} into .venv …", flush=True)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", target)


def compile_translations() -> None:
    """Turn translations/*/LC_MESSAGES/messages.po into .mo files (they are not committed)."""
    if any((ROOT / "translations").glob("*/LC_MESSAGES/messages.po")):
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


def demo(args: list[str]) -> None:
    """Install, migrate, load the demo and serve it at http://127.0.0.1:5000."""
    ensure_venv()
    compile_translations()
    env = {**os.environ, "EVENTSYS_SECRET_KEY": os.environ.get("EVENTSYS_SECRET_KEY") or secret_key()}
    flask = [BIN / "flask", "--app", "eventsys"]
    run(*flask, "db", "upgrade", env=env)
    run(*flask, "demo", env=env)
    port = os.environ.get("PORT", "5000")
    print(f"\neventsys demo: http://127.0.0.1:{port}/  (Ctrl+C to stop)\n", flush=True)
    os.execve(BIN / "flask", [str(BIN / "flask"), "--app", "eventsys", "run", "--host", "127.0.0.1", "--port", port, *args], env)


def test(args: list[str]) -> None:
    """Install what the tests need and run the whole suite (arguments go to pytest)."""
    ensure_venv("[dev]")
    ensure_system_packages()
    compile_translations()
    run(BIN / "python", "-m", "pytest", *args)


def main() -> None:
    commands = {"demo": demo, "test": test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py demo | test [pytest arguments]")
    commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
