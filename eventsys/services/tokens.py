"""Signed badge tokens: the short text inside a badge's QR code.

Pure: no flask. A token looks like ``E1.0KZ4B7M1XQ9R2T6V8W3Y5A0C7D9F1H2J4N`` and carries only
numbers: the event id, the registration id, a per-registration nonce and a 96-bit truncated
HMAC-SHA256 of them. No name, no e-mail: a lost badge or a photo of one reveals nothing.

* Versioned: ``E1.`` names the format and the key use; a future ``E2.`` can coexist.
* Compact for the QR code: Crockford base32 digits (0-9, A-Z without I, L, O, U) and the
  ``E1.`` prefix all belong to the QR alphanumeric charset, so the symbol is encoded in
  alphanumeric mode (5.5 bits per character) and stays at version 2 (25x25 modules).
* Forgiving to people and scanners: spaces, line breaks, lower case, hyphens, the look-alikes
  O/0 and I/L/1 are accepted, and so is the text a QWERTY-programmed keyboard-wedge scanner
  types into a French AZERTY computer (``E&:`` for ``E1.``, swapped A/Q and Z/W, ``é`` for 2 …).
  The signature decides, so this tolerance never lets a wrong token through.
* Revocable: the caller stores the nonce with the registration and compares it
  (``claims.nonce_matches(stored)``); drawing a new nonce revokes every badge printed before.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

from eventsys.services.errors import DomainError

__all__ = [
    "TOKEN_VERSION",
    "BadgeClaims",
    "BadgeSignatureInvalid",
    "InvalidBadgeToken",
    "MalformedBadgeToken",
    "UnsupportedBadgeVersion",
    "make_badge_token",
    "new_badge_nonce",
    "nonce_bytes",
    "parse_badge_token",
]

TOKEN_VERSION = 1
MAC_BYTES = 12  # 96 bits: forging needs ~2**96 online guesses
MAX_NONCE_BYTES = 16
MAX_TOKEN_CHARS = 120  # longer input is not one of ours; refuse before any work

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32
_DECODE = {ch: i for i, ch in enumerate(_ALPHABET)}
_DECODE.update({"O": 0, "I": 1, "L": 1})
_TOKEN_RE = re.compile(r"E([0-9A-Z])[.:,;]?([0-9A-Z]+)")
_SPACES_RE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")

# What a scanner programmed for a US QWERTY keyboard "types" on a French AZERTY one: the host
# sees the AZERTY character of the same key. Mapping it back recovers the token.
_AZERTY_TO_QWERTY = str.maketrans(
    {
        "&": "1", "é": "2", "É": "2", '"': "3", "'": "4", "(": "5", "-": "6", "è": "7",
        "È": "7", "_": "8", "ç": "9", "Ç": "9", "à": "0", "À": "0",
        "a": "q", "q": "a", "A": "Q", "Q": "A", "z": "w", "w": "z", "Z": "W", "W": "Z",
        ",": "m", "?": "M", ":": ".", ";": ",",
    }
)  # fmt: skip


class InvalidBadgeToken(DomainError):
    """The scanned text is not a valid badge of this installation."""

    code = "invalid_badge"


class MalformedBadgeToken(InvalidBadgeToken):
    """Not a badge token at all (another QR code, half a photo, a typo that breaks the format)."""

    code = "badge_malformed"


class UnsupportedBadgeVersion(InvalidBadgeToken):
    """A badge token of a format version this server does not know."""

    code = "badge_unsupported_version"


class BadgeSignatureInvalid(InvalidBadgeToken):
    """Well formed but not signed by this server: tampered, mistyped or from another installation."""

    code = "badge_bad_signature"


@dataclass(frozen=True)
class BadgeClaims:
    """What a genuine token says. The caller still checks the event, the nonce and the status."""

    version: int
    event_id: int
    registration_id: int
    nonce: bytes

    def nonce_matches(self, stored: int | bytes) -> bool:
        """True when the token carries the registration's current nonce (i.e. is not revoked)."""
        return hmac.compare_digest(self.nonce, nonce_bytes(stored))


def new_badge_nonce() -> int:
    """A fresh random 32-bit nonce to store with a registration (enough: the MAC does the security)."""
    return secrets.randbits(32)


