"""Plain HTTP data shared by the runner, the child protocol and the compare
step: requests, responses, ``Set-Cookie`` parsing and a small cookie jar.

Pure data and functions: no Flask, no sockets.
"""

from __future__ import annotations

import codecs
import re
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import SplitResult, parse_qsl, unquote, urljoin, urlsplit

__all__ = ["Request", "Response", "CookieEvent", "parse_set_cookie", "cookie_events",
           "CookieJar", "cookie_names", "cookie_value", "default_path", "location_path",
           "request_url", "resolve_location", "same_location", "REDIRECT_CODES"]

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
Pairs = tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class Request:
    method: str
    path: str
    query: Pairs = ()
    form: Pairs = ()
    headers: Pairs = ()
    host: str = "localhost"
    remote_addr: str = "127.0.0.1"
    #: a JSON body, as its text (sent as application/json; never with a form)
    json: str | None = None

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    @property
    def target(self) -> str:
        from urllib.parse import urlencode

        return self.path + ("?" + urlencode(self.query) if self.query else "")


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: Pairs = ()
    body: bytes = b""
    #: the body was longer than the child may send and was cut
    truncated: bool = False
    #: the student's traceback when a view raised (the status is then usually 500)
    traceback: str | None = None
    #: the body broke off: a generator view raised after the headers went out
    broke_off: bool = False
    #: what the student's code printed while answering (cut to a few lines)
    printed: str | None = None
    #: when the grader received it (time.time()); a cookie's Expires is measured
    #: from then, so an answer replayed later keeps its lifetime
    received: float | None = None

    def header(self, name: str) -> str | None:
        return _header(self.headers, name)

    def header_all(self, name: str) -> list[str]:
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    @property
    def text(self) -> str:
        try:
            codec = codecs.lookup(self.charset).name
        except LookupError:
            codec = "utf-8"
        # a charset a web page may name; Python's other codecs (punycode, say)
        # take time in the square of the body's length, in the grader's process
        if codec not in _PAGE_CODECS:
            codec = "utf-8"
        try:
            return self.body.decode(codec, errors="replace")
        except UnicodeError:
            return self.body.decode("utf-8", errors="replace")

    @property
    def charset(self) -> str:
        match = re.search(r"charset=([\w-]+)", self.header("Content-Type") or "", re.I)
        return match.group(1) if match else "utf-8"


#: the encodings of the WHATWG Encoding Standard that Python has (by Python's
#: name for each): what a browser decodes a page with
_PAGE_CODECS = frozenset({
    "utf-8", "utf-16-le", "utf-16-be", "utf-16", "ascii", "iso8859-1", "iso8859-2", "iso8859-3",
    "iso8859-4", "iso8859-5", "iso8859-6", "iso8859-7", "iso8859-8", "iso8859-10",
    "iso8859-13", "iso8859-14", "iso8859-15", "iso8859-16", "koi8-r", "koi8-u", "mac-roman",
    "mac-cyrillic", "cp866", "cp874", "cp1250", "cp1251", "cp1252", "cp1253", "cp1254",
    "cp1255", "cp1256", "cp1257", "cp1258", "gbk", "gb2312", "gb18030", "big5", "big5hkscs",
    "euc_jp", "iso2022_jp", "shift_jis", "cp932", "euc_kr", "cp949",
})


def _header(headers: Pairs, name: str) -> str | None:
    name = name.lower()
    return next((v for k, v in headers if k.lower() == name), None)


def request_url(request: Request) -> str:
    """The whole URL a request went to (scheme and host as the app saw them)."""
    return f"http://{request.host}{request.target}"


def resolve_location(location: str, base: str) -> str:
    """The whole URL a browser goes to for ``location`` from the page at ``base``."""
    try:
        return urljoin(base, location)
    except ValueError:  # "http://[::1/": what an app sent, kept as sent
        return location


def location_path(location: str | None, base: str = "http://localhost/") -> str | None:
    """Where a ``Location`` leads from the page at ``base``, as a browser
    resolves it (``../index/`` and ``/./index/`` alike, RFC 3986 5.2): the
    path and query where it stays on base's site (``http://localhost/a/?b=1``
    → ``/a/?b=1``: compare where, not how it was written), the whole URL where
    it leaves that site."""
    if location is None:
        return None
    target = resolve_location(location, base)
    try:
        parts = urlsplit(target)
        same_site = _origin(parts) == _origin(urlsplit(base))
    except ValueError:  # "http://[::1/", or a port past 65535: compared as sent
        return location
    if not same_site:
        return target
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


def _origin(parts: SplitResult) -> tuple[str, str, int | None]:
    scheme = parts.scheme.lower()
    return scheme, (parts.hostname or "").lower(), parts.port or _DEFAULT_PORTS.get(scheme)


