"""Badge tokens (signed QR text) and the fast QR encoder; pure, no app needed."""

from __future__ import annotations

import io
import random
import subprocess

import pytest
import qrcode
import zxingcpp
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image
from qrcode import util
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from eventsys.render import qr
from eventsys.services.errors import DomainError
from eventsys.services.tokens import (
    BadgeSignatureInvalid,
    InvalidBadgeToken,
    MalformedBadgeToken,
    UnsupportedBadgeVersion,
    make_badge_token,
    new_badge_nonce,
    nonce_bytes,
    parse_badge_token,
)

SECRET = b"test-secret-0123456789abcdef-XYZ"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# What the parser deliberately treats as the same digit (hand typing): O=0, I=L=1.
SAME_DIGIT = {"0": "O", "1": "IL"}


# --------------------------------------------------------------------------- tokens


def test_round_trip_gives_back_event_registration_and_nonce():
    token = make_badge_token(SECRET, 12, 123456, 0xDEADBEEF)
    claims = parse_badge_token(SECRET, token)
    assert (claims.version, claims.event_id, claims.registration_id) == (1, 12, 123456)
    assert claims.nonce == b"\xde\xad\xbe\xef"
    assert claims.nonce_matches(0xDEADBEEF)


@settings(max_examples=200, deadline=None)
@given(
    event_id=st.integers(0, 2**40),
    registration_id=st.integers(0, 2**40),
    nonce=st.one_of(st.integers(0, 2**64), st.binary(min_size=1, max_size=16)),
)
def test_round_trip_for_any_ids_and_nonce(event_id, registration_id, nonce):
    claims = parse_badge_token(SECRET, make_badge_token(SECRET, event_id, registration_id, nonce))
    assert (claims.event_id, claims.registration_id) == (event_id, registration_id)
    assert claims.nonce_matches(nonce)


def test_token_is_short_versioned_and_qr_alphanumeric():
    token = make_badge_token(SECRET, 4242, 1_999_999, new_badge_nonce())
    assert token.startswith("E1.")
    assert len(token) <= 38  # fits a version 2 QR code (25 x 25 modules) at ECC level M
    assert set(token) <= qr.ALNUM_CHARS
    assert len(qr.qr_matrix(token)) == 25


def test_token_carries_only_numbers_no_personal_data():
    # Same ids and nonce, different secrets: the tokens differ only by the signature part.
    a = make_badge_token(SECRET, 7, 99, 5)
    b = make_badge_token(b"another secret", 7, 99, 5)
    assert a != b
    assert a[:7] == b[:7]
    assert "=" not in a  # no base32/base64 padding for scanners to mangle


def test_every_single_character_change_is_rejected():
    token = make_badge_token(SECRET, 3, 77, 0x1234ABCD)
    for position, original in enumerate(token):
        alternatives = CROCKFORD + "E2."
        for replacement in alternatives:
            if replacement == original or replacement in SAME_DIGIT.get(original, ""):
                continue
            if position == 2 and replacement in ".":  # the separator is optional punctuation
                continue
            tampered = token[:position] + replacement + token[position + 1 :]
            with pytest.raises(InvalidBadgeToken):
                parse_badge_token(SECRET, tampered)


def test_other_secret_is_a_bad_signature():
    token = make_badge_token(b"secret of another installation", 3, 77, 1)
    with pytest.raises(BadgeSignatureInvalid):
        parse_badge_token(SECRET, token)


def test_signature_of_another_registration_cannot_be_spliced():
    a = make_badge_token(SECRET, 3, 77, 1)
    b = make_badge_token(SECRET, 3, 78, 1)
    spliced = a[:10] + b[10:]
    with pytest.raises(InvalidBadgeToken):
        parse_badge_token(SECRET, spliced)


def test_unknown_version_is_reported_as_such():
    token = make_badge_token(SECRET, 3, 77, 1)
    with pytest.raises(UnsupportedBadgeVersion):
        parse_badge_token(SECRET, "E2" + token[2:])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello",
        "https://example.org/badge/42",
        "E1.",
        "E1.U",
        "É1.ABC",
        "x" * 500,
        "E1." + "0" * 200,
    ],
)
def test_malformed_text_is_reported_as_such(text):
    with pytest.raises(MalformedBadgeToken):
        parse_badge_token(SECRET, text)


def test_every_truncation_is_rejected():
    # A photo of half a code or a scan that stops early.
    token = make_badge_token(SECRET, 3, 77, 1)
    for end in range(len(token)):
        with pytest.raises(InvalidBadgeToken):
            parse_badge_token(SECRET, token[:end])


def test_errors_are_domain_errors_with_distinct_codes():
    classes = [MalformedBadgeToken, UnsupportedBadgeVersion, BadgeSignatureInvalid]
    assert all(
        issubclass(cls, InvalidBadgeToken) and issubclass(cls, DomainError) for cls in classes
    )
    assert len({cls.code for cls in classes}) == 3


def test_typed_by_hand_with_spaces_lower_case_and_line_breaks():
    token = make_badge_token(SECRET, 5, 321, 99)
    groups = [token[i : i + 4] for i in range(0, len(token), 4)]
    for typed in (
        " ".join(groups).lower(),
        "\n".join(groups),
        "-".join(groups),
        f"  {token.lower()}\r\n",
        token.replace("0", "o").replace("1", "l"),  # look-alike letters
    ):
        assert parse_badge_token(SECRET, typed).registration_id == 321


