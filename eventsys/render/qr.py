"""Fast QR codes for reportlab: a fixed-mask matrix and one vector path per symbol.

Pure: no flask. The naive qrcode + reportlab loop spends most of its time choosing the best of
eight masks (each one fully re-laid out and scored) and emitting one rectangle per dark module.
Here the version and error-correction level are chosen once per payload shape, the mask is
fixed, and dark modules are merged into rectangles written as a single filled path with small
integer coordinates (the canvas is scaled to one unit per module). Readers do not care which
mask was used: it only exists to avoid patterns that confuse them, and every printed code is
decoded by the tests and the benchmark with a real reader (zxing-cpp).
"""

from __future__ import annotations

import re
from functools import lru_cache

from qrcode import base, constants, util
from qrcode.exceptions import DataOverflowError
from qrcode.main import QRCode

__all__ = [
    "ALNUM_CHARS",
    "QUIET_ZONE",
    "QrMatrix",
    "draw_qr",
    "qr_matrix",
    "qr_rectangles",
]

# The QR "alphanumeric" mode charset: 5.5 bits per character instead of 8.
ALNUM_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
# ISO/IEC 18004 asks for a 4-module light margin around the symbol.
QUIET_ZONE = 4
# Every mask decodes (checked with zxing-cpp on hundreds of tokens); pattern 6 has the lowest
# average ISO 18004 penalty score on badge tokens (490 against 508-644 for the others).
FIXED_MASK = 6

_ECC_LEVELS = (
    constants.ERROR_CORRECT_M,
    constants.ERROR_CORRECT_Q,
    constants.ERROR_CORRECT_H,
)

QrMatrix = list[bytes]  # one bytes object per row, top to bottom; 1 = dark module, 0 = light

