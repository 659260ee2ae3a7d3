"""Property-based tests: the parts of the grader that read what others wrote
(spec files, and everything a child sends: messages, statuses, headers, cookies,
bodies) are fed random input and must answer with a result or their own error,
never a traceback.

- the spec loader: random YAML documents, mutations of every real exercise,
  random text and bytes → an :class:`Exercise` or a :class:`SpecError`;
- the runner, the comparison and the reports: every check of every exercise
  replayed from the real reference's answers, the submission's side mutated at
  random (statuses, headers, cookies, bodies, faults, store entries) → a
  :class:`CheckResult` that every report renders (and, left unmutated, the
  outcome the check really had);
- ``Set-Cookie`` parsing and the cookie jar on random header text;
- the protocol on random bytes and random messages → a message, ``None`` or a
  :class:`ProtocolError`.

Where a property found a grader bug, a pinned test below states that input;
the bugs are fixed and the pinned tests stay as regressions.
"""

from __future__ import annotations

import base64
import copy
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from grader.compare import compare_check
from grader.errors import SpecError
from grader.http import (CookieJar, Request, Response, cookie_events, location_path, parse_set_cookie,
                         same_location)
from grader.protocol import ProtocolError, parse_message, read_message, response_from_wire
from grader.report.gradescope import render_gradescope
from grader.report.markdown import render_result_markdown
from grader.report.text import render_text
from grader.results import CheckResult, GradeResult, Msg
from grader.runner import SessionRead, play
from grader.sandbox import Fault, _load_error_from, _loaded_from
from grader.spec import Exercise, list_exercises, load_exercise
from grader.stores import StoreEntry

EXERCISES = [load_exercise(p) for p in list_exercises()]
CHECKS = [(e, c) for e in EXERCISES for c in e.checks]
RAW_SPECS = {p.stem: yaml.safe_load(p.read_text(encoding="utf-8")) for p in list_exercises()}

#: a few dozen examples each keeps this file within seconds
QUICK = settings(max_examples=60, deadline=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- strategies ----------------------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=20) | st.sampled_from(["GET", "/x/", "json", "200", "", "~"]))
keys = st.text(max_size=12) | st.sampled_from(
    ["format", "id", "checks", "steps", "path", "method", "expect", "compare", "body",
     "status", "cookies", "headers", "points", "hint", "title", "name", "action", "store",
     "json_keys", "normalize", "mask", "app", "submission", "reference"])
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(keys | st.integers(), inner, max_size=4),
                         max_leaves=20)

#: charsets Python can decode; names it cannot are pinned below
CHARSETS = ["utf-8", "UTF-8", "latin-1", "iso-8859-1", "gbk", "utf-16", "ascii", "cp1252"]
content_types = st.builds(
    lambda kind, charset: kind + (f"; charset={charset}" if charset else ""),
    st.sampled_from(["text/html", "text/plain", "application/json", "", "x/y", "text"]),
    st.none() | st.sampled_from(CHARSETS))
#: Max-Age stays within a float; longer runs of digits are pinned below
max_ages = st.integers(min_value=-10**9, max_value=10**15).map(str) | st.text(max_size=6)
cookie_attributes = st.lists(st.one_of(
    st.builds("Path={}".format, st.text(max_size=10)),
    st.builds("Max-Age={}".format, max_ages),
    st.builds("Expires={}".format, st.text(max_size=30) | st.sampled_from(
        ["Thu, 01 Jan 1970 00:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT", "0", "-1",
         "Mon, 1 Jan 1 00:00:00 GMT", "Thu, 01 Jan 2020 00:00:00 +",
         "Mon, 99999999999999999999 Jan 2020 00:00:00 GMT"])),  # overflows the date
    st.sampled_from(["HttpOnly", "Secure", "SameSite=Lax", "Domain=.x", ";", "=", ""]),
    st.text(max_size=10)), max_size=5)
set_cookies = st.builds(lambda name, value, attrs: "; ".join([f"{name}={value}", *attrs]),
                        st.text(max_size=8), st.text(max_size=12), cookie_attributes) \
    | st.text(max_size=40)
