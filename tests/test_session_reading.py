"""The parent reads a session as data: Flask's signed cookie and Flask-Session's
stored entry, never by asking the app, never by running what the app wrote."""

from __future__ import annotations

import base64
import datetime
import json
import pickle
import struct
import time
import zlib

import msgspec
import pytest
from flask import Flask, session
from markupsafe import Markup

from grader.results import Msg
from grader.sessions import MAX_BYTES, from_cookie, from_stored


def _flask_cookie(**values) -> str:
    """The session cookie Flask itself writes for ``values``."""
    app = Flask(__name__)
    app.secret_key = "test"

    @app.route("/")
    def store():
        session.update(values)
        return ""

    header = app.test_client().get("/").headers["Set-Cookie"]
    return header.partition(";")[0].partition("=")[2]


def _cookie(payload: bytes, compress: bool = False) -> str:
    data = zlib.compress(payload) if compress else payload
    text = base64.urlsafe_b64encode(data).decode().rstrip("=")
    return ("." if compress else "") + text + ".ts.sig"


def test_flask_own_cookie_is_read_with_its_tagged_values():
    cookie = _flask_cookie(name="小明", pair=(1, 2), raw=b"ab", safe=Markup("<b>"),
                           when=datetime.datetime(2026, 1, 2, tzinfo=datetime.timezone.utc))
    read = from_cookie(cookie)
    assert read["name"] == "小明"
    assert read["pair"] == [1, 2]  # a tuple reads as the list JSON makes of it
    assert read["raw"] == "b'ab'"
    assert read["safe"] == "<b>"
    assert "2026" in read["when"]


def test_a_long_session_flask_compressed_is_read():
    cookie = _flask_cookie(name="x" * 5000)
    assert cookie.startswith(".")
    assert from_cookie(cookie) == {"name": "x" * 5000}


@pytest.mark.parametrize(("cookie", "key"), [
    ("0123456789abcdef", "session_cookie_not_flask"),  # Flask-Session's id, not a session
    ("a.b", "session_cookie_not_flask"),
    ("!!!.ts.sig", "session_cookie_not_flask"),  # not base64
    (_cookie(b"not json"), "session_cookie_not_flask"),
    (_cookie(b"[1, 2]"), "session_cookie_not_flask"),  # JSON, but not a dict
    (_cookie(b"[" * 100_000), "session_cookie_not_flask"),  # nested past any recursion limit
    (".bm90IHpsaWI.ts.sig", "session_cookie_not_flask"),  # '.' but not zlib
    # a few hundred kilobytes that would inflate to 50 MB
    (_cookie(b'{"a": "' + b"x" * 50_000_000 + b'"}', compress=True), "session_too_large"),
    ("x" * (MAX_BYTES + 1), "session_too_large"),
])
def test_a_cookie_that_is_no_flask_session_says_why(cookie, key):
    assert from_cookie(cookie) == Msg(key)


def test_a_pickled_session_of_plain_values_is_read():
    when = datetime.datetime(2026, 1, 2)
    read = from_stored(pickle.dumps({"name": "小明", "seen": {1}, "when": when}), pickled=True)
    assert read["name"] == "小明"
    assert read["seen"] == "{1}"
    assert read["when"] == repr(when)


class _Runs:
    def __reduce__(self):
        return (exec, ("import builtins; builtins.PWNED = True",))


class _Student:
    pass


@pytest.mark.parametrize(("value", "name"), [
    (_Runs(), "builtins.exec"),  # a pickle that would run code names a function
    (_Student(), f"{__name__}._Student"),  # a class of the student's own
])
def test_a_pickle_that_names_code_is_refused_before_it_runs(value, name):
    import builtins

    read = from_stored(pickle.dumps({"x": value}), pickled=True)
    assert read == Msg("session_holds_object", {"name": name})
    assert not hasattr(builtins, "PWNED")


