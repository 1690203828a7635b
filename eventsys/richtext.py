"""Rich text of session descriptions and abstracts: one rule for what is stored and how it is shown.

What is stored (ProgrammeSession.description and its translations) is one of:
- sanitised HTML, as imported from frab/pentabarf/pretalx files (`sanitize` is applied on the way
  in, and again on the way out, so a value written by older code is never trusted);
- what an organiser typed: Markdown, or plain paragraphs (blank line between paragraphs, a line
  break kept as a line break, lines starting with "- " or "• " as a list). Legacy values are plain
  text and read the same way.

`is_html` tells the two apart (a tag of the allowed subset, or any tag we strip, appears). Every
reader goes through `to_html` (pages: a Markup of the allowed subset only), `to_plain` (iCal, CSV,
e-mails: paragraphs and "- " items as text) or `blocks` (renderers with their own markup, such as
the PDF: a list of paragraphs and list items, each a list of (text, style, href) runs).

The allowed subset: p, br, ul, ol, li, em, strong, b, i, a with an http, https or mailto href.
Script and style elements are removed with their content; event handlers, other attributes and
`javascript:` links never survive. Pure: no flask, no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from html import escape, unescape

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

TAGS = frozenset({"p", "br", "ul", "ol", "li", "em", "strong", "b", "i", "a"})
SCHEMES = ("http://", "https://", "mailto:")
# Tags we strip but whose presence still says "this is HTML" (so `<div>a</div>` is not Markdown).
_HTML_HINT = re.compile(
    r"</?(?:p|br|ul|ol|li|em|strong|b|i|a|div|span|h[1-6]|blockquote|pre|code|table|tr|td|th|"
    r"img|hr|u|s|sub|sup|small|font|center|dl|dt|dd|script|style|iframe|object|embed|svg)\b[^>]*>",
    re.IGNORECASE,
)
# What a file or a person might have meant as an attack, to tell the organiser it was removed.
_UNSAFE = re.compile(
    r"<\s*(?:script|style|iframe|object|embed)\b|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text/html",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^(\s*)[•·▪◦]\s+", re.MULTILINE)

_markdown = MarkdownIt("commonmark", {"html": False, "breaks": True, "linkify": False})
# Only what the allowed subset can show: no headings, code, images, tables or block quotes.
_markdown.disable(["heading", "lheading", "code", "fence", "blockquote", "hr", "image", "html_block",
                   "html_inline", "reference"])


def _href_filter(tag: str, attribute: str, value: str) -> str | None:
    if tag == "a" and attribute == "href":
        return value if value.strip().lower().startswith(SCHEMES) else None
    return value


def is_html(value: str | None) -> bool:
    """The stored value is HTML (imported), not Markdown or plain paragraphs."""
    return bool(value) and _HTML_HINT.search(value) is not None


def has_unsafe_markup(value: str | None) -> bool:
    """The value holds scripts, styles, event handlers or script links (removed by `sanitize`)."""
    return bool(value) and _UNSAFE.search(value) is not None


_CLEANED: dict[str, str] = {}  # input -> output, and output -> itself (cleaning is idempotent)
_CLEANED_MAX = 8192


def sanitize(html: str) -> str:
    """The HTML reduced to the allowed subset; the same text twice gives the same result."""
    known = _CLEANED.get(html)
    if known is not None:
        return known
    cleaned = _clean(html)
    if len(_CLEANED) > _CLEANED_MAX:
        _CLEANED.clear()
    _CLEANED[html] = _CLEANED[cleaned] = cleaned
    return cleaned


def _clean(html: str) -> str:
    cleaned = nh3.clean(
        html,
        tags=set(TAGS),
        clean_content_tags={"script", "style"},
        attributes={"a": {"href"}},
        attribute_filter=_href_filter,
        link_rel="noopener noreferrer nofollow",
        url_schemes={"http", "https", "mailto"},
        strip_comments=True,
    )
    return cleaned.strip()


def normalise_input(value: str | None) -> str:
    """What to store for a value read from a file or typed: HTML sanitised, other text as it is
    (line endings made "\\n", surrounding blank space dropped)."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return sanitize(text) if is_html(text) else text


@lru_cache(maxsize=4096)
def _html_of(value: str) -> str:
    if is_html(value):
        return sanitize(value)
    rendered = _markdown.render(_BULLET.sub(r"\1- ", value.replace("\r\n", "\n")))
    return sanitize(rendered)


def to_html(value: str | None) -> Markup:
    """The value as safe HTML for a page (paragraphs, line breaks, lists, emphasis, links)."""
    if not value or not value.strip():
        return Markup("")
    return Markup(_html_of(value))  # noqa: S704 - sanitised to the allowed subset just above


# ------------------------------------------------------------------------ structure


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class Block:
    """A paragraph ("p") or a list item ("ul"/"ol", with its number for "ol"); runs of text,
    "\\n" inside a run's text is a line break."""

    kind: str = "p"
    number: int = 0
    runs: list[Run] = field(default_factory=list)
    first: bool = True  # a paragraph, or the first item of its list

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)


