"""Exercise specs: YAML → validated, frozen dataclasses. No Flask here.

Raw YAML never leaves this module; everything downstream sees the model.
"""

from __future__ import annotations

import json as _json

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

from .errors import ExerciseNotFound, SpecError
from .located import LDict, load_located
from .schema import Ctx
from .spec_format import EXERCISE

__all__ = [
    "Text", "StrMatch", "NumMatch", "ExpectStatus", "ExpectHeader", "ExpectLocation",
    "ExpectAllow", "ExpectBody", "ExpectCookie", "ExpectStore",
    "ExpectSession", "Expectation", "Compare",
    "RequestStep", "RestartStep", "Step", "Check", "SubmissionSpec", "AppSpec", "Exercise",
    "load_exercise", "exercises_dir", "find_exercise", "list_exercises", "with_prefix",
    "under_cwd",
]


@dataclass(frozen=True, slots=True)
class Text:
    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True, slots=True)
class StrMatch:
    """Conditions on a text; all that are set must hold."""

    equals: str | None = None
    contains: tuple[str, ...] = ()
    not_contains: tuple[str, ...] = ()
    regex: str | None = None
    #: the whole text has this shape (uuid, integer, …), for values that vary
    shape: str | None = None
    #: what a report shows in place of ``regex``: the text expected, in words
    says: Text | None = None


@dataclass(frozen=True, slots=True)
class NumMatch:
    approx: float
    within: float = 0


@dataclass(frozen=True, slots=True)
class ExpectStatus:
    codes: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ExpectHeader:
    name: str
    match: StrMatch


@dataclass(frozen=True, slots=True)
class ExpectLocation:
    match: StrMatch


@dataclass(frozen=True, slots=True)
class ExpectAllow:
    methods: frozenset[str]


@dataclass(frozen=True, slots=True)
class ExpectBody:
    normalize: str
    match: StrMatch
    json: Any = None
    has_json: bool = False
    #: top-level keys of a JSON object and their expected values
    json_keys: tuple[tuple[str, Any], ...] = ()
    #: must differ from the same app's body in the previous request step
    differs: bool = False


CookieState = Literal["set", "deleted", "absent"]


@dataclass(frozen=True, slots=True)
class ExpectCookie:
    name: str
    state: CookieState
    value: StrMatch | None = None
    path: str | None = None
    max_age: NumMatch | None = None
    expires_in: NumMatch | None = None
    httponly: bool | None = None


@dataclass(frozen=True, slots=True)
class ExpectSession:
    """What the session holds after a step, as the app reads it on the next
    request: key → value, None for a key that must be absent."""

    values: tuple[tuple[str, Any], ...]


@dataclass(frozen=True, slots=True)
class ExpectStore:
    session: Literal["present", "absent"] | None = None
    prefix: str | None = None
    ttl: NumMatch | None = None


Expectation = (ExpectStatus | ExpectHeader | ExpectLocation | ExpectAllow | ExpectBody
               | ExpectCookie | ExpectStore | ExpectSession)


@dataclass(frozen=True, slots=True)
class Compare:
    """What must match the reference's response."""

    status: bool = True
    location: bool = False
    allow: bool = False
    headers: tuple[str, ...] = ()
    cookies: tuple[str, ...] = ()
    body: str | None = None
    store: bool = False
    #: regexes blanked in both bodies before comparing (parts that vary by run)
    mask: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RequestStep:
    method: str
    path: str
    query: tuple[tuple[str, str], ...] = ()
    form: tuple[tuple[str, str], ...] = ()
    #: a JSON body to send, as its text
    json: str | None = None
    headers: tuple[tuple[str, str], ...] = ()
    cookies: tuple[tuple[str, str], ...] = ()
    follow_redirects: bool = False
    #: from here on another browser: the cookie jar starts empty
    new_browser: bool = False
    host: str = "localhost"
    remote_addr: str = "127.0.0.1"
    #: cookies from the jar sent altered, as an attacker would
    tamper: tuple[str, ...] = ()
    compare: Compare = field(default_factory=Compare)
    expect: tuple[Expectation, ...] = ()
    label: Text | None = None
    line: int = 0


