"""Badge PDFs: names right in every script, layouts that fit, QR codes a real reader decodes.

Pure tests (no app). They read the PDFs the way people and machines do: poppler's pdftotext
for the text and its position, pdftoppm + zxing-cpp for the QR codes.
"""

from __future__ import annotations

import ast
import io
import re
import subprocess
import unicodedata
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from PIL import Image, ImageDraw
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth

from eventsys.render.badges import (
    DEFAULT_LABELS,
    LAYOUTS,
    ROLES,
    BadgeData,
    BadgeOptions,
    ItineraryStep,
    ProgrammeItem,
    fit_name,
    fit_text,
    layout_slots,
    render_badges,
)
from eventsys.render.fonts import SANS, SANS_BOLD, register_fonts
from eventsys.services.tokens import make_badge_token, parse_badge_token

SECRET = b"badge-test-secret-32-bytes-long!"
PARIS = ZoneInfo("Europe/Paris")

# (first name, last name, organisation, role, label language, spoken languages)
PEOPLE = [
    ("Łukasz", "Wróblewski-Żmijewski", "Urząd Miasta Krakowa", "speaker", "en", ["pl", "en", "fr"]),
    ("Nguyễn Thị", "Minh Khai", "Ville de Paris – Relations internationales", "participant", "fr", ["vi", "fr"]),
    ("Αικατερίνη", "Παπαδοπούλου", "Δήμος Αθηναίων", "facilitator", "de", ["el", "en"]),
    ("Jean-Baptiste", "de La Rochefoucauld-Liancourt",
     "Communauté d'agglomération Grand Paris Sud Seine-Essonnes-Sénart", "organiser", "fr", ["fr"]),
    ("Анастасия", "Константинопольская", "Администрация Санкт-Петербурга", "press", "es", ["ru", "fr"]),
    ("Hubert Blaine", "Wolfeschlegelsteinhausenbergerdorff", "Stadt Karlsruhe", "staff", "it", ["de"]),
    ("María de los Ángeles", "Fernández de Córdoba y Hernández de la Santísima Trinidad",
     "Ayuntamiento de Madrid", "participant", "es", ["es", "en"]),
    ("Zoé", "Lê", "", "participant", "fr", []),
    ("Marie", "Dupont", "CNFPT", "speaker", "fr", ["fr", "en", "de", "es", "it"]),
    # Everything long at once: the whole block has to shrink together and still fit.
    ("Anne-Marie-Françoise Éléonore", "Villeneuve-d'Ascq-Montmorency de Saint-Rémy-lès-Chevreuse",
     "Syndicat intercommunal pour l'assainissement, l'eau potable et la gestion des milieux "
     "aquatiques et la prévention des inondations du bassin versant de l'Yvette et de la Bièvre",
     "facilitator", "fr", ["fr", "en", "de", "es", "it", "pt", "nl", "pl", "el", "ru", "uk", "vi"]),
]  # fmt: skip
EVENT = "Nouveaux mandats, nouvelles perspectives pour l'action internationale des collectivités territoriales"
PER_PAGE = {"a6": 1, "id1": 1, "a4-8": 8, "a6-folded": 1}


def make_badges(**overrides) -> list[BadgeData]:
    badges = []
    for i, (first, last, org, role, lang, spoken) in enumerate(PEOPLE):
        fields = {
            "event_name": EVENT,
            "event_subtitle": "25 juin 2026 · Évry-Courcouronnes",
            "first_name": first,
            "last_name": last,
            "organisation": org,
            "role": role,
            "lang": lang,
            "languages": spoken,
            "qr_payload": make_badge_token(SECRET, 42, 1000 + i, 7919 * i + 1),
        }
        fields.update(overrides)
        badges.append(BadgeData(**fields))
    return badges