def nonce_bytes(nonce: int | bytes) -> bytes:
    """The byte form of a nonce as carried in the token (ints: minimal big-endian, at least 1 byte)."""
    if isinstance(nonce, bool) or not isinstance(nonce, int | bytes | bytearray):
        raise TypeError("nonce must be an int or bytes")
    if isinstance(nonce, int):
        if nonce < 0:
            raise ValueError("nonce must not be negative")
        raw = nonce.to_bytes(max(1, (nonce.bit_length() + 7) // 8), "big")
    else:
        raw = bytes(nonce)
    if not 1 <= len(raw) <= MAX_NONCE_BYTES:
        raise ValueError(f"nonce must be 1 to {MAX_NONCE_BYTES} bytes long")
    return raw


def make_badge_token(secret: bytes, event_id: int, registration_id: int, nonce: int | bytes) -> str:
    """The signed, versioned QR text for one registration's badge."""
    if not secret:
        raise ValueError("an empty secret signs nothing")
    for name, value in (("event_id", event_id), ("registration_id", registration_id)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative int")
    body = _varint(event_id) + _varint(registration_id) + nonce_bytes(nonce)
    return f"E{TOKEN_VERSION}." + _b32encode(body + _mac(secret, TOKEN_VERSION, body))


def parse_badge_token(secret: bytes, text: str) -> BadgeClaims:
    """Verify scanned or typed text and return its claims, or raise an InvalidBadgeToken subclass."""
    if not isinstance(text, str) or len(text) > MAX_TOKEN_CHARS:
        raise MalformedBadgeToken()
    compact = _SPACES_RE.sub("", text)
    direct = compact.replace("-", "").upper()  # hyphens only group digits for reading aloud
    try:
        return _parse(secret, direct)
    except InvalidBadgeToken as first:
        # Only text that starts the AZERTY way ("E&" for "E1") gets the second reading, so a
        # swapped letter in an ordinary token is never silently "corrected".
        if compact[:2].upper() != "E&":
            raise
        unscrambled = compact.translate(_AZERTY_TO_QWERTY).upper()
        try:
            return _parse(secret, unscrambled)
        except InvalidBadgeToken as second:
            raise max(first, second, key=_how_far) from None


def _how_far(error: InvalidBadgeToken) -> int:
    """Rank errors by how far parsing got, to report the most telling one."""
    return {MalformedBadgeToken: 0, UnsupportedBadgeVersion: 1, BadgeSignatureInvalid: 2}[
        type(error)
    ]


def _parse(secret: bytes, text: str) -> BadgeClaims:
    match = _TOKEN_RE.fullmatch(text)
    if match is None:
        raise MalformedBadgeToken()
    version_char, digits = match.groups()
    version_char = {"O": "0", "I": "1", "L": "1"}.get(version_char, version_char)
    if version_char != str(TOKEN_VERSION):
        raise UnsupportedBadgeVersion()
    raw = _b32decode(digits)
    if raw is None or len(raw) < MAC_BYTES + 3:
        raise MalformedBadgeToken()
    body, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if not hmac.compare_digest(mac, _mac(secret, TOKEN_VERSION, body)):
        raise BadgeSignatureInvalid()
    # Signed by us, so the structure below is ours; still parse defensively.
    event_id, pos = _read_varint(body, 0)
    registration_id, pos = _read_varint(body, pos)
    nonce = body[pos:]
    if not 1 <= len(nonce) <= MAX_NONCE_BYTES:
        raise MalformedBadgeToken()
    return BadgeClaims(TOKEN_VERSION, event_id, registration_id, nonce)


def _mac(secret: bytes, version: int, body: bytes) -> bytes:
    message = b"eventsys/badge\x00" + bytes([version]) + body
    return hmac.new(secret, message, hashlib.sha256).digest()[:MAC_BYTES]


def _varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise MalformedBadgeToken()
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, pos


def _b32encode(data: bytes) -> str:
    nbits = len(data) * 8
    pad = -nbits % 5
    number = int.from_bytes(data, "big") << pad
    count = (nbits + pad) // 5
    return "".join(_ALPHABET[(number >> (5 * (count - 1 - i))) & 31] for i in range(count))


def _b32decode(digits: str) -> bytes | None:
    """Inverse of _b32encode; None unless `digits` is the one canonical encoding of some bytes."""
    number = 0
    for ch in digits:
        value = _DECODE.get(ch)
        if value is None:
            return None
        number = (number << 5) | value
    nbits = len(digits) * 5
    nbytes = nbits // 8
    pad = nbits - nbytes * 8
    # A canonical encoding never has a whole spare digit and leaves its padding bits at zero;
    # anything else would give several spellings of one signed token.
    if pad >= 5 or number & ((1 << pad) - 1):
        return None
    return (number >> pad).to_bytes(nbytes, "big")
