"""Pure comparison: a transcript of both apps' answers + the spec → a check
result. No I/O, no processes; every verdict of the grader is made here.

Blame is assigned with care: when the *reference* fails a step (it faults,
raises, or misses an explicit expectation) the check is an ``error`` of the
exercise, never the student's failure.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Iterator
from dataclasses import replace
from http import HTTPStatus
from urllib.parse import urlsplit

from .http import (REDIRECT_CODES, CookieEvent, Response, cookie_events, cookie_names,
                   location_path, same_location)
from .normalize import normalize
from .probes import PROBE_PATH
from .results import CheckResult, Finding, Msg, StepReport
from .runner import Exchange, SessionRead, StepRun, Transcript
from .sandbox import Fault
from .spec import (Compare, ExpectAllow, ExpectBody, ExpectCookie, ExpectHeader, Expectation,
                   ExpectLocation, ExpectSession, ExpectStatus, ExpectStore, NumMatch, RequestStep,
                   StrMatch)
from .stores import StoreEntry

__all__ = ["compare_check", "route_hints", "status_line", "mask", "SHAPES"]

#: seconds two cookie lifetimes or store TTLs may differ and still agree
LIFETIME_SLACK = 120.0
SHOWN_CHARS = 300
#: Flask passes route variables as keyword arguments; a view without the
#: parameter fails like this (the notes' own testrooute3 does)
#: what "shape: X" accepts: values that differ between runs, matched by form
SHAPES = {
    "uuid": re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                       r"[0-9a-fA-F]{12}"),
    # as str(uuid.uuid4()) writes it: .upper() is another text, though the same number
    "uuid4": re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"),
    "integer": re.compile(r"[+-]?[0-9]+"),
    "number": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"),
    "hex": re.compile(r"[0-9a-fA-F]+"),
    "word": re.compile(r"\w+"),
    "nonempty": re.compile(r"(?s).+"),
}
_MISSING_PARAM = re.compile(r"got an unexpected keyword argument '(\w+)'")
#: where a step asks the grader's probe view that raises (app.probes): its
#: exception is the grader's, so the child keeps no traceback of it
_PROBE_RAISE = PROBE_PATH + "raise/"
#: what a traceback says when a view wrote past the file size limit, or returned None
_TOO_LARGE = re.compile(r"OSError: \[Errno 27\]")
_RETURNED_NONE = re.compile(r"did not return a valid response.*returned None", re.S)


#: why a check is not graded, where the step's answers would say nothing more
_NOT_EXPLAINED_BY_ANSWERS = frozenset({"cannot_restart_live", "cannot_read_session_live",
                                       "cannot_inspect_live", "cannot_remote_addr_live",
                                       "cannot_probe_live"})


def compare_check(transcript: Transcript, routes: tuple[dict, ...] = ()) -> CheckResult:
    check = transcript.check
    reports: list[StepReport] = []
    previous: StepRun | None = None  # the last request step, for differs_from_previous
    for run in transcript.steps:
        error = _step_error(run, previous)
        if error is not None:
            # the answers explain a reference that raised; not what --url cannot do
            shown = () if error.key in _NOT_EXPLAINED_BY_ANSWERS else (_report(run, ()),)
            return CheckResult(check.name, check.points, "error", check.hint, check.title,
                               tuple(reports) + shown, error=error)
        findings = tuple(_step_findings(run, routes, previous))
        if findings:
            reports.append(_report(run, findings))
        if isinstance(run.step, RequestStep):
            previous = run
    outcome = "failed" if reports else "passed"
    return CheckResult(check.name, check.points, outcome, check.hint, check.title, tuple(reports))


def _report(run: StepRun, findings: tuple[Finding, ...]) -> StepReport:
    ref, sub = run.reference, run.submission
    # the student debugs their own request: show the cookie *they* were sent
    request = (sub or ref).request if (sub or ref) else None
    return StepReport(run.index, run.step.label, request,
                      _answer(ref), _answer(sub), findings)


def _answer(exchange: Exchange | None) -> Response | Fault | None:
    if exchange is None:
        return None
    return exchange.fault or exchange.final


# -- whose fault -------------------------------------------------------------

def _step_error(run: StepRun, previous: StepRun | None = None) -> Msg | None:
    """Why this step cannot be graded, if the fault is not the student's."""
    if run.error is not None:
        return run.error
    ref = run.reference
    if ref is None:
        return None
    if ref.fault is not None:
        return Msg("reference_fault", {"message": ref.fault.message, "log": ref.fault.log})
    for exchange in (ref, run.submission):
        if exchange is not None and exchange.store_error is not None:
            return exchange.store_error
        if exchange is not None and exchange.session_error is not None:
            return exchange.session_error
    if not isinstance(run.step, RequestStep):
        return None
    final = ref.final
    if final is not None and final.traceback and not _expects_server_error(run.step):
        return Msg("reference_raised", {"traceback": final.traceback})
    if run.step.compare.body == "json" and \
            normalize(mask(final.text, run.step.compare.mask), "json") is None:
        return Msg("reference_not_json")
    before = previous.reference if previous else None
    disagreements = [f for e in run.step.expect for f in _expect(e, ref, before)]
    if disagreements:
        return Msg("reference_disagrees", {"what": disagreements[0].what,
                                           "expected": disagreements[0].expected,
                                           "actual": disagreements[0].actual})
    return None