_MODE_BITS = {util.MODE_ALPHA_NUM: 0b0010, util.MODE_8BIT_BYTE: 0b0100}
_DARK_RUN = re.compile(rb"\x01+")
_ASCII_BITS = bytes.maketrans(b"01", b"\x00\x01")
_ALNUM_VALUE = {ch: i for i, ch in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")}


def _mode_for(payload: str) -> int:
    return util.MODE_ALPHA_NUM if set(payload) <= ALNUM_CHARS else util.MODE_8BIT_BYTE


@lru_cache(maxsize=256)
def _version_and_ecc(length: int, mode: int, min_ecc: int) -> tuple[int, int]:
    """Smallest version that holds the payload at `min_ecc`, then the strongest ECC that still fits it."""
    sample = (b"A" if mode == util.MODE_ALPHA_NUM else b"a") * length
    probe = QRCode(error_correction=min_ecc)
    probe.add_data(util.QRData(sample, mode=mode))
    version = probe.best_fit()
    ecc = min_ecc
    start = _ECC_LEVELS.index(min_ecc) if min_ecc in _ECC_LEVELS else 0
    for level in _ECC_LEVELS[start + 1 :]:
        stronger = QRCode(error_correction=level)
        stronger.add_data(util.QRData(sample, mode=mode))
        try:
            if stronger.best_fit() != version:
                break
        except DataOverflowError:
            break
        ecc = level
    return version, ecc


# --- Reed-Solomon over GF(256), polynomial 0x11d, as ISO/IEC 18004 specifies.
_EXP = [0] * 512
_LOG = [0] * 256
_value = 1
for _i in range(255):
    _EXP[_i] = _value
    _LOG[_value] = _i
    _value <<= 1
    if _value & 0x100:
        _value ^= 0x11D
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


@lru_cache(maxsize=64)
def _generator_logs(degree: int) -> tuple[int, ...]:
    """Logs of the coefficients (highest first, leading 1 dropped) of prod(x - a^i), i < degree."""
    poly = [1]
    for i in range(degree):
        nxt = [0] * (len(poly) + 1)
        for j, coef in enumerate(poly):
            nxt[j] ^= coef
            if coef:
                nxt[j + 1] ^= _EXP[_LOG[coef] + i]
        poly = nxt
    return tuple(_LOG[c] for c in poly[1:])


def _ecc_codewords(data: bytes, degree: int) -> list[int]:
    gen = _generator_logs(degree)
    rem = [0] * degree
    for byte in data:
        factor = byte ^ rem[0]
        del rem[0]
        rem.append(0)
        if factor:
            lf = _LOG[factor]
            for i, g in enumerate(gen):
                rem[i] ^= _EXP[lf + g]
    return rem


@lru_cache(maxsize=64)
def _template(
    version: int, ecc: int
) -> tuple[bytes, tuple[int, ...], int, tuple[tuple[int, int], ...]]:
    """Function patterns and format information for one version/ECC with the fixed mask.

    Returns the flat module template, the flat indices of data modules in placement order, the
    mask bit of each of those modules, and the RS blocks as (data codewords, ECC codewords).
    The patterns come from the qrcode package, so they are the reference ones.
    """
    n = version * 4 + 17
    qr = QRCode(version=version, error_correction=ecc, border=0)
    qr.modules_count = n
    qr.modules = [[None] * n for _ in range(n)]
    qr.setup_position_probe_pattern(0, 0)
    qr.setup_position_probe_pattern(n - 7, 0)
    qr.setup_position_probe_pattern(0, n - 7)
    qr.setup_position_adjust_pattern()
    qr.setup_timing_pattern()
    qr.setup_type_info(False, FIXED_MASK)
    if version >= 7:
        qr.setup_type_number(False)
    mask = util.mask_func(FIXED_MASK)
    positions: list[int] = []
    mask_bits = bytearray()
    # The two-column zigzag from the bottom right corner, skipping the vertical timing column.
    row, step = n - 1, -1
    for col in range(n - 1, 0, -2):
        if col <= 6:
            col -= 1
        while 0 <= row < n:
            for c in (col, col - 1):
                if qr.modules[row][c] is None:
                    positions.append(row * n + c)
                    mask_bits.append(1 if mask(row, c) else 0)
            row += step
        row -= step
        step = -step
    flat = bytes(1 if m else 0 for line in qr.modules for m in line)
    blocks = tuple(
        (b.data_count, b.total_count - b.data_count) for b in base.rs_blocks(version, ecc)
    )
    mask_int = int("".join("1" if b else "0" for b in mask_bits), 2)
    return flat, tuple(positions), mask_int, blocks


def _codewords(data: bytes, mode: int, version: int, blocks: tuple[tuple[int, int], ...]) -> bytes:
    capacity = sum(d for d, _ in blocks)
    acc, nbits = _MODE_BITS[mode], 4
    count_bits = util.length_in_bits(mode, version)
    acc, nbits = (acc << count_bits) | len(data), nbits + count_bits
    if mode == util.MODE_ALPHA_NUM:
        text = data.decode("ascii")
        for i in range(0, len(text) - 1, 2):
            acc = (acc << 11) | (_ALNUM_VALUE[text[i]] * 45 + _ALNUM_VALUE[text[i + 1]])
            nbits += 11
        if len(text) % 2:
            acc, nbits = (acc << 6) | _ALNUM_VALUE[text[-1]], nbits + 6
    else:
        acc, nbits = (acc << (8 * len(data))) | int.from_bytes(data, "big"), nbits + 8 * len(data)
    if nbits > capacity * 8:
        raise DataOverflowError(f"{nbits} bits do not fit in {capacity} codewords")
    terminator = min(4, capacity * 8 - nbits)
    acc, nbits = acc << terminator, nbits + terminator
    acc, nbits = acc << (-nbits % 8), nbits + (-nbits % 8)
    head = acc.to_bytes(nbits // 8, "big")
    padding = bytes((0xEC, 0x11)) * capacity
    stream = head + padding[: capacity - len(head)]

    data_blocks, ecc_blocks, offset = [], [], 0
    for count, degree in blocks:
        chunk = stream[offset : offset + count]
        offset += count
        data_blocks.append(chunk)
        ecc_blocks.append(_ecc_codewords(chunk, degree))
    out = bytearray()
    for i in range(max(len(b) for b in data_blocks)):
        out.extend(b[i] for b in data_blocks if i < len(b))
    for i in range(max(len(b) for b in ecc_blocks)):
        out.extend(b[i] for b in ecc_blocks if i < len(b))
    return bytes(out)


def qr_matrix(payload: str, *, min_ecc: int = constants.ERROR_CORRECT_M) -> QrMatrix:
    """The QR modules for `payload` (rows top to bottom as bytes, 1 = dark), with the fixed mask."""
    if not payload:
        raise ValueError("empty QR payload")
    mode = _mode_for(payload)
    data = payload.encode("utf-8")
    version, ecc = _version_and_ecc(len(data), mode, min_ecc)
    flat_template, positions, mask_bits, blocks = _template(version, ecc)
    codewords = _codewords(data, mode, version, blocks)
    # Spread the codeword bits (then zero remainder bits) over the data modules, masked.
    nbits = len(positions)
    bits = int.from_bytes(codewords, "big") << (nbits - 8 * len(codewords))
    values = format(bits ^ mask_bits, f"0{nbits}b").encode("ascii").translate(_ASCII_BITS)
    flat = bytearray(flat_template)
    for index, value in zip(positions, values, strict=True):
        flat[index] = value
    n = version * 4 + 17
    return [bytes(flat[r * n : (r + 1) * n]) for r in range(n)]


def qr_rectangles(matrix: QrMatrix) -> list[tuple[int, int, int, int]]:
    """Dark modules merged into rectangles (col, row, width, height), rows counted from the top.

    Horizontal runs first, then a run continues the rectangle above it when it spans exactly the
    same columns, which removes about a third of the rectangles of a typical symbol.
    """
    done: list[tuple[int, int, int, int]] = []
    open_rects: dict[tuple[int, int], list[int]] = {}  # (col, width) -> [col, row, width, height]
    for r, row in enumerate(matrix):
        still_open: dict[tuple[int, int], list[int]] = {}
        for run in _DARK_RUN.finditer(bytes(row)):
            key = (run.start(), run.end() - run.start())
            rect = open_rects.pop(key, None)
            if rect is None:
                rect = [key[0], r, key[1], 0]
            rect[3] += 1
            still_open[key] = rect
        done.extend((a, b, w, h) for a, b, w, h in open_rects.values())
        open_rects = still_open
    done.extend((a, b, w, h) for a, b, w, h in open_rects.values())
    return done


def draw_qr(canvas, matrix: QrMatrix, x: float, y: float, size: float) -> None:
    """Draw `matrix` on a reportlab canvas with its lower-left corner at (x, y), `size` points wide.

    `size` covers the symbol only; the caller leaves `QUIET_ZONE` modules of light space around it.
    """
    n = len(matrix)
    ops = [f"{c} {n - r - h} {w} {h} re" for c, r, w, h in qr_rectangles(matrix)]
    module = size / n
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, x, y)
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()
