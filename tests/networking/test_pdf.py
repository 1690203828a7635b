"""The speed-networking print-outs are pure renderers: plain data in, PDF bytes out, no Flask."""

from __future__ import annotations

import ast
import io
from pathlib import Path

from pypdf import PdfReader

from eventsys.render.networking_pdf import (
    Roster,
    RosterRound,
    Slip,
    SlipStop,
    render_rosters,
    render_slips,
)

LABELS = {"round": "Tour", "time": "Horaires", "people": "Participant·es", "nobody": "Personne"}


def _read(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(p.extract_text() for p in reader.pages)


def test_renderers_do_not_import_flask():
    package = Path(__file__).resolve().parents[2] / "eventsys"
    render = package / "render"
    planner = sorted((package / "planner").glob("*.py"))
    for path in [render / "networking_pdf.py", render / "fonts.py", *planner]:
        name = path.name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        }
        imported |= {
            node.module
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        roots = {module.split(".")[0] for module in imported}
        assert not roots & {"flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy", "werkzeug"}, (
            name
        )
        # Inside the project, only other pure modules.
        assert {
            m for m in imported if m.startswith("eventsys") and not m.startswith("eventsys.planner")
        } <= {
            "eventsys.render.fonts",
            "eventsys.render.pdf_text",
            "eventsys.services.errors",
        }, name


def test_one_roster_page_per_station_with_every_name():
    rosters = [
        Roster(f"Table {n} — Thème {n}", f"Animée par Personne {n}", [
            RosterRound("Tour 1", "12:45–12:54", ["Éloïse Œuvray — Ville d'Ŷ", "Łukasz Ćwik"]),
            RosterRound("Tour 2", "12:55–13:04", []),
        ])
        for n in range(1, 4)
    ]  # fmt: skip
    data = render_rosters("Z26IN 001 · Journée", rosters, LABELS, title="Feuilles")
    assert data.startswith(b"%PDF")
    pages, text = _read(data)
    assert pages == 3
    assert "Éloïse Œuvray — Ville d'Ŷ" in text
    assert "Łukasz Ćwik" in text
    assert "Animée par Personne 2" in text
    assert "Personne" in text


def test_long_rosters_continue_on_a_second_page():
    people = [f"Personne numéro {i}" for i in range(90)]
    data = render_rosters(
        "En-tête", [Roster("Table 1", "", [RosterRound("Tour 1", "12:45", people)])], LABELS
    )
    pages, text = _read(data)
    assert pages == 2
    assert "Personne numéro 89" in text


def test_slips_four_per_page_and_long_itineraries_still_fit():
    stops = [SlipStop(f"Tour {n} · 12:{n:02d}", f"Table {n} — un thème au nom assez long (avec Quelqu'un)")
             for n in range(1, 16)]  # fmt: skip
    slips = [Slip(f"Participant {i}", "Organisation", stops) for i in range(9)]
    data = render_slips("En-tête", slips)
    pages, text = _read(data)
    assert pages == 3
    assert "Participant 8" in text
    assert text.count("Tour 15") == 9  # shrunk to fit, never cut


def test_empty_input_still_gives_a_valid_pdf():
    assert _read(render_slips("En-tête", []))[0] == 1
    assert _read(render_rosters("En-tête", [], LABELS))[0] == 1
