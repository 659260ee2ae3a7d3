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
from html import unescape

__all__ = ["normalize", "html_text", "fold_whitespace", "json_unescaped"]

_SPACE = re.compile(r"\s+")
_INVISIBLE = frozenset({"script", "style", "head", "title"})
_BLOCK = frozenset({"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6",
                    "tr", "td", "th", "table", "form", "section", "article", "header",
                    "footer", "nav", "main", "hr", "label", "option", "select", "body", "html"})


def fold_whitespace(text: str) -> str:
    return _SPACE.sub(" ", text).strip()


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
    """The text a person sees on the page (not scripts, styles or the title).

    Read in one pass, each character looked at a bounded number of times:
    the body is the student's, up to a megabyte, and the standard library's
    HTMLParser takes minutes over some (``"<?" * 500000``) and raises on
    others (``<![<![``). A tag, comment or script left open runs to the end
    of the page, as in a browser."""
    parts: list[str] = []
    hidden = 0
    at, size = 0, len(html)
    while at < size:
        lt = html.find("<", at)
        if lt < 0:
            lt = size
        if lt > at and not hidden:
            parts.append(_unescaped(html[at:lt]))
        if lt == size:
            break
        at, tag = _after_markup(html, lt, parts)
        if at < 0:
            break
        if tag is None:
            continue
        closing, name = tag.group(1), tag.group(2).lower()
        if name in _INVISIBLE:
            hidden = max(0, hidden + (-1 if closing else 1))
            if not closing and name in _RAW_END:  # their text is code, tags and all
                close = _RAW_END[name].search(html, at)
                if close is None:
                    break
                at = close.start()
        elif name in _BLOCK:
            parts.append(" ")
    return fold_whitespace("".join(parts))


def _unescaped(text: str) -> str:
    try:
        return unescape(text)
    except ValueError:  # "&#" and 5,000 digits: past what int() reads
        return text


_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)")
#: elements whose content is no markup up to their end tag
_RAW_END = {name: re.compile(rf"</{name}\b", re.I) for name in ("script", "style")}
_QUOTE_OR_END = re.compile(r"[>\"']")


def _after_markup(html: str, lt: int, parts: list[str]) -> tuple[int, re.Match | None]:
    """Where the markup at ``lt`` ends (a tag, a comment, ``<!...>``,
    ``<?...>``), or -1 if it runs to the end, and the tag's name if it is a
    tag; a "<" that starts none is text."""
    if html.startswith("<!--", lt):
        end = html.find("-->", lt + 4)
        return (-1 if end < 0 else end + 3), None
    if html.startswith(("<!", "<?"), lt):
        end = html.find(">", lt + 2)
        return (-1 if end < 0 else end + 1), None
    tag = _TAG.match(html, lt)
    if tag is None:
        parts.append("<")
        return lt + 1, None
    at = tag.end()
    while True:  # to the ">" that is not inside a quoted attribute value
        found = _QUOTE_OR_END.search(html, at)
        if found is None:
            return -1, tag
        if found.group() == ">":
            return found.end(), tag
        close = html.find(found.group(), found.end())
        if close < 0:
            return -1, tag
        at = close + 1


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