@dataclass(frozen=True, slots=True)
class RestartStep:
    """Stop both apps and start them again on the same session store."""

    label: Text | None = None
    line: int = 0


Step = RequestStep | RestartStep


@dataclass(frozen=True, slots=True)
class Check:
    name: str
    points: float
    hint: Text
    steps: tuple[Step, ...]
    title: Text | None = None
    line: int = 0

    @property
    def needs_restart(self) -> bool:
        return any(isinstance(s, RestartStep) for s in self.steps)


@dataclass(frozen=True, slots=True)
class SubmissionSpec:
    file: str
    blueprint: str
    factory: str | None = None
    configure: str | None = None


@dataclass(frozen=True, slots=True)
class AppSpec:
    config: tuple[tuple[str, Any], ...] = ()
    url_prefix: str | None = None
    timeout: float = 5.0
    #: "server": the grader sets up Flask-Session if the student's code does not
    session: str | None = None
    #: the grader adds routes of its own that abort or raise (see ``grader.mount``)
    probes: bool = False


@dataclass(frozen=True, slots=True)
class Exercise:
    id: str
    title: Text
    statement: Text
    submission: SubmissionSpec
    app: AppSpec
    checks: tuple[Check, ...]
    reference: Path
    path: Path
    topics: tuple[str, ...] = ()

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)


# -- building the model from validated YAML ----------------------------------

def _text(data: dict) -> Text:
    return Text(zh=data["zh"], en=data["en"])


