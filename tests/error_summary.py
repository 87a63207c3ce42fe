"""The error summary's links must land on a field of the same page (WCAG 3.3.1: the link moves focus there).

The test client checks every page it receives with this (``tests/conftest.py``), so each test
that posts a form with mistakes also checks that form's summary.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.summary_links: list[str] = []
        self._open: list[bool] = []  # per open div: is it (inside) the error summary

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(str(found["id"]))
        inside = bool(self._open and self._open[-1])
        if tag == "div":
            self._open.append(inside or "error-summary" in (found.get("class") or "").split())
        elif tag == "a" and inside and (found.get("href") or "").startswith("#"):
            self.summary_links.append(str(found["href"])[1:])

    def handle_endtag(self, tag: str) -> None:
        if tag == "div" and self._open:
            self._open.pop()


def summary_links_to_nowhere(html: str) -> list[str]:
    """The error summary's anchors that no element of the page has as its id."""
    page = _Page()
    page.feed(html)
    return [target for target in page.summary_links if target not in page.ids]
