"""``grade ci`` as a GitHub runner calls it, on a checkout built from variants/:
annotations, the step summary, JUnit XML, the exit code; and the shipped
workflow file."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from conftest import ROOT
from grader.ci.annotations import workflow_command
from grader.ci.place import route_line, traceback_place
from grader.ci.run import worst_exit_code
from grader.messages import CATALOG
from grader.spec import find_exercise

WORKFLOW = ROOT / "examples" / "ci" / ".github" / "workflows" / "grade.yml"
BIN = Path(sys.executable).parent


# -- a student's checkout -----------------------------------------------------

@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """cookie-login correct (as a package), int-converter wrong, methods-405
    with a syntax error on line 12."""
    root = tmp_path / "student"
    root.mkdir()
    variants = ROOT / "variants"
    shutil.copytree(variants / "cookie-login" / "package-layout" / "App", root / "App")
    shutil.copy(variants / "int-converter" / "string-param-cast" / "int_converter.py", root)
    source = (variants / "methods-405" / "lowercase-methods-make-response" / "methods_405.py"
              ).read_text(encoding="utf-8")
    assert source.splitlines()[11] == "def do_login():"
    (root / "methods_405.py").write_text(source.replace("def do_login():", "def do_login()"),
                                         encoding="utf-8")
    return root


def runner_env(checkout: Path, summary: Path, **extra: str) -> dict[str, str]:
    """The environment a GitHub runner gives a step (plus the venv's bin on PATH)."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GITHUB_", "GRADER_", "LC_", "LANG"))}
    env.update(GITHUB_ACTIONS="true", CI="true", GITHUB_WORKSPACE=str(checkout),
               GITHUB_STEP_SUMMARY=str(summary), LANG="C.UTF-8",
               PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", **extra)
    return env


def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def step_named(name: str) -> dict:
    return next(s for s in workflow()["jobs"]["grade"]["steps"] if s.get("name") == name)


def run_grade_step(checkout: Path, summary: Path, lang: str = "en"
                   ) -> subprocess.CompletedProcess:
    """Run the workflow's own Grade step, as the runner would (bash, its env)."""
    env = runner_env(checkout, summary, **{**workflow()["jobs"]["grade"]["env"],
                                           "GRADE_LANG": lang})
    return subprocess.run(["bash", "-e", "-c", step_named("Grade")["run"]], cwd=checkout,
                          env=env, capture_output=True, text=True, timeout=300)


def annotations(stdout: str) -> list[tuple[str, dict[str, str], str]]:
    """(command, properties, message) of each annotation, unescaped."""
    found = []
    for line in stdout.splitlines():
        match = re.match(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$", line)
        if match:
            props = dict(p.split("=", 1) for p in (match[2] or "").split(",") if p)
            found.append((match[1], {k: unescape(v) for k, v in props.items()},
                          unescape(match[3])))
    return found


def unescape(text: str) -> str:
    for code, char in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(code, char)
    return text


# -- the run on a checkout ------------------------------------------------------

def test_grade_ci_on_a_runner(checkout, tmp_path):
    summary = tmp_path / "step_summary.md"
    summary.write_text("## an earlier step\n\n", encoding="utf-8")
    done = run_grade_step(checkout, summary)

    # the worst: a submission that did not load (3) beats points lost (1)
    assert done.returncode == 3, done.stdout + done.stderr
    assert done.stderr == ""

    # annotations: where each failure can be placed in the student's files
    found = {(props.get("file"), props.get("line")): (command, props["title"], message)
             for command, props, message in annotations(done.stdout)}
    assert set(found) == {
        ("int_converter.py", "8"),    # non-integer-not-found: the view raised at int(money)
        ("int_converter.py", "6"),    # negative-not-found: the route decorator of /testroute3/
        ("methods_405.py", "12"),     # the syntax error
    }
    command, title, message = found[("int_converter.py", "8")]
    assert command == "error" and title.startswith("int-converter › non-integer-not-found")
    assert "ValueError: invalid literal for int()" in message and "hint: " in message
    assert found[("methods_405.py", "12")][1] == "methods-405: your submission could not be loaded"
    assert "syntax error" in found[("methods_405.py", "12")][2]
    assert not any("cookie-login" in t for _, t, _ in found.values())

    # the text reports are folded per exercise, with workflow commands off inside
    assert done.stdout.count("::group::") == done.stdout.count("::endgroup::") == 3
    tokens = re.findall(r"^::stop-commands::(\w+)$", done.stdout, re.M)
    assert len(tokens) == 3 and all(f"\n::{t}::\n" in done.stdout for t in tokens)

    # the step summary was appended to, and --summary holds the same text
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("## an earlier step\n\n## Grading results\n")
    assert (checkout / "grade-results" / "summary.md").read_text(encoding="utf-8") in text
    rows = [line for line in text.splitlines() if line.startswith("| ")]
    assert rows[0] == "| exercise | score | checks passed |"
    assert rows[2].startswith("| ✅ `cookie-login`") and rows[2].endswith("| 10 / 10 | 7 / 7 |")
    assert rows[3].startswith("| ❌ `int-converter`") and rows[3].endswith("| 6 / 10 | 2 / 4 |")
    assert rows[4].startswith("| ⛔ `methods-405`") and rows[4].endswith("| 0 / 10 | not loaded |")
    assert rows[5] == "| **Total** | **16 / 30** | |"
    assert "#### ❌ int-converter › negative-not-found: Negative numbers get 404 (0 / 2)" in text
    assert "→ `int_converter.py:6`" in text
    assert "GET /testroute3/-3/" in text and "expected 404 Not Found, got 200 OK" in text
    assert "hint: `/testroute3/-3/` should get 404" in text
    assert "#### ⛔ methods-405: your submission could not be loaded" in text

    check_junit(checkout / "grade-results" / "junit.xml")


def check_junit(path: Path) -> None:
    root = ET.parse(path).getroot()
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["cookie-login", "int-converter", "methods-405"]
    for suite in suites:
        cases = suite.findall("testcase")
        names = [c.get("name").split(" — ")[0] for c in cases]
        assert names == [c.name for c in find_exercise(suite.get("name")).checks]
        assert int(suite.get("tests")) == len(cases)
        assert int(suite.get("failures")) == sum(c.find("failure") is not None for c in cases)
        assert int(suite.get("errors")) == sum(c.find("error") is not None for c in cases) == 0
        assert float(suite.get("time")) >= 0
        assert all(c.get("classname") == suite.get("name") for c in cases)
    for key in ("tests", "failures", "errors"):
        assert int(root.get(key)) == sum(int(s.get(key)) for s in suites)
    by_name = {s.get("name"): s for s in suites}
    assert by_name["cookie-login"].get("failures") == "0"
    failed = {c.get("name").split(" — ")[0]: c.find("failure")
              for c in by_name["int-converter"].findall("testcase")
              if c.find("failure") is not None}
    assert set(failed) == {"non-integer-not-found", "negative-not-found"}
    assert failed["negative-not-found"].get("message") == \
        "status code: expected 404 Not Found, got 200 OK"
    assert "hint: " in failed["negative-not-found"].text
    loads = [c.find("failure") for c in by_name["methods-405"].findall("testcase")]
    assert all(f is not None and f.get("type") == "not-loaded" for f in loads)
    assert "syntax error" in loads[0].get("message") and "methods_405.py:12" in loads[0].text
    properties = {p.get("name"): p.get("value") for p in by_name["int-converter"].iter("property")}
    assert properties == {"score": "6", "max_score": "10", "submission": "int_converter.py"}


def test_named_exercises_in_a_root_below_the_workspace(checkout, tmp_path):
    # --root below the repository root: annotation paths stay relative to the workspace
    done = subprocess.run(
        [sys.executable, "-m", "grader", "ci", "int-converter", "url-for", "--root", "student",
         "--lang", "en", "--junit", str(tmp_path / "junit.xml")],
        cwd=tmp_path, env=runner_env(tmp_path, tmp_path / "summary.md"), capture_output=True,
        text=True, timeout=300)
    assert done.returncode == 3, done.stdout + done.stderr  # url-for has no file
    found = annotations(done.stdout)
    # a missing file first: GitHub shows only a step's first ten errors
    assert [(p.get("file"), p.get("line")) for _, p, _ in found] == [
        (None, None), ("student/int_converter.py", "8"), ("student/int_converter.py", "6")]
    assert found[0][1]["title"] == "url-for: no submission"
    assert "there is no url_for.py in the repository" in found[0][2]
    suites = {s.get("name"): s for s in ET.parse(tmp_path / "junit.xml").getroot()}
    assert set(suites) == {"int-converter", "url-for"}
    failures = [c.find("failure") for c in suites["url-for"].findall("testcase")]
    assert failures and all(f is not None and f.get("type") == "missing" for f in failures)
    assert "| ⛔ `url-for`" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_checks_not_graded_exit_4_and_are_junit_errors(tmp_path):
    # an exercise whose reference does not load can grade nothing: not the student's fault
    exercises, reference = tmp_path / "course" / "exercises", tmp_path / "course" / "reference"
    exercises.mkdir(parents=True)
    for name in ("int-converter", "cookie-login"):
        shutil.copy(ROOT / "exercises" / f"{name}.yaml", exercises)
        shutil.copytree(ROOT / "reference" / name, reference / name)
    (reference / "int-converter" / "int_converter.py").write_text("def broken(:\n",
                                                                  encoding="utf-8")
    checkout = tmp_path / "student"
    shutil.copytree(ROOT / "variants" / "cookie-login" / "permanent-redirect-301", checkout)
    shutil.copy(ROOT / "reference" / "int-converter" / "int_converter.py", checkout)
    summary = tmp_path / "summary.md"
    done = subprocess.run(
        [sys.executable, "-m", "grader", "ci", "--lang", "en", "--junit", "junit.xml"],
        cwd=checkout, env=runner_env(checkout, summary, GRADER_EXERCISES=str(exercises)),
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 4, done.stdout + done.stderr  # worse than cookie-login's 1
    suites = {s.get("name"): s for s in ET.parse(checkout / "junit.xml").getroot()}
    assert suites["int-converter"].get("errors") == "4"
    errors = [c.find("error") for c in suites["int-converter"].findall("testcase")]
    assert all(e is not None and "reference solution did not load" in e.get("message")
               for e in errors)
    assert suites["cookie-login"].get("failures") == "1"
    warnings = [a for a in annotations(done.stdout) if a[0] == "warning"]
    # one fault of the reference is one warning (and one summary line), not one per check
    (warning,) = warnings
    assert "file" not in warning[1] and "non-integer-not-found" in warning[1]["title"]
    (error,) = [a for a in annotations(done.stdout) if a[0] == "error"]
    assert error[1]["title"].startswith("cookie-login › login-redirects-302")
    assert error[1]["file"] == "cookie_login.py"
    assert re.search(r"@blue\.route\('/logincookie/'",
                     (checkout / "cookie_login.py").read_text(encoding="utf-8").splitlines()
                     [int(error[1]["line"]) - 1])
    text = summary.read_text(encoding="utf-8")
    assert "### Not graded" in text and "tell your instructor" in text
    assert "| ⚠️ `int-converter`" in text
    assert sum(line.startswith("- `int-converter` › ") for line in text.splitlines()) == 1


def test_nothing_to_grade_says_which_files_it_looked_for(tmp_path):
    # a repository made from the template: every output says so, in the student's language
    done = subprocess.run([sys.executable, "-m", "grader", "ci", "--lang", "zh", "--junit",
                           "j.xml"], cwd=tmp_path, env=runner_env(tmp_path, tmp_path / "s.md"),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 3
    ((command, props, message),) = annotations(done.stdout)
    assert command == "error" and props["title"] == "没有可以评分的文件"
    assert "没有任何练习的文件" in message and "cookie_login.py" in message
    assert "cookie_login.py" in (tmp_path / "s.md").read_text(encoding="utf-8")
    (suite,) = ET.parse(tmp_path / "j.xml").getroot()
    assert suite.find("testcase/failure").get("type") == "missing"


def test_an_exercise_named_twice_is_graded_once(checkout, tmp_path):
    done = subprocess.run([sys.executable, "-m", "grader", "ci", "int-converter",
                           "int-converter", "--root", "student", "--junit", "j.xml"],
                          cwd=tmp_path, env=runner_env(tmp_path, tmp_path / "s.md"),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    assert [s.get("name") for s in ET.parse(tmp_path / "j.xml").getroot()] == ["int-converter"]
    assert "1 exercise," in done.stdout


# -- the workflow -------------------------------------------------------------

def test_the_workflow_grades_with_grade_ci_and_keeps_the_results():
    flow = workflow()
    assert set(flow[True]) >= {"push", "pull_request"}  # YAML 1.1 reads the key `on` as True
    steps = flow["jobs"]["grade"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    assert steps[1]["with"]["python-version"] == "3.11"
    install = step_named("Install the grader")["run"]
    assert "pip install" in install and "git+https://" in install and " -e " in install
    grade = step_named("Grade")["run"]
    assert grade.startswith("grade ci ") and "--junit grade-results/junit.xml" in grade
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()" and upload["with"]["path"].startswith("grade-results")
    assert step_named("Summary")["if"] == "always()"
    assert steps.index(step_named("Grade")) < steps.index(upload)


# -- the pieces ---------------------------------------------------------------

def test_annotation_text_is_escaped():
    assert workflow_command("error", "50% done\r\n::error::forged", title="a: b, c",
                            file="x.py") == \
        "::error title=a%3A b%2C c,file=x.py::50%25 done%0D%0A::error::forged"
    # control characters of a student's answer never reach a terminal or GitHub raw
    assert workflow_command("error", "a\x00b\x1b[31m") == "::error::a\\x00b\\x1b[31m"


FORGER = """\
from flask import Blueprint
blue = Blueprint('blue', __name__)


@blue.route('/index/')
def index():
    raise RuntimeError('\\n::error file=first_blueprint.py,line=1::FORGED \\x1b[31m')
"""


@pytest.mark.parametrize("actions", [True, False])
def test_student_output_cannot_forge_an_annotation(tmp_path, actions):
    # wherever annotations are printed (--annotations outside Actions too), the
    # quoted reports run with workflow commands off; the summary shows no raw ESC
    (tmp_path / "first_blueprint.py").write_text(FORGER, encoding="utf-8")
    env = runner_env(tmp_path, tmp_path / "s.md")
    if not actions:
        del env["GITHUB_ACTIONS"]
    done = subprocess.run([sys.executable, "-m", "grader", "ci", "--annotations", "--lang", "en",
                           "--summary", "summary.md"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1, done.stdout + done.stderr
    token, forged_lines = None, 0
    for line in done.stdout.splitlines():
        if line.startswith("::stop-commands::"):
            token = line.split("::")[2]
        elif token and line == f"::{token}::":
            token = None
        elif line.lstrip().startswith("::error file=first_blueprint.py,line=1::FORGED"):
            assert token is not None, line  # the forgery, where GitHub would read it
            forged_lines += 1
    assert forged_lines  # the report quotes the student's exception
    assert "\x1b" not in (tmp_path / "summary.md").read_text(encoding="utf-8")


ROUTES = """\
from flask import Blueprint
blue = Blueprint('blue', __name__)

@blue.route('/testroute3/<int:money>/')
def a(money): ...

@blue.get('/Login')
def b(): ...

def c(): ...
blue.add_url_rule('/logout/', view_func=c)
"""


@pytest.mark.parametrize(("path", "line"), [
    ("/testroute3/5/", 4),     # a converter matches
    ("/Login", 7),             # @blue.get
    ("/login/", 7),            # no exact route: the one that differs in case and slash
    ("/logout/", 11),          # add_url_rule
    ("/testroute3/abc/", None),  # the int converter does not take abc; nothing else fits
    ("/elsewhere/", None),
])
def test_route_line(path, line):
    assert route_line(ROUTES, path) == line


def test_route_line_of_a_file_that_does_not_parse():
    assert route_line("@blue.route('/a/'\ndef a(:", "/a/") is None


@pytest.mark.parametrize(("rule", "path", "served"), [
    ("/u/<uuid:id>/", "/u/6f1c2e9a-3b4d-4c5e-8f7a-9b0c1d2e3f4a/", True),
    ("/f/<path:rest>", "/f/a/b/c", True),
    ("/f/<path:rest>/x/", "/f/a/b/x/", True),
    ("/p/<float:price>/", "/p/1.5/", True),
    ("/p/<int(min=1):n>/", "/p/7/", True),
    ("/<a>/<b>/", "/one/two/", True),
    ("/<a>/<b>/", "/one/two/three/", False),  # a plain converter never takes a /
    ("/a/", "/a", False),  # Flask redirects: not this route, strictly
    # red team round 8: Werkzeug's regex for this took minutes in the grader;
    # read in one pass, it must answer at once (else this test runs for hours)
    ("/" + "".join(f"<path:p{i}>" for i in range(12)) + "Z/",
     "/testroute5/6f1c2e9a-3b4d-4c5e-8f7a-9b0c1d2e3f4a/", False),
])
def test_a_route_matches_as_flask_would_in_one_pass(rule, path, served):
    from grader.ci.place import _matches

    assert _matches(rule, path, loose=False) == served


def test_a_file_too_large_to_be_an_exercises_is_not_parsed(tmp_path):
    # red team round 8: a coding line of utf-7 hid 4 MB of list from the child, while
    # the grader parsed it as UTF-8 (2 GB); such a failure is placed at the file
    from grader.ci.place import MAX_PARSED, _source

    module = tmp_path / "m.py"
    module.write_text("# coding: utf-7\n+ACM-[" + "0," * MAX_PARSED + "]\n")
    assert _source(module) == ""
    module.write_text("@blue.route('/a/')\ndef a(): ...\n")
    assert route_line(_source(module), "/a/") == 1


def test_traceback_place_takes_the_last_frame_that_is_the_students():
    trace = ('  File "App/views.py", line 9, in index\n    helper()\n'
             '  File "App/util.py", line 3, in helper\n    1 / 0\n'
             '  File "<frozen importlib._bootstrap>", line 1, in x\n'
             'ZeroDivisionError: division by zero')
    assert traceback_place(trace, lambda f: not f.startswith("<")) == ("App/util.py", 3)
    assert traceback_place("no frames here") is None


def test_a_line_number_no_file_has_is_no_place():
    # a view's exception message can hold anything, such as a 5,000-digit "line"
    # that int() refuses (Python's limit on digits)
    trace = f'  File "int_converter.py", line {"9" * 5000}, in view\n'
    assert traceback_place(trace) is None



@pytest.mark.parametrize(("codes", "worst"), [
    ([], 0),          # nothing graded
    ([0, 0], 0),      # full marks everywhere
    ([0, 1], 1),      # points lost
    ([1, 3], 3),      # a file that did not load beats points lost
    ([3, 4, 1], 4),   # not graded beats everything: a fault the student cannot fix
])
def test_worst_exit_code(codes, worst):
    assert worst_exit_code(codes) == worst


def test_every_ci_sentence_exists_in_both_languages():
    ci_keys = [key for key in CATALOG if key.startswith("ci_")]
    assert ci_keys
    for key in ci_keys:
        entry = CATALOG[key]
        assert set(entry) == {"en", "zh"}, key
        assert re.findall(r"{\w+}", entry["en"]) == re.findall(r"{\w+}", entry["zh"]), key


def test_junit_and_summary_survive_what_a_student_app_sends():
    # control characters XML cannot hold, and backticks that would close a Markdown fence
    from grader.ci.junit import render_junit
    from grader.ci.run import CiRun, Graded
    from grader.ci.summary import render_summary
    from grader.http import Request, Response
    from grader.results import CheckResult, Finding, GradeResult, Msg, StepReport

    exercise = find_exercise("int-converter")
    body = "\x1b[31mred\x00 ```` </failure> | <h1>"
    step = StepReport(0, None, Request("GET", "/testroute3/5/"), Response(200, body=b"ok"),
                      Response(200, body=body.encode()),
                      (Finding(Msg("body", {"how": "text"}), "ok", body),))
    checks = tuple(CheckResult(c.name, c.points, "failed" if i == 0 else "passed", c.hint,
                               c.title, steps=(step,) if i == 0 else ())
                   for i, c in enumerate(exercise.checks))
    result = GradeResult(exercise.id, exercise.title, "int_converter.py", checks)
    run = CiRun(ROOT, (Graded(exercise, result, "int_converter.py"),))
    failure = ET.fromstring(render_junit(run, "en")).find(".//failure")
    assert "\ufffd[31mred\ufffd ```` </failure> | <h1>" in failure.text
    summary = render_summary(run, "en")
    assert "\n`````text\n" in summary and summary.count("`````") == 2


def test_the_grade_step_runs_with_grade_lang_emptied(checkout, tmp_path):
    # an instructor who blanks GRADE_LANG gets the runner's language, not a usage error
    done = run_grade_step(checkout, tmp_path / "summary.md", lang="")
    assert done.returncode == 3, done.stdout + done.stderr  # methods_405.py does not load
    assert "## Grading results" in (tmp_path / "summary.md").read_text(encoding="utf-8")


def test_a_place_in_the_summary_stays_one_inline_code_span():
    # a file name is the student's to choose: newlines and backticks in it
    # must not end the span and write rows or headings of their own
    from grader.report.common import inline_code as _code

    assert _code("a.py\n| ✅ | 10 / 10 |\n# Passed") == "`a.py | ✅ | 10 / 10 | # Passed`"
    assert _code("x`y.py:3") == "``x`y.py:3``"
    assert _code("`x") == "`` `x ``"
