"""Every user-visible string is marked, extracted and translated; placeholders survive translation.

The catalogues checked are every configured language (eventsys.config.Config.LANGUAGES): a
language without its catalogue fails here, by name, until its messages.po is merged.
"""

from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileParser, read_po
from jinja2 import Environment

from eventsys.config import Config
from eventsys.services import errors as domain_errors

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
TRANSLATED = [lang for lang in Config.LANGUAGES if lang != "fr"]  # French is the source language


def _po(lang: str) -> Path:
    return TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po"


def _catalog(lang: str):
    if not _po(lang).exists():
        pytest.fail(
            f"no catalogue for {lang!r}: {_po(lang).relative_to(ROOT)} is missing "
            f"(the language is in LANGUAGES; run scripts/i18n.py and translate it)"
        )
    with open(_po(lang), "rb") as handle:
        return read_po(handle, locale=lang)


def _key(message) -> str:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    return f"{message.context}\x04{msgid}" if message.context else msgid


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> set[str]:
    pot = tmp_path_factory.mktemp("pot") / "fresh.pot"
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "extract", "-F", "babel.cfg", "-k", "_l",
         "-k", "lazy_gettext", "-k", "_n:1,2", "-k", "lazy_ngettext:1,2", "-k", "pgettext:1c,2",
         "-k", "lazy_pgettext:1c,2", "-o", str(pot), "."],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip
    with open(pot, "rb") as handle:
        return {_key(m) for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_covers_every_marked_string(extracted, lang):
    known = {_key(m) for m in _catalog(lang) if m.id}
    missing = sorted(extracted - known)
    assert missing == [], f"{lang}: run scripts/i18n.py and translate {len(missing)} new strings"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_catalogue_is_complete_and_placeholders_match(lang):
    problems = []
    for message in _catalog(lang):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple | list) else (message.id,)
        strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
        if message.fuzzy or not all(strings):
            problems.append(f"{'fuzzy' if message.fuzzy else 'untranslated'}: {ids[0]!r}")
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
    assert problems == [], f"{lang}: {len(problems)} problems"


