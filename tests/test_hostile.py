"""Hostile submissions: every folder in ``tests/hostile/`` is a submission that
attacks the grader, and its ``case.yaml`` says the verdict it must get.

Each case is graded forked (Linux's default: confined) and spawned (what other
platforms get: no confinement, so the cases that need it are skipped there with
the reason). Besides its verdict, every case proves that the grader survived:

- ``grade()`` returned, in time, without a traceback;
- the grader's own files (``grader/``, ``exercises/``, ``reference/``,
  ``variants/``) and the folder handed in hash the same before and after;
- no process it started is left running, and its working folders are gone;
- this process's memory did not balloon; the zygote kept its pid;
- nothing appeared outside the sandbox, nothing connected to the test's
  listeners, and no secret (the reference, another student's file, a victim
  file) reached the result;
- a correct submission graded at the same time, and one graded right after,
  get full marks.

The submissions learn the worst-case facts an attacker could want (absolute
paths, the grader's pid, a listening port) from ``hostile_env.json``, which
the test writes into their folder. The few that could do harm if they were not
confined check first that they are (pid 1 of a PID namespace of their own).

``case.yaml`` holds ``why`` (one sentence) and ``expect``, the verdict, with any of:
``load_error`` (its kind), ``outcomes`` (check → passed/failed/error),
``full_marks``, ``score``, ``exit_code``, ``findings`` and ``notes`` (message
keys that must appear), ``truncated_at`` (bytes), ``says`` (phrases of the
English report), ``no_control_characters``. Optional: ``exercise`` (default
int-converter), ``start`` (default both) with ``unconfined`` saying why not
spawned, and then ``needs``, the protections it relies on as the confinement
report names them (default: the three namespaces; the forked run skips where
the machine cannot give one of them), ``cli: true`` to also run ``python -m
grader`` on it, ``deadline`` (seconds before it counts as hung), ``timeout``
(the per-request timeout, when 2 s is too short on a loaded machine), and
``xfail: {fork|spawn: reason}`` for what the grader does not withstand yet.
"""

from __future__ import annotations

import collections
import ctypes
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import yaml

from conftest import ROOT
from grader import memgroups, processes
from grader.grading import Options, grade
from grader.messages import render
from grader.report.text import render_text
from grader.results import GradeResult
from grader.sandbox import Limits
from grader.spec import find_exercise

CASES_DIR = Path(__file__).resolve().parent / "hostile"
FAST = Options(timeout=2.0, limits=Limits(load_timeout=5.0))
#: what no submission may change
PROTECTED = ("grader", "exercises", "reference", "variants")
#: seconds a grading may take before the test calls it hung
DEADLINE = 45.0
#: how much this process may grow while grading one case
MEMORY_SLACK = 256 << 20
#: what a terminal would act on: C0 controls but tab and newline, DEL, C1 controls
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINUX = sys.platform.startswith("linux")
#: where write-outside and forge-results-file would leave a file if they escaped
STRAYS = (ROOT / "HOSTILE-ESCAPED.txt", ROOT / "grader" / "HOSTILE-ESCAPED.py",
          ROOT / "reference" / "int-converter" / "HOSTILE-ESCAPED.txt", ROOT / "results.json",
          Path("/autograder/results/results.json"))
PROC = Path("/proc/self/stat").exists()


def _load_cases() -> list[Any]:
    params = []
    for folder in sorted(p for p in CASES_DIR.iterdir() if (p / "case.yaml").is_file()):
        case = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
        for start in ("fork", "spawn"):
            marks = []
            if start == "fork" and not LINUX:
                marks.append(pytest.mark.skip(reason="forking from a zygote is Linux-only"))
            elif start not in case.get("start", ["fork", "spawn"]):
                marks.append(pytest.mark.skip(reason=f"not run {start}ed: {case['unconfined']}"))
            reason = case.get("xfail", {}).get(start)
            if reason:
                marks.append(pytest.mark.xfail(strict=True, reason=" ".join(reason.split())))
            params.append(pytest.param(folder.name, start, marks=marks,
                                       id=f"{folder.name}-{start}"))
    return params


