"""Every user-visible string is marked, extracted and translated; placeholders survive translation."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _extracted(tmp_path: Path) -> set[str]:
    pot = tmp_path / "fresh.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "_n:1,2", "-k", "lazy_ngettext:1,2", "-k", "pgettext:1c,2",
         "-k", "lazy_pgettext:1c,2", "-o", str(pot), "."],
        cwd=ROOT, check=True,
    )  # fmt: skip
    with open(pot, "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_catalogues_cover_every_marked_string(tmp_path):
    extracted = _extracted(tmp_path)
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog("en") if m.id}
    assert extracted - english == set(), "run scripts/i18n.py and translate the new strings"


def test_english_is_complete_and_placeholders_match():
    problems = []
    for message in _catalog("en"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        if len(ids) == 1:
            wanted = sorted(PLACEHOLDER.findall(ids[0]))
            if sorted(PLACEHOLDER.findall(strings[0])) != wanted:
                problems.append(f"placeholders differ: {ids[0]!r} -> {strings[0]!r}")
            continue
        # Plural forms may drop the number in the singular, but never invent a placeholder.
        allowed = set(PLACEHOLDER.findall(ids[0])) | set(PLACEHOLDER.findall(ids[1]))
        for text in strings:
            if not set(PLACEHOLDER.findall(text)) <= allowed:
                problems.append(f"placeholders differ: {ids[0]!r} -> {text!r}")
    assert problems == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_compiled_catalogue_is_used(client, lang):
    response = client.get(f"/auth/login?lang={lang}")
    expected = {"en": "Password", "fr": "Mot de passe"}[lang]
    assert expected in response.get_data(as_text=True)