def test_every_catalogue_on_disk_is_a_configured_language():
    on_disk = {p.parent.parent.name for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")}
    assert on_disk - set(Config.LANGUAGES) == set(), "a catalogue nobody can choose"


@pytest.mark.parametrize("lang", Config.LANGUAGES)
def test_compiled_catalogue_is_used(client, lang):
    wanted = "Mot de passe"
    if lang != "fr":
        message = _catalog(lang).get("Mot de passe")
        assert message is not None, f"{lang}: 'Mot de passe' missing"
        assert message.string, f"{lang}: 'Mot de passe' untranslated"
        wanted = message.string
    response = client.get(f"/auth/login?lang={lang}")
    html = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert wanted in html, f"{lang}: is translations/{lang}/LC_MESSAGES/messages.mo compiled?"


# ----------------------------------------------------------------- strings left unmarked

TEMPLATES = sorted(
    [*ROOT.glob("eventsys/templates/**/*.html"), *ROOT.glob("eventsys/blueprints/*/templates/**/*.html"),
     *ROOT.glob("eventsys/templates/**/*.txt"), *ROOT.glob("eventsys/blueprints/*/templates/**/*.txt")]
)  # fmt: skip
# Text that is the same in every language: the product name, identifiers and file formats.
ALLOWED_TEXT = {
    "eventsys", "· eventsys", "(PDF)",
    "(id",  # the row identifier of an imported file, as the file names it
    # Column names the importer reads, printed as the organiser must type them.
    "day", "start", "end", "room", "title", "type", "track", "speakers", "description",
    "jour, date", "début, heure", "fin", "salle, lieu", "titre, intitulé", "type, format",
    "thème, parcours", "intervenants", "résumé", "id", "language", "links", "identifiant, ref", "langue",
    "liens, url",
}  # fmt: skip
VISIBLE_ATTRIBUTES = re.compile(
    r'\b(aria-label|aria-description|aria-roledescription|title|alt|placeholder|data-confirm)\s*=\s*"([^"]*)"'
)
MARKUP = re.compile(r"<!--.*?-->|<(code|kbd|samp)\b.*?</\1>|<[^>]*>", re.S)
WORD = re.compile(r"[^\W\d_]{2,}")
HOLE = "\x00"  # where a {{ … }} or {% … %} stood: its output is checked where it comes from


def _unmarked(path: Path) -> list[str]:
    """Visible text in a template that is neither {{ _() }} output nor inside {% trans %}."""
    source = path.read_text(encoding="utf-8")
    text, depth, tag, hidden = [], 0, None, 0
    for _line, token, value in Environment(extensions=["jinja2.ext.i18n"]).lex(source):
        if token == "block_begin":
            tag = ""
            continue
        if tag == "" and token == "name":
            tag = value
            depth += {"trans": 1, "endtrans": -1}.get(value, 0)
            # {% block body_class %}…{% endblock %} fills an attribute, not the page.
            if value == "block":
                hidden = -1
            elif value == "endblock":
                hidden = 0
            continue
        if hidden == -1 and token == "name":
            hidden = 1 if value.endswith("class") else 0
        if token == "block_end":
            tag = None
        if token == "data" and not depth and hidden != 1:
            text.append(value)
        elif token in ("variable_begin", "block_begin", "block_end"):
            text.append(HOLE)
    joined = "".join(text)
    found = [
        f"{name}={value!r}"
        for name, value in VISIBLE_ATTRIBUTES.findall(joined)
        if WORD.search(value.replace(HOLE, " "))
    ]
    body = re.sub(r"&#?\w+;", " ", MARKUP.sub(HOLE, joined))
    for chunk in body.split(HOLE):
        chunk = " ".join(chunk.split())
        if WORD.search(chunk) and chunk not in ALLOWED_TEXT:
            found.append(chunk[:80])
    return found


def test_templates_have_no_unmarked_text():
    assert TEMPLATES, "no template found"
    problems = {str(p.relative_to(ROOT)): found for p in TEMPLATES if (found := _unmarked(p))}
    assert problems == {}, "wrap these in {{ _() }} or {% trans %}"


def test_the_extractor_reads_every_template():
    """A template babel.cfg does not name is never extracted: its marked strings stay French in
    every language (the plain-text e-mail was, once)."""
    from configparser import ConfigParser

    from babel.util import pathmatch

    config = ConfigParser()
    config.read(ROOT / "babel.cfg", encoding="utf-8")
    patterns = [section.split(":", 1)[1].strip() for section in config.sections() if ":" in section]
    unread = [
        str(path.relative_to(ROOT))
        for path in TEMPLATES
        if not any(pathmatch(pattern, path.relative_to(ROOT).as_posix()) for pattern in patterns)
    ]
    assert unread == []


def test_the_template_check_finds_unmarked_text(tmp_path):
    sample = tmp_path / "sample.html"
    sample.write_text(
        '<p>{{ _("Bonjour") }}</p><p title="Infobulle">Texte oublié</p>'
        "{% trans %}Texte marqué{% endtrans %}<code>day</code> · {{ n }} →",
        encoding="utf-8",
    )
    assert _unmarked(sample) == ["title='Infobulle'", "Texte oublié"]


# Calls whose literal text argument reaches people: it must go through _()/_l().
USER_FACING_CALLS = {"flash", "ValidationError", "StopValidation", "error_response"}
DOMAIN_ERRORS = {
    name
    for name, cls in inspect.getmembers(domain_errors, inspect.isclass)
    if issubclass(cls, Exception)
}


def _literal(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(WORD.search(node.value))
    )


def test_python_passes_no_literal_text_to_people():
    problems = []
    for path in sorted((ROOT / "eventsys").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            if name == "error_response":
                texts = [k.value for k in node.keywords if k.arg == "message"] + node.args[2:3]
            elif name in USER_FACING_CALLS or name in DOMAIN_ERRORS:
                texts = node.args[:1]
            elif name.endswith("Field"):  # form fields: label and description
                texts = node.args[:1] + [
                    k.value for k in node.keywords if k.arg in ("label", "description")
                ]
            else:
                continue
            problems += [
                f"{path.relative_to(ROOT)}:{node.lineno} {ast.unparse(t)[:60]}"
                for t in texts
                if _literal(t)
            ]
    assert problems == []


class _CountingParser(PoFileParser):
    """Babel's parser, remembering every (context, msgid) it reads: the catalogue keeps only one."""

    def __init__(self, catalog: Catalog) -> None:
        super().__init__(catalog, abort_invalid=True)
        self.keys: list[tuple[str | None, str]] = []

    def _add_message(self) -> None:
        first = self.messages[0].denormalize()
        self.keys.append((self.context.denormalize() if self.context else None, first))
        super()._add_message()


@pytest.mark.parametrize("path", sorted(TRANSLATIONS.glob("**/*.po*")), ids=lambda p: p.parent.parent.name if p.suffix == ".po" else p.name)
def test_catalogue_file_is_well_formed_without_duplicates(path):
    """Merges of concurrent changes once left an entry without its msgstr (pybabel only warned,
    and the entry was lost) or the same msgid twice (the second silently won)."""
    parser = _CountingParser(Catalog())
    with open(path, "rb") as handle:
        parser.parse(handle)  # raises PoFileError on a malformed entry
    seen: set[tuple[str | None, str]] = set()
    duplicates = [key for key in parser.keys if key in seen or seen.add(key)]
    assert duplicates == [], f"{path.name}: {len(duplicates)} msgids twice, e.g. {duplicates[:3]}"
