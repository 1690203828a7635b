#!/usr/bin/env python3
"""Keep the catalogues in step with the code: extract messages.pot, update every language, and
list what is left untranslated.

    .venv/bin/python scripts/i18n.py            # extract + update + report
    .venv/bin/python scripts/i18n.py --check    # report only; exit 1 when anything is missing

The languages are those of the application (eventsys.config.Config.LANGUAGES); a language without
a catalogue yet gets one created from messages.pot (`pybabel init`), to be filled by translators.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from eventsys.config import Config  # noqa: E402 - the repository root must be importable first

TRANSLATIONS = ROOT / "translations"
POT = TRANSLATIONS / "messages.pot"
LANGUAGES = tuple(Config.LANGUAGES)
PYBABEL = str(Path(sys.executable).parent / "pybabel")


def extract() -> None:
    subprocess.run(
        [PYBABEL, "extract", "-F", "babel.cfg", "-k", "_l", "-k", "lazy_gettext", "-k", "_n:1,2",
         "-k", "lazy_ngettext:1,2", "-k", "pgettext:1c,2", "-k", "lazy_pgettext:1c,2",
         "--no-location", "--sort-output", "--width", "100", "--project", "eventsys", "-o", str(POT), "."],
        cwd=ROOT, check=True,
    )  # fmt: skip
    for lang in LANGUAGES:
        po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
        command = "update" if po.exists() else "init"
        subprocess.run(
            [PYBABEL, command, "-i", str(POT), "-d", str(TRANSLATIONS), "-l", lang, "--width", "100"]
            + (["--no-fuzzy-matching", "--ignore-obsolete"] if command == "update" else []),
            cwd=ROOT, check=True,
        )  # fmt: skip


def missing(lang: str) -> list[str]:
    """msgids without a (non-fuzzy) translation; French is the source language, so it is complete."""
    if lang == "fr":
        return []
    po = TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return [f"(no catalogue: translations/{lang}/LC_MESSAGES/messages.po)"]
    with open(po, "rb") as handle:
        catalog = read_po(handle)
    out = []
    for message in catalog:
        if not message.id:
            continue
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            out.append(message.id if isinstance(message.id, str) else message.id[0])
    return out


def main() -> int:
    if "--check" not in sys.argv:
        extract()
    status = 0
    for lang in LANGUAGES:
        left = missing(lang)
        print(f"{lang}: {len(left)} missing")
        for msgid in left[:50]:
            print("   ", msgid)
        status |= bool(left)
    return status


if __name__ == "__main__":
    sys.exit(main())