def _texts(value: str | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _str_match(data: str | dict, ctx: Ctx) -> StrMatch:
    if isinstance(data, str):
        return StrMatch(equals=data)
    if not data:
        ctx.fail("needs at least one of equals, contains, not_contains, regex, shape")
    if "regex" in data:
        _compile(data["regex"], ctx.key("regex", _line(data, "regex")))
    elif "says" in data:
        ctx.key("says", _line(data, "says")).fail("says in words what a 'regex' asks; "
                                                  "there is no 'regex' here")
    return StrMatch(equals=data.get("equals"), contains=_texts(data.get("contains")),
                    not_contains=_texts(data.get("not_contains")), regex=data.get("regex"),
                    shape=data.get("shape"),
                    says=_text(data["says"]) if "says" in data else None)


def _compile(pattern: str, ctx: Ctx) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        ctx.fail(f"is not a valid regular expression: {exc}")


def _line(data: Any, key: str) -> int:
    return data.line_of(key) if isinstance(data, LDict) else 0


def _num_match(data: int | dict | None) -> NumMatch | None:
    if data is None:
        return None
    if isinstance(data, dict):
        return NumMatch(approx=data["approx"], within=data.get("within", 0))
    return NumMatch(approx=data)


def _pairs(data: dict | None) -> tuple[tuple[str, str], ...]:
    pairs: list[tuple[str, str]] = []
    for key, value in (data or {}).items():
        for item in value if isinstance(value, list) else [value]:
            pairs.append((key, str(item)))  # a float's str() is its repr(): 1.5 → "1.5"
    return tuple(pairs)


_BODY_CONDITIONS = ("equals", "contains", "not_contains", "regex", "shape", "json", "json_keys")


def _expectations(data: LDict, ctx: Ctx) -> tuple[Expectation, ...]:
    found: list[Expectation] = []
    if "status" in data:
        codes = data["status"]
        found.append(ExpectStatus(tuple(codes) if isinstance(codes, list) else (codes,)))
    for name, match in data.get("headers", {}).items():
        found.append(ExpectHeader(name, _str_match(
            match, ctx.key(f"headers.{name}", _line(data["headers"], name)))))
    if "location" in data:
        found.append(ExpectLocation(_str_match(data["location"],
                                               ctx.key("location", data.line_of("location")))))
    if "allow" in data:
        found.append(ExpectAllow(frozenset(data["allow"])))
    if "body" in data:
        body = data["body"]
        body_ctx = ctx.key("body", data.line_of("body"))
        conditions = LDict({k: v for k, v in body.items() if k in
                            ("equals", "contains", "not_contains", "regex", "shape", "says")})
        conditions.line, conditions.key_lines = body.line, body.key_lines
        # only JSON conditions, or differs_from_previous: no condition on the text
        match = _str_match(conditions, body_ctx) if conditions else StrMatch()
        if not (set(body) & set(_BODY_CONDITIONS) or body.get("differs_from_previous")):
            body_ctx.fail(f"needs a condition: {', '.join(_BODY_CONDITIONS)}"
                          " or differs_from_previous")
        found.append(ExpectBody(
            body.get("normalize", "json" if "json" in body or "json_keys" in body else "text"),
            match, json=body.get("json"), has_json="json" in body,
            differs=body.get("differs_from_previous", False),
            json_keys=tuple(body.get("json_keys", {}).items())))
    for name, cookie in data.get("cookies", {}).items():
        cookie_ctx = ctx.key(f"cookies.{name}", _line(data["cookies"], name))
        found.append(_cookie(name, cookie, cookie_ctx))
    if "store" in data:
        store = data["store"]
        if not store:
            ctx.key("store", data.line_of("store")).fail("needs session, prefix or ttl")
        found.append(ExpectStore(session=store.get("session"), prefix=store.get("prefix"),
                                 ttl=_num_match(store.get("ttl"))))
    if "session" in data:
        if not data["session"]:
            ctx.key("session", data.line_of("session")).fail("needs a key: {name: value}")
        found.append(ExpectSession(tuple(data["session"].items())))
    return tuple(found)


def _cookie(name: str, data: str | dict, ctx: Ctx) -> ExpectCookie:
    if isinstance(data, str):
        return ExpectCookie(name, data)  # type: ignore[arg-type]
    return ExpectCookie(
        name, "set",
        value=_str_match(data["value"], ctx.key("value", _line(data, "value")))
        if "value" in data else None,
        path=data.get("path"), max_age=_num_match(data.get("max_age")),
        expires_in=_num_match(data.get("expires_in")), httponly=data.get("httponly"))


def _label(name: str | dict | None) -> Text | None:
    if name is None:
        return None
    return Text(zh=name, en=name) if isinstance(name, str) else _text(name)


def _compare(data: LDict | None, ctx: Ctx) -> Compare:
    data = data or LDict()
    masks = data.get("mask", [])
    for index, pattern in enumerate(masks):
        _compile(pattern, ctx.key("mask", 0).index(index, masks.line_of(index)))
    return Compare(status=data.get("status", True), location=data.get("location", False),
                   allow=data.get("allow", False), headers=tuple(data.get("headers", ())),
                   cookies=tuple(data.get("cookies", ())), body=data.get("body"),
                   store=data.get("store", False), mask=tuple(masks))


def _step(data: LDict, ctx: Ctx) -> Step:
    if "action" in data:
        extra = [k for k in data if k not in ("action", "name")]
        if extra:
            Ctx(ctx.path, ctx.where, data.line_of(extra[0])).fail(
                f"is a restart, which sends no request, so it cannot have"
                f" {', '.join(map(repr, extra))}")
        return RestartStep(label=_label(data.get("name")), line=data.line)
    compare = _compare(data.get("compare"), ctx.key("compare", data.line_of("compare")))
    expect = _expectations(data.get("expect", LDict()), ctx.key("expect", data.line_of("expect")))
    compared = (compare.status or compare.location or compare.allow or compare.headers
                or compare.cookies or compare.body or compare.store)
    if not compared and not expect:
        if "compare" in data:
            ctx.key("compare", data.line_of("compare")).fail(
                "turns every comparison off and there is no 'expect', so nothing is checked;"
                " compare something (e.g. 'status: true') or add 'expect'")
        ctx.fail("checks nothing: give 'compare' or 'expect'")
    if "json" in data and "form" in data:
        ctx.key("json", data.line_of("json")).fail(
            "and 'form' are both bodies: a request sends one (form fields, or JSON)")
    if compare.body == "json" and data.get("method", "GET") == "HEAD":
        ctx.key("compare.body", data["compare"].line_of("body")).fail(
            "cannot be compared: a HEAD response has no body")
    return RequestStep(
        method=data.get("method", "GET"), path=data["path"], query=_pairs(data.get("query")),
        form=_pairs(data.get("form")), headers=_pairs(data.get("headers")),
        json=_json.dumps(data["json"], ensure_ascii=False) if "json" in data else None,
        cookies=_pairs(data.get("cookies")), follow_redirects=data.get("follow_redirects", False),
        new_browser=data.get("new_browser", False),
        host=data.get("host", "localhost"), remote_addr=data.get("remote_addr", "127.0.0.1"),
        tamper=tuple(data.get("tamper", ())), compare=compare, expect=expect,
        label=_label(data.get("name")), line=data.line)


def _check(data: LDict, ctx: Ctx) -> Check:
    if "steps" in data:
        step_keys = [k for k in data if k not in ("name", "points", "title", "hint", "steps")]
        if step_keys:
            Ctx(ctx.path, ctx.where, data.line_of(step_keys[0])).fail(
                f"has 'steps', so {', '.join(map(repr, step_keys))}"
                f" {'belongs' if len(step_keys) == 1 else 'belong'} inside a step")
        steps_data = data["steps"]
        steps = tuple(_step(s, ctx.key("steps", 0).index(i, steps_data.line_of(i)))
                      for i, s in enumerate(steps_data))
    else:
        inline = LDict({k: v for k, v in data.items() if k not in ("name", "points", "title", "hint")})
        inline.line, inline.key_lines = data.line, data.key_lines
        steps = (_step(inline, ctx),)
    if all(isinstance(s, RestartStep) for s in steps):
        ctx.fail("only restarts; a check needs at least one request")
    return Check(name=data["name"], points=data["points"], hint=_text(data["hint"]),
                 steps=steps, title=_text(data["title"]) if "title" in data else None,
                 line=data.line)


def build_exercise(data: LDict, path: Path, root: Path) -> Exercise:
    """Turn validated YAML into the model, checking what a schema cannot."""
    shown = _display(path)
    ctx = Ctx(shown, "", data.line)
    if path.stem != data["id"]:
        ctx.key("id", data.line_of("id")).fail(
            f"must match the file name {path.stem!r} (got {data['id']!r})")
    checks_data = data["checks"]
    checks = []
    seen: dict[str, int] = {}
    for i, check_data in enumerate(checks_data):
        check_ctx = ctx.key("checks", 0).index(i, checks_data.line_of(i))
        name = check_data["name"]
        if name in seen:
            Ctx(shown, "", check_data.line_of("name")).fail(
                f"duplicate check name {name!r} (first used on line {seen[name]})")
        seen[name] = check_data.line_of("name")
        checks.append(_check(check_data, check_ctx))
    app_data = data.get("app", {})
    _check_probe_paths(checks_data, checks, bool(app_data.get("probes")), shown)
    reference = root / data.get("reference", f"reference/{data['id']}")
    if not reference.is_dir():
        default = "" if "reference" in data else " (the default for this id; set 'reference')"
        Ctx(shown, "", data.line_of("reference" if "reference" in data else "id")).fail(
            f"the reference folder {_display(reference)} does not exist{default}")
    submission = data["submission"]
    if app_data.get("probes") and submission.get("factory"):
        Ctx(shown, "", app_data.line_of("probes")).fail(
            "'app.probes' needs the grader to register the blueprint, and 'submission.factory'"
            " registers it itself; drop one of them")
    if not (reference / submission["file"]).is_file():
        Ctx(shown, "", submission.line_of("file")).fail(
            f"the reference folder {_display(reference)} has no {submission['file']},"
            f" the file 'submission.file' names")
    return Exercise(
        id=data["id"], title=_text(data["title"]), statement=_text(data["statement"]),
        submission=SubmissionSpec(**data["submission"]),
        app=AppSpec(config=tuple(app_data.get("config", {}).items()),
                    url_prefix=app_data.get("url_prefix"),
                    timeout=app_data.get("timeout", 5.0), session=app_data.get("session"),
                    probes=bool(app_data.get("probes", False))),
        checks=tuple(checks), reference=reference, path=path,
        topics=tuple(data.get("topics", ())))


def under_cwd(path: Path) -> Path:
    """``path`` relative to the current folder if it lies under it, as a
    user who runs the grader there would write it; otherwise as it is."""
    cwd = Path.cwd()
    return path.relative_to(cwd) if path.is_relative_to(cwd) else path


def _check_probe_paths(checks_data: list, checks: list[Check], probes: bool,
                       shown: str) -> None:
    """A path to the grader's probe views needs ``app.probes``, and a code
    that abort() knows (see ``grader.probes``)."""
    from .probes import probe_problem

    for i, check in enumerate(checks):
        for j, step in enumerate(check.steps):
            problem = probe_problem(step.path, probes) \
                if isinstance(step, RequestStep) else None
            if problem:
                data = checks_data[i]["steps"][j] if "steps" in checks_data[i] else checks_data[i]
                where = f"checks[{i}]" + (f".steps[{j}]" if "steps" in checks_data[i] else "")
                Ctx(shown, f"{where}.path", data.line_of("path")).fail(problem)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)


