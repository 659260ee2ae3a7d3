"""Body normalisers: how a response body is read before it is compared.

``exact``       the decoded text as sent
``whitespace``  runs of white space folded to one space, ends stripped
``text``        the visible text of an HTML page, white space folded
``json``        the parsed JSON, re-dumped canonically (``None`` if not JSON)
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

__all__ = ["normalize", "html_text", "fold_whitespace"]

_SPACE = re.compile(r"\s+")
_INVISIBLE = frozenset({"script", "style", "head", "title"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "tr", "td", "th", "table", "form", "section", "article", "header",
                    "footer", "nav", "main", "hr", "label", "option", "select", "body", "html"})


def fold_whitespace(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


class _TextOf(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in _INVISIBLE:
            self._hidden += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE:
            self._hidden = max(0, self._hidden - 1)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """The text a person sees on the page (not scripts, styles or the title)."""
    parser = _TextOf()
    parser.feed(html)
    parser.close()
    return fold_whitespace("".join(parser.parts))


def normalize(text: str, how: str) -> str | None:
    if how == "exact":
        return text
    if how == "whitespace":
        return fold_whitespace(text)
    if how == "text":
        return html_text(text)
    if how == "json":
        try:
            return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
        except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
            return None
    raise ValueError(f"unknown normaliser {how!r}")
