"""The grader as most students on Linux run it: not as root. Then a child
confines itself in a user namespace of its own (no per-child user, no tmpfs
size limits, a staged copy it may not be given), and that path must grade
exactly as the root one does.

CI runs as root, so these tests make a user namespace where the grader's
user is 1000, not 0 (``unshare --user --map-user=1000``), and run the
grader's CLI in it."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from batchkit import children_left_looping
from childkit import hand_in
from conftest import ROOT

UNSHARE = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]


def _user_namespaces() -> bool:
    if not sys.platform.startswith("linux") or shutil.which("unshare") is None:
        return False
    try:
        done = subprocess.run([*UNSHARE, sys.executable, "-c", "import os; print(os.geteuid())"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0 and done.stdout.strip() == "1000"


pytestmark = pytest.mark.skipif(not _user_namespaces(),
                                reason="needs unshare and user namespaces (Linux)")

#: a submission that reports what it can reach
PROBE = '''\
import os, socket, sys
from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    facts = {"uid": os.getuid(), "pid": os.getpid()}
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
        facts["network"] = "reached"
    except OSError:
        facts["network"] = "none"
    facts["sees_reference"] = any(os.path.exists(os.path.join(p, "reference"))
                                  for p in sys.path + ["/work", os.path.expanduser("~")])
    with open(__file__, "a") as handle:
        handle.write("# rewritten by the child\\n")
    return repr(facts)
'''


def run_grade(*args: str, cwd: Path = ROOT, unprivileged: bool = True,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """The grade command as user 1000 (or, not ``unprivileged``, as we are)."""
    if env is None:
        env = {k: v for k, v in os.environ.items() if k != "GRADER_START"}
    prefix = UNSHARE if unprivileged else []
    return subprocess.run([*prefix, sys.executable, "-m", "grader", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_a_child_is_confined_without_root(tmp_path):
    folder = hand_in(tmp_path / "probe", PROBE)
    done = run_grade("int-converter", "--submission", str(folder), "--lang", "en")
    line = next((x for x in done.stdout.splitlines() if x.strip().startswith("{'uid'")), None)
    assert line is not None, done.stdout + done.stderr
    facts = ast.literal_eval(line.strip())
    assert facts["uid"] == 1000  # the grader's own user, in the child's namespace
    assert facts["pid"] == 1  # the init of a PID namespace of its own
    assert facts["network"] == "none"
    assert not facts["sees_reference"]
    assert (folder / "int_converter.py").read_text(encoding="utf-8") == PROBE  # as handed in
    # all is applied, the disk quota too (in the grader's own namespace), but
    # the process cap where the user namespace hides the machine's root, for
    # whom the kernel ignores it: the report must not claim it then
    missing = set(_ran_without(done.stdout))
    assert missing <= {"process cap"}, done.stdout
    if os.geteuid() == 0:
        assert "process cap" in missing, done.stdout


def _ran_without(report: str) -> list[str]:
    """The protections a text report says the child went without."""
    if "ran without: " not in report:
        return []
    return report.split("ran without: ", 1)[1].split(" (", 1)[0].split(", ")


def test_a_submission_cannot_fill_the_disk_without_root():
    # It writes 8 MB files until a write fails or 192 MB are written, and says
    # so in a response: the grader's own mount namespace gives its folder a quota.
    done = run_grade("int-converter", "--submission",
                     str(ROOT / "tests" / "hostile" / "fills-the-disk"), "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "disk quota" not in _ran_without(done.stdout)


def _pytest(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """pytest as user 1000, the plugin loaded as installed."""
    return subprocess.run([*UNSHARE, sys.executable, "-m", "pytest", "-q", "-p",
                           "no:cacheprovider", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300)


def test_the_pytest_plugin_gives_a_quota_in_a_session_that_only_grades():
    fills = ROOT / "tests" / "hostile" / "fills-the-disk"
    done = _pytest(f"--grade-submission={fills}", "exercises/int-converter.yaml", cwd=ROOT)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "4 passed" in done.stdout


def test_the_pytest_plugin_takes_no_namespace_where_other_tests_run(tmp_path):
    # they would run in it, where sudo fails and files of other users are nobody's
    (tmp_path / "test_other.py").write_text(
        "import os\n\n\ndef test_runs_where_it_was_started():\n"
        "    assert 'GRADER_OUTER_UID' not in os.environ\n", encoding="utf-8")
    correct = ROOT / "variants" / "int-converter" / "blind-method-view"
    done = _pytest(f"--grade-submission={correct}", str(ROOT / "exercises" / "int-converter.yaml"),
                   "test_other.py", cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "5 passed" in done.stdout


def test_the_grader_stays_as_it_was_where_it_may_not_mount(monkeypatch):
    # a security module may let a process make a user namespace but not mount
    # in it: there is no way back out, so the grader must not enter one then
    from grader import confine

    def refuse(*args: object) -> None:
        raise PermissionError("mount refused")

    monkeypatch.setattr(confine, "_mount", refuse)
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    before = os.readlink("/proc/self/ns/user")
    assert confine.own_mount_namespace() is False
    assert os.readlink("/proc/self/ns/user") == before
    assert confine.OUTER_UID_VARIABLE not in os.environ


def test_the_grader_stays_as_it_was_with_a_thread_running():
    # unshare refuses a user namespace to a process with threads (a pytest
    # session may have some): the grader must not try, and must not fail
    script = ("import os, threading\n"
              "from grader import confine\n"
              "stop = threading.Event()\n"
              "threading.Thread(target=stop.wait, daemon=True).start()\n"
              "before = os.readlink('/proc/self/ns/user')\n"
              "print(confine.own_mount_namespace(), os.readlink('/proc/self/ns/user') == before)\n"
              "stop.set()\n")
    done = subprocess.run([*UNSHARE, sys.executable, "-c", script], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert done.stdout.split() == ["False", "True"], done.stdout + done.stderr[-2000:]


#: the hostile cases whose defence differs without root: ownership of the
#: private root, capabilities, the process cap, the disk quota, the user
HOSTILE = ("escape-chroot", "write-outside", "read-other-submission", "read-reference",
           "read-environment", "network-localhost", "kill-parent", "kill-every-process",
           "fork-bomb", "fills-the-disk", "symlink-child-log", "forge-results-file",
           "monkeypatch-grader", "deletes-own-file")


def test_hostile_submissions_are_withstood_without_root():
    selection = " or ".join(f"{name}-fork" for name in HOSTILE)
    done = subprocess.run([*UNSHARE, sys.executable, "-m", "pytest", "-v", "-p",
                           "no:cacheprovider", "tests/test_hostile.py", "-k", selection],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    passed = set(re.findall(r"\[([\w-]+)-fork\] PASSED", done.stdout))
    # only these may skip: as root the namespace hides the machine's root, for
    # which the kernel ignores the process cap; and a quota takes root or the
    # own mount namespace that the grade command takes, which pytest has not
    assert set(HOSTILE) - passed <= {"fork-bomb", "fills-the-disk"}, done.stdout[-3000:]


def test_kill_9_of_the_grader_ends_every_child_without_root(tmp_path):
    # without root a relay waits on each namespace's init: the zygote asks it to end it
    assert not children_left_looping(tmp_path, [*UNSHARE, sys.executable, "-m", "grader"])


def test_every_variant_is_graded_as_labelled_without_root():
    done = run_grade("check-exercises")
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_class_gets_the_same_gradebook_without_root(tmp_path):
    def gradebook(out: Path, unprivileged: bool) -> str:
        run_grade("batch", "examples/class", "--out", str(out), "--jobs", "2",
                  unprivileged=unprivileged)
        return (out / "gradebook.csv").read_text(encoding="utf-8-sig")

    assert gradebook(tmp_path / "user", True) == gradebook(tmp_path / "root", False)


def test_grade_ci_says_the_same_without_root(tmp_path):
    # runners run steps as a user who is not root: the namespace the grade
    # command takes there must change nothing it reports
    student = tmp_path / "student"
    student.mkdir()
    variants = ROOT / "variants"
    shutil.copy(variants / "int-converter" / "string-param-cast" / "int_converter.py", student)
    shutil.copytree(ROOT / "reference" / "url-for", student, dirs_exist_ok=True)  # full marks

    runner = {**{k: v for k, v in os.environ.items()
                 if not k.startswith(("GRADER_", "GITHUB_"))}, "GITHUB_ACTIONS": "true"}

    def ci(unprivileged: bool) -> tuple[int, list[str], str]:
        done = run_grade("ci", "--lang", "en", "--root", str(student), "--summary",
                         "summary.md", cwd=tmp_path, unprivileged=unprivileged, env=runner)
        errors = [line for line in done.stdout.splitlines() if line.startswith("::error")]
        return done.returncode, errors, (tmp_path / "summary.md").read_text(encoding="utf-8")

    from_root = ci(unprivileged=False)
    assert from_root[0] == 1 and from_root[1], from_root  # points lost, placed in the file
    assert ci(unprivileged=True) == from_root
