"""Sign-in sheets and attendance certificates, read back with poppler's pdftotext."""

from __future__ import annotations

import re
import subprocess
import unicodedata
from datetime import date, time

import pytest

from eventsys.render.attendance_pdf import (
    CERTIFICATE_LABELS,
    SIGNIN_LABELS,
    CertificateData,
    SignInAttendee,
    SignInSheetData,
    collation_key,
    render_certificates,
    render_signin_sheet,
)

PEOPLE = [
    SignInAttendee("Łukasz", "Wróblewski-Żmijewski", "Urząd Miasta Krakowa"),
    SignInAttendee("Nguyễn Thị", "Minh Khai", "Ville de Paris"),
    SignInAttendee("Αικατερίνη", "Παπαδοπούλου", "Δήμος Αθηναίων"),
    SignInAttendee(
        "Jean-Baptiste",
        "de La Rochefoucauld-Liancourt",
        "Communauté d'agglomération Grand Paris Sud",
    ),
    SignInAttendee("Анастасия", "Константинопольская", "Администрация Санкт-Петербурга"),
    SignInAttendee("Élodie", "Émery", "CNFPT"),
    SignInAttendee("Paul", "Eberhard", "Ville de Nancy"),
    SignInAttendee("Zoé", "Lê", ""),
    SignInAttendee("Magali", "Belot", "CNFPT – INSET de Nancy"),
]
EVENT = "Nouveaux mandats, nouvelles perspectives pour l'action internationale des collectivités territoriales"


def pdftotext(pdf: bytes, *args: str) -> str:
    out = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf, capture_output=True, check=True
    )
    return out.stdout.decode("utf-8")


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"-\s*\n\s*", "-", text))


