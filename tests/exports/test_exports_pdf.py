"""The PDF booklet: a 3-day, 10-room, 300-session programme renders whole, fonts embedded."""

from __future__ import annotations

import dataclasses
import re
import subprocess
from datetime import UTC, datetime

import pytest

from eventsys.render.export_data import ExportLabels
from eventsys.render.programme_pdf import render_programme_pdf

from .helpers import LONG_ABSTRACT, big_event, pdf_text, small_event

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0, reason="poppler-utils missing"
)
STAMP = datetime(2026, 2, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def big_pdf() -> bytes:
    return render_programme_pdf(big_event(300), generated_at=STAMP)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_large_programme_renders_every_session_and_every_word(big_pdf, tmp_path):
    event = big_event(300)
    text = pdf_text(big_pdf, tmp_path)
    flat = _words(text)
    for session in event.sessions:
        assert session.title in flat, session.title
    # Long abstracts run on across pages: every word of each is there, in order, none cut.
    found = re.findall(r"mot(\d{4})", text)
    long_ones = sum(1 for s in event.sessions if s.description == LONG_ABSTRACT)
    assert long_ones == 30
    assert len(found) == 380 * long_ones
    assert found[:380] == [f"{i:04d}" for i in range(380)]


def test_booklet_has_cover_overview_detail_index_and_rooms(big_pdf, tmp_path):
    text = _words(pdf_text(big_pdf, tmp_path))
    for heading in ("Programme jour par jour", "Programme détaillé", "Index des intervenants", "Salles et accès"):
        assert heading in text
    assert "RNIT 26" in text
    assert "Centre des congrès" in text
    assert "du mardi 6 octobre 2026 au jeudi 8 octobre 2026" in text
    assert "ou son représentant" in text
    assert "Personne001 Nom, chargée de mission, Organisme 0" in text
    assert "(modérateur·rice)" in text
    assert "ANNULÉE" in text
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(big_pdf, tmp_path))[1])
    assert f"Page {pages} sur {pages}" in text
    assert "Page 2 sur" in text


def test_fonts_are_embedded_and_subset(big_pdf, tmp_path):
    path = tmp_path / "fonts.pdf"
    path.write_bytes(big_pdf)
    listing = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in listing.splitlines()[2:] if line.strip()]
    assert rows
    assert all("DejaVu" in row[0] for row in rows)
    assert all(row[-5] == "yes" and row[-4] == "yes" for row in rows), listing  # emb, sub


def test_running_header_names_the_section(big_pdf, tmp_path):
    path = tmp_path / "p.pdf"
    path.write_bytes(big_pdf)
    pages = int(re.search(r"Pages:\s+(\d+)", _pdfinfo(big_pdf, tmp_path))[1])

    def header(number: int) -> str:
        text = subprocess.run(["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(path), "-"],
                              capture_output=True, text=True, check=True).stdout
        return text.strip().splitlines()[0]

    assert "Rencontres nationales de l'ingénierie territoriale" in header(2)
    assert header(2).endswith("Programme jour par jour")
    assert header(pages).endswith("Salles et accès")
    assert any(header(n).endswith("Programme détaillé — Mercredi 7 octobre 2026") for n in range(3, pages))


def test_labels_and_language_are_the_callers(tmp_path):
    labels = ExportLabels(detailed="Detailed programme", overview="Day by day", or_representative="or their representative",
                          date_range="from %(start)s to %(end)s", page_of="Page %(page)s of %(total)s")
    pdf = render_programme_pdf(small_event(), labels=labels, locale="en", generated_at=STAMP)
    text = _words(pdf_text(pdf, tmp_path))
    assert "Detailed programme" in text
    assert "Day by day" in text
    assert "from Saturday 28 March 2026 to Monday 30 March 2026" in text
    assert "or their representative" in text
    assert "Page 2 of" in text


def test_speakers_left_out_of_an_overview_cell_are_counted_in_words(tmp_path):
    event = small_event()
    first, second = event.sessions[:2]
    five = dataclasses.replace(first, speakers=first.speakers * 2 + first.speakers[:1])  # 4 + 1
    six = dataclasses.replace(second, speakers=first.speakers * 3)  # 4 shown + 2
    pdf = render_programme_pdf(dataclasses.replace(event, sessions=(five, six)), generated_at=STAMP)
    text = _words(pdf_text(pdf, tmp_path))
    assert "et 1 autre" in text
    assert "et 1 autres" not in text
    assert "et 2 autres" in text


def test_overseas_times_are_local(tmp_path):
    pdf = render_programme_pdf(small_event("America/Martinique"), generated_at=STAMP)
    text = _words(pdf_text(pdf, tmp_path))
    assert "10 h 00 – 11 h 30" in text


def test_empty_programme_and_huge_texts_do_not_break(tmp_path):
    event = small_event()
    empty = render_programme_pdf(dataclasses.replace(event, sessions=()), generated_at=STAMP)
    assert "pas encore publié" in pdf_text(empty, tmp_path)
    huge = dataclasses.replace(
        event.sessions[0], title="T" * 300, description=("Paragraphe sans fin " * 2000),
        speakers=event.sessions[0].speakers * 10,
    )
    notes = dataclasses.replace(event.rooms[0], location_notes="Accès par l'escalier B. " * 400)
    pdf = render_programme_pdf(dataclasses.replace(event, sessions=(huge,), rooms=(notes,),
                                                   access_notes="Navette " * 3000), generated_at=STAMP)
    assert _words(pdf_text(pdf, tmp_path)).count("Paragraphe sans fin") == 2000


def _pdfinfo(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "info.pdf"
    path.write_bytes(pdf)
    return subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout


def test_no_blank_page_when_parallel_sessions_fill_more_than_a_page(tmp_path):
    # Two slots of 70 parallel sessions each: every slot's overview is taller than a page. It
    # flows on from under its day's heading; no page is left with a heading alone or nothing.
    event = small_event()
    rooms = tuple(dataclasses.replace(event.rooms[0], id=100 + n, name=f"Salle {n:02d}") for n in range(70))
    first = event.sessions[0]
    hour = first.ends_at - first.starts_at
    parallel = tuple(
        dataclasses.replace(first, id=1000 + slot * 100 + n, guid=f"s{slot}-{n}", room=rooms[n],
                            title=f"Atelier parallèle {slot}-{n}",
                            starts_at=first.starts_at + slot * 2 * hour, ends_at=first.ends_at + slot * 2 * hour)
        for slot in range(2) for n in range(70)
    )  # fmt: skip
    pdf = render_programme_pdf(dataclasses.replace(event, rooms=rooms, sessions=parallel), generated_at=STAMP)
    pages = pdf_text(pdf, tmp_path).split("\f")[:-1]
    overview = [page for page in pages if "Programme jour par jour" in page]
    assert overview
    for number, page in enumerate(pages, start=1):
        assert "Atelier parallèle" in page or "Index des intervenants" in page or "Salles et accès" in page \
            or number == 1, f"page {number} has no session: {_words(page)[:200]}"
