"""Plays a check's steps against the reference and the submission, side by
side, and records what each answered. It decides nothing about scores.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import parse_qsl

from .http import (REDIRECT_CODES, CookieJar, Request, Response, location_path, request_url,
                   resolve_location, unquote_cookie)
from .results import Msg
from .sandbox import Fault
from .probes import PROBE_PATH
from .spec import Check, ExpectSession, ExpectStore, RequestStep, RestartStep, Step
from .stores import StoreEntry

__all__ = ["AppHandle", "Exchange", "SessionRead", "StepRun", "Transcript", "play",
           "MAX_REDIRECTS"]

MAX_REDIRECTS = 10


class AppHandle(Protocol):
    """An app the runner can talk to: a child process or a live server."""

    role: str
    session_cookie: str
    key_prefix: str | None
    #: whether requests can claim another client address (not over real HTTP)
    can_set_remote_addr: bool
    #: whether the app has the grader's probe views (app.probes): not a live server
    has_probes: bool
    #: the app's own URL rules, for "did you mean this route?" (empty if unknown)
    routes: tuple[dict, ...]

    def submit(self, request: Request) -> Fault | None: ...

    def collect(self) -> Response | Fault: ...

    def restart(self) -> Fault | Msg | None: ...

    def store_entry(self, session_id: str, prefix: str) -> StoreEntry | Msg: ...

    def session(self, cookie: str | None) -> SessionRead | Msg: ...


@dataclass(frozen=True, slots=True)
class SessionRead:
    """The session an app opened for a cookie: its values (JSON data), or
    why the app could not open it (its own error: the student's to fix)."""

    values: dict[str, Any] | None = None
    #: what the app raised, or why it gave no answer (a Msg)
    error: Any = None


@dataclass(frozen=True, slots=True)
class Exchange:
    """What one app did in one step."""

    request: Request
    #: every response of the step; more than one when redirects were followed
    responses: tuple[Response, ...] = ()
    fault: Fault | None = None
    store: StoreEntry | None = None
    store_error: Msg | None = None
    #: the session after the step, where an expectation asks about it
    session: SessionRead | None = None
    #: why the session could not be looked at (not graded)
    session_error: Msg | None = None
    #: the jar's cookies the first request did not carry: (name, path, why)
    withheld: tuple[tuple[str, str, str], ...] = ()
    #: the cookies the browser held before the step and still holds after it
    kept: tuple[tuple[str, str], ...] = ()
    #: what the app calls its session cookie (SESSION_COOKIE_NAME)
    session_cookie: str = "session"

    def cookie_name(self, name: str) -> str:
        return _app_cookie(name, self.session_cookie)

    @property
    def final(self) -> Response | None:
        return self.responses[-1] if self.responses else None

    @property
    def final_url(self) -> str:
        """The URL the final response answered: where the redirects followed led."""
        url = request_url(self.request)
        for response in self.responses[:-1]:
            url = resolve_location(response.header("Location") or "", url)
        return url


def _app_cookie(name: str, session_cookie: str) -> str:
    """What a spec's cookie is called in an app: ``session`` is the app's
    session cookie, whatever its SESSION_COOKIE_NAME calls it."""
    return session_cookie if name == "session" else name


@dataclass(frozen=True, slots=True)
class StepRun:
    index: int
    step: Step
    reference: Exchange | None = None
    submission: Exchange | None = None
    #: the step could not be played at all (e.g. restarting a live server)
    error: Msg | None = None


@dataclass(frozen=True, slots=True)
class Transcript:
    check: Check
    steps: tuple[StepRun, ...]

    @property
    def complete(self) -> bool:
        """Every step was played, and no app faulted."""
        return len(self.steps) == len(self.check.steps) and not any(map(_stopped, self.steps))


class _Side:
    """One app's state through a scenario: its cookie jar and session id."""

    def __init__(self, app: AppHandle) -> None:
        self.app = app
        self.jar: CookieJar
        self.session_id: str | None
        self.new_browser()

    def request_for(self, step: RequestStep, method: str, path: str, query, form,
                    json: str | None = None) -> Request:
        tamper = tuple(_app_cookie(name, self.app.session_cookie) for name in step.tamper)
        cookie = self.jar.header_for(path, step.cookies, tamper=tamper)
        headers = step.headers + ((("Cookie", cookie),) if cookie else ())
        return Request(method, path, query, form, headers, step.host, step.remote_addr, json)

    def new_browser(self) -> None:
        """Another browser from here on: no cookie, no session of its own yet."""
        self.jar = CookieJar()
        self.session_id = None

    def remember_session(self) -> None:
        value = self.jar.get(self.app.session_cookie)
        if value:
            self.session_id = unquote_cookie(value)


def play(check: Check, reference: AppHandle, submission: AppHandle) -> Transcript:
    """Play ``check`` against both apps, side by side."""
    sides = (_Side(reference), _Side(submission))
    runs: list[StepRun] = []
    for index, step in enumerate(check.steps):
        run = _restart(index, step, sides) if isinstance(step, RestartStep) \
            else _request(index, step, sides)
        runs.append(run)
        if _stopped(run):  # later steps depend on this one; playing on would mislead
            break
    return Transcript(check, tuple(runs))


def _stopped(run: StepRun) -> bool:
    return bool(run.error) or any(e is not None and e.fault
                                  for e in (run.reference, run.submission))


def _restart(index: int, step: RestartStep, sides: tuple[_Side, _Side]) -> StepRun:
    outcomes = []
    for side in sides:
        result = side.app.restart()
        if isinstance(result, Msg):
            return StepRun(index, step, error=result)
        outcomes.append(Exchange(Request("RESTART", "-"), fault=result))
    return StepRun(index, step, reference=outcomes[0], submission=outcomes[1])


def _request(index: int, step: RequestStep, sides: tuple[_Side, _Side]) -> StepRun:
    if step.remote_addr != "127.0.0.1" and not all(s.app.can_set_remote_addr for s in sides):
        return StepRun(index, step, error=Msg("cannot_remote_addr_live"))
    if PROBE_PATH in step.path and not all(s.app.has_probes for s in sides):
        return StepRun(index, step, error=Msg("cannot_probe_live"))
    if step.new_browser:
        for side in sides:
            side.new_browser()
    first = [side.request_for(step, step.method, step.path, step.query, step.form, step.json)
             for side in sides]
    withheld = [side.jar.withheld(step.path) for side in sides]
    held = [set(side.jar.cookies) for side in sides]
    chains: list[list[Response]] = [[], []]
    faults: list[Fault | None] = [None, None]
    pending = list(first)
    for _hop in range(MAX_REDIRECTS + 1):
        active = [i for i in (0, 1) if pending[i] is not None]
        if not active:
            break
        for i in active:  # both apps work at once
            faults[i] = sides[i].app.submit(pending[i])
        for i in active:
            if faults[i] is None:
                answer = sides[i].app.collect()
                if isinstance(answer, Fault):
                    faults[i] = answer
                else:
                    chains[i].append(answer)
                    sides[i].jar.update(answer, request_path=pending[i].path)
            pending[i] = None if faults[i] else _next_hop(step, sides[i], chains[i],
                                                          pending[i])
    exchanges = []
    for i, side in enumerate(sides):
        side.remember_session()
        store, store_error = _observe_store(step, side) if faults[i] is None else (None, None)
        session = _observe_session(step, side) if faults[i] is None else None
        exchanges.append(Exchange(
            first[i], tuple(chains[i]), faults[i], store, store_error,
            session if isinstance(session, SessionRead) else None,
            session if isinstance(session, Msg) else None, withheld[i],
            tuple(sorted(held[i] & set(side.jar.cookies))), side.app.session_cookie))
    return StepRun(index, step, reference=exchanges[0], submission=exchanges[1])


def _next_hop(step: RequestStep, side: _Side, chain: list[Response],
              sent: Request) -> Request | None:
    last = chain[-1]
    target = location_path(last.header("Location"), request_url(sent))
    if not step.follow_redirects or last.status not in REDIRECT_CODES or target is None \
            or not target.startswith("/") or len(chain) > MAX_REDIRECTS:
        return None
    path, _, query = target.partition("?")
    keep = last.status in (307, 308)  # only these keep the method and body
    pairs = tuple(parse_qsl(query, keep_blank_values=True))
    return side.request_for(step, step.method if keep else "GET", path, pairs,
                            step.form if keep else (), step.json if keep else None)


def _observe_session(step: RequestStep, side: _Side) -> SessionRead | Msg | None:
    """The session as the app opens it for the cookies the browser now holds."""
    if not any(isinstance(e, ExpectSession) for e in step.expect):
        return None
    name = side.app.session_cookie
    paths = sorted(path for held, path in side.jar.cookies if held == name)
    if len(paths) > 1:
        # which one the app reads depends on the page: no one session to read
        return SessionRead(error=Msg("session_cookie_twice",
                                     {"name": name, "paths": ", ".join(paths)}))
    return side.app.session(side.jar.header_for(step.path))


def _observe_store(step: RequestStep, side: _Side) -> tuple[StoreEntry | None, Msg | None]:
    wanted = [e for e in step.expect if isinstance(e, ExpectStore)]
    if not wanted and not step.compare.store:
        return None, None
    prefix = next((e.prefix for e in wanted if e.prefix), None) or side.app.key_prefix or ""
    if side.session_id is None:
        return StoreEntry(present=False), None
    entry = side.app.store_entry(side.session_id, prefix)
    return (None, entry) if isinstance(entry, Msg) else (entry, None)
