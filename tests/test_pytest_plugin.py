"""The pytest plugin: ``pytest --grade-submission PATH exercises/`` makes each
check an item; without the option it does nothing.

Each run is a pytest subprocess in a folder holding a small course (a spec
and its reference), so the grading happens in that process, as a user's would.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import DATA, ROOT

pytest_plugins = ["pytester"]

VARIANTS = ROOT / "variants" / "int-converter"
CHECKS = ["view-takes-money-parameter", "money-arrives-as-int", "non-integer-not-found",
          "negative-not-found"]

#: counts calls of grader.grading.grade in the pytest run it is loaded into
COUNTING_CONFTEST = """
import grader.grading

calls = []
_grade = grader.grading.grade


def counting_grade(*args, **kwargs):
    calls.append(args[0].id)
    return _grade(*args, **kwargs)


grader.grading.grade = counting_grade


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(f"grade calls: {sorted(calls)}")
"""


@pytest.fixture
def course(pytester: pytest.Pytester) -> pytest.Pytester:
    """exercises/int-converter.yaml and reference/int-converter/, warnings as errors."""
    pytester.chdir()
    (pytester.path / "exercises").mkdir()
    shutil.copy(ROOT / "exercises" / "int-converter.yaml", pytester.path / "exercises")
    shutil.copytree(ROOT / "reference" / "int-converter",
                    pytester.path / "reference" / "int-converter")
    pytester.makeini("[pytest]\nfilterwarnings = error\n")
    return pytester


# Tests pass --grade-submission=PATH, not "--grade-submission PATH": when pytest looks for
# its rootdir it takes a bare PATH for a test path, and one outside the course would move it.
def run(course: pytest.Pytester, *args: str) -> pytest.RunResult:
    return course.runpytest_subprocess("-p", "no:cacheprovider", "--grade-lang", "en", *args,
                                       timeout=300)


def junit_cases(path: Path) -> dict[str, list[str]]:
    """check name → the tags inside its testcase (failure, error, …)."""
    root = ET.parse(path).getroot()
    return {case.get("name"): [child.tag for child in case] for case in root.iter("testcase")}


def test_a_correct_submission_passes_every_check(course):
    result = run(course, f"--grade-submission={VARIANTS / 'percent-format-make-response'}",
                 "exercises/", "--junitxml", "out.xml", "-v")
    result.assert_outcomes(passed=4)
    result.stdout.fnmatch_lines(["*exercises/int-converter.yaml::money-arrives-as-int PASSED*"])
    assert junit_cases(course.path / "out.xml") == {name: [] for name in CHECKS}


def test_a_failing_check_fails_with_its_report_and_the_exercise_is_graded_once(course):
    course.makeconftest(COUNTING_CONFTEST)
    result = run(course, f"--grade-submission={VARIANTS / 'string-param-cast'}",
                 "exercises/int-converter.yaml", "--junitxml", "out.xml")
    result.assert_outcomes(passed=2, failed=2)
    result.stdout.fnmatch_lines([
        "*_ int-converter::non-integer-not-found _*",
        "✗ non-integer-not-found — Non-integers get 404  [0/2]",
        "*step 2: GET /testroute3/abc/",
        "*✗ status code: expected 404 Not Found, got 500 Internal Server Error",
        "*ValueError: invalid literal for int() with base 10: 'abc'",
        "*hint: `/testroute3/abc/` and `/testroute3/1.5/` should get 404*",
    ])
    result.stdout.fnmatch_lines(["grade calls: ['int-converter']"])
    cases = junit_cases(course.path / "out.xml")
    assert list(cases) == CHECKS
    assert cases == {"view-takes-money-parameter": [], "money-arrives-as-int": [],
                     "non-integer-not-found": ["failure"], "negative-not-found": ["failure"]}
    failure = ET.parse(course.path / "out.xml").getroot().find(".//failure")
    assert "got 500 Internal Server Error" in failure.text and "hint: " in failure.text


def test_a_submission_that_does_not_load_fails_every_check_with_the_load_error(course):
    result = run(course, f"--grade-submission={DATA / 'submissions' / 'syntax-error'}",
                 "exercises/")
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(["*Your submission could not be loaded: syntax error*",
                                 "*at int_converter.py:7"])


def test_a_failure_report_sends_no_escape_to_the_terminal(course):
    # an app's body is in the report: OSC 52 would write the reader's clipboard
    student = course.path / "student"
    student.mkdir()
    (student / "int_converter.py").write_text(
        "from flask import Blueprint\nblue = Blueprint('blue', __name__)\n\n"
        "@blue.route('/testroute3/<int:money>/')\ndef view(money):\n"
        "    return f'money={money}\\x1b]52;c;aGk=\\x07\\x1b[1A next=0'\n", encoding="utf-8")
    result = run(course, f"--grade-submission={student}", "exercises/")
    result.assert_outcomes(passed=3, failed=1)
    output = "\n".join(result.outlines)
    assert "\x1b" not in output and "\\x1b]52;c;aGk=\\x07" in output


def test_a_missing_submission_fails_and_says_which_file_to_write(course):
    (course.path / "empty").mkdir()
    result = run(course, "--grade-submission=empty", "exercises/")
    result.assert_outcomes(failed=4)
    result.stdout.fnmatch_lines(
        ["no int_converter.py in *; write your solution in int_converter.py*"])


def test_a_check_that_cannot_be_graded_is_an_error_not_a_failure_or_a_skip(course):
    # the reference does not load: nothing can be graded, and it is not the student's fault
    (course.path / "reference" / "int-converter" / "int_converter.py").write_text(
        "def broken(:\n", encoding="utf-8")
    result = run(course, f"--grade-submission={VARIANTS / 'percent-format-make-response'}",
                 "exercises/", "--junitxml", "out.xml")
    result.assert_outcomes(errors=4)
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*not graded: the reference solution did not load*"])
    assert junit_cases(course.path / "out.xml") == {name: ["error"] for name in CHECKS}
    # the reason alone, not pytest's own traceback of the setup that raised it
    assert "_pytest" not in result.stdout.str()
    errors = ET.parse(course.path / "out.xml").getroot().iter("error")
    assert all(len(error.text or "") < 1000 for error in errors)


def test_a_submission_path_that_does_not_exist_is_a_usage_error(course):
    result = run(course, "--grade-submission=no-such-folder", "exercises/")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--grade-submission: *no-such-folder does not exist*"])


def test_a_bad_spec_is_a_collection_error_with_file_and_line(course):
    shutil.copy(DATA / "specs" / "invalid" / "bad-method.yaml", course.path / "exercises")
    result = run(course, f"--grade-submission={VARIANTS / 'percent-format-make-response'}",
                 "exercises/bad-method.yaml")
    result.assert_outcomes(errors=1)
    assert ("exercises/bad-method.yaml:12: 'checks[0].method' must be one of GET"
            in result.stdout.str())


def test_without_the_option_spec_files_are_not_collected(course):
    result = run(course, "exercises/")
    assert result.ret == pytest.ExitCode.NO_TESTS_COLLECTED


def test_our_own_test_suite_collects_the_same_with_and_without_the_plugin():
    def collect(*extra: str) -> list[str]:
        done = subprocess.run([sys.executable, "-m", "pytest", "--collect-only", "-q",
                               "-p", "no:cacheprovider", *extra], cwd=ROOT, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return [line for line in done.stdout.splitlines() if "::" in line]

    with_plugin = collect()
    assert with_plugin and with_plugin == collect("-p", "no:flask-grader")
    assert not any(".yaml::" in line for line in with_plugin)


def test_the_redis_of_grader_redis_url_is_the_one_used(pytester: pytest.Pytester, monkeypatch):
    # as for the grade command: no private Redis is started when the course names one
    pytester.chdir()
    (pytester.path / "exercises").mkdir()
    shutil.copy(ROOT / "exercises" / "session-persist.yaml", pytester.path / "exercises")
    shutil.copytree(ROOT / "reference" / "session-persist",
                    pytester.path / "reference" / "session-persist")
    monkeypatch.setenv("GRADER_REDIS_URL", "redis://127.0.0.1:1/0")  # nothing answers there
    redis_variant = ROOT / "variants" / "session-persist" / "redis-init-app"
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--grade-lang", "en",
                                           f"--grade-submission={redis_variant}",
                                           "exercises/", timeout=300)
    outcomes = result.parseoutcomes()
    assert outcomes.get("errors", 0) > 0 and "passed" not in outcomes, result.stdout.str()
    result.stdout.fnmatch_lines(["*127.0.0.1:1*"])


def test_python_dash_m_pytest_imports_no_module_of_the_current_folder(course):
    # python -m pytest puts the current folder first on sys.path: a student's yaml.py
    # there must not become the grader's yaml (it could rewrite the scores)
    (course.path / "yaml.py").write_text("raise ImportError('the student yaml.py was imported')\n",
                                         encoding="utf-8")
    result = run(course, f"--grade-submission={VARIANTS / 'percent-format-make-response'}",
                 "exercises/")
    result.assert_outcomes(passed=4)


def test_python_dash_m_grader_imports_no_module_of_the_current_folder(tmp_path):
    (tmp_path / "yaml.py").write_text("raise ImportError('the student yaml.py was imported')\n",
                                      encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "grader", "show", "int-converter", "--lang", "en"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