def pages(pdf: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def sheet(**overrides) -> SignInSheetData:
    fields = {
        "event_title": EVENT,
        "session_title": "Journée d'actualité – matin",
        "day": date(2026, 6, 25),
        "start": time(9, 30),
        "end": time(12, 30),
        "place": "Évry-Courcouronnes",
        "session_code": "Z26IN 001",
        "organiser": "CNFPT – INSET de Nancy",
        "trainers": ["Emmanuel Thouary"],
        "attendees": PEOPLE,
    }
    fields.update(overrides)
    return SignInSheetData(**fields)


# --------------------------------------------------------------------------- sorting


def test_collation_ignores_accents_case_and_punctuation_first():
    names = [
        "Zola",
        "Łukasiewicz",
        "lefèvre",
        "Martin",
        "Émery",
        "Eberhard",
        "d'Arc",
        "Ørsted",
        "Pascal",
        "Dupont",
    ]
    assert sorted(names, key=collation_key) == [
        "d'Arc", "Dupont", "Eberhard", "Émery", "lefèvre", "Łukasiewicz", "Martin", "Ørsted", "Pascal", "Zola",
    ]  # fmt: skip


def test_collation_is_stable_for_nfd_input_and_breaks_ties_by_spelling():
    nfd = unicodedata.normalize("NFD", "Émery")
    assert collation_key(nfd) == collation_key("Émery")
    assert sorted(["Emery", "Émery", "emery"], key=collation_key)[0] == "Emery"


# --------------------------------------------------------------------------- sign-in sheets


def test_signin_sheet_lists_every_exact_name_sorted_by_last_name():
    pdf = render_signin_sheet(sheet())
    text = flat(pdftotext(pdf))
    assert unicodedata.is_normalized("NFC", text)
    for person in PEOPLE:
        assert person.last_name in text
        assert person.first_name in text
    order = [
        text.index(p.last_name) for p in sorted(PEOPLE, key=lambda p: collation_key(p.last_name))
    ]
    assert order == sorted(order)
    assert (
        text.index("Belot")
        < text.index("de La Rochefoucauld")
        < text.index("Eberhard")
        < text.index("Émery")
    )
    assert (
        text.index("Émery") < text.index("Lê") < text.index("Minh Khai") < text.index("Wróblewski")
    )


def test_signin_sheet_header_says_what_when_and_where():
    text = flat(pdftotext(render_signin_sheet(sheet())))
    assert "Feuille d'émargement" in text
    assert EVENT in text
    assert "Journée d'actualité – matin" in text
    assert "Jeudi 25 juin 2026" in text
    assert "9 h 30 – 12 h 30" in text
    assert "Évry-Courcouronnes" in text
    assert "Z26IN 001" in text
    assert "Emmanuel Thouary" in text
    assert "Inscrits : 9" in text
    assert "Signature de l'intervenant" in text


def test_long_sheet_repeats_column_headings_and_numbers_pages():
    many = [SignInAttendee(f"Prénom{i:03d}", f"Nom{i:03d}", "Commune") for i in range(60)]
    pdf = render_signin_sheet(sheet(attendees=many))
    count = pages(pdf)
    assert count >= 3
    table_pages = 0
    for page in range(1, count + 1):
        text = flat(pdftotext(pdf, "-f", str(page), "-l", str(page)))
        if re.search(r"Nom\d{3}", text):
            table_pages += 1
            assert "Nom, prénom" in text  # the heading row on every page of the table
        assert f"Page {page} / {count}" in text
        if page > 1:
            assert "Jeudi 25 juin 2026" in text  # running header: which sheet this page belongs to
    assert table_pages >= 3
    full = flat(pdftotext(pdf))
    assert all(f"Nom{i:03d}" in full for i in range(60))


def test_half_day_signature_columns_and_blank_lines_for_walk_ins():
    pdf = render_signin_sheet(sheet(signature_columns=("Matin", "Après-midi"), blank_rows=3))
    text = flat(pdftotext(pdf))
    assert "Matin" in text
    assert "Après-midi" in text
    numbers = re.findall(r"\b(\d{1,2})\b", pdftotext(pdf, "-layout"))
    assert "12" in numbers  # 9 people + 3 blank numbered lines


def test_signin_sheet_in_english_and_user_text_is_not_markup():
    people = [SignInAttendee("Ada", "Lovelace", 'R&D <Lab> "Analytical"')]
    text = flat(pdftotext(render_signin_sheet(sheet(attendees=people, lang="en"))))
    assert "Attendance sign-in sheet" in text
    assert "Thursday 25 June 2026" in text
    assert 'R&D <Lab> "Analytical"' in text


def test_signin_labels_have_the_same_keys_in_every_language():
    keys = set(SIGNIN_LABELS["fr"])
    assert all(set(labels) == keys for labels in SIGNIN_LABELS.values())


# --------------------------------------------------------------------------- certificates


def certificate(**overrides) -> CertificateData:
    fields = {
        "first_name": "Łukasz",
        "last_name": "Wróblewski-Żmijewski",
        "organisation": "Urząd Miasta Krakowa",
        "event_title": EVENT,
        "start": date(2026, 6, 25),
        "hours": 6.5,
        "place": "Évry-Courcouronnes",
        "session_code": "Z26IN 001",
        "organiser": "CNFPT – INSET de Nancy",
        "signatory_name": "Emmanuel Thouary",
        "signatory_title": "Chef du service Communication et ressources formatives",
        "issued_place": "Nancy",
    }
    fields.update(overrides)
    return CertificateData(**fields)


def test_one_certificate_page_per_attendee_in_their_language():
    certs = [
        certificate(),
        certificate(first_name="Αικατερίνη", last_name="Παπαδοπούλου", lang="en", hours=1),
        certificate(
            first_name="Анастасия",
            last_name="Константинопольская",
            lang="de",
            hours=13,
            end=date(2026, 6, 26),
        ),
        certificate(first_name="Nguyễn Thị", last_name="Minh Khai", lang="es", hours=3),
        certificate(
            first_name="Jean-Baptiste",
            last_name="de La Rochefoucauld-Liancourt",
            lang="it",
            hours=7.25,
        ),
    ]
    pdf = render_certificates(certs)
    assert pages(pdf) == len(certs)
    page = [flat(pdftotext(pdf, "-f", str(i), "-l", str(i))) for i in range(1, len(certs) + 1)]

    assert "Attestation de présence" in page[0]
    assert "CNFPT – INSET de Nancy atteste que" in page[0]
    assert "Łukasz Wróblewski-Żmijewski" in page[0]
    assert "le 25 juin 2026 à Évry-Courcouronnes" in page[0]
    assert "6,5 heures" in page[0]
    assert "Code session : Z26IN 001" in page[0]
    assert "Fait à Nancy, le 25 juin 2026" in page[0]
    assert "Emmanuel Thouary" in page[0]

    assert "Certificate of attendance" in page[1]
    assert "Αικατερίνη Παπαδοπούλου" in page[1]
    assert "on 25 June 2026 in Évry-Courcouronnes" in page[1]
    assert "1 hour." in page[1]

    assert "Teilnahmebestätigung" in page[2]
    assert "Анастасия Константинопольская" in page[2]
    assert "vom 25. Juni 2026 bis 26. Juni 2026" in page[2]
    assert "13 Stunden" in page[2]
    assert "Ausgestellt in Nancy am 26. Juni 2026" in page[2]

    assert "Certificado de asistencia" in page[3]
    assert "Nguyễn Thị Minh Khai" in page[3]
    assert "3 horas" in page[3]
    assert "Attestato di partecipazione" in page[4]
    assert "7,25 ore" in page[4]
    assert "Jean-Baptiste de La Rochefoucauld-Liancourt" in page[4]


@pytest.mark.parametrize(
    ("hours", "expected"), [(1, "1 heure"), (1.5, "1,5 heure"), (2, "2 heures"), (0.5, "0,5 heure")]
)
def test_french_hours_agree_in_number(hours, expected):
    text = flat(pdftotext(render_certificates([certificate(hours=hours)])))
    assert f"{expected}." in text


def test_certificate_without_organiser_or_place_still_reads_well():
    cert = certificate(organiser="", issued_place="", place="", organisation="", session_code="")
    text = flat(pdftotext(render_certificates([cert])))
    assert "Nous attestons que" in text
    assert "le 25 juin 2026, pour une durée" in text
    assert "Fait le 25 juin 2026" in text


def test_unknown_language_falls_back_to_french_and_empty_list_gives_a_blank_page():
    text = flat(pdftotext(render_certificates([certificate(lang="pl")])))
    assert "Attestation de présence" in text
    assert pages(render_certificates([])) == 1


def test_certificate_labels_have_the_same_keys_in_every_language():
    keys = set(CERTIFICATE_LABELS["fr"])
    assert all(set(labels) == keys for labels in CERTIFICATE_LABELS.values())


def test_fonts_are_embedded_and_subset():
    for pdf in (render_signin_sheet(sheet()), render_certificates([certificate()])):
        fonts = subprocess.run(
            ["pdffonts", "-"], input=pdf, capture_output=True, check=True
        ).stdout.decode()
        rows = [line.split() for line in fonts.splitlines()[2:] if line.strip()]
        assert rows
        assert all(
            re.match(r"[A-Z]{6}\+DejaVuSans", row[0]) and row[-5:-2] == ["yes"] * 3 for row in rows
        )


def test_certificate_lists_the_sessions_attended_and_counts_what_does_not_fit():
    lines = [f"jeudi 25 juin 2026, {9 + n // 2} h {30 * (n % 2):02d} · Atelier n°{n + 1}" for n in range(15)]
    pdf = render_certificates([certificate(sessions=lines[:3]), certificate(sessions=lines)])
    assert pages(pdf) == 2  # fifteen sessions still fit one page
    first = flat(pdftotext(pdf, "-f", "1", "-l", "1"))
    assert "Sessions suivies : jeudi 25 juin 2026, 9 h 00 · Atelier n°1" in first
    assert "Atelier n°3" in first
    second = flat(pdftotext(pdf, "-f", "2", "-l", "2"))
    assert "Atelier n°11 " in second
    assert "Atelier n°12" not in second
    assert "… et 4 autres" in second  # 11 shown + 4 counted = 15
    assert "Signature et cachet de l'organisateur" in second  # the signature block still fits
