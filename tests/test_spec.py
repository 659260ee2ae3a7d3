"""The spec loader: every defect gives one ``file:line`` message, and a valid
spec becomes the model the runner and comparer expect."""

from __future__ import annotations

import dataclasses
import os
import textwrap
from pathlib import Path

import pytest

from grader.errors import SpecError
from grader.spec import (
    Compare,
    ExpectAllow,
    ExpectBody,
    ExpectStatus,
    Exercise,
    RequestStep,
    RestartStep,
    StrMatch,
    Text,
    load_exercise,
)

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
VALID = DATA / "specs" / "valid"
INVALID = DATA / "specs" / "invalid"

# (file in specs/invalid/, line, message after "FILE:LINE: "); "{refs}" stands for the
# reference folders as the message prints them, relative to the current folder.
INVALID_CASES = [
    # -- reading the file ----------------------------------------------------------------
    # A key indented deeper than its siblings.
    ("bad-yaml-syntax.yaml", 10, "not valid YAML: mapping values are not allowed in this context"),
    # Zero bytes.
    ("empty.yaml", 1, "the file is empty"),
    # Latin-1 bytes in the title.
    ("not-utf8.yaml", 4, "the file is not UTF-8 text (byte 0xe9); save it as UTF-8"),
    # The same key twice in one mapping; PyYAML alone would keep the last silently.
    ("duplicate-yaml-key.yaml", 12, "duplicate key 'points'"),
    # '<<: *anchor' would copy keys from elsewhere, hiding their lines.
    ("yaml-merge-key.yaml", 6, "YAML merge keys ('<<') are not supported"),
    # A form field named by a number.
    ("yaml-non-text-key.yaml", 15, "keys must be text (got 1)"),
    # -- the shape of the document ---------------------------------------------------------
    # The document is a list holding the mapping.
    ("top-level-list.yaml", 2,
     "a spec must be a mapping of keys such as 'format', 'id' and 'checks' (got a list)"),
    # 'chekcs' for 'checks'.
    ("unknown-top-level-key.yaml", 8,
     "unknown key 'chekcs' (did you mean 'checks'?); allowed: format, id, title, topics,"
     " statement, submission, app, reference, checks"),
    # 'follow_redirect' for 'follow_redirects' inside a step.
    ("unknown-step-key.yaml", 15,
     "unknown key 'follow_redirect' in 'checks[0].steps[0]' (did you mean 'follow_redirects'?);"
     " allowed: name, action, method, path, query, form, json, headers, cookies, follow_redirects,"
     " new_browser, host, remote_addr, tamper, compare, expect"),
    # A check without 'points'.
    ("missing-points.yaml", 9, "'checks[0]' is missing the required key 'points'"),
    # points: "three"
    ("points-not-number.yaml", 10, "'checks[0].points' must be a number (got 'three')"),
    # points: 0
    ("points-zero.yaml", 10, "'checks[0].points' must be greater than 0 (got 0)"),
    # method: FETCH
    ("bad-method.yaml", 12,
     "'checks[0].method' must be one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS"
     " (got 'FETCH') (did you mean 'PATCH'?)"),
    # path: hello
    ("path-without-slash.yaml", 12,
     "'checks[0].path' must be a path starting with '/' (got 'hello')"),
    # id: id_not_kebab (the file is named alike, so only the pattern is wrong)
    ("id_not_kebab.yaml", 3, "'id' must be kebab-case (got 'id_not_kebab')"),
    # The title has 'zh' only.
    ("title-missing-en.yaml", 4, "'title' is missing the required key 'en'"),
    # format: 2
    ("format-2.yaml", 2,
     "format 2 is newer than this grader, which reads format 1; update the grader"),
    # compare: {body: jsn}
    ("bad-body-normaliser.yaml", 13,
     "'checks[0].compare.body' must be one of exact, whitespace, text, json, contains"
     " (got 'jsn') (did you mean 'json'?)"),
    # expect: {status: 99}
    ("status-out-of-range.yaml", 14, "'checks[0].expect.status' must be at least 100 (got 99)"),
    # checks: []
    ("empty-checks.yaml", 8, "'checks' must have at least 1 item(s)"),
    # Both 'steps' and an inline 'path' in one check.
    ("steps-and-inline-path.yaml", 12,
     "'checks[0]' cannot have both 'steps' and 'path'; put the request in a step, or drop 'steps'"),
    # A restart step that also gives a path.
    ("restart-step-with-path.yaml", 14,
     "'checks[0].steps[1]' cannot have both 'path' and 'action'; a restart step sends no request"),
    # -- what a schema cannot say ------------------------------------------------------------
    # id: tiny in id-mismatch.yaml
    ("id-mismatch.yaml", 3, "'id' must match the file name 'id-mismatch' (got 'tiny')"),
    # Two checks named 'hello'.
    ("duplicate-check-name.yaml", 13, "duplicate check name 'hello' (first used on line 9)"),
    # compare: {status: false} and no expect.
    ("check-compares-nothing.yaml", 13,
     "'checks[0].compare' turns every comparison off and there is no 'expect', so nothing is"
     " checked; compare something (e.g. 'status: true') or add 'expect'"),
    # 'steps' plus an inline 'method' outside them.
    ("steps-and-inline-method.yaml", 12,
     "'checks[0]' has 'steps', so 'method' belongs inside a step"),
    # A restart step that also gives a method.
    ("restart-step-with-method.yaml", 15,
     "'checks[0].steps[1]' is a restart, which sends no request, so it cannot have 'method'"),
    # The only step is a restart.
    ("only-restart-step.yaml", 9, "'checks[0]' only restarts; a check needs at least one request"),
    # regex: "Hello (world"
    ("bad-regex.yaml", 17,
     "'checks[0].expect.body.regex' is not a valid regular expression:"
     " missing ), unterminated subpattern at position 6"),
    # says: {...} beside contains, with no regex to put in words
    ("says-without-regex.yaml", 16,
     "'checks[0].expect.body.says' says in words what a 'regex' asks; there is no 'regex' here"),
    # form: {...} and json: {...} in one step
    ("json-and-form.yaml", 15, "'checks[0].json' and 'form' are both bodies: a request sends one (form fields, or JSON)"),
    # expect: {session: {}}
    ("session-without-keys.yaml", 14, "'checks[0].expect.session' needs a key: {name: value}"),
    # expect: {body: {}}
    ("empty-body-expectation.yaml", 14,
     "'checks[0].expect.body' needs a condition: equals, contains, not_contains, regex, shape, json, json_keys or differs_from_previous"),
    # expect: {body: {normalize: json}}, a way to read the body but nothing to check.
    ("body-normalize-only.yaml", 14,
     "'checks[0].expect.body' needs a condition: equals, contains, not_contains, regex, shape, json, json_keys or differs_from_previous"),
    # method: HEAD with compare: {body: json}
    ("head-compares-json-body.yaml", 14,
     "'checks[0].compare.body' cannot be compared: a HEAD response has no body"),
    # app.probes adds routes as the grader registers the blueprint; a factory registers it
    ("probes-with-factory.yaml", 9,
     "'app.probes' needs the grader to register the blueprint, and 'submission.factory'"
     " registers it itself; drop one of them"),
    # a path to a probe view with app.probes off
    ("probe-path-without-probes.yaml", 12,
     "'checks[0].path' asks a probe view (/_grader/...), but 'app.probes' is not true"),
    # abort(200) raises LookupError: in the grader's view, blamed on the reference
    ("probe-code-unknown.yaml", 16,
     "'checks[0].steps[1].path' is no probe view: they are /_grader/abort/CODE/, CODE one that"
     " abort() knows (400, 401, 403-406, 408-418, 421-424, 428, 429, 431, 451, 500-505), and"
     " /_grader/raise/"),
    # reference: reference/no-such-folder
    ("missing-reference-folder.yaml", 7,
     "the reference folder {refs}/no-such-folder does not exist"),
    # submission.file is views.py, but reference/tiny/ holds tiny.py only.
    ("reference-lacks-submission-file.yaml", 6,
     "the reference folder {refs}/tiny has no views.py, the file 'submission.file' names"),
]


