"""A reportlab canvas that knows the page count when it writes each page's footer ("Page 3 of 12").

reportlab writes a page as soon as it is full; the count is known only at the end. The canvas keeps
each page's state, and at save time replays them, calling the renderer's `footer(canvas, number,
total)` on each before writing it. Pure: no flask, no database.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.pdfgen.canvas import Canvas

Footer = Callable[[Canvas, int, int], None]


def page_count_canvas(footer: Footer) -> type[Canvas]:
    """A canvas class (a `canvasmaker`) that draws `footer` on every page, knowing the page count."""

    class PageCountCanvas(Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return PageCountCanvas
