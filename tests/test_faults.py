"""A submission that is broken in any way gets a verdict, never a grader
traceback, and the checks it does not break still run."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from conftest import DATA, ROOT
from grader.grading import Options, grade
from grader.messages import render
from grader.report.text import render_text
from grader.sandbox import Limits
from grader.spec import find_exercise

SUBMISSIONS = DATA / "submissions"
FAST = Options(timeout=1.0, limits=Limits(load_timeout=3.0))


@pytest.fixture(scope="module")
def exercise():
    return find_exercise("int-converter")


@pytest.fixture(autouse=True, params=["fork", "spawn"])
def start_method(request, monkeypatch):
    """Every fault is met both ways a child can start: forked from the zygote
    (Linux) and spawned as a fresh interpreter (Windows, macOS)."""
    if request.param == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("forking from a zygote is Linux-only")
    monkeypatch.setenv("GRADER_START", request.param)
    return request.param


@pytest.mark.parametrize(
    ("case", "kind", "where", "says"),
    [
        # the file and line of the syntax error, as Python reports them
        ("syntax-error", "syntax", "int_converter.py:7", "syntax error"),
        # flask-script is obsolete: the message says what replaced it
        ("import-error", "import", "int_converter.py:2", "obsolete"),
        # the blueprint exists under another name: say which
        ("missing-blueprint", "blueprint_elsewhere", "int_converter.py", "'bp'"),
        ("not-a-blueprint", "not_blueprint", "int_converter.py", "not a flask.Blueprint"),
        # an exception at import time points at the student's line
        ("raises-at-import", "exception", "int_converter.py:5", "KeyError"),
        ("exits-at-import", "exit", "int_converter.py", "sys.exit(0)"),
        # what it prints goes to a log under the file size limit: say so, not just EFBIG
        ("prints-too-much", "too_large", "int_converter.py:5", "print less"),
        ("loops-at-import", "timeout", None, "longer than 3s"),
    ],
)
def test_load_failures_are_a_verdict(exercise, case, kind, where, says):
    result = grade(exercise, SUBMISSIONS / case, FAST)
    assert result.load_error is not None
    assert result.load_error.kind == kind
    shown = result.load_error.file
    if result.load_error.line:
        shown += f":{result.load_error.line}"
    assert (shown if where else None) == where
    assert says in render(result.load_error.msg, "en")
    assert result.score == 0
    assert result.exit_code == 3


def test_exception_in_a_view_fails_that_check_with_the_students_traceback(exercise):
    result = grade(exercise, SUBMISSIONS / "exception-in-view", FAST)
    failed = [c for c in result.checks if c.outcome == "failed"]
    assert failed, "dividing by zero must lose points"
    tracebacks = [s.submission.traceback for c in failed for s in c.steps
                  if getattr(s.submission, "traceback", None)]
    assert any("ZeroDivisionError" in t and "int_converter.py" in t for t in tracebacks)
    # only the student's frames: nothing from Flask or the grader
    assert not any("site-packages" in t or "grader" in t for t in tracebacks)
    # checks the bug does not touch still pass (non-integers still 404)
    assert any(c.outcome == "passed" for c in result.checks)
    assert result.exit_code == 1


@pytest.mark.parametrize(("case", "note"), [
    ("returns-none", "view_returned_none"),
    # what a view prints goes to a log under the file size limit
    ("prints-too-much-in-view", "view_printed_too_much"),
    # no error handler answered: the 200 went out before the generator raised
    ("raises-while-streaming", "raised_while_sending"),
])
def test_a_view_that_fails_for_a_reason_a_student_misreads_gets_a_note(exercise, case, note):
    result = grade(exercise, SUBMISSIONS / case, FAST)
    notes = {n.key for c in result.checks for s in c.steps for f in s.findings for n in f.notes}
    assert note in notes, notes


def test_code_that_did_not_load_still_says_how_it_was_confined(exercise, start_method):
    # it ran, however it ended: a spawned child's missing protections are named
    result = grade(exercise, SUBMISSIONS / "syntax-error", FAST)
    said = {w.key for w in result.warnings}
    assert ("confinement_missing" in said) == (start_method == "spawn")


def test_a_file_handed_in_for_another_exercise_is_said_first(exercise):
    other = ROOT / "reference" / "status-codes" / "status_codes.py"
    result = grade(exercise, other, FAST)
    assert result.warnings[0].key == "other_file_name"
    assert "is it the right exercise?" in render(result.warnings[0], "en")


def test_a_view_that_never_returns_is_stopped_and_the_rest_still_runs(exercise):
    started = time.monotonic()
    result = grade(exercise, SUBMISSIONS / "loops-in-view", FAST)
    elapsed = time.monotonic() - started
    timeouts = [f for c in result.checks for s in c.steps for f in s.findings
                if f.what.key == "timeout"]
    assert timeouts
    assert any(c.outcome == "passed" for c in result.checks)
    # each looping request costs one timeout, not the whole run
    assert elapsed < 1.0 * len(timeouts) + 10
    # and says so in the student's language
    assert "1 秒内没有响应" in render(timeouts[0].what, "zh")
    assert "no response within 1s" in render(timeouts[0].what, "en")


def test_printing_a_fake_reply_or_report_changes_nothing(exercise):
    result = grade(exercise, SUBMISSIONS / "prints-fake-report", FAST)
    assert result.load_error is None
    assert result.score < result.max_score


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["int-converter", "--submission", "reference/int-converter"], 0),
        (["int-converter", "--submission", str(SUBMISSIONS / "exception-in-view")], 1),
        (["int-converter", "--submission", str(SUBMISSIONS / "syntax-error")], 3),
        (["int-converter", "--submission", "no/such/folder"], 3),
        (["no-such-exercise"], 2),
        (["int-converter", "--format", "xml"], 2),
    ],
)
def test_exit_codes(args, code):
    done = subprocess.run([sys.executable, "-m", "grader", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == code, done.stdout + done.stderr
    assert "Traceback" not in done.stderr


def test_a_load_error_shows_only_the_students_frames(exercise):
    result = grade(exercise, SUBMISSIONS / "syntax-error", FAST)
    assert "frozen" not in result.load_error.traceback
    assert result.load_error.traceback.startswith('  File "int_converter.py", line 7')


def test_what_a_view_printed_is_shown_beside_its_answer(exercise):
    result = grade(exercise, SUBMISSIONS / "prints-while-answering", FAST)
    printed = {s.request.path: s.submission.printed for c in result.checks for s in c.steps}
    # each request's own prints, not the import's nor another request's
    assert printed["/testroute3/41/"] == "money is '41' \x1b[2K\n"
    # cut short, and said to be
    assert printed["/testroute3/abc/"].endswith("x …")
    assert len(printed["/testroute3/abc/"]) < 2100
    report = render_text(result, "en")
    assert "      your code printed:\n        money is '41' \\x1b[2K\n" in report
    assert "\x1b" not in report
    assert "你的代码打印了：\n        money is '41'" in render_text(result, "zh")
