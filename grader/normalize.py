"""Body normalisers: how a response body is read before it is compared.

``exact``       the decoded text as sent
``whitespace``  runs of white space folded to one space, ends stripped
``text``        the visible text of an HTML page, white space folded
``json``        the parsed JSON, re-dumped canonically (``None`` if not JSON)

``whitespace`` and ``text`` read a JSON document's ``\\u5c0f`` as the ``小`` it
stands for (``jsonify`` escapes all but ASCII): the text is there all the same.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

__all__ = ["normalize", "html_text", "fold_whitespace", "json_unescaped"]

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


_ESCAPE = re.compile(r"\\(?:\\|u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})"
                     r"|u([0-9a-fA-F]{4}))")


def json_unescaped(text: str) -> str:
    """A JSON object or array with its escaped non-ASCII characters written
    out, as it was before ``jsonify`` escaped them; anything else as it is.
    Only those: a quote, a backslash or a control character stays escaped,
    so the document stays the same JSON."""
    if text.lstrip()[:1] not in ("{", "["):
        return text
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return text
    return _ESCAPE.sub(_unescape, text)


def _unescape(match: re.Match) -> str:
    high, low, single = match.groups()
    if high:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    code = int(single, 16) if single else 0
    return chr(code) if code >= 0x80 and not 0xD800 <= code <= 0xDFFF else match.group(0)


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
        return fold_whitespace(json_unescaped(text))
    if how == "text":
        return html_text(json_unescaped(text))
    if how == "json":
        try:
            return json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
        except (ValueError, RecursionError):  # RecursionError: nested too deep to parse
            return None
    raise ValueError(f"unknown normaliser {how!r}")