_DEFAULT_PORTS = {"http": 80, "https": 443}


def same_location(one: str | None, other: str | None) -> bool:
    """Whether two redirect targets (as ``location_path`` gives them) lead to
    the same place: the same site and path, and the same query parameters in
    any order of names (``url_for`` writes them in the order the view was
    given them), each name's values in order."""
    if one is None or other is None:
        return one == other
    return _location_key(one) == _location_key(other)


def _location_key(location: str) -> tuple[str, str, str, list[tuple[str, str]]]:
    try:
        parts = urlsplit(location)
    except ValueError:
        return "", "", location, []
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    return (parts.scheme.lower(), parts.netloc.lower(), unquote(parts.path or "/"),
            sorted(pairs, key=lambda pair: pair[0]))


# -- cookies -------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class CookieEvent:
    """What one ``Set-Cookie`` header does to one cookie."""

    name: str
    raw_value: str
    attrs: tuple[tuple[str, str], ...] = ()
    #: seconds from when the response was parsed until the cookie expires
    lifetime: float | None = None
    deleted: bool = False
    #: the path a browser gives it without a Path attribute (RFC 6265 5.1.4)
    default_path: str = "/"

    @property
    def value(self) -> str:
        return unquote_cookie(self.raw_value)

    def attr(self, name: str) -> str | None:
        return next((v for k, v in self.attrs if k == name), None)

    @property
    def path(self) -> str:
        path = self.attr("path") or ""
        return path if path.startswith("/") else self.default_path


_OCTAL = re.compile(r"\\([0-3][0-7]{2})|\\(.)")


def unquote_cookie(raw: str) -> str:
    """Undo Werkzeug's cookie quoting (``"\\345\\260\\217"`` → ``小``)."""
    if len(raw) < 2 or not (raw[0] == raw[-1] == '"'):
        return raw
    inner = raw[1:-1]
    data = bytearray()
    pos = 0
    for match in _OCTAL.finditer(inner):
        data += inner[pos:match.start()].encode("utf-8")
        data += bytes([int(match.group(1), 8)]) if match.group(1) else match.group(2).encode()
        pos = match.end()
    data += inner[pos:].encode("utf-8")
    return data.decode("utf-8", errors="replace")


def default_path(request_path: str) -> str:
    """Where a cookie set without a Path lives: the request's folder
    (``/logincookie/`` → ``/logincookie``; RFC 6265 5.1.4)."""
    if not request_path.startswith("/") or request_path.count("/") == 1:
        return "/"
    return request_path[:request_path.rindex("/")]


def parse_set_cookie(header: str, now: float | None = None,
                     request_path: str = "/") -> CookieEvent | None:
    """Parse one ``Set-Cookie`` value, sent in answer to ``request_path``;
    ``None`` when it has no ``name=``."""
    now = time.time() if now is None else now
    first, *rest = header.split(";")
    if "=" not in first:
        return None
    name, _, raw = first.partition("=")
    attrs: list[tuple[str, str]] = []
    for part in rest:
        key, _, val = part.strip().partition("=")
        if key:
            attrs.append((key.strip().lower(), val.strip()))
    lifetime = _lifetime(dict(attrs), now)
    deleted = lifetime is not None and lifetime <= 0
    return CookieEvent(name.strip(), raw.strip(), tuple(attrs), lifetime, deleted,
                       default_path(request_path))


def _lifetime(attrs: dict[str, str], now: float) -> float | None:
    # A valid Max-Age wins over Expires (RFC 6265 5.3); an invalid one such as
    # "604800.0" is ignored by browsers (5.2.2), so Expires decides then.
    if re.fullmatch(r"-?[0-9]+", attrs.get("max-age", "")):
        return float(attrs["max-age"])  # ±inf past a float's range, never an error
    if "expires" in attrs:
        try:
            return parsedate_to_datetime(attrs["expires"]).timestamp() - now
        except (TypeError, ValueError, OverflowError, IndexError):  # as sent: anything
            return None
    return None


def cookie_events(responses: list[Response] | tuple[Response, ...],
                  now: float | None = None, request_path: str = "/") -> dict[str, CookieEvent]:
    """Name → the last thing these responses (to ``request_path``) did to that cookie."""
    events: dict[str, CookieEvent] = {}
    for response in responses:
        for header in response.header_all("Set-Cookie"):
            event = parse_set_cookie(header, response.received if now is None else now,
                                     request_path)
            if event:
                events[event.name] = event
    return events


#: what a browser keeps of a site's cookies (RFC 6265 6.1 asks at least this
#: much): an app that set 99 cookies of 8 KB sent them back with every request
#: and into every report, and a child that stopped reading them held the grader
MAX_COOKIES, MAX_COOKIE_SIZE = 50, 4096