def load(path: Path) -> Exercise:
    return load_exercise(path, root=DATA)


@pytest.mark.parametrize(("name", "line", "message"), INVALID_CASES,
                         ids=[case[0] for case in INVALID_CASES])
def test_invalid_spec_message(name: str, line: int, message: str) -> None:
    path = INVALID / name
    with pytest.raises(SpecError) as info:
        load(path)
    shown = os.path.relpath(path)
    message = message.replace("{refs}", os.path.relpath(DATA / "reference"))
    assert str(info.value) == f"{shown}:{line}: {message}"
    assert (info.value.path, info.value.line) == (shown, line)


def test_every_invalid_spec_has_a_case() -> None:
    on_disk = {p.name for p in INVALID.glob("*.yaml")}
    in_table = [case[0] for case in INVALID_CASES]
    assert len(in_table) == len(set(in_table)), "a file is listed twice"
    assert on_disk == set(in_table), "add a case to INVALID_CASES for each new file (and back)"


def test_valid_spec_loads() -> None:
    exercise = load(VALID / "tiny.yaml")

    assert exercise.id == "tiny"
    assert exercise.title == Text(zh="小练习", en="Tiny exercise")
    assert (exercise.submission.file, exercise.submission.blueprint) == ("tiny.py", "bp")
    assert exercise.reference == DATA / "reference" / "tiny"
    assert exercise.app.timeout == 5.0
    assert [c.name for c in exercise.checks] == ["hello", "echo-twice"]
    assert exercise.max_score == 3.5

    hello, echo = exercise.checks
    assert hello.title is None
    assert hello.line == 13
    # An inline check is one step; only what the spec says differs from the defaults.
    assert hello.steps == (RequestStep(method="GET", path="/hello",
                                       compare=Compare(body="exact"), line=13),)

    assert echo.needs_restart
    assert [type(s) for s in echo.steps] == [RequestStep, RestartStep, RequestStep]
    first, restart, last = echo.steps
    assert (first.label.en, first.method, first.path) == ("echo", "POST", "/echo")
    assert first.compare == Compare()  # status is compared by default, nothing else
    assert first.expect == (
        ExpectStatus((200,)),
        ExpectBody(normalize="text", match=StrMatch(contains=("a,b",))),
    )
    assert restart == RestartStep(line=31)
    assert last.compare == Compare(status=False, body="text")