def _expects_server_error(step: RequestStep) -> bool:
    """The author declared a 500 here, so the reference may raise on purpose."""
    return any(isinstance(e, ExpectStatus) and 500 in e.codes for e in step.expect)


def _step_findings(run: StepRun, routes: tuple[dict, ...],
                   previous: StepRun | None = None) -> Iterator[Finding]:
    sub = run.submission
    if sub is None:
        return
    if sub.fault is not None:
        yield _fault_finding(sub.fault)
        return
    if not isinstance(run.step, RequestStep):
        return
    findings = _distinct(list(_against_reference(run.step.compare, run.reference, sub))
                         + [f for e in run.step.expect
                            for f in _expect(e, sub, previous.submission if previous else None)])
    final = sub.final
    notes: list[Msg] = []
    if final is not None and run.step.path.endswith(_PROBE_RAISE):  # under any url_prefix
        notes.append(Msg("probe_raised", {"status": status_line(final.status)}))
    elif final is not None and final.traceback:
        notes.append(_raised(final))
        missing = _MISSING_PARAM.search(final.traceback)
        if missing:
            notes.append(Msg("view_missing_param", {"name": missing.group(1)}))
        if _TOO_LARGE.search(final.traceback):
            notes.append(Msg("view_printed_too_much"))
        if _RETURNED_NONE.search(final.traceback):
            notes.append(Msg("view_returned_none"))
    if final is not None and final.status == 404 and run.reference.final.status != 404:
        notes += route_hints(sub.request.path if not run.step.follow_redirects
                             else run.step.path, routes)
    if final is not None and final.truncated:
        notes.append(Msg("body_truncated"))
    notes += _cookies_not_sent(run.reference, sub)
    if findings and notes:
        findings[0] = Finding(findings[0].what, findings[0].expected, findings[0].actual,
                              findings[0].from_reference, findings[0].diff,
                              findings[0].notes + tuple(notes))
    yield from findings


def _raised(final: Response) -> Msg:
    """What became of the exception a response's traceback shows."""
    if final.status == 500:
        return Msg("view_raised")
    status = {"status": status_line(final.status)}
    return Msg("raised_while_sending", status) if final.broke_off \
        else Msg("raised_then_handled", status)


