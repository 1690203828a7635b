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


_CLEAN_OPTIONS = {
    "tags": set(TAGS),
    "clean_content_tags": {"script", "style"},
    "attributes": {"a": {"href"}},
    "attribute_filter": _href_filter,
    "link_rel": "noopener noreferrer nofollow",
    "url_schemes": {"http", "https", "mailto"},
    "strip_comments": True,
}
# Made once (nh3 0.3): passing the options on every call costs a third of cleaning a 2 kB abstract.
_CLEANER = nh3.Cleaner(**_CLEAN_OPTIONS) if hasattr(nh3, "Cleaner") else None


def _clean(html: str) -> str:
    cleaned = _CLEANER.clean(html) if _CLEANER is not None else nh3.clean(html, **_CLEAN_OPTIONS)
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
# values with their entities. Split on tags: [text, paragraph, item, "/" or "", name, attributes,
# text, …]; a paragraph or list item of text only (most of them) is one piece, its text.
_TAG_SPLIT = re.compile(r"""<p>([^<]*)</p>|<li>([^<]*)</li>|<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:\s+[^\s"'=<>/]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*/?>""")
_HREF = re.compile(r"""\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)
_AROUND_BREAK = re.compile(r" *\n *")
_BOLD, _ITALIC = frozenset({"strong", "b"}), frozenset({"em", "i"})


def _read(html: str) -> list[list]:
    """Sanitised HTML (the allowed subset only) as paragraphs and list items of styled runs, in
    one pass of a regular expression and one loop over its pieces: quicker than a general HTML
    parser (the iCal feed and the PDF read every description), which the subset does not need.
    A block is [kind, number, first, runs], a run [text, (bold, italic, href)]."""
    out: list[list] = []
    current: list | None = None
    lists: list[list] = []  # [kind, next number]
    bold = italic = 0
    href = ""
    style = (False, False, "")
    pieces = _TAG_SPLIT.split(html)
    pieces += (None, None, "", "", "")  # the text after the last tag, then no tag
    for data, paragraph, item, end, name, attributes in zip(
        pieces[::6], pieces[1::6], pieces[2::6], pieces[3::6], pieces[4::6], pieces[5::6], strict=True
    ):
        if data:
            if "&" in data:
                data = unescape(data)
            # Each run of white space made one plain space (str.split: a regular expression
            # scanning every character costs most of the reading).
            words = data.split()
            if not words:
                data = " "
            elif data[0].isspace() or data[-1].isspace():
                data = f"{' ' if data[0].isspace() else ''}{' '.join(words)}{' ' if data[-1].isspace() else ''}"
            elif len(words) > 1:
                data = " ".join(words)
            runs = current[3] if current is not None else None
            if runs:
                if runs[-1][1] == style:
                    runs[-1][0] += data
                else:
                    runs.append([data, style])
            elif words:  # white space opens no block and starts none
                if runs is not None:
                    runs.append([data, style])
                else:
                    kind, number = lists[-1] if lists else ("p", 0)
                    current = [kind, number, number < 2, [[data, style]]]
                    out.append(current)
        if paragraph is not None or item is not None:  # <p>text</p> or <li>text</li>, read at once
            text = paragraph if item is None else item
            if "&" in text:
                text = unescape(text)
            words = text.split()
            if item is not None:
                if not lists:
                    lists.append(["ul", 1])
                kind, number = lists[-1]
                out.append([kind, number, number == 1, [[" ".join(words), style]] if words else []])
                lists[-1][1] += 1
            elif words:
                kind, number = lists[-1] if lists else ("p", 0)
                out.append([kind, number, number < 2, [[" ".join(words), style]]])
            current = None
            continue
        if not name.islower():
            name = name.lower()
        if end:  # an end tag
            if name == "p" or name == "li":
                current = None
            elif name == "ul" or name == "ol":
                current = None
                if lists:
                    lists.pop()
            elif name in _BOLD:
                bold = max(0, bold - 1)
            elif name in _ITALIC:
                italic = max(0, italic - 1)
            elif name == "a":
                href = ""
            else:
                continue
        elif name == "p":
            current = None
            continue
        elif name == "ul" or name == "ol":
            current = None
            lists.append([name, 1])
            continue
        elif name == "li":
            if not lists:
                lists.append(["ul", 1])
            kind, number = lists[-1]
            current = [kind, number, number == 1, []]
            out.append(current)
            lists[-1][1] += 1
            continue
        elif name == "br":
            if current is None:
                kind, number = lists[-1] if lists else ("p", 0)
                current = [kind, number, number < 2, []]
                out.append(current)
            runs = current[3]
            if runs and runs[-1][1] == style:
                runs[-1][0] += "\n"
            else:
                runs.append(["\n", style])
            continue
        elif name in _BOLD:
            bold += 1
        elif name in _ITALIC:
            italic += 1
        elif name == "a":
            found = _HREF.search(attributes) if attributes else None
            href = unescape(next(group for group in found.groups() if group is not None)) if found else ""
        else:
            continue
        style = (bold > 0, italic > 0, href)
    result = []
    for block in out:
        runs = block[3]
        if not runs:
            continue
        for run in runs:
            if "\n" in run[0]:
                run[0] = _AROUND_BREAK.sub("\n", run[0])
        runs[0][0] = runs[0][0].lstrip(" \n")
        runs[-1][0] = runs[-1][0].rstrip(" \n")
        if not (runs[0][0] and runs[-1][0]):
            runs[:] = [run for run in runs if run[0]]
            if not runs:
                continue
        result.append(block)
    return result


def blocks(value: str | None) -> list[Block]:
    """The value as paragraphs and list items of styled runs (for renderers with their own markup)."""
    if not value or not value.strip():
        return []
    return [
        Block(kind, number, [Run(text, *style) for text, style in runs], first)
        for kind, number, first, runs in _read(_html_of(value))
    ]


@lru_cache(maxsize=4096)  # the iCal feed is polled by calendar apps: same texts again and again
def to_plain(value: str | None) -> str:
    """The value as plain text (iCal, CSV): paragraphs separated by a blank line, list items as
    "- item" or "1. item", links as "text (address)" when the address is not the text."""
    if not value or not value.strip():
        return ""
    out: list[str] = []
    for kind, number, first, runs in _read(_html_of(value)):
        parts = []
        for text, (_, _, link) in runs:
            if link:
                target = link.removeprefix("mailto:")
                if target.strip() != text.strip():
                    text = f"{text} ({target})"
            parts.append(text)
        text = "".join(parts)
        if kind == "ul":
            text = "- " + text
        elif kind == "ol":
            text = f"{number}. {text}"
        if out:
            out.append("\n\n" if first else "\n")
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