def pdftotext(pdf: bytes, *args: str) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Text with line breaks inside wrapped names undone."""
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text)


def page_count(pdf: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def words(pdf: bytes) -> list[list[tuple[float, float, float, float, str]]]:
    """Word boxes per page, in points, origin top left (pdftotext -bbox-layout)."""
    root = ET.fromstring(pdftotext(pdf, "-bbox-layout"))
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    pages = []
    for page in root.iter("{http://www.w3.org/1999/xhtml}page"):
        pages.append(
            [
                (
                    float(w.get("xMin")),
                    float(w.get("yMin")),
                    float(w.get("xMax")),
                    float(w.get("yMax")),
                    w.text or "",
                )
                for w in page.findall(".//h:word", ns)
            ]
        )
    return pages


def decode_pages(pdf: bytes, tmp_path: Path, dpi: int = 150) -> list[list[zxingcpp.Barcode]]:
    path = tmp_path / "badges.pdf"
    path.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", str(dpi), str(path), str(tmp_path / "page")], check=True
    )
    results = []
    for image_path in sorted(tmp_path.glob("page-*.png")):
        with Image.open(image_path) as image:
            results.append(list(zxingcpp.read_barcodes(image)))
    return results


def png_logo() -> bytes:
    image = Image.new("RGB", (300, 120), "#0b5394")
    ImageDraw.Draw(image).rectangle([20, 20, 100, 100], fill="#f1c232")
    buf = io.BytesIO()
    image.save(buf, "PNG")
    return buf.getvalue()


# --------------------------------------------------------------------------- fitting names


def test_short_name_keeps_the_largest_size():
    lines, size = fit_name("Zoé", 60 * mm, 21, 11)
    assert lines == ("Zoé",)
    assert size == 21


def test_long_name_shrinks_before_it_wraps():
    name = "Wróblewski-Żmijewski"
    full = stringWidth(name, SANS_BOLD, 21)
    lines, size = fit_name(name, full * 0.8, 21, 11)
    assert lines == (name,)
    assert 11 <= size < 21
    assert stringWidth(name, SANS_BOLD, size) <= full * 0.8


def test_very_long_name_wraps_on_two_balanced_lines_that_fit():
    register_fonts()
    name = "Jean-Baptiste de La Rochefoucauld-Liancourt"
    width = 70 * mm
    lines, size = fit_name(name, width, 21, 11)
    assert len(lines) == 2
    assert size >= 11
    assert all(stringWidth(line, SANS_BOLD, size) <= width for line in lines)
    assert (
        " ".join(lines).replace("- ", "-") == name
    )  # nothing lost: cut at a space or after a hyphen


def test_name_that_cannot_be_cut_goes_below_the_minimum_rather_than_overflow():
    register_fonts()
    name = "Wolfeschlegelsteinhausenbergerdorff"
    width = 40 * mm
    lines, size = fit_name(name, width, 21, 11)
    assert lines == (name,)
    assert size < 11
    assert stringWidth(name, SANS_BOLD, size) <= width


def test_names_are_nfc_normalised_and_spaces_tidied():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn   Thị ")
    lines, _ = fit_name(decomposed, 80 * mm, 21, 11)
    assert lines == ("Nguyễn Thị",)
    assert unicodedata.is_normalized("NFC", lines[0])


def test_running_text_wraps_within_width_and_keeps_every_word():
    register_fonts()
    text = "Communauté d'agglomération Grand Paris Sud Seine-Essonnes-Sénart"
    lines, size = fit_text(text, 40 * mm, 8, 6, font=SANS, max_lines=2)
    assert all(stringWidth(line, SANS, size) <= 40 * mm for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


# --------------------------------------------------------------------------- rendering


@pytest.mark.parametrize("layout", LAYOUTS)
def test_every_layout_prints_exact_names_and_codes_that_decode(layout, tmp_path):
    badges = make_badges()
    pdf = render_badges(badges, layout, BadgeOptions())
    assert pdf.startswith(b"%PDF")
    expected_pages = -(-len(badges) // PER_PAGE[layout])
    assert page_count(pdf) == expected_pages

    text = flat(pdftotext(pdf, "-raw"))  # -raw: poppler would drop the hyphen of "Anne-Marie-⏎"
    assert unicodedata.is_normalized("NFC", text)
    for badge in badges:
        assert badge.first_name in text
        assert badge.last_name in text

    decoded = decode_pages(pdf, tmp_path)
    assert len(decoded) == expected_pages
    read = [r.text for page in decoded for r in page]
    assert set(read) == {b.qr_payload for b in badges}
    if layout == "a6-folded":  # the code is on the front and on the programme side
        assert len(read) == 2 * len(badges)
    # What the reader returns is what the check-in desk will parse.
    assert sorted(parse_badge_token(SECRET, t).registration_id for t in set(read)) == list(
        range(1000, 1000 + len(badges))
    )


def test_a4_sheet_holds_eight_badges_per_page_in_their_slots(tmp_path):
    badges = make_badges()
    pdf = render_badges(badges, "a4-8")
    decoded = decode_pages(pdf, tmp_path)
    assert [len(page) for page in decoded] == [8, 2]
    (page_w, page_h), slots = layout_slots("a4-8")
    scale = 72 / 150
    for index, result in enumerate(decoded[0]):
        # Each code sits in the slot of its badge (2 columns x 4 rows, left to right).
        slot = slots[[b.qr_payload for b in badges].index(result.text)]
        x = (result.position.top_left.x + result.position.bottom_right.x) / 2 * scale
        y = page_h - (result.position.top_left.y + result.position.bottom_right.y) / 2 * scale
        assert slot[0] < x < slot[0] + slot[2], index
        assert slot[1] < y < slot[1] + slot[3], index


@pytest.mark.parametrize("layout", LAYOUTS)
def test_text_stays_inside_the_badge_and_clear_of_the_qr_code(layout, tmp_path):
    badges = make_badges(programme=programme(), itinerary=itinerary() + full_itinerary())
    pdf = render_badges(badges, layout)
    (page_w, page_h), slots = layout_slots(layout)
    if layout == "a6-folded":
        # Every quarter of the folded sheet is a panel; no text may cross a fold.
        half_w, half_h = page_w / 2, page_h / 2
        slots = [(x, y, half_w, half_h) for x in (0, half_w) for y in (0, half_h)]
    boxes = [(x, page_h - y - h, x + w, page_h - y) for x, y, w, h in slots]  # to top-left origin
    codes = decode_pages(pdf, tmp_path)
    scale = 72 / 150
    tolerance = 0.5
    for page_words, page_codes in zip(words(pdf), codes, strict=True):
        assert page_words
        qr_boxes = []
        for code in page_codes:
            xs = [
                p.x * scale
                for p in (
                    code.position.top_left,
                    code.position.bottom_right,
                    code.position.top_right,
                    code.position.bottom_left,
                )
            ]
            ys = [
                p.y * scale
                for p in (
                    code.position.top_left,
                    code.position.bottom_right,
                    code.position.top_right,
                    code.position.bottom_left,
                )
            ]
            qr_boxes.append((min(xs), min(ys), max(xs), max(ys)))
        for x0, y0, x1, y1, word in page_words:
            assert any(
                bx0 - tolerance <= x0
                and x1 <= bx1 + tolerance
                and by0 - tolerance <= y0
                and y1 <= by1 + tolerance
                for bx0, by0, bx1, by1 in boxes
            ), f"{word!r} leaves its badge"
            for qx0, qy0, qx1, qy1 in qr_boxes:
                assert x1 <= qx0 or x0 >= qx1 or y1 <= qy0 or y0 >= qy1, (
                    f"{word!r} overlaps a QR code"
                )
        # No two words collide.
        ordered = sorted(page_words)
        for i, (x0, y0, x1, y1, word) in enumerate(ordered):
            for ox0, oy0, ox1, oy1, other in ordered[i + 1 :]:
                if ox0 >= x1:
                    break
                overlap_x = min(x1, ox1) - max(x0, ox0)
                overlap_y = min(y1, oy1) - max(y0, oy0)
                assert overlap_x <= tolerance or overlap_y <= tolerance, (
                    f"{word!r} overlaps {other!r}"
                )


def test_roles_show_as_coloured_band_and_as_text_in_the_badge_language():
    badges = [
        BadgeData(EVENT, "Ana", "Ruiz", make_badge_token(SECRET, 1, i, 1), role=role, lang=lang)
        for i, (role, lang) in enumerate(
            zip(ROLES, ["fr", "en", "de", "es", "it", "fr"], strict=True)
        )
    ]
    text = flat(pdftotext(render_badges(badges, "a6")))
    for role, word in zip(
        ROLES,
        ["Participant", "Speaker", "Moderator", "Organizador", "Staff", "Presse"],
        strict=True,
    ):
        assert word in text, role
    # Every role has its own band colour.
    pdf = render_badges(badges, "a6").decode("latin-1")
    assert pdf  # the colours are checked through the public table
    from eventsys.render.badges import ROLE_COLOURS

    assert len(set(ROLE_COLOURS.values())) == len(ROLES)


def test_bilingual_labels():
    badge = BadgeData(
        EVENT, "Anna", "Schmidt", make_badge_token(SECRET, 1, 1, 1), lang="fr", languages=["de"]
    )
    text = flat(pdftotext(render_badges([badge], "a6", BadgeOptions(bilingual="de"))))
    assert "Participant · Teilnehmer" in text
    assert "Langues · Sprachen" in text
    assert "allemand" in text  # language names in the person's own label language


def test_languages_are_printed_as_names_in_the_label_language():
    fr = BadgeData(
        EVENT, "A", "B", make_badge_token(SECRET, 1, 1, 1), lang="fr", languages=["fr", "en", "pl"]
    )
    de = BadgeData(
        EVENT, "A", "B", make_badge_token(SECRET, 1, 2, 1), lang="de-DE", languages=["fr", "en"]
    )
    text = flat(pdftotext(render_badges([fr, de], "id1")))
    assert "français, anglais, polonais" in text
    assert "Französisch, Englisch" in text


def test_caller_labels_override_the_defaults_and_unknown_languages_fall_back_to_english():
    custom = BadgeOptions(labels={"fr": {"role.participant": "Stagiaire"}})
    fr = BadgeData(EVENT, "A", "B", make_badge_token(SECRET, 1, 1, 1), lang="fr")
    pl = BadgeData(EVENT, "C", "D", make_badge_token(SECRET, 1, 2, 1), lang="pl", languages=["pl"])
    text = flat(pdftotext(render_badges([fr, pl], "a6", custom)))
    assert "Stagiaire" in text
    assert "Participant" in text  # Polish labels are not built in: English ones
    assert "polski" in text  # but babel still knows the language's own name


def test_default_labels_cover_the_same_keys_in_every_language():
    keys = set(DEFAULT_LABELS["fr"])
    assert set(DEFAULT_LABELS) >= {"fr", "en", "de", "es", "it"}
    for lang, labels in DEFAULT_LABELS.items():
        assert set(labels) == keys, lang
        assert all(f"role.{role}" in labels for role in ROLES)


def programme() -> list[ProgrammeItem]:
    day = datetime(2026, 6, 25, 7, 30, tzinfo=UTC)  # 09:30 in Paris
    return [
        ProgrammeItem(day + timedelta(hours=5), day + timedelta(hours=6, minutes=30), "Atelier n°1 : le document idéal", "Salle 2"),
        ProgrammeItem(day, day + timedelta(minutes=30), "Accueil des participants", "Hall"),
        ProgrammeItem(day + timedelta(days=1), None, "Restitution des ateliers", "Amphithéâtre"),
    ]  # fmt: skip


def itinerary() -> list[ItineraryStep]:
    start = datetime(2026, 6, 25, 12, 45, tzinfo=PARIS)
    return [
        ItineraryStep(start + timedelta(minutes=12 * i), f"Table {n}", theme)
        for i, (n, theme) in enumerate([(3, "ODD"), (5, "FICOL"), (1, "Cadre juridique et AICT")])
    ]


def test_folded_badge_has_the_persons_programme_on_the_back_in_local_time():
    badge = make_badges(programme=programme(), itinerary=itinerary())[1]  # French labels
    pdf = render_badges([badge], "a6-folded")
    (page_w, page_h), _ = layout_slots("a6-folded")
    back = pdftotext(
        pdf,
        "-x",
        str(int(page_w / 2)),
        "-y",
        str(int(page_h / 2)),
        "-W",
        str(int(page_w / 2)),
        "-H",
        str(int(page_h / 2)),
    )
    back = flat(back)
    assert "Mon programme" in back
    assert "Jeudi 25 juin 2026" in back
    assert "Vendredi 26 juin 2026" in back
    # Sorted by time, shown in the event's time zone.
    assert (
        back.index("09:30–10:00")
        < back.index("Accueil des participants")
        < back.index("14:30–16:00")
    )
    assert "Atelier n°1 : le document idéal" in back
    assert "Salle 2" in back
    assert "Speed-networking" in back
    assert back.index("12:45") < back.index("Table 3") < back.index("12:57") < back.index("Table 5")
    assert "Cadre juridique et AICT" in back
    # The front still is the badge.
    front = flat(
        pdftotext(
            pdf,
            "-x",
            "0",
            "-y",
            str(int(page_h / 2)),
            "-W",
            str(int(page_w / 2)),
            "-H",
            str(int(page_h / 2)),
        )
    )
    assert "Nguyễn Thị" in front
    assert "Participant" in front


def test_long_programme_continues_inside_and_nothing_is_lost():
    start = datetime(2026, 6, 3, 8, 0, tzinfo=PARIS)
    items = [
        ProgrammeItem(start + timedelta(days=i // 8, minutes=50 * (i % 8)), None, f"Session numéro {i} sur la voirie et les réseaux", f"Salle {i}")
        for i in range(40)
    ]  # fmt: skip
    badge = make_badges(programme=items)[7]
    pdf = render_badges([badge], "a6-folded")
    text = flat(pdftotext(pdf))
    assert "Suite du programme à l'intérieur" in text
    assert "Mon programme (suite)" in text
    for i in range(40):
        assert f"Session numéro {i} sur la voirie et les réseaux" in text


def test_logo_is_embedded_once_and_a_broken_logo_does_not_stop_printing():
    logo = png_logo()
    badges = make_badges(logo=logo)
    pdf = render_badges(badges, "a4-8")
    assert pdf.count(b"/Subtype /Image") == 1  # one image, reused by every badge
    broken = render_badges(make_badges(logo=b"not an image"), "a4-8")
    assert "Łukasz" in pdftotext(broken)
    assert b"/Subtype /Image" not in broken


def test_fonts_are_embedded_and_subset():
    pdf = render_badges(make_badges(), "a4-8")
    fonts = subprocess.run(
        ["pdffonts", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
    assert rows
    for row in rows:
        assert re.match(r"[A-Z]{6}\+DejaVuSans", row[0]), row
        assert row[-5:-2] == ["yes", "yes", "yes"], row  # embedded, subset, with a Unicode map


def test_page_sizes():
    def size(layout: str) -> tuple[float, float]:
        info = subprocess.run(
            ["pdfinfo", "-"],
            input=render_badges(make_badges()[:1], layout),
            capture_output=True,
            check=True,
        )
        w, h = re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info.stdout.decode()).groups()
        return round(float(w) / mm, 1), round(float(h) / mm, 1)

    assert size("a6") == (105.0, 148.0)
    assert size("a4-8") == (210.0, 297.0)
    assert size("a6-folded") == (210.0, 297.0)
    assert size("id1") == (85.6, 54.0)


def test_same_input_gives_the_same_bytes():
    assert render_badges(make_badges(), "a4-8") == render_badges(make_badges(), "a4-8")


def test_unknown_layout_is_refused_and_no_badges_gives_one_blank_page():
    with pytest.raises(ValueError, match="layout"):
        render_badges(make_badges(), "a3-poster")
    assert page_count(render_badges([], "a4-8")) == 1


def test_pure_modules_do_not_import_flask():
    services = Path(__file__).resolve().parents[2] / "eventsys" / "services"
    render = services.parent / "render"
    pure = [*sorted((render / "badges").glob("*.py")), render / "qr.py", services / "tokens.py", render / "attendance_pdf.py"]
    for path in pure:
        name = path.name
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {
            node.module.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
        }
        assert not imported & {"flask", "flask_babel", "flask_sqlalchemy", "sqlalchemy"}, name


# --------------------------------------------------------------------------- networking itinerary


def full_itinerary(
    activity: str = "Speed-networking des territoires", day: int = 25
) -> list[ItineraryStep]:
    start = datetime(2026, 6, day, 12, 0, tzinfo=UTC)  # 14:00 in Paris
    stations = [
        ("Table 3", "Objectifs de développement durable et action internationale des collectivités",
         "Marie-Hélène de La Rochefoucauld-Liancourt"),
        ("Table 5", "FICOL", "Hugo Lemaire"),
        ("", "", ""),  # sits this round out
        ("Table 1", "Cadre juridique de l'AICT", "Nathalie Caron"),
    ]  # fmt: skip
    return [
        ItineraryStep(
            start + timedelta(minutes=12 * i), place, end=start + timedelta(minutes=12 * i + 10),
            number=i + 1, theme=theme, facilitator=who, activity=activity, sitting_out=not place,
        )
        for i, (place, theme, who) in enumerate(stations)
    ]  # fmt: skip


def back_text(pdf: bytes) -> str:
    (page_w, page_h), _ = layout_slots("a6-folded")
    return flat(pdftotext(pdf, "-x", str(int(page_w / 2)), "-y", str(int(page_h / 2)),
                          "-W", str(int(page_w / 2)), "-H", str(int(page_h / 2)))).replace("\u00a0", " ")  # fmt: skip


def test_itinerary_shows_round_time_table_theme_and_facilitator_in_local_time(tmp_path):
    badge = make_badges(programme=programme(), itinerary=full_itinerary())[1]  # French labels
    pdf = render_badges([badge], "a6-folded")
    back = back_text(pdf)
    assert "Speed-networking des territoires" in back
    assert back.index("14:00–14:10") < back.index("Tour 1 · Table 3") < back.index("14:12–14:22")
    assert "Tour 2 · Table 5" in back
    assert (
        "Thème : Objectifs de développement durable et action internationale des collectivités"
        in back
    )
    assert "Animation : Marie-Hélène de La Rochefoucauld-Liancourt" in back
    assert "Tour 3" in back
    assert "Pause pendant ce tour" in back
    assert "Tour 4 · Table 1" in back
    assert "14:36–14:46" in back
    # The QR code on the back still reads, on both panels.
    assert [r.text for page in decode_pages(pdf, tmp_path) for r in page] == [badge.qr_payload] * 2


def test_itinerary_labels_follow_the_badge_language():
    badge = make_badges(itinerary=full_itinerary())[0]  # English labels
    back = back_text(render_badges([badge], "a6-folded"))
    assert "Round 1 · Table 3" in back
    assert "Theme: FICOL" in back
    assert "Facilitator: Hugo Lemaire" in back
    assert "Break during this round" in back


def test_itineraries_on_two_days_carry_their_day():
    steps = full_itinerary("Speed-networking (jour 1)", 25) + full_itinerary(
        "Speed-networking (jour 2)", 26
    )
    badge = make_badges(programme=programme(), itinerary=steps)[1]
    text = flat(pdftotext(render_badges([badge], "a6-folded"))).replace("\u00a0", " ")
    assert "Speed-networking (jour 1) – jeudi 25 juin" in text
    assert "Speed-networking (jour 2) – vendredi 26 juin" in text
    assert text.count("Tour 4 · Table 1") == 2  # nothing dropped, overflow goes inside