CASES = _load_cases()


def test_the_corpus_is_complete() -> None:
    """The issue asks for at least 25 cases, each stating a verdict and why."""
    names = {p.values[0] for p in CASES}
    assert len(names) >= 25
    for name in names:
        case = yaml.safe_load((CASES_DIR / name / "case.yaml").read_text(encoding="utf-8"))
        assert case.get("why") and case.get("expect"), name
        assert set(case) <= {"why", "expect", "start", "unconfined", "needs", "xfail", "cli",
                             "deadline", "timeout", "exercise"}, name
        if "start" in case:
            assert case.get("unconfined"), f"{name}: say why it is not run spawned"


# -- fixtures ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def exercises() -> dict[str, Any]:
    cache: dict[str, Any] = {}

    def get(name: str) -> Any:
        if name not in cache:
            cache[name] = find_exercise(name)
        return cache[name]

    return get  # type: ignore[return-value]


@pytest.fixture(scope="module", autouse=True)
def subreaper():
    """Make this process the subreaper of everything it starts (Linux): a
    process that escapes its sandbox by double-forking is then re-parented to
    us instead of to init, so the leftover scan still finds it."""
    if not LINUX:
        yield
        return
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_CHILD_SUBREAPER = 36
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    try:
        yield
    finally:
        libc.prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        _reap_zombies()


class Listener:
    """A TCP port on 127.0.0.1 and an abstract Unix socket that no child may reach."""

    def __init__(self) -> None:
        self.tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.tcp.bind(("127.0.0.1", 0))
        self.tcp.listen(8)
        self.port = self.tcp.getsockname()[1]
        self.abstract_name = f"flask-grader-hostile-{uuid.uuid4().hex}"
        self.unix: socket.socket | None = None
        if LINUX:
            self.unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.unix.bind("\0" + self.abstract_name)
            self.unix.listen(8)
        self.connections: list[str] = []
        self._threads = [threading.Thread(target=self._accept, args=(s,), daemon=True)
                         for s in (self.tcp, self.unix) if s is not None]
        for thread in self._threads:
            thread.start()

    def _accept(self, server: socket.socket) -> None:
        while True:
            try:
                conn, peer = server.accept()
            except OSError:
                return
            self.connections.append(repr(peer))
            conn.close()

    def close(self) -> None:
        for server in (self.tcp, self.unix):
            if server is not None:
                try:
                    server.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                server.close()


class Arena:
    """Everything one case touches: the submission's folder, what it may try to
    reach (another student's file, a victim file, the host's /tmp, the
    listeners), and where the children's working folders go."""

    def __init__(self, case: str, tmp_path: Path) -> None:
        self.case = case
        self.submission = tmp_path / "submission"
        shutil.copytree(CASES_DIR / case, self.submission,
                        ignore=shutil.ignore_patterns("case.yaml", "__pycache__"))
        self.secret = f"OTHER-STUDENT-SECRET-{uuid.uuid4().hex}"
        other = tmp_path / "other-student" / "int_converter.py"
        other.parent.mkdir()
        other.write_text(f"# {self.secret}\n", encoding="utf-8")
        self.outside = tmp_path / "outside"
        self.outside.mkdir(mode=0o700)
        self.outside.chmod(0o700)  # whatever the umask
        self.victim = self.outside / "victim.txt"
        self.victim_text = f"VICTIM-{uuid.uuid4().hex}\n"
        self.victim.write_text(self.victim_text, encoding="utf-8")
        self.work = tmp_path / "work"
        self.work.mkdir()
        self.env_secret = f"ENV-SECRET-{uuid.uuid4().hex}"
        self.tmp_marker = Path(tempfile.gettempdir()) / f"flask-grader-hostile-{uuid.uuid4().hex}"
        self.listener = Listener()
        self.env = {
            "repo": str(ROOT),
            "reference_file": str(ROOT / "reference" / "int-converter" / "int_converter.py"),
            "exercise_file": str(ROOT / "exercises" / "int-converter.yaml"),
            "other_submission": str(other),
            "workdirs": str(self.work),
            "outside_file": str(self.outside / "escaped.txt"),
            "victim_file": str(self.victim),
            "tmp_marker": str(self.tmp_marker),
            "source_dir": str(self.submission),
            "port": self.listener.port,
            "abstract_socket": self.listener.abstract_name,
            "grader_pid": os.getpid(),
            "zygote_pid": _zygote_pid(),
        }
        (self.submission / "hostile_env.json").write_text(json.dumps(self.env), encoding="utf-8")

    def secrets(self) -> dict[str, str]:
        reference = Path(self.env["reference_file"]).read_text(encoding="utf-8")
        first = next(line for line in reference.splitlines() if line.strip())
        return {"the reference": first.strip('"\' '), "another student's file": self.secret,
                "the victim file": self.victim_text.strip(),
                "the grader's environment": self.env_secret}

    def close(self) -> None:
        self.listener.close()
        self.tmp_marker.unlink(missing_ok=True)