headers_strategy = st.lists(st.one_of(
    st.tuples(st.just("Content-Type"), content_types),
    st.tuples(st.just("Location"), st.text(max_size=30) | st.sampled_from(
        ["/", "/testroute3/5/", "http://localhost/x/?a=1", "//evil", "", "?q", "http://[::1/"])),
    st.tuples(st.just("Set-Cookie"), set_cookies),
    st.tuples(st.just("Allow"), st.text(max_size=20) | st.sampled_from(["GET, POST", ""])),
    st.tuples(st.text(max_size=10), st.text(max_size=20))), max_size=6).map(tuple)
json_values = st.recursive(st.none() | st.booleans() | st.integers() | st.floats()
                           | st.text(max_size=10),
                           lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                           max_leaves=10)
bodies = (st.binary(max_size=200)
          | st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass"))
          | json_values.map(lambda v: json.dumps(v).encode())
          | st.sampled_from([b"money=41 next=42", b"<a href='/logoutsession/'>x</a>",
                             "欢迎小明光临".encode(), b"", b"null", b"{}"]))
responses = st.builds(Response, status=st.integers(100, 999) | st.sampled_from(
    [200, 301, 302, 303, 307, 308, 404, 405, 500]), headers=headers_strategy, body=bodies,
    truncated=st.booleans(), traceback=st.none() | st.text(max_size=80),
    printed=st.none() | st.text(max_size=40) | st.just("a lone \ud800 surrogate"))
faults = st.builds(Fault, kind=st.sampled_from(["timeout", "crashed", "other"]),
                   message=st.text(max_size=30), log=st.text(max_size=60))
#: what a child may say its session holds: any JSON, or what opening it raised
session_reads = st.builds(SessionRead, values=st.none() | st.dictionaries(
    st.text(max_size=8), json_values, max_size=4), error=st.none() | st.text(max_size=30))
store_entries = st.builds(StoreEntry, present=st.booleans(),
                          key=st.none() | st.text(max_size=10),
                          ttl=st.none() | st.floats(allow_nan=False),
                          other_key=st.none() | st.text(max_size=10))


# -- the spec loader -------------------------------------------------------------------

@pytest.fixture(scope="module")
def spec_dir():
    with tempfile.TemporaryDirectory(prefix="grader-properties-") as folder:
        yield Path(folder)


def _load_or_spec_error(path: Path, root: Path) -> None:
    try:
        exercise = load_exercise(path, root)
    except SpecError as error:
        assert str(error).startswith(str(error.path))
    else:
        assert isinstance(exercise, Exercise)


@QUICK
@given(document=documents)
def test_random_yaml_documents_load_or_give_a_spec_error(spec_dir: Path, document: Any) -> None:
    path = spec_dir / "random.yaml"
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _load_or_spec_error(path, ROOT)


@QUICK
@given(raw=st.binary(max_size=300) | st.text(max_size=300).map(lambda t: t.encode("utf-8",
                                                                                 "surrogatepass")))
def test_random_bytes_load_or_give_a_spec_error(spec_dir: Path, raw: bytes) -> None:
    path = spec_dir / "raw.yaml"
    path.write_bytes(raw)
    _load_or_spec_error(path, ROOT)


def _places(node: Any, trail: tuple = ()) -> list[tuple]:
    """Every (container path, key) in a YAML document, for picking a mutation spot."""
    found = []
    items = node.items() if isinstance(node, dict) else enumerate(node) \
        if isinstance(node, list) else ()
    for key, value in items:
        found.append((trail, key))
        found += _places(value, trail + (key,))
    return found


def _at(node: Any, trail: tuple) -> Any:
    for key in trail:
        node = node[key]
    return node


@st.composite
def mutated_specs(draw: Any) -> tuple[str, Any]:
    name = draw(st.sampled_from(sorted(RAW_SPECS)))
    document = copy.deepcopy(RAW_SPECS[name])
    for _ in range(draw(st.integers(1, 4))):
        places = _places(document)
        if not places:
            break
        trail, key = draw(st.sampled_from(places))
        container = _at(document, trail)
        how = draw(st.sampled_from(["drop", "replace", "unknown", "retype", "duplicate"]))
        if how == "drop":
            del container[key]
        elif how == "replace":
            container[key] = draw(documents)
        elif how == "unknown" and isinstance(container, dict):
            container[draw(st.text(min_size=1, max_size=10))] = draw(scalars)
        elif how == "retype":
            value = container[key]
            container[key] = ([value] if not isinstance(value, list) else
                              {"x": value}) if draw(st.booleans()) else str(value)
        elif how == "duplicate" and isinstance(container, list):
            container.append(copy.deepcopy(container[key]))
    return name, document