def test_a_pickle_that_shares_one_list_everywhere_is_read_within_bounds():
    shared: list = []
    for _ in range(80):  # 2**80 leaves if it were expanded
        shared = [shared, shared]
    read = from_stored(pickle.dumps({"x": shared, "big": 10 ** 5000}), pickled=True)
    assert len(json.dumps(read)) < 200_000
    assert read["big"] == "…"


@pytest.mark.parametrize(("data", "expected"), [
    (msgspec.msgpack.encode({"name": "小明"}), {"name": "小明"}),  # Flask-Session 0.8's Redis
    (b'{"name": "x"}', {"name": "x"}),  # SESSION_SERIALIZATION_FORMAT = 'json'
    (pickle.dumps({"name": "y"}), {"name": "y"}),  # Flask-Session before 0.6
    (b"\xc1 garbage", Msg("session_stored_not_readable")),
    (b"x" * (MAX_BYTES + 1), Msg("session_too_large")),
])
def test_a_session_stored_in_redis_is_read_in_any_format_flask_session_wrote(data, expected):
    assert from_stored(data, pickled=False) == expected


def _hash_bomb(width: int = 40, depth: int = 8) -> bytes:
    """A dict keyed by a tuple whose every level shares the level below:
    hashing it walks width ** depth tuples."""
    out = b"\x80\x04}" + b"K\x00\x85" + b"q\x000"  # (0,), memo 0
    for level in range(1, depth + 1):
        out += b"(" + (b"h" + bytes([level - 1])) * width + b"t" + b"q" + bytes([level]) + b"0"
    return out + b"h" + bytes([depth]) + b"K\x01s."


@pytest.mark.parametrize(("data", "why"), [
    # C's unpickler sizes its memo from the index named: 16 GB for nine bytes
    (b"\x80\x04N" + b"r" + struct.pack("<I", 0x3FFFFFFF) + b".", "session_stored_not_readable"),
    (_hash_bomb(), "session_stored_not_readable"),
    # what Python raises building a value it was handed: not only UnpicklingError
    (b"\x80\x04}X\x04\x00\x00\x00namecdecimal\nDecimal\nX\x03\x00\x00\x00abc\x85Rs.",
     "session_stored_not_readable"),
    (b"\x80\x04}" + pickle.dumps(10 ** 5000, 4)[2:-1] + b"Ns.", "session_stored_not_readable"),
    # BUILD on a class: Markup.escape = 1, in the grader's own process
    (b"\x80\x04cmarkupsafe\nMarkup\nN}X\x06\x00\x00\x00escapeK\x01s\x86b0}s.",
     "session_stored_not_readable"),
])
def test_a_crafted_pickle_costs_the_parent_nothing(data, why):
    started = time.process_time()
    assert from_stored(data, pickled=True) == Msg(why)
    assert time.process_time() - started < 1
    assert isinstance(Markup.__dict__["escape"], classmethod)  # the class as it was


def test_a_lone_surrogate_in_a_session_is_text_every_output_can_write():
    read = from_cookie(_cookie(b'{"name": "\\ud800", "\\udfff": 1}'))
    assert read == {"name": "\\ud800", "\\udfff": 1}
    json.dumps(read, ensure_ascii=False).encode("utf-8")


def test_one_string_shared_a_thousand_times_is_read_within_bounds():
    # 330k lone surrogates, each written out as 6 characters, 9,990 times over:
    # 21 GB of the parent's memory at 2,000 copies
    text = "\ud800" * 330_000
    started = time.process_time()
    read = from_stored(pickle.dumps({"x": [text] * 2000}), pickled=True)
    assert time.process_time() - started < 2
    assert sum(len(item) for item in read["x"]) < 16 << 20


def test_a_large_set_or_bytes_shared_everywhere_is_read_within_bounds():
    big = {"x": [set(range(100_000))] * 3000, "y": [b"b" * 500_000] * 3000}
    started = time.process_time()
    read = from_stored(pickle.dumps(big), pickled=True)
    assert time.process_time() - started < 2
    assert read["x"][0].startswith("{0, 1, 2") and read["x"][0].endswith(", …}")