# -- proofs --------------------------------------------------------------------------

def _tree_hashes(*roots: Path) -> dict[str, str]:
    hashes = {}
    for root in roots:
        for path in sorted(root.rglob("*")):
            if "__pycache__" in path.parts or path.is_dir():
                continue
            try:
                hashes[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
            except OSError as exc:  # a FIFO or a dangling link planted there is a change too
                hashes[str(path)] = f"unreadable: {exc.strerror}"
    return hashes


def _changed(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))


def _rss() -> int:
    if not PROC:
        return 0
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def _zygote_pid() -> int | None:
    server = processes._server
    return server._proc.pid if server is not None and server.alive else None


def _process_table() -> dict[int, tuple[int, str, str, int]]:
    """pid → (ppid, state, name, uid) of every process we can see."""
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            text = Path(f"/proc/{entry}/stat").read_text(errors="replace")
            uid = os.stat(f"/proc/{entry}").st_uid
        except OSError:
            continue
        name_end = text.rfind(")")
        fields = text[name_end + 2:].split()
        table[int(entry)] = (int(fields[1]), fields[0], text[text.find("(") + 1:name_end], uid)
    return table


def _descendants() -> dict[int, tuple[int, str, str, int]]:
    table = _process_table()
    children = collections.defaultdict(list)
    for pid, (ppid, *_) in table.items():
        children[ppid].append(pid)
    found, stack = {}, [os.getpid()]
    while stack:
        for child in children[stack.pop()]:
            found[child] = table[child]
            stack.append(child)
    return found


def _living(before: set[int]) -> dict[int, tuple[int, str, str, int]]:
    zygote = _zygote_pid()
    return {pid: info for pid, info in _descendants().items()
            if pid not in before and pid != zygote and info[1] != "Z"}


def _reap_zombies() -> None:
    """Reap what was re-parented to us and has died (we are its subreaper)."""
    if not PROC:
        return
    zygote = _zygote_pid()
    for pid, (ppid, state, _, _) in _process_table().items():
        if ppid == os.getpid() and state == "Z" and pid != zygote:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def _leftovers(before: set[int], grace: float = 5.0) -> dict[int, tuple[int, str, str, int]]:
    """Processes started during the case and still running after ``grace``
    seconds; they are killed (by pid) so that the next case starts clean."""
    if not PROC:
        return {}
    deadline = time.monotonic() + grace
    while (left := _living(before)) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in left:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    time.sleep(0.05 if left else 0)
    _reap_zombies()
    return left


def _unblock_fifos(folder: Path) -> None:
    """Open every FIFO under ``folder`` at both ends without blocking, which
    releases whoever waits to open it at the other end."""
    for path in list(folder.rglob("*")):
        try:
            if not stat.S_ISFIFO(os.lstat(path).st_mode):
                continue
        except OSError:
            continue
        for flags in (os.O_RDONLY | os.O_NONBLOCK, os.O_WRONLY | os.O_NONBLOCK):
            try:
                os.close(os.open(path, flags))
            except OSError:
                pass


