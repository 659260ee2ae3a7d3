"""What the trusted parent takes from a child's messages and answers: the
child runs student code, which can write anything to its socket (red team
round 9 did, with each of the cases below)."""

from __future__ import annotations

import json
import socket

import pytest

from grader.http import MAX_COOKIE_SIZE, MAX_COOKIES, CookieJar, Response
from grader.protocol import parse_message
from grader.resultio import dumps, loads
from grader.results import GradeResult
from grader.sandbox import _load_error_from, send_within
from grader.spec import Text


def test_a_lone_surrogate_sent_as_raw_bytes_becomes_text_every_output_can_encode():
    # json.loads(bytes) decodes with surrogatepass: ED A0 80 became "\ud800",
    # which crashed the cookie jar (a traceback in grade, "error" in a batch)
    message = parse_message(b'{"event": "response", "value": "a\xed\xa0\x80b"}')
    message["value"].encode("utf-8")
    assert message["value"].startswith("a") and message["value"].endswith("b")


@pytest.mark.parametrize("params", [
    {"error": {"$type": "Msg", "key": "load_import", "params": "zzz"}},  # forged model data
    {"error": json.loads("[" * 900 + "]" * 900)},  # nested past what to_data recurses
    {"error": float("nan"), "other": float("inf")},  # not strict JSON
    {"error": "A" * 4_000_000},  # into every report and the cache
])
def test_a_load_error_keeps_the_childs_parameters_as_short_text(params):
    error = _load_error_from({"event": "load_error", "kind": "exception", "params": params})
    assert all(isinstance(v, str) and len(v) < 2100 for v in error.params.values())
    # it survives the cache as it was, and as strict JSON
    result = GradeResult("x", Text(en="x", zh="x"), "x.py", (), load_error=error)
    text = dumps(result)
    json.loads(text, parse_constant=lambda constant: pytest.fail(constant))
    assert loads(text).load_error == error


@pytest.mark.parametrize("line", [10 ** 4000, -3, 0, True, "12"])
def test_a_load_errors_line_is_a_line_number_or_none(line):
    # a 4,000-digit line went into the report and the ci annotation's line=
    error = _load_error_from({"event": "load_error", "kind": "syntax", "line": line})
    assert error.line is None
    assert _load_error_from({"event": "load_error", "kind": "syntax", "line": 12}).line == 12


def test_the_cookie_jar_keeps_what_a_browser_keeps():
    jar = CookieJar()
    big = "x" * MAX_COOKIE_SIZE
    jar.update(Response(200, (("Set-Cookie", f"big={big}; Path=/"),), b""))
    assert not jar.cookies  # a browser ignores a cookie over 4 KB
    jar.update(Response(200, (("Set-Cookie", "session=logged-in; Path=/"),), b""))
    # red team round 10: evicting the oldest let a logout that never cleared the
    # session push its cookie out with 50 new ones, and pass for a real logout
    jar.update(Response(200, tuple(("Set-Cookie", f"c{n}=v; Path=/")
                                   for n in range(MAX_COOKIES + 10)), b""))
    assert len(jar.cookies) == MAX_COOKIES
    assert jar.cookies[("session", "/")][0] == "logged-in"
    assert (f"c{MAX_COOKIES + 9}", "/") not in jar.cookies  # full: a new one is not kept
    jar.update(Response(200, (("Set-Cookie", "session=; Max-Age=0; Path=/"),
                              ("Set-Cookie", "c0=w; Path=/")), b""))
    assert ("session", "/") not in jar.cookies and jar.cookies[("c0", "/")][0] == "w"


def test_a_child_that_stops_reading_cannot_hold_the_parent():
    # a Cookie header of its own cookies, bigger than a socket holds, to a
    # child that no longer reads: the write waited for ever, in grade and batch
    parent, child = socket.socketpair()
    with parent, child, parent.makefile("wb") as stream:
        with pytest.raises(TimeoutError):
            send_within(stream, b"x" * (8 << 20), timeout=0.3)
        assert parent.getblocking()  # the socket is as it was, for the replies
    parent, child = socket.socketpair()
    with parent, child, parent.makefile("wb") as stream:
        send_within(stream, b"small\n", timeout=0.3)
        assert child.recv(100) == b"small\n"