def write_spec(tmp_path: Path, name: str, checks: str) -> Path:
    """A spec named ``name`` around ``checks`` (YAML indented as list items)."""
    path = tmp_path / f"{name}.yaml"
    path.write_text(
        f"format: 1\nid: {name}\n"
        "title: {zh: 小练习, en: Tiny exercise}\n"
        "statement: {zh: 写一个问候。, en: Write a greeting.}\n"
        "submission: {file: tiny.py, blueprint: bp}\n"
        "reference: reference/tiny\n"
        "checks:\n" + checks, encoding="utf-8")
    return path


# One request, written once inline and once as the only step of 'steps'.
_REQUEST = """\
method: POST
path: /echo
query: {page: 2}
form: {tag: [a, b]}
headers: {X-Test: "1"}
cookies: {theme: dark}
follow_redirects: true
compare: {body: exact, location: true}
expect: {status: [200, 302]}
"""
_CHECK = "  - name: echo\n    points: 1\n    hint: {zh: 提示, en: Hint}\n"


def test_inline_check_is_one_step(tmp_path: Path) -> None:
    inline = write_spec(tmp_path, "inline", _CHECK + textwrap.indent(_REQUEST, " " * 4))
    steps = write_spec(tmp_path, "steps",
                       _CHECK + "    steps:\n      -\n" + textwrap.indent(_REQUEST, " " * 8))
    (inline_step,) = load(inline).checks[0].steps
    (steps_step,) = load(steps).checks[0].steps
    assert (inline_step.line, steps_step.line) == (8, 13)  # the check's line, the step's line
    assert dataclasses.replace(inline_step, line=0) == dataclasses.replace(steps_step, line=0)
    assert inline_step.follow_redirects
    assert inline_step.headers == (("X-Test", "1"),)
    assert inline_step.cookies == (("theme", "dark"),)
    assert inline_step.compare == Compare(body="exact", location=True)
    assert inline_step.expect == (ExpectStatus((200, 302)),)