def load_exercise(path: Path | str, root: Path | None = None) -> Exercise:
    """Load and validate one spec file; raises :class:`SpecError` with file:line."""
    path = Path(path)
    root = root or path.resolve().parent.parent
    shown = _display(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SpecError(f"cannot read the file: {exc.strerror}", path=shown) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SpecError(f"the file is not UTF-8 text (byte {raw[exc.start]:#04x});"
                        f" save it as UTF-8", path=shown, line=line) from None
    data = load_located(text, shown)
    if not isinstance(data, LDict):
        raise SpecError(f"a spec must be a mapping of keys such as 'format', 'id' and 'checks'"
                        f" (got {'a list' if isinstance(data, list) else repr(data)})",
                        path=shown, line=getattr(data, "line", 1))
    if isinstance(data.get("format"), int) and data["format"] > 1:
        raise SpecError(f"format {data['format']} is newer than this grader, which reads"
                        f" format 1; update the grader", path=shown, line=data.line_of("format"))
    validated = EXERCISE.validate(data, Ctx(shown, "", getattr(data, "line", 1)))
    return build_exercise(validated, path, root)


# -- binding a check to one run ----------------------------------------------------

def with_prefix(check: Check, prefix: str) -> Check:
    """The check as played under ``prefix``: step paths start with it, and
    ``{prefix}`` in expected texts (a regex gets it escaped) becomes it."""
    if not prefix:
        return check
    steps = tuple(replace(s, path=prefix + s.path,
                          expect=tuple(_expect_with_prefix(e, prefix) for e in s.expect))
                  if isinstance(s, RequestStep) else s for s in check.steps)
    return replace(check, steps=steps)


def _expect_with_prefix(expectation: Expectation, prefix: str) -> Expectation:
    if isinstance(expectation, (ExpectHeader, ExpectLocation, ExpectBody)):
        return replace(expectation, match=_match_with_prefix(expectation.match, prefix))
    return expectation


def _match_with_prefix(match: StrMatch, prefix: str) -> StrMatch:
    def text(value: str) -> str:
        return value.replace("{prefix}", prefix)

    return replace(match, equals=None if match.equals is None else text(match.equals),
                   contains=tuple(map(text, match.contains)),
                   not_contains=tuple(map(text, match.not_contains)),
                   regex=None if match.regex is None
                   else match.regex.replace("{prefix}", re.escape(prefix)),
                   says=None if match.says is None
                   else Text(zh=text(match.says.zh), en=text(match.says.en)))


# -- finding exercises --------------------------------------------------------

def exercises_dir() -> Path:
    """``$GRADER_EXERCISES``, else the ``exercises/`` beside the package."""
    configured = os.environ.get("GRADER_EXERCISES")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / "exercises"


def list_exercises(directory: Path | None = None) -> list[Path]:
    directory = directory or exercises_dir()
    return sorted(directory.glob("*.yaml"))


def find_exercise(exercise_id: str, directory: Path | None = None) -> Exercise:
    directory = directory or exercises_dir()
    candidate = Path(exercise_id)
    if candidate.suffix == ".yaml" and candidate.is_file():
        return load_exercise(candidate)
    path = directory / f"{exercise_id}.yaml"
    if not path.is_file():
        raise ExerciseNotFound(exercise_id, (p.stem for p in list_exercises(directory)))
    return load_exercise(path, directory.parent)