def test_qwerty_scanner_typing_into_azerty_computer_is_understood():
    # A keyboard-wedge scanner set up for US QWERTY sends key positions; a French AZERTY
    # computer turns them into other characters. The token must still be recognised.
    qwerty_to_azerty = str.maketrans(
        {"1": "&", "2": "é", "3": '"', "4": "'", "5": "(", "6": "-", "7": "è", "8": "_", "9": "ç",
         "0": "à", ".": ":", "A": "Q", "Q": "A", "Z": "W", "W": "Z", "M": "?"}
    )  # fmt: skip
    rng = random.Random(5)
    for registration_id in range(200):
        token = make_badge_token(SECRET, 9, registration_id, rng.getrandbits(32))
        garbled = token.translate(qwerty_to_azerty)
        assert parse_badge_token(SECRET, garbled).registration_id == registration_id


def test_changing_the_nonce_revokes_the_old_badge():
    old_nonce, new_nonce = 1111, 2222
    old_badge = parse_badge_token(SECRET, make_badge_token(SECRET, 1, 2, old_nonce))
    assert old_badge.nonce_matches(old_nonce)
    assert not old_badge.nonce_matches(new_nonce)


def test_nonce_int_and_bytes_forms_agree():
    assert nonce_bytes(0) == b"\x00"
    assert nonce_bytes(0x0102) == b"\x01\x02"
    assert make_badge_token(SECRET, 1, 2, 0x0102) == make_badge_token(SECRET, 1, 2, b"\x01\x02")
    with pytest.raises(ValueError, match="nonce"):
        nonce_bytes(b"")
    with pytest.raises(ValueError, match="nonce"):
        nonce_bytes(b"x" * 17)
    with pytest.raises(ValueError, match="negative"):
        nonce_bytes(-1)


def test_refuses_bad_arguments():
    with pytest.raises(ValueError, match="secret"):
        make_badge_token(b"", 1, 2, 3)
    with pytest.raises(ValueError, match="event_id"):
        make_badge_token(SECRET, -1, 2, 3)
    with pytest.raises(ValueError, match="registration_id"):
        make_badge_token(SECRET, 1, True, 3)


def test_fresh_nonces_differ():
    assert len({new_badge_nonce() for _ in range(50)}) > 45


# --------------------------------------------------------------------------- QR encoder


def _reference_matrix(payload: str) -> list[bytes]:
    """The qrcode package's own encoding with the same version, ECC level and mask."""
    mode = qr._mode_for(payload)
    data = payload.encode("utf-8")
    version, ecc = qr._version_and_ecc(len(data), mode, qrcode.constants.ERROR_CORRECT_M)
    ref = qrcode.QRCode(version=version, error_correction=ecc, mask_pattern=qr.FIXED_MASK, border=0)
    ref.add_data(util.QRData(data, mode=mode))
    ref.make(fit=False)
    return [bytes(1 if m else 0 for m in row) for row in ref.modules]


def test_fast_encoder_matches_the_qrcode_package_bit_for_bit():
    rng = random.Random(11)
    payloads = [make_badge_token(SECRET, 1, i, rng.getrandbits(32)) for i in range(40)]
    payloads += ["HELLO WORLD", "https://example.org/événement?id=42", "Ωμέγα ж " * 30, "A" * 300]
    payloads += [
        "".join(rng.choice("azERTY0123 éß") for _ in range(rng.randint(1, 250))) for _ in range(40)
    ]
    versions = set()
    for payload in payloads:
        matrix = qr.qr_matrix(payload)
        versions.add(len(matrix))
        assert matrix == _reference_matrix(payload), payload
    assert max(versions) >= 45  # covers version 7+ (version information blocks) and multi-block RS


def test_strongest_error_correction_that_keeps_the_smallest_version():
    assert qr._version_and_ecc(10, util.MODE_ALPHA_NUM, qrcode.constants.ERROR_CORRECT_M) == (
        1,
        qrcode.constants.ERROR_CORRECT_H,
    )


def test_rectangles_cover_exactly_the_dark_modules():
    matrix = qr.qr_matrix(make_badge_token(SECRET, 1, 2, 3))
    n = len(matrix)
    painted = [[0] * n for _ in range(n)]
    for col, row, width, height in qr.qr_rectangles(matrix):
        for r in range(row, row + height):
            for c in range(col, col + width):
                painted[r][c] += 1
    assert [bytes(row) for row in painted] == matrix  # each dark module once, nothing else
    dark = sum(sum(row) for row in matrix)
    assert len(qr.qr_rectangles(matrix)) < dark / 2  # merged, not one rectangle per module


def test_empty_payload_is_refused():
    with pytest.raises(ValueError, match="empty"):
        qr.qr_matrix("")


def test_drawn_codes_decode_with_a_real_reader(tmp_path):
    rng = random.Random(3)
    tokens = [make_badge_token(SECRET, 8, i, rng.getrandbits(32)) for i in range(48)]
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    for i, token in enumerate(tokens):
        x, y = 12 * mm + (i % 6) * 32 * mm, 12 * mm + (i // 6) * 34 * mm
        qr.draw_qr(canvas, qr.qr_matrix(token), x, y, 18 * mm)  # 0.72 mm modules
    canvas.save()
    pdf = tmp_path / "codes.pdf"
    pdf.write_bytes(buf.getvalue())
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", str(pdf), str(tmp_path / "p")], check=True
    )
    with Image.open(tmp_path / "p.png") as image:
        decoded = [r.text for r in zxingcpp.read_barcodes(image)]
    assert sorted(decoded) == sorted(tokens)
    assert all(parse_badge_token(SECRET, text).event_id == 8 for text in decoded)