def test_repeated_keys_become_pairs(tmp_path: Path) -> None:
    path = write_spec(tmp_path, "pairs", """\
  - name: search
    points: 1
    hint: {zh: 提示, en: Hint}
    method: POST
    path: /search
    query: {tag: [a, b], page: 2}
    form: {n: [1, 2.5], q: flask}
""")
    (step,) = load(path).checks[0].steps
    assert step.query == (("tag", "a"), ("tag", "b"), ("page", "2"))
    assert step.form == (("n", "1"), ("n", "2.5"), ("q", "flask"))


@pytest.mark.parametrize("written", [
    "post",  # as Flask accepts methods=['post']; the JSON Schema lists both spellings
    "POST",
])
def test_methods_upper_or_lower_case(tmp_path: Path, written: str) -> None:
    path = write_spec(tmp_path, "methods", f"""\
  - name: post
    points: 1
    hint: {{zh: 提示, en: Hint}}
    steps:
      - method: {written}
        path: /echo
        expect: {{allow: [get, {written}]}}
""")
    (step,) = load(path).checks[0].steps
    assert step.method == "POST"
    assert step.expect == (ExpectAllow(frozenset({"GET", "POST"})),)


def test_a_body_with_json_conditions_only_expects_nothing_of_its_text(tmp_path: Path) -> None:
    # a non-JSON answer then fails as "not JSON", not also as 'contains ""'
    from grader.compare import compare_check
    from grader.http import Request, Response
    from grader.runner import Exchange, StepRun, Transcript

    spec = write_spec(tmp_path, "json", _CHECK + "    path: /echo\n"
                                                 "    expect: {body: {json_keys: {a: 1}}}\n")
    check = load(spec).checks[0]
    step = check.steps[0]
    request = Request("GET", "/echo")
    reference = Exchange(request, (Response(200, body=b'{"a": 1}'),))
    answer = Exchange(request, (Response(200, body=b"<p>not JSON</p>"),))
    verdict = compare_check(Transcript(check, (StepRun(0, step, reference, answer),)))
    assert [f.expected.key for f in verdict.steps[0].findings] == ["json_body"]


def test_the_probe_codes_are_those_abort_knows():
    from werkzeug.exceptions import default_exceptions

    from grader.probes import PROBE_CODES

    assert PROBE_CODES == set(default_exceptions)


def test_a_step_from_a_new_browser_holds_no_cookie_of_the_steps_before(tmp_path):
    # two users in one check: the second must not see the first's login
    from grader.grading import grade

    spec = tmp_path / "two-browsers.yaml"
    spec.write_text(f"""\
format: 1
id: two-browsers
title: {{zh: 两个浏览器, en: Two browsers}}
statement: {{zh: 登录。, en: Log in.}}
submission: {{file: cookie_login.py, blueprint: blue}}
reference: {ROOT / "reference" / "cookie-login"}
checks:
  - name: second-browser-is-a-guest
    points: 1
    hint: {{zh: 各自的 cookie, en: Each browser its own cookie}}
    steps:
      - method: POST
        path: /logincookie/
        form: {{name: Tom}}
        expect: {{status: 302}}
      - path: /welcomecookie/
        expect: {{body: {{contains: 欢迎Tom光临}}}}
      - path: /welcomecookie/
        new_browser: true
        expect: {{body: {{contains: 欢迎游客光临, not_contains: Tom}}}}
""", encoding="utf-8")
    exercise = load_exercise(spec, root=ROOT)
    result = grade(exercise, ROOT / "reference" / "cookie-login")
    assert result.score == result.max_score, result
    (step,) = [s for s in exercise.checks[0].steps if s.new_browser]
    assert step.path == "/welcomecookie/"