@dataclass(slots=True)
class CookieJar:
    """A browser's cookies for one host, enough for a scenario of requests."""

    #: (name, path) → (raw value, expiry timestamp or None for a session cookie);
    #: as in a browser, a cookie is one name at one path (RFC 6265 5.3), so
    #: deleting it at another path deletes nothing
    cookies: dict[tuple[str, str], tuple[str, float | None]] = field(default_factory=dict)
    #: the cookies sent without a Path, kept at their page's folder (RFC 6265 5.1.4)
    pathless: set[tuple[str, str]] = field(default_factory=set)

    def update(self, response: Response, now: float | None = None,
               request_path: str = "/") -> None:
        """Keep what ``response``, the answer to ``request_path``, set or deleted."""
        now = time.time() if now is None else now
        for header in response.header_all("Set-Cookie"):
            # the lifetime as sent, from its receipt; the expiry from now, as a
            # browser getting it now would keep it
            event = parse_set_cookie(header, response.received or now, request_path)
            if event is None:
                continue
            key = (event.name, event.path)
            if len(event.name) + len(event.raw_value) > MAX_COOKIE_SIZE:
                continue  # a browser ignores it
            if not event.deleted and key not in self.cookies and len(self.cookies) >= MAX_COOKIES:
                # full: a new cookie is not kept. A browser would drop its oldest,
                # but then a logout that sets 50 cookies pushes out the session
                # cookie it never cleared, and passes for one that did
                continue
            self.cookies.pop(key, None)  # a cookie set again is the newest
            if not event.deleted:
                expiry = None if event.lifetime is None else now + event.lifetime
                self.cookies[key] = (event.raw_value, expiry)
                if not (event.attr("path") or "").startswith("/"):
                    self.pathless.add(key)
                else:
                    self.pathless.discard(key)

    def header_for(self, path: str, extra: Pairs = (), now: float | None = None,
                   tamper: tuple[str, ...] = ()) -> str | None:
        """The ``Cookie`` header a browser would send for ``path`` (longer
        paths first, RFC 6265 5.4); cookies named in ``tamper`` are altered
        as an attacker would."""
        now = time.time() if now is None else now
        live = [(name, cookie_path, raw) for (name, cookie_path), (raw, expiry)
                in self.cookies.items() if _not_sent(path, cookie_path, expiry, now) is None]
        live.sort(key=lambda cookie: -len(cookie[1]))
        pairs = [(name, tampered(raw) if name in tamper else raw) for name, _, raw in live]
        pairs += list(extra)
        return "; ".join(f"{k}={v}" for k, v in pairs) or None

    def withheld(self, path: str, now: float | None = None) -> tuple[tuple[str, str, str], ...]:
        """The cookies a browser would not send for ``path``, each as (name,
        its path, why: ``path``, ``default_path`` for one sent without a Path,
        or ``expired``): a student whose cookie is "not read" has often set it
        where it is not sent."""
        now = time.time() if now is None else now
        return tuple((name, cookie_path,
                      "default_path" if why == "path" and (name, cookie_path) in self.pathless
                      else why)
                     for (name, cookie_path), (_, expiry) in self.cookies.items()
                     if (why := _not_sent(path, cookie_path, expiry, now)) is not None)

    def get(self, name: str) -> str | None:
        """The value of the cookie of this name set last, at whatever path."""
        values = [raw for (each, _), (raw, _) in self.cookies.items() if each == name]
        return values[-1] if values else None


def cookie_value(header: str | None, name: str) -> str | None:
    """The value a server reads for ``name`` from a ``Cookie`` header: the
    first one, which is the one at the longest path (RFC 6265 5.4)."""
    for part in (header or "").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name:
            return unquote_cookie(value)
    return None


def cookie_names(request: Request) -> set[str]:
    """The names of the cookies a request sent."""
    return {part.partition("=")[0].strip() for header in request.headers
            if header[0].lower() == "cookie" for part in header[1].split(";")} - {""}


def tampered(raw: str) -> str:
    """The same cookie with one character of its payload changed: a signed
    value no longer verifies, an unsigned one names another id."""
    if not raw:
        return "x"
    middle = len(raw) // 3
    swapped = "A" if raw[middle] != "A" else "B"
    return raw[:middle] + swapped + raw[middle + 1:]


def _not_sent(request_path: str, cookie_path: str, expiry: float | None,
              now: float) -> str | None:
    """Why a browser would not send a cookie with this request (``expired``
    or ``path``), or ``None`` if it would."""
    if expiry is not None and expiry <= now:
        return "expired"
    return None if _path_matches(request_path, cookie_path) else "path"


def _path_matches(request_path: str, cookie_path: str) -> bool:
    if request_path == cookie_path or cookie_path == "/":
        return True
    prefix = cookie_path if cookie_path.endswith("/") else cookie_path + "/"
    return request_path.startswith(prefix)
