"""Fitting text on a badge: names shrunk then wrapped on two lines, never clipped; blocks of lines.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import Color
from reportlab.pdfgen.canvas import Canvas

from eventsys.render.fonts import (
    SANS,
    SANS_BOLD,
    draw_string,
    register_fonts,
    string_width,
)

# --------------------------------------------------------------------------- text fitting

_SPACES = re.compile(r"[^\S\u00a0\u202f]+")  # collapse whitespace, keep no-break spaces


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", _SPACES.sub(" ", text or "").strip())


def _floor(size: float) -> float:
    """Round a font size down to 0.1 pt, strictly, so float noise never makes text overflow."""
    return math.floor((size - 1e-6) * 10) / 10


def _break_options(text: str) -> list[tuple[str, str]]:
    """Every way to cut `text` in two lines: at a space (dropped) or after a hyphen (kept)."""
    options = []
    for i, ch in enumerate(text):
        if ch == " ":
            options.append((text[:i], text[i + 1 :]))
        elif ch in "-\u2010" and 0 < i < len(text) - 1 and text[i + 1] != " ":
            options.append((text[: i + 1], text[i + 1 :]))
    return options


@lru_cache(maxsize=4096)
def fit_name(
    name: str, max_width: float, max_size: float, min_size: float, *, font: str = SANS_BOLD
) -> tuple[tuple[str, ...], float]:
    """Lines and font size for a name in `max_width` points: shrink to `min_size`, then two lines.

    The name is NFC-normalised. Results are cached: event names, organisations and labels
    repeat on thousands of badges. Returned lines always fit the width: when even two lines at
    `min_size` are too wide (or the name cannot be cut), the size goes below the minimum rather
    than letting text overflow or be clipped.
    """
    register_fonts()
    text = nfc(name)
    if not text:
        return (), max_size
    one_line = min(max_size, max_width / string_width(text, font, 1))
    if one_line >= min_size:
        return (text,), max_size if one_line == max_size else _floor(one_line)
    best: tuple[float, tuple[str, str]] | None = None
    for first, second in _break_options(text):
        widest = max(string_width(first, font, 1), string_width(second, font, 1))
        if best is None or widest < best[0]:
            best = (widest, (first, second))
    if best is None:
        return (text,), _floor(one_line)
    two_lines = min(max_size, max_width / best[0])
    if two_lines <= one_line:
        return (text,), _floor(one_line)
    return best[1], max_size if two_lines == max_size else _floor(two_lines)


def _wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Greedy line breaking at spaces and hyphens; a word wider than the line is cut by letters."""
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if string_width(candidate, font, size) <= max_width:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        for piece in _hyphen_pieces(word):
            candidate = line + piece
            if string_width(candidate, font, size) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for ch in piece:
                if line and string_width(line + ch, font, size) > max_width:
                    lines.append(line)
                    line = ""
                line += ch
    if line:
        lines.append(line)
    return lines


def _hyphen_pieces(word: str) -> list[str]:
    pieces, start = [], 0
    for i, ch in enumerate(word):
        if ch in "-\u2010/" and 0 < i < len(word) - 1:
            pieces.append(word[start : i + 1])
            start = i + 1
    pieces.append(word[start:])
    return pieces


@lru_cache(maxsize=4096)
def fit_text(
    text: str,
    max_width: float,
    max_size: float,
    min_size: float,
    *,
    font: str = SANS,
    max_lines: int = 2,
) -> tuple[tuple[str, ...], float]:
    """Lines and size for running text: shrink in half-points until it takes `max_lines` lines.

    At `min_size` the text keeps every word and may take more lines; no line is ever wider than
    `max_width`.
    """
    register_fonts()
    text = nfc(text)
    if not text:
        return (), max_size
    size = max_size
    while True:
        lines = _wrap(text, font, size, max_width)
        if len(lines) <= max_lines or size - 0.5 < min_size:
            return tuple(lines), size
        size -= 0.5


@dataclass
class Block:
    text: str
    font: str
    max_size: float
    min_size: float
    colour: Color
    max_lines: int = 2
    gap: float = 0.0  # space above, in points, scaled with the text
    is_name: bool = False
    leading: float = 1.22


Placed = tuple[Block, tuple[str, ...], float, float]  # block, lines, size, gap above


def fit_blocks(
    blocks: Sequence[Block], width: float, height: float
) -> tuple[list[Placed], float]:
    """Fit stacked text blocks in a box, scaling every size down together until they fit."""
    scale = 1.0
    placed: list[Placed] = []
    total = 0.0
    for _ in range(16):
        placed, total = [], 0.0
        for block in blocks:
            if not block.text:
                continue
            if block.is_name:
                lines, size = fit_name(
                    block.text,
                    width,
                    block.max_size * scale,
                    block.min_size * scale,
                    font=block.font,
                )
            else:
                lines, size = fit_text(
                    block.text,
                    width,
                    block.max_size * scale,
                    block.min_size * scale,
                    font=block.font,
                    max_lines=block.max_lines,
                )
            gap = block.gap * scale if placed else 0.0
            total += gap + len(lines) * size * block.leading
            placed.append((block, lines, size, gap))
        if total <= height:
            break
        scale *= 0.9
    return placed, total


def draw_blocks(
    c: Canvas, placed: Sequence[Placed], x: float, top: float, width: float, *, centred: bool
) -> float:
    """Draw fitted blocks from `top` down; return the y where the last line box ends."""
    y = top
    for block, lines, size, gap in placed:
        y -= gap
        c.setFillColor(block.colour)
        for line in lines:
            baseline = y - size * 0.95
            if centred:
                draw_string(c, x + width / 2, baseline, line, block.font, size, "middle")
            else:
                draw_string(c, x, baseline, line, block.font, size)
            y -= size * block.leading
    return y
