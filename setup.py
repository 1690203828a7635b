"""Build hook (the rest of the metadata is in pyproject.toml).

Every build of the package (`pip install .`, `python -m build`, a wheel) compiles the
translation catalogues translations/<lang>/LC_MESSAGES/messages.po into .mo files and puts them,
with the database migrations, inside the package (eventsys/translations, eventsys/migrations),
where eventsys.config looks first: an installed eventsys speaks its five languages and can run
`flask --app eventsys db upgrade` without the source tree. An editable install
(`pip install -e .`) compiles the catalogues in place instead.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent


def compile_catalogues(source: Path, target: Path) -> list[Path]:
    """Every source/<lang>/LC_MESSAGES/*.po compiled to target/<lang>/LC_MESSAGES/*.mo."""
    written = []
    for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=po.parts[-3])
        errors = [(message.id, problem) for message, problems in catalogue.check() for problem in problems]
        if errors:
            raise SystemExit(f"{po}: {errors[0][1]} (message {errors[0][0]!r})")
        mo = target / po.relative_to(source).with_suffix(".mo")
        mo.parent.mkdir(parents=True, exist_ok=True)
        with mo.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=True)
        written.append(mo)
    if not written:
        raise SystemExit(f"no translation catalogue found under {source}")
    return written


class BuildPy(build_py):
    """build_py, plus the compiled catalogues and the migrations as package data."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            compile_catalogues(ROOT / "translations", ROOT / "translations")
            return
        package = Path(self.build_lib) / "eventsys"
        compile_catalogues(ROOT / "translations", package / "translations")
        shutil.copytree(ROOT / "migrations", package / "migrations", dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildPy})