def _cookies_not_sent(ref: Exchange | None, sub: Exchange) -> list[Msg]:
    """Cookies the reference's browser sent and the submission's held back,
    and why: set with a path this request is not under, or expired."""
    if ref is None:
        return []
    missing = cookie_names(ref.request) - cookie_names(sub.request)
    notes = []
    for name, path, why in sub.withheld:
        if name in missing:
            missing.discard(name)
            notes.append(Msg(f"cookie_not_sent_{why}", {"name": name, "path": path,
                                                         "request": sub.request.path}))
    return notes


def _distinct(findings: list[Finding]) -> list[Finding]:
    """One finding per defect: comparing the status with the reference and
    expecting it explicitly must not report the same wrong status twice."""
    seen: set[tuple] = set()
    kept = []
    for finding in findings:
        # a redirect's target and a non-redirect's Location header are one header
        subject = "location" if finding.what.key == "location_header" else finding.what.key
        key = (subject, repr(finding.what.params), repr(finding.actual))
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def _fault_finding(fault: Fault) -> Finding:
    key = "timeout" if fault.kind == "timeout" else "crashed"
    return Finding(Msg(key, {"message": fault.message}),
                   notes=(Msg("child_log", {"log": fault.log}),) if fault.log else ())


# -- against the reference ------------------------------------------------------

