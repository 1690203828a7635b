"""Paragraph markup into reportlab's text fragments, quicker than reportlab's parser for the markup
the PDFs write (bold, italics, underline, links, fonts, line breaks): the same fragments.

reportlab's ParaParser reads markup with Python's HTMLParser and copies the fragment of every
enclosing tag for each tag and piece of text: about a tenth of a programme booklet's build,
where each abstract has its own first paragraph and documents line. The fragment a piece of text
gets depends only on the tags around it (and on how many links and underlines came before): it
is made once per style and set of enclosing tags, by reportlab's own tag handlers, and each piece
of text takes a copy. Markup outside that (other tags or attributes, character references,
anything reportlab would complain about) is left to reportlab. Pure: no flask, no database.
"""

from __future__ import annotations

import html
import re

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus.paraparser import ParaParser, known_entities

# A piece of text, a tag of the kinds below with double-quoted attributes, or a named entity.
_TOKEN = re.compile(
    r'([^<&]+)|<(/?)([a-z]+)((?:\s+[a-z]+="[^"<>]*")*)\s*(/?)>|&([a-zA-Z][-.a-zA-Z0-9]*);'
)
_ATTRIBUTE = re.compile(r'\s+([a-z]+)="([^"<>]*)"')
# Tags whose end only closes them: their fragment depends on the enclosing one, their attributes
# and the links and lines counted so far.
_TAGS = frozenset({"b", "strong", "i", "em", "u", "strike", "font", "a", "super", "sup", "sub"})

_HREF = "\x00"  # stands for a link's address while its fragments are made
# (style, enclosing tags) -> (fragment of the innermost tag, its text fragment, links, lines)
_KNOWN: dict[tuple, tuple] = {}


def _parser(style: ParagraphStyle, stack: list, links: int, lines: int) -> ParaParser:
    parser = ParaParser()
    parser.caseSensitive = 1
    parser._setup_for_parse(style)
    parser.start_para({})
    parser._stack[1:] = stack[1:]  # the paragraph's own fragment is the one just made
    parser.nlinks, parser.nlines = links, lines
    return parser


def _text_frag(parser: ParaParser):
    parser.handle_data("")
    return parser.fragList.pop()


def _open(style: ParagraphStyle, stack: list, tag: str, attributes: dict, links: int, lines: int):
    parser = _parser(style, stack, links, lines)
    parser.handle_starttag(tag, attributes)
    frag = parser._stack[-1]
    return frag, _text_frag(parser), parser.nlinks, parser.nlines


def _line_break(style: ParagraphStyle, stack: list, links: int, lines: int):
    parser = _parser(style, stack, links, lines)
    parser.handle_starttag("br", {})
    parser.handle_endtag("br")
    return parser.fragList.pop()


def _linked(frag, hrefs: list[tuple[int, str]]):
    """`frag` with the addresses of the links open around it in place of _HREF."""
    if hrefs:
        addresses = dict(hrefs)
        frag.link = [(number, addresses[number]) if href == _HREF else (number, href) for number, href in frag.link]
    return frag


def frags(text: str, style: ParagraphStyle) -> list | None:
    """The fragments ParaParser().parse(text, style) gives (text already cleaned as reportlab's
    Paragraph cleans it), or None for markup this does not read."""
    if len(_KNOWN) > 20_000:
        _KNOWN.clear()
    root = (style,)
    known = _KNOWN.get(root)
    if known is None:
        parser = _parser(style, [], 0, 0)
        known = _KNOWN[root] = (parser._stack[0], _text_frag(parser), 0, 0)
    keys, entries = [root], [known]
    links = lines = 0
    out = []
    hrefs: list[tuple[int, str]] = []  # (number, address) of the links open here
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        piece, closing, tag, attributes, self_closing, entity = match.groups()
        if piece is not None or entity is not None:
            if entity is not None:
                piece = known_entities.get(entity, f"&{entity};")
            out.append(_linked(entries[-1][1].clone(text=piece), hrefs))
        elif tag == "br":
            if closing or attributes:
                return None
            key = (*keys[-1], ("br", links, lines))
            made = _KNOWN.get(key)
            if made is None:
                stack = [entry[0] for entry in entries]
                made = _KNOWN[key] = _line_break(style, stack, links, lines)
            out.append(_linked(made.clone(), hrefs))
        elif tag not in _TAGS:
            return None
        elif closing:
            if attributes or self_closing or len(keys) == 1 or keys[-1][-1][0] != tag:
                return None
            keys.pop()
            entries.pop()
            if tag == "a":
                hrefs.pop()
        else:
            if self_closing:
                return None
            found = dict(_ATTRIBUTE.findall(attributes)) if attributes else {}
            if tag == "a" and ("name" in found or "href" not in found):
                return None
            found = {name: html.unescape(value) if "&" in value else value for name, value in found.items()}
            if tag == "a":  # the address only goes into the link list: made once for every address
                hrefs.append((links, found["href"].strip()))
                found["href"] = _HREF
            key = (*keys[-1], (tag, tuple(found.items()), links, lines))
            made = _KNOWN.get(key)
            if made is None:
                stack = [entry[0] for entry in entries]
                try:
                    made = _open(style, stack, tag, found, links, lines)
                except Exception:  # noqa: BLE001 - reportlab rejects it: its parser says why
                    return None
                _KNOWN[key] = made
            keys.append(key)
            entries.append(made)
            links, lines = made[2], made[3]
    if position != len(text) or len(keys) != 1:
        return None
    return out