# Sanitised HTML as nh3 writes it: lower-case tags, double-quoted attributes, text and attribute
# values with their entities; a tag, or the text up to the next one.
_TOKEN = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>|[^<]+|<""")
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_AROUND_BREAK = re.compile(r" *\n *")
_SPACES = re.compile(r"\s{2,}|[^\S ]")  # white space other than one plain space (made one space)


class _Reader:
    """Walks sanitised HTML (the allowed subset only) into blocks: one pass of a regular
    expression over the text, quicker than a general HTML parser (the iCal feed and the PDF read
    every description), which the subset does not need."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []
        self.current: Block | None = None
        self.lists: list[list] = []  # [kind, next number]
        self.bold = 0
        self.italic = 0
        self.href = ""

    def _block(self) -> Block:
        if self.current is None:
            if self.lists:
                kind, number = self.lists[-1]
                self.current = Block(kind, number, first=number == 1)
            else:
                self.current = Block()
            self.blocks.append(self.current)
        return self.current

    def _close(self) -> None:
        self.current = None

    def feed(self, html: str) -> None:
        for match in _TOKEN.finditer(html):
            name = match.group(2)
            if name is None:  # text (or a stray "<", which sanitised HTML never holds)
                self.handle_data(unescape(match.group()))
            elif match.group(1):
                self.handle_endtag(name.lower())
            else:
                href = _HREF.search(match.group(3)) if match.group(3) else None
                value = next((group for group in href.groups() if group is not None), "") if href else None
                self.handle_starttag(name.lower(), [] if href is None else [("href", unescape(value))])

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._close()
        elif tag in ("ul", "ol"):
            self._close()
            self.lists.append([tag, 1])
        elif tag == "li":
            self._close()
            if not self.lists:
                self.lists.append(["ul", 1])
            self._block()
            self.lists[-1][1] += 1
        elif tag == "br":
            self._add("\n")
        elif tag in ("strong", "b"):
            self.bold += 1
        elif tag in ("em", "i"):
            self.italic += 1
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "li"):
            self._close()
        elif tag in ("ul", "ol"):
            self._close()
            if self.lists:
                self.lists.pop()
        elif tag in ("strong", "b"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("em", "i"):
            self.italic = max(0, self.italic - 1)
        elif tag == "a":
            self.href = ""

    def handle_data(self, data: str) -> None:
        text = _SPACES.sub(" ", data)
        if not text.strip() and (self.current is None or not self.current.runs):
            return
        self._add(text)

    def _add(self, text: str) -> None:
        block = self._block()
        style = (bool(self.bold), bool(self.italic), self.href)
        if block.runs and (block.runs[-1].bold, block.runs[-1].italic, block.runs[-1].href) == style:
            block.runs[-1].text += text
        else:
            block.runs.append(Run(text, *style))


def blocks(value: str | None) -> list[Block]:
    """The value as paragraphs and list items of styled runs (for renderers with their own markup)."""
    if not value or not value.strip():
        return []
    reader = _Reader()
    reader.feed(_html_of(value))
    result = []
    for block in reader.blocks:
        # Trim spaces around line breaks and at the ends, as a browser would show them.
        for run in block.runs:
            if "\n" in run.text:
                run.text = _AROUND_BREAK.sub("\n", run.text)
        if block.runs:
            block.runs[0].text = block.runs[0].text.lstrip(" \n")
            block.runs[-1].text = block.runs[-1].text.rstrip(" \n")
        block.runs = [run for run in block.runs if run.text]
        if block.runs:
            result.append(block)
    return result


@lru_cache(maxsize=4096)  # the iCal feed is polled by calendar apps: same texts again and again
def to_plain(value: str | None) -> str:
    """The value as plain text (iCal, CSV): paragraphs separated by a blank line, list items as
    "- item" or "1. item", links as "text (address)" when the address is not the text."""
    out: list[str] = []
    for block in blocks(value):
        parts = []
        for run in block.runs:
            text = run.text
            target = run.href.removeprefix("mailto:")
            if run.href and target.strip() != text.strip():
                text = f"{text} ({target})"
            parts.append(text)
        text = "".join(parts)
        if block.kind == "ul":
            text = "- " + text
        elif block.kind == "ol":
            text = f"{block.number}. {text}"
        if out:
            out.append("\n\n" if block.first else "\n")
        out.append(text)
    return "".join(out)


def clear_caches() -> None:
    """Forget every text read so far (benchmarks time a first, "cold" request with it)."""
    _CLEANED.clear()
    _html_of.cache_clear()
    to_plain.cache_clear()


def plain_to_html(text: str) -> str:
    """Plain text written as the smallest HTML of the subset (for formats that expect HTML)."""
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if p.strip()]
    return "".join("<p>" + escape(p).replace("\n", "<br>") + "</p>" for p in paragraphs)


def html_to_text(html: str) -> str:
    """Unescaped text of an HTML fragment, tags dropped (for searching and lengths)."""
    return unescape(re.sub(r"<[^>]+>", " ", html))