def status_line(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _against_reference(spec: Compare, ref: Exchange, sub: Exchange) -> Iterator[Finding]:
    want, got = ref.final, sub.final
    if spec.status and want.status != got.status:
        yield Finding(Msg("status"), status_line(want.status), status_line(got.status))
    if spec.location:
        expected = location_path(want.header("Location"), ref.final_url)
        actual = location_path(got.header("Location"), sub.final_url)
        if not same_location(expected, actual):
            yield Finding(_location_label(want), _or_none(expected), _or_none(actual),
                          notes=_off_site(actual, sub.final_url))
    if spec.allow and _allow(want) != _allow(got):
        yield Finding(Msg("allow"), _methods(_allow(want)), _methods(_allow(got)))
    for name in spec.headers:
        if _header_value(want, name) != _header_value(got, name):
            yield Finding(Msg("header", {"name": name}), _or_none(want.header(name)),
                          _or_none(got.header(name)))
    if spec.cookies:
        want_events = cookie_events(ref.responses, request_path=ref.request.path)
        got_events = cookie_events(sub.responses, request_path=sub.request.path)
        for name in spec.cookies:
            expected = want_events.get(ref.cookie_name(name))
            actual = got_events.get(sub.cookie_name(name))
            if _cookie_key(expected) != _cookie_key(actual):
                yield Finding(Msg("cookie", {"name": name}), _describe_cookie(expected),
                              _describe_cookie(actual))
    if spec.body and (want.status == got.status or not spec.status):
        # a wrong status already names the defect; two error pages' diff is noise
        yield from _body_vs_reference(spec.body, want, got, spec.mask)
    if spec.store and _stored(ref.store) != _stored(sub.store):
        # the reference's entry has a session id of its own: what is expected is its presence
        yield Finding(Msg("store"), Msg("store_any") if _stored(ref.store) else Msg("store_absent"),
                      _describe_store(sub.store))


def _location_label(response: Response) -> Msg:
    """A redirect's target, or (a 201's, say) just the Location header."""
    return Msg("location" if response.status in REDIRECT_CODES else "location_header")


def _or_none(value: str | Msg | None) -> str | Msg:
    return Msg("none") if value is None else value


#: what Flask lists in Allow by itself (OPTIONS unless provide_automatic_options
#: is off, HEAD beside GET): whether it does says nothing of the student's methods
_AUTOMATIC_METHODS = frozenset({"OPTIONS", "HEAD"})


def _allow(response: Response) -> frozenset[str]:
    return frozenset(m.strip().upper() for m in (response.header("Allow") or "").split(",")
                     if m.strip()) - _AUTOMATIC_METHODS


def _methods(methods: frozenset[str]) -> str | Msg:
    return ", ".join(sorted(methods)) if methods else Msg("none")


def _header_value(response: Response, name: str) -> str | None:
    value = response.header(name)
    if value is None:
        return None
    if name.lower() == "content-type":  # "text/html; charset=utf-8" == "text/html;charset=UTF-8"
        return value.replace(" ", "").lower()
    return value.strip()


def _cookie_key(event: CookieEvent | None) -> tuple:
    if event is None:
        return ("absent",)
    if event.deleted:
        return ("deleted", event.path)
    lifetime = None if event.lifetime is None else round(event.lifetime / LIFETIME_SLACK)
    return ("set", event.value, event.path, event.attr("httponly") is not None,
            event.attr("secure") is not None, (event.attr("samesite") or "").lower(), lifetime)


def _describe_cookie(event: CookieEvent | None) -> Msg:
    if event is None:
        return Msg("cookie_absent")
    if event.deleted:
        return Msg("cookie_deleted", {"path": event.path})
    extras = [f"Path={event.path}"]
    if event.lifetime is not None:
        extras.append(f"{_duration(event.lifetime)}")
    for flag in ("httponly", "secure"):
        if event.attr(flag) is not None:
            extras.append(flag.capitalize() if flag == "secure" else "HttpOnly")
    return Msg("cookie_set", {"value": event.value, "attrs": "; ".join(extras)})


def _duration(seconds: float, label: str = "Max-Age") -> str:
    days = seconds / 86400
    return f"{label}≈{days:.0f}d" if days >= 1 else f"{label}≈{seconds:.0f}s"


def _body_vs_reference(how: str, want: Response, got: Response,
                       masks: tuple[str, ...] = ()) -> Iterator[Finding]:
    norm = "text" if how == "contains" else how
    expected = normalize(mask(want.text, masks), norm)
    actual = normalize(mask(got.text, masks), norm)
    if how == "contains":
        ok = expected is not None and actual is not None and expected in actual
    else:
        ok = expected == actual
    if not ok:
        yield Finding(Msg("body", {"how": Msg(f"body_{how}")}), _clip(expected), _clip(actual),
                      diff=body_diff(want.text, got.text))


def mask(text: str, patterns: tuple[str, ...]) -> str:
    """Blank what the spec marks as varying between runs (a uuid, a time)."""
    for pattern in patterns:
        text = re.sub(pattern, "⟨…⟩", text)
    return text


def _clip(text: str | None) -> str | Msg:
    if text is None:
        return Msg("not_json")
    text = " ".join(text.split())  # one line in a report; the diff shows the layout
    return text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + " …"


def body_diff(expected: str, actual: str, limit: int = 20) -> str:
    """The hunks of a unified diff, reference first, at most ``limit`` lines
    and '…' after them. No words: a report's label says which side is
    which, in the student's language."""
    lines = list(difflib.unified_diff(expected.splitlines(), actual.splitlines(),
                                      lineterm="", n=1))[2:]  # not the ---/+++ file names
    if len(lines) > limit:
        lines = lines[:limit] + ["…"]
    return "\n".join(lines)


def _stored(entry: StoreEntry | None) -> bool:
    """Whether the store holds the session: all that comparing with the
    reference asks of it (a lifetime is a check's own, with ``ttl``)."""
    return entry is not None and entry.present


def _describe_store(entry: StoreEntry | None) -> Msg:
    if entry is None or not entry.present:
        if entry is not None and entry.other_key:
            return Msg("store_elsewhere", {"key": entry.other_key})
        return Msg("store_absent")
    return Msg("store_present", {"key": entry.key or "?",
                                 "ttl": "-" if entry.ttl is None else _duration(entry.ttl, "TTL")})


# -- explicit expectations -------------------------------------------------------

def _expect(expectation: Expectation, exchange: Exchange,
            previous: Exchange | None = None) -> list[Finding]:
    """Findings for one explicit expectation; applied to both apps.
    ``previous`` is the same app's exchange in the previous request step."""
    final = exchange.final
    if isinstance(expectation, ExpectStatus):
        if final.status in expectation.codes:
            return []
        codes = expectation.codes
        wanted = status_line(codes[0]) if len(codes) == 1 else \
            Msg("one_of", {"items": " / ".join(map(status_line, codes))})
        return [Finding(Msg("status"), wanted, status_line(final.status), False)]
    if isinstance(expectation, ExpectHeader):
        return _text_findings(Msg("header", {"name": expectation.name}), expectation.match,
                              final.header(expectation.name))
    if isinstance(expectation, ExpectLocation):
        actual = location_path(final.header("Location"), exchange.final_url)
        if expectation.match.equals is not None and same_location(expectation.match.equals, actual):
            actual = expectation.match.equals  # the same target, its parameters in another order
        return [replace(finding, notes=_off_site(actual, exchange.final_url))
                for finding in _text_findings(_location_label(final), expectation.match, actual)]
    if isinstance(expectation, ExpectAllow):
        wanted = expectation.methods - _AUTOMATIC_METHODS
        if _allow(final) == wanted:
            return []
        return [Finding(Msg("allow"), _methods(wanted), _methods(_allow(final)), False)]
    if isinstance(expectation, ExpectBody):
        return _body_findings(expectation, final, previous.final if previous else None)
    if isinstance(expectation, ExpectCookie):
        name = exchange.cookie_name(expectation.name)
        event = cookie_events(exchange.responses, request_path=exchange.request.path).get(name)
        return _cookie_findings(expectation, event,
                                [path for held, path in exchange.kept if held == name])
    if isinstance(expectation, ExpectStore):
        return _store_findings(expectation, exchange.store)
    if isinstance(expectation, ExpectSession):
        return _session_findings(expectation, exchange.session)
    raise TypeError(f"unknown expectation {expectation!r}")  # pragma: no cover


def _off_site(target: str | None, url: str) -> tuple[Msg, ...]:
    """A note for a redirect that leaves the site the request was made to
    (``location_path`` gives the whole URL only then)."""
    if target is None or target.startswith("/"):
        return ()
    parts = urlsplit(url)
    return (Msg("location_off_site", {"site": f"{parts.scheme}://{parts.netloc}"}),)


def _text_findings(what: Msg, match: StrMatch, actual: str | None,
                   diff: str | None = None) -> list[Finding]:
    shown = _or_none(actual) if actual is None else _clip(actual)
    return [Finding(what, wanted, shown, False, diff) for wanted in _unmet(match, actual)]


def _unmet(match: StrMatch, actual: str | None) -> Iterator[Msg]:
    text = actual or ""
    if match.equals is not None and (actual is None or text != match.equals):
        yield Msg("equals", {"text": match.equals})
    for part in match.contains:
        if actual is None or part not in text:
            yield Msg("contains", {"text": part})
    for part in match.not_contains:
        if part in text:
            yield Msg("not_contains", {"text": part})
    if match.regex is not None and (actual is None or not re.search(match.regex, text)):
        yield Msg("matches", {"regex": match.regex}) if match.says is None \
            else Msg("in_words", {"text": match.says})
    if match.shape is not None and (actual is None or not SHAPES[match.shape].fullmatch(text.strip())):
        yield Msg("shape", {"shape": match.shape})


def _body_findings(expectation: ExpectBody, final: Response,
                   before: Response | None = None) -> list[Finding]:
    actual = normalize(final.text, expectation.normalize)
    what = Msg("body", {"how": Msg(f"body_{expectation.normalize}")})
    findings = _text_findings(what, expectation.match, actual)
    if expectation.differs and before is not None \
            and normalize(before.text, expectation.normalize) == actual:
        findings.append(Finding(what, Msg("differs_from_previous"), _clip(actual), False,
                                notes=(Msg("same_as_previous"),)))
    if not (expectation.has_json or expectation.json_keys):
        return findings
    try:
        parsed = json.loads(final.text)
    except (ValueError, RecursionError):  # RecursionError: nested deeper than Python parses
        return findings + [Finding(what, Msg("json_body"), Msg("not_json"), False)]
    if expectation.has_json and parsed != expectation.json:
        findings.append(Finding(what, Msg("json_equal", {"json": _dump(expectation.json)}),
                                _clip(_dump(parsed)), False))
    for key, wanted in expectation.json_keys:
        if not isinstance(parsed, dict):
            findings.append(Finding(what, Msg("json_object"), _clip(_dump(parsed)), False))
            break
        if key not in parsed or parsed[key] != wanted:
            got = _clip(_dump(parsed[key])) if key in parsed else Msg("json_key_missing")
            findings.append(Finding(Msg("json_key", {"key": key}), _dump(wanted), got, False))
    return findings


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _num_ok(match: NumMatch, value: float | None) -> bool:
    return value is not None and abs(value - match.approx) <= match.within


def _number(value: float) -> str:
    if not math.isfinite(value):  # a Max-Age of "nan" or "inf", as the app wrote it
        return str(value)
    return f"{value:.0f}" if abs(value - round(value)) < 0.5 and abs(value) >= 1 else f"{value:g}"


def _num_text(match: NumMatch) -> str:
    return _number(match.approx) + (f" ± {_number(match.within)}" if match.within else "")


def _cookie_findings(expectation: ExpectCookie, event: CookieEvent | None,
                     kept: list[str] = ()) -> list[Finding]:
    """``kept``: the paths the browser held the cookie at before the step and
    still holds it at after it."""
    what = Msg("cookie", {"name": expectation.name})
    actual = _describe_cookie(event)
    state = "absent" if event is None else "deleted" if event.deleted else "set"
    if state != expectation.state:
        return [Finding(what, Msg(f"cookie_should_be_{expectation.state}"), actual, False)]
    if state == "deleted" and kept:
        # deleted at another path than the one it was set at: the browser keeps it
        return [Finding(what, Msg("cookie_deleted_where_held", {"path": kept[0]}), actual, False)]
    if state != "set":
        return []
    findings = []
    if expectation.value is not None:
        findings += [Finding(what, wanted, actual, False)
                     for wanted in _unmet(expectation.value, event.value)]
    checks = (
        ("Path", expectation.path, event.path, lambda want, got: want == got),
        ("Max-Age", expectation.max_age, _int_attr(event, "max-age"), _num_ok),
        ("lifetime", expectation.expires_in, event.lifetime, _num_ok),
        ("HttpOnly", expectation.httponly, event.attr("httponly") is not None, lambda w, g: w == g),
    )
    for label, want, got, ok in checks:
        if want is not None and not ok(want, got):
            shown_want = _num_text(want) if isinstance(want, NumMatch) else _flag(want) \
                if isinstance(want, bool) else str(want)
            shown_got = _number(got) if isinstance(got, float) else _flag(got) \
                if isinstance(got, bool) else None if got is None else str(got)
            what_attr = Msg("cookie_lifetime", {"name": expectation.name}) if label == "lifetime" \
                else Msg("cookie_attr", {"name": expectation.name, "attr": label})
            raw = event.attr("max-age") if label == "Max-Age" and got is None else None
            findings.append(Finding(what_attr, shown_want,
                                    Msg("max_age_not_whole", {"value": raw}) if raw
                                    else _or_none(shown_got), False))
    return findings


def _flag(present: bool) -> Msg:
    """A cookie flag (HttpOnly) is there or not: "present", not "True"."""
    return Msg("flag_present" if present else "flag_absent")


def _int_attr(event: CookieEvent, name: str) -> float | None:
    """An attribute that must be whole seconds: browsers ignore "3600.0"."""
    value = event.attr(name) or ""
    return float(value) if re.fullmatch(r"-?[0-9]+", value) else None


def _session_findings(expectation: ExpectSession, read: SessionRead | None) -> list[Finding]:
    if read is None or read.values is None:
        error = read.error if read else None
        return [Finding(Msg("session"), Msg("session_readable"),
                        error if isinstance(error, Msg) else Msg("session_stored_not_readable"),
                        False)]
    values = read.values
    # keys the app keeps for itself (Flask-Session's _permanent) are not the student's
    own = sorted(k for k in values if not k.startswith("_"))
    findings = []
    for key, wanted in expectation.values:
        what = Msg("session_key", {"key": key})
        if wanted is None and key in values:
            findings.append(Finding(what, Msg("session_key_absent"), _clip(_dump(values[key])),
                                    False))
        elif wanted is not None and key not in values:
            # a session may hold thousands of keys, or one key a megabyte long
            shown = [k if len(k) <= 40 else k[:40] + "…" for k in own[:10]]
            shown += ["…"] if len(own) > 10 else []
            notes = (Msg("session_holds", {"keys": ", ".join(shown)}),) if own else ()
            findings.append(Finding(what, _dump(wanted), Msg("session_key_missing"), False,
                                    notes=notes))
        elif wanted is not None and values[key] != wanted:
            findings.append(Finding(what, _dump(wanted), _clip(_dump(values[key])), False))
    return findings


def _store_findings(expectation: ExpectStore, entry: StoreEntry | None) -> list[Finding]:
    entry = entry or StoreEntry(present=False)
    actual = _describe_store(entry)
    findings = []
    if expectation.session == "present" and not entry.present:
        want = Msg("store_under", {"prefix": expectation.prefix}) if expectation.prefix \
            else Msg("store_any")
        findings.append(Finding(Msg("store"), want, actual, False))
    elif expectation.session == "absent" and entry.present:
        findings.append(Finding(Msg("store"), Msg("store_absent"), actual, False))
    if expectation.ttl is not None and entry.present and not _num_ok(expectation.ttl, entry.ttl):
        findings.append(Finding(Msg("store_ttl"), _num_text(expectation.ttl),
                                _or_none(None if entry.ttl is None else f"{entry.ttl:.0f}"),
                                False))
    return findings


# -- "did you mean this route?" ---------------------------------------------------

def route_hints(path: str, routes: tuple[dict, ...]) -> list[Msg]:
    """Suggest the submission's own route closest to a path that 404ed."""
    best, best_score = None, 0.0
    for route in routes:
        candidate = _fill(route["rule"], path)
        score = difflib.SequenceMatcher(None, path, candidate).ratio()
        if path.lower() == candidate.lower() or path.rstrip("/") == candidate.rstrip("/"):
            score = 1.0
        if score > best_score:
            best, best_score = (route, candidate), score
    if not routes:
        return [Msg("routes_none")]
    if best is None or best_score < 0.6:
        listed = ", ".join(r["rule"] for r in routes[:8])
        return [Msg("routes_listed", {"routes": listed})]
    route, candidate = best
    if path == candidate:  # the route matches: the 404 came from it, not from the path
        reason = "fits"
    elif path.rstrip("/") == candidate.rstrip("/"):
        reason = "slash"
    elif path.lower() == candidate.lower() or path.rstrip("/").lower() == candidate.rstrip("/").lower():
        reason = "case"
    else:
        reason = "close"
    return [Msg(f"route_{reason}", {"rule": route["rule"], "path": path})]


def _fill(rule: str, path: str) -> str:
    """Put the path's own segments where the rule has converters."""
    rule_parts, path_parts = rule.split("/"), path.split("/")
    filled = [path_parts[i] if part.startswith("<") and i < len(path_parts) else part
              for i, part in enumerate(rule_parts)]
    return "/".join(filled)