@QUICK
@given(spec=mutated_specs())
def test_mutated_exercises_load_or_give_a_spec_error(spec_dir: Path, spec: tuple) -> None:
    name, document = spec
    path = spec_dir / f"{name}.yaml"  # the id matches unless the mutation changed it
    path.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    _load_or_spec_error(path, ROOT)


# -- the runner, the comparison and the reports ---------------------------------------
#
# Answers drawn wholly at random almost never satisfy a check's explicit expectations
# on the reference's side, so every check would end "not graded" and the comparison
# of the submission would go untested. Instead, the real reference is played once
# (as both apps), every answer recorded; a property then replays the reference's
# answers unchanged and the submission's with random mutations, faults and random
# answers mixed in. Replayed unchanged, the check must end as it really did.

class Recorder:
    """Wraps an app handle and logs everything it answers."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.log: list[tuple[str, Any]] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.app, name)

    def _note(self, kind: str, value: Any) -> Any:
        self.log.append((kind, value))
        return value

    def submit(self, request: Request) -> Fault | None:
        return self._note("submit", self.app.submit(request))

    def collect(self) -> Response | Fault:
        return self._note("collect", self.app.collect())

    def restart(self) -> Fault | None:
        return self._note("restart", self.app.restart())

    def store_entry(self, session_id: str, prefix: str) -> Any:
        return self._note("store", self.app.store_entry(session_id, prefix))

    def session(self, cookie: str | None) -> Any:
        return self._note("session", self.app.session(cookie))


def _record(exercise: Exercise) -> list[tuple]:
    """Play every check of ``exercise`` with its reference as both apps."""
    from grader.grading import EmbeddedApp, _launch, url_prefix
    from grader.sandbox import Limits, LoadError
    from grader.spec import with_prefix
    from grader.stores import Stores

    stores = Stores(None)
    prefix = url_prefix(exercise)
    launch = _launch(exercise, exercise.reference, exercise.submission.file, prefix)
    apps = [EmbeddedApp(role, launch, exercise.app.timeout, stores, Limits())
            for role in ("reference", "submission")]
    recorded = []
    try:
        for app in apps:
            app.spawn()
        if any(isinstance(app.wait_loaded(), LoadError) for app in apps):
            return []
        for check in exercise.checks:
            for app in apps:
                app.begin_check()
            bound = with_prefix(check, prefix or "")
            sides = [Recorder(app) for app in apps]
            outcome = compare_check(play(bound, *sides), apps[1].routes).outcome
            recorded.append((exercise, bound, outcome, apps[1].routes,
                             *[(s.session_cookie, s.key_prefix, s.log) for s in sides]))
    except Exception:  # noqa: BLE001 - no Redis, say: the property uses the others
        return recorded
    finally:
        for app in apps:
            app.close()
        stores.close()
    return recorded


@pytest.fixture(scope="module")
def recordings() -> list[tuple]:
    found = [r for exercise in EXERCISES for r in _record(exercise)]
    assert len(found) >= len(CHECKS) // 2, "most checks could not be recorded"
    return found


@st.composite
def mutated_responses(draw: Any, original: Response) -> Response:
    status, headers, body = original.status, list(original.headers), original.body
    for _ in range(draw(st.integers(1, 3))):
        how = draw(st.sampled_from(["status", "drop", "add", "change", "body", "cut",
                                    "traceback"]))
        if how == "status":
            status = draw(st.sampled_from([200, 201, 301, 302, 303, 307, 400, 404, 405, 500]))
        elif how == "drop" and headers:
            headers.pop(draw(st.integers(0, len(headers) - 1)))
        elif how == "add":
            headers += draw(headers_strategy)
        elif how == "change" and headers:
            index = draw(st.integers(0, len(headers) - 1))
            name = headers[index][0]
            value = draw(set_cookies if name == "Set-Cookie" else content_types
                         if name == "Content-Type" else st.text(max_size=30))
            headers[index] = (name, value)
        elif how == "body":
            body = draw(bodies)
        elif how == "cut":
            body = body[:draw(st.integers(0, len(body)))]
        elif how == "traceback":
            return Response(500, tuple(headers), body, original.truncated,
                            draw(st.text(max_size=60)))
    return Response(status, tuple(headers), body, original.truncated, original.traceback)


class Replay:
    """An app handle that answers what was recorded; ``draw`` (when given)
    mixes in mutations, faults and random answers, and says if it did."""

    can_set_remote_addr = True
    has_probes = True

    def __init__(self, role: str, side: tuple, draw: Any = None) -> None:
        self.role = role
        self.session_cookie, self.key_prefix, log = side
        self.log = list(log)
        self.draw = draw
        self.changed = False

    def _next(self, kind: str) -> Any:
        while self.log and self.log[0][0] != kind:
            self.log.pop(0)  # the conversation went another way: skip ahead
        if self.log:
            return self.log.pop(0)[1]
        self.changed = True
        return {"collect": self.draw(responses) if self.draw else Response(404)}.get(kind)

    def _maybe(self, recorded: Any, other: Any) -> Any:
        if self.draw is None or not self.draw(st.integers(0, 3)) == 0:
            return recorded
        self.changed = True
        return self.draw(other)

    def submit(self, request: Request) -> Fault | None:
        return self._maybe(self._next("submit"), faults)

    def collect(self) -> Response | Fault:
        recorded = self._next("collect")
        if not isinstance(recorded, Response):
            return self._maybe(recorded, responses)
        return self._maybe(recorded, mutated_responses(recorded) | responses | faults)

    def restart(self) -> Fault | None:
        return self._maybe(self._next("restart"), faults)

    def store_entry(self, session_id: str, prefix: str) -> StoreEntry | Msg:
        return self._maybe(self._next("store") or StoreEntry(present=False),
                           store_entries | st.just(Msg("redis_needed", {"message": "down"})))

    def session(self, cookie: str | None) -> SessionRead | Msg:
        return self._maybe(self._next("session") or SessionRead({}),
                           session_reads | st.just(Msg("cannot_read_session_live")))


routes = st.lists(st.fixed_dictionaries({"rule": st.text(max_size=20) | st.sampled_from(
    ["/testRoute3/<int:money>/", "/welcomecookie", "/<path:p>"])}), max_size=3).map(tuple)


@QUICK
@given(data=st.data())
def test_any_answers_give_a_result_every_report_renders(recordings: list, data: Any) -> None:
    exercise, check, real, real_routes, reference, submission = data.draw(
        st.sampled_from(recordings))
    student = Replay("submission", submission, data.draw)
    given_routes = data.draw(st.just(real_routes) | routes)
    result = compare_check(play(check, Replay("reference", reference), student), given_routes)
    assert isinstance(result, CheckResult)
    if not student.changed:
        assert result.outcome == real
    graded = GradeResult(exercise.id, exercise.title, "sub.py", (result,))
    for lang in ("en", "zh"):
        assert render_text(graded, lang)
        assert json.loads(render_gradescope(graded, lang))["score"] == graded.score
        assert render_result_markdown(graded, lang)


# -- cookies ---------------------------------------------------------------------------

@QUICK
@given(header=set_cookies, now=st.floats(min_value=0, max_value=4e9), path=st.text(max_size=20))
def test_set_cookie_text_never_breaks_the_parser_or_the_jar(header: str, now: float,
                                                             path: str) -> None:
    event = parse_set_cookie(header, now)
    if event is not None:
        assert isinstance(event.value, str) and isinstance(event.path, str)
    response = Response(200, (("Set-Cookie", header), ("Set-Cookie", header + "; Max-Age=0")))
    jar = CookieJar()
    jar.update(response, now)
    jar.header_for(path, (("x", "1"),), now, tamper=tuple(name for name, _ in jar.cookies))
    cookie_events([response], now)


@QUICK
@given(one=st.text(max_size=40), other=st.text(max_size=40))
def test_any_location_header_compares_without_an_error(one: str, other: str) -> None:
    # an app can send any Location past Werkzeug (WSGI middleware): "http://[::1/" included
    for location in (one, other, "http://[" + one):
        assert isinstance(location_path(location), str)
    assert same_location(one, one)
    same_location(one, "http://[" + other)


# -- the protocol ----------------------------------------------------------------------

@QUICK
@given(data=st.binary(max_size=400) | st.lists(json_values).map(
    lambda values: b"\n".join(json.dumps(v).encode() for v in values) + b"\n"))
def test_random_bytes_are_messages_or_protocol_errors(data: bytes) -> None:
    stream = io.BytesIO(data)
    try:
        while (message := read_message(stream, limit=256)) is not None:
            assert isinstance(message, dict)
    except ProtocolError:
        pass


wire_values = json_values | st.lists(st.lists(json_values, max_size=3), max_size=3)
messages = st.dictionaries(st.sampled_from(
    ["event", "status", "headers", "body", "truncated", "traceback", "kind", "params", "file",
     "line", "routes", "session", "x"]), wire_values, max_size=8)


@QUICK
@given(message=messages | st.fixed_dictionaries({
    "event": st.just("response"), "status": st.integers(-5, 1200) | st.text(max_size=4),
    "headers": wire_values, "body": st.text(max_size=12) | st.binary(max_size=8).map(
        lambda b: base64.b64encode(b).decode())}))
@example(message={"event": "response", "status": float("inf"), "headers": [], "body": ""})
def test_random_messages_are_responses_or_protocol_errors(message: dict) -> None:
    try:
        response = response_from_wire(message)
    except ProtocolError:
        return
    assert 100 <= response.status <= 999 and isinstance(response.body, bytes)


@QUICK
@given(message=messages)
def test_random_load_errors_are_load_errors_that_render(message: dict) -> None:
    from grader.messages import render

    error = _load_error_from(message)
    assert render(error.msg, "en") and render(error.msg, "zh")


@QUICK
@given(message=st.fixed_dictionaries({
    "event": st.just("loaded"),
    "routes": st.lists(st.dictionaries(st.sampled_from(["rule", "endpoint", "x"]), json_values)
                       | json_values, max_size=4),
    "session": st.dictionaries(st.sampled_from(["server_side", "type", "key_prefix",
                                                "cookie_name"]), json_values)}) | messages)
def test_random_loaded_messages_are_checked(message: dict) -> None:
    # routes without "methods": a "methods" that is not a list is pinned below
    try:
        _loaded_from(message)
    except ProtocolError:
        pass


# -- what the properties found (fixed; kept as regressions) -------------------------------------------------------------

@pytest.mark.parametrize("charset", ["x-no-such-codec", "base64", "rot13", "idna", "punycode"])
def test_a_charset_python_cannot_decode_is_read_as_utf8(charset: str) -> None:
    response = Response(200, (("Content-Type", f"text/plain; charset={charset}"),),
                        "money=41 \xff".encode("latin-1"))
    assert response.text.startswith("money=41")


@pytest.mark.parametrize("digits", [400, 5000])
def test_a_huge_max_age_is_a_long_lifetime(digits: int) -> None:
    event = parse_set_cookie("a=1; Max-Age=1" + "0" * (digits - 1), now=0)
    assert event is not None and event.lifetime is not None and event.lifetime > 1e300


def test_a_deeply_nested_message_is_a_protocol_error() -> None:
    with pytest.raises(ProtocolError):
        parse_message(b"[" * 100_000 + b"\n")


def test_a_loaded_message_with_methods_not_a_list_is_refused_or_cleaned() -> None:
    try:
        loaded = _loaded_from({"event": "loaded", "routes": [{"rule": "/x/", "methods": 5}],
                               "session": {}})
    except ProtocolError:
        return
    assert all(isinstance(r["methods"], list) for r in loaded.routes)


def test_json_nested_too_deep_is_not_json() -> None:
    from grader.normalize import normalize

    assert normalize("[" * 100_000 + "]" * 100_000, "json") is None


@pytest.mark.parametrize("max_age", ["nan", "inf", "1e999"])
def test_a_max_age_that_is_not_a_number_is_shown(max_age: str) -> None:
    from grader.compare import _number

    assert _number(float(max_age))