def _grade_watched(exercise: Any, submission: Path, work: Path, deadline: float,
                   options: Options = FAST) -> tuple[GradeResult, bool]:
    """Grade in a thread; if it is not done by ``deadline`` it is hung: then
    FIFOs in the working folders are opened until it finishes (or 60 s more)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["result"] = grade(exercise, submission, options)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True, name="hostile-grade")
    thread.start()
    thread.join(deadline)
    hung = thread.is_alive()
    give_up = time.monotonic() + 60
    while thread.is_alive() and time.monotonic() < give_up:
        _unblock_fifos(work)
        thread.join(0.2)
    if "error" in box:
        raise box["error"]
    assert not thread.is_alive(), f"grade() still hung {deadline + 60:g}s later"
    return box["result"], hung


class Bystander:
    """A correct submission graded in a thread while the hostile one is."""

    def __init__(self, exercise: Any) -> None:
        self.exercise = exercise
        self.result: GradeResult | None = None
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True, name="bystander")
        self.thread.start()

    def _run(self) -> None:
        try:
            self.result = grade(self.exercise, ROOT / "reference" / self.exercise.id, Options())
        except BaseException as exc:  # noqa: BLE001
            self.error = exc

    def join(self) -> GradeResult:
        self.thread.join(120)
        assert not self.thread.is_alive(), "the concurrent correct submission never finished"
        if self.error is not None:
            raise self.error
        return self.result


#: what a case with ``unconfined`` relies on unless it says (``needs``)
NAMESPACES = ("network isolation", "process namespace", "private filesystem")


def _missing_protections(result: GradeResult) -> set[str]:
    """What the report says the child ran without (``confinement_missing``)."""
    return {render(what, "en") for w in result.warnings if w.key == "confinement_missing"
            for what in w.params.get("what", ())}


def _keys(result: GradeResult) -> tuple[set[str], set[str]]:
    findings, notes = set(), set()
    for check in result.checks:
        for step in check.steps:
            for finding in step.findings:
                findings.add(finding.what.key)
                notes.update(n.key for n in finding.notes)
    return findings, notes


def _submission_responses(result: GradeResult) -> list[Any]:
    return [s.submission for c in result.checks for s in c.steps
            if s.submission is not None and hasattr(s.submission, "body")]


def _cli(exercise: str, submission: Path, fmt: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", exercise, "--submission",
                           str(submission), "--timeout", "2", "--lang", "en", "--format", fmt],
                          cwd=ROOT, capture_output=True, timeout=120)


# -- the test ------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "start"), CASES)
def test_hostile_submission(name: str, start: str, exercises, tmp_path: Path,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    case = yaml.safe_load((CASES_DIR / name / "case.yaml").read_text(encoding="utf-8"))
    expect = case["expect"]
    monkeypatch.setenv("GRADER_START", start)
    exercise = exercises(case.get("exercise", "int-converter"))
    processes.prestart()
    arena = Arena(name, tmp_path)
    monkeypatch.setenv("GRADER_HOSTILE_SECRET", arena.env_secret)  # the CLI starts with it
    strays = set(STRAYS)
    bystander = None
    monkeypatch.setattr(tempfile, "tempdir", str(arena.work))  # the children's folders
    try:
        zygote = _zygote_pid()
        strays = {p for p in STRAYS if p.exists()}
        handed_in = _tree_hashes(arena.submission)
        before = set(_descendants()) if PROC else set()
        rss = _rss()
        protected = _tree_hashes(*(ROOT / p for p in PROTECTED))

        bystander = Bystander(exercise)
        result, hung = _grade_watched(exercise, arena.submission, arena.work,
                                      case.get("deadline", DEADLINE),
                                      replace(FAST, timeout=case.get("timeout", FAST.timeout)))
        concurrent = bystander.join()
        text = render_text(result, "en")
        cli = {fmt: _cli(exercise.id, arena.submission, fmt) for fmt in ("text", "json")} \
            if case.get("cli") else {}
        protected_after = _tree_hashes(*(ROOT / p for p in PROTECTED))
        left = _leftovers(before)
        after = grade(exercise, ROOT / "reference" / exercise.id, Options())

        lacking = set(case.get("needs", NAMESPACES)) & _missing_protections(result)
        if os.geteuid() != 0:  # without root the total memory cap is not even tried
            lacking |= set(case.get("needs", ())) & {memgroups.NAME}
        if start == "fork" and case.get("unconfined") and lacking:
            pytest.skip(f"this machine cannot give children what the case needs: {sorted(lacking)}")

        # -- the grader survived ------------------------------------------------------
        assert not hung, f"grade() was still running after {case.get('deadline', DEADLINE)}s"
        if start == "fork":
            assert _zygote_pid() == zygote, "the zygote was killed or replaced"
        assert _rss() - rss < MEMORY_SLACK, f"the grader grew by {(_rss() - rss) >> 20} MiB"
        changed = _changed(protected, protected_after)
        assert not changed, f"the grader's own files changed: {changed}"
        assert _tree_hashes(arena.submission) == handed_in, "the folder handed in changed"
        assert not left, f"processes left running: {left}"
        assert not list(arena.work.iterdir()), "a working folder was left behind"
        for output in cli.values():
            assert b"Traceback" not in output.stderr, output.stderr.decode(errors="replace")
            assert output.returncode == result.exit_code, output.stderr.decode(errors="replace")

        # -- nobody else was affected ---------------------------------------------------
        for other in (concurrent, after):
            assert other.score == other.max_score, render_text(other, "en")

        # -- nothing escaped ------------------------------------------------------------
        assert sorted(p.name for p in arena.outside.iterdir()) == ["victim.txt"]
        assert stat.S_IMODE(arena.outside.stat().st_mode) == 0o700, \
            "the folder outside the sandbox was opened to all"
        assert arena.victim.read_text(encoding="utf-8") == arena.victim_text, \
            "the victim file outside the sandbox was changed"
        assert not arena.tmp_marker.exists(), "the submission wrote into the host's /tmp"
        assert {p for p in STRAYS if p.exists()} == strays, "a file appeared outside the sandbox"
        assert not arena.listener.connections, "a child connected to the host"
        seen = repr(result) + text + "".join(
            (o.stdout + o.stderr).decode("utf-8", errors="replace") for o in cli.values())
        for what, secret in arena.secrets().items():
            assert secret not in seen, f"{what} reached the result"

        # -- the verdict ----------------------------------------------------------------
        findings, notes = _keys(result)
        if start == "spawn" and result.load_error is None:
            assert "confinement_missing" in {w.key for w in result.warnings}
        if "load_error" in expect:
            assert result.load_error is not None, text
            assert result.load_error.kind == expect["load_error"], text
            assert (result.score, result.exit_code) == (0, 3)
        else:
            assert result.load_error is None, text
        if expect.get("full_marks"):
            assert (result.score, result.exit_code) == (result.max_score, 0), text
        if "outcomes" in expect:
            assert {c.name: c.outcome for c in result.checks} == expect["outcomes"], text
        if "exit_code" in expect:
            assert result.exit_code == expect["exit_code"], text
        if "score" in expect:
            assert result.score == expect["score"], text
        assert set(expect.get("findings", ())) <= findings, text
        assert set(expect.get("notes", ())) <= notes, text
        if "truncated_at" in expect:
            cut = [r for r in _submission_responses(result) if r.truncated]
            assert cut and all(len(r.body) == expect["truncated_at"] for r in cut), text
        for phrase in expect.get("says", ()):
            assert phrase in text, text
        if expect.get("no_control_characters"):
            assert not CONTROL.search(text), f"control characters in the report: {text!r}"
            if "text" in cli:  # (JSON escapes what matters; it is read by programs)
                assert not CONTROL.search(cli["text"].stdout.decode("utf-8", errors="replace"))
        if "json" in cli:
            assert json.loads(cli["json"].stdout)["score"] == result.score
    finally:
        if bystander is not None:  # a grader traceback must not leave it running
            bystander.thread.join(120)
        arena.close()
        for stray in set(STRAYS) - strays:
            stray.unlink(missing_ok=True)
