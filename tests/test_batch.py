"""``grade batch``: a whole class end to end (examples/class), the content-keyed
cache, resuming after ``kill -9``, ``--regrade`` after a spec fix, atomic
outputs, and the parts (keys, changes, progress) on their own."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from batchkit import (EXAMPLE_CLASS, children_left_looping, copy_exercise, make_class,
                      outputs, run_batch)
from conftest import ROOT
from grader import classio
from grader.batch import outputs as batch_outputs
from grader.batch.atomic import replace_folder, write_atomic
from grader.batch.changes import Change, changes
from grader.batch.keys import submission_digest, submission_files
from grader.batch.roster import OUTPUT_MARK
from grader.classroom import NOTE_NOT_GRADED, NOTE_NOT_SUBMITTED, format_points
from grader.errors import UsageError
from grader.messages import CATALOG
from grader.batch.progress import Progress

GRADEBOOK = """\
student,cookie-login,int-converter,methods-405,uuid-generate,total
alice,10,10,10,6,36
bob,10,10,6,not submitted,26
carol,9,7,7,3,26
dave,0,0,not submitted,4,4
erin,not submitted,not submitted,not submitted,6,6
frank,8,6,5,3,22
"""


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        # an output folder of its own: the shared one may have been graded already
        # by another module, and this one counts the gradings of a first run
        out = tmp_path_factory.mktemp("batch") / "example-class"
        first = run_batch(EXAMPLE_CLASS, out)
        before = outputs(out)
        second = run_batch(EXAMPLE_CLASS, out)
    return out, first, second, before


# -- the example class, end to end --------------------------------------------------------

def test_the_gradebook_of_the_example_class(example):
    out, first, _, _ = example
    assert first.code == 0  # every submission graded, whatever the scores
    assert (out / "gradebook.csv").read_text(encoding="utf-8-sig") == GRADEBOOK
    # a byte-order mark first, or Excel shows Chinese names garbled
    assert (out / "gradebook.csv").read_bytes().startswith(b"\xef\xbb\xbfstudent,")


def test_a_missing_file_is_not_submitted_and_a_module_that_does_not_load_scores_0(example):
    out, _, _, _ = example
    result = classio.loads((out / "results.json").read_text(encoding="utf-8"))
    dave = {e.exercise: e for e in result.rows[3].entries}
    assert dave["methods-405"].status == "not_submitted" and dave["methods-405"].score is None
    assert dave["int-converter"].status == "not_loaded" and dave["int-converter"].score == 0
    feedback = (out / "feedback" / "dave" / "int-converter.md").read_text(encoding="utf-8")
    assert "could not be loaded: syntax error" in feedback and "int_converter.py:7" in feedback
    missing = (out / "feedback" / "dave" / "methods-405.md").read_text(encoding="utf-8")
    assert "Not submitted: there is no `methods_405.py` in your folder" in missing


def test_a_view_that_never_returns_fails_only_its_own_check(example):
    out, _, _, _ = example
    feedback = (out / "feedback" / "frank" / "cookie-login.md").read_text(encoding="utf-8")
    assert "| ✗ | logout-deletes-cookie" in feedback and "no response within" in feedback
    assert feedback.count("| ✗ |") == 1


def test_feedback_is_the_text_report_in_markdown(example):
    from grader.report.text import render_text

    out, _, _, _ = example
    result = classio.loads((out / "results.json").read_text(encoding="utf-8"))
    carol = result.rows[2].entries[0].result
    markdown = (out / "feedback" / "carol" / "cookie-login.md").read_text(encoding="utf-8")
    for line in render_text(carol, "en").splitlines()[2:-1]:  # all but the header and total
        if line[:1] in "✓✗!" and line.strip():  # a check: a row of the table in Markdown
            title, _, score = line[2:].rpartition("  [")
            assert f"| {line[0]} | {title} | {score.rstrip(']')} |" in markdown, line
        else:
            assert line.strip().replace("hint: ", "") in markdown, line
    assert "**Total: 9 / 10**" in markdown


def test_outputs_agree_with_each_other(example):
    out, _, _, _ = example
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    rows = list(csv.DictReader(io.StringIO((out / "gradebook.csv").read_text(encoding="utf-8-sig"))))
    for row, student in zip(rows, document["students"]):
        assert row["student"] == student["student"]
        assert row["total"] == student["total_cell"]
        for exercise, entry in student["exercises"].items():
            assert row[exercise] == entry["cell"]
            assert (out / "feedback" / row["student"] / f"{exercise}.md").is_file()


def test_results_json_rebuilds_the_model(example):
    out, _, _, _ = example
    text = (out / "results.json").read_text(encoding="utf-8")
    assert classio.dumps(classio.loads(text)) == text


def test_a_second_run_grades_nothing_and_writes_the_same_outputs(example):
    out, first, second, before = example
    assert first.gradings == 19  # 24 tasks, 5 not submitted
    assert second.gradings == 0
    assert "0 submissions run now, 19 results taken from the cache" in second.stdout
    assert "no grade changed since the last run" in second.stdout
    assert outputs(out) == before


def test_the_progress_bar_counts_to_the_end(example):
    _, first, second, _ = example
    assert first.progress.splitlines()[-1].startswith("grading ████████████████████████ 24/24")
    assert "(19 cached)" in second.progress.splitlines()[-1]


def test_the_command_line_exit_code_and_summary(example):
    out, _, _, _ = example
    done = subprocess.run([sys.executable, "-m", "grader", "batch", "examples/class", "--out",
                           str(out), "-j", "2"], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == ("6 students × 4 exercises: 17 graded, "
                                           "2 did not load (scored 0), 5 not submitted")
    assert "24/24" in done.stderr


@pytest.mark.parametrize("args, message", [
    (["no-such-folder"], "no-such-folder is not a folder"),
    (["examples/class", "-e", "int-convertr"], "did you mean 'int-converter'"),
    (["examples/class", "--jobs", "0"], "--jobs must be at least 1"),
    (["{tmp}/empty"], "has no student folders"),
    (["{tmp}"], "holds the file of any exercise"),  # a student with only notes
    # outputs written into a student's folder would drop the student from the gradebook
    (["{tmp}", "--out", "{tmp}/student"], "is the folder of student, a student's folder"),
    (["{tmp}", "--out", "{tmp}"], "is the class folder itself"),
    # every student's results would become part of one student's submission
    (["{tmp}", "--out", "{tmp}/student/results"], "is inside the folder of student"),
    (["{tmp}", "--out", "{tmp}/empty/results"], "is inside the folder of empty"),
    # a timeout of nothing, of less, or of no number at all graded unpredictably
    (["examples/class", "--timeout", "0"], "more than 0 and at most 3600 seconds"),
    (["examples/class", "--timeout", "nan"], "more than 0 and at most 3600 seconds"),
])
def test_bad_usage_exits_2(args, message, tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "student").mkdir()
    (tmp_path / "student" / "notes.txt").write_text("-", encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in args]
    out = [] if "--out" in args else ["--out", str(tmp_path / "out")]
    done = subprocess.run([sys.executable, "-m", "grader", "batch", *args, *out], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stdout + done.stderr
    assert message in done.stderr
    assert not (tmp_path / "out").exists()  # a refused run leaves no output folder behind


def test_output_folders_inside_the_class_are_not_students(small_class):
    # run from inside the class folder with the default --out, then with another
    for out in ("grade-results", "other"):
        done = subprocess.run([sys.executable, "-m", "grader", "batch", ".", "--out", out],
                              cwd=small_class, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith("3 students × 1 exercise:"), done.stdout


def test_a_student_whose_folder_looks_like_outputs_is_still_graded(small_class, tmp_path):
    # results.json and .cache are any project's names; "_" begins a name like any letter
    (small_class / "ann" / "results.json").write_text("{}", encoding="utf-8")
    (small_class / "ben" / ".cache").mkdir()
    (small_class / "cat").rename(small_class / "_cat")
    done = run_batch(small_class, tmp_path / "out", "int-converter")
    assert done.stdout.startswith("3 students × 1 exercise:"), done.stdout
    assert "output folders" not in done.stdout


def test_one_of_a_kind_is_counted_in_the_singular(tmp_path):
    folder = make_class(tmp_path / "class", {
        "ann": {"int_converter.py": "reference/int-converter/int_converter.py"}})
    first = run_batch(folder, tmp_path / "out", "int-converter")
    assert "1 submission run now, 0 results taken from the cache" in first.stdout
    again = run_batch(folder, tmp_path / "out", "int-converter")
    assert "0 submissions run now, 1 result taken from the cache" in again.stdout


def test_a_student_whose_folder_is_a_python_environment_is_graded(small_class, tmp_path):
    # python -m venv . in the project folder: the student was left out without a word
    (small_class / "ann" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    done = run_batch(small_class, tmp_path / "out", "int-converter")
    assert done.stdout.startswith("3 students × 1 exercise:"), done.stdout
    gradebook = (tmp_path / "out" / "gradebook.csv").read_text(encoding="utf-8-sig")
    assert "ann,10,10" in gradebook


def test_an_output_folder_in_the_class_is_named_not_graded(small_class):
    # a student could make their folder look like one: the run says which it left out
    first = run_batch(small_class, small_class / "results", "int-converter")
    assert "output folders" not in first.stdout
    again = run_batch(small_class, small_class / "later", "int-converter")
    assert again.stdout.startswith("3 students × 1 exercise:"), again.stdout
    assert "not graded, holding the outputs of grade batch (.grade-batch): results" \
        in again.stdout
    # a name cannot print a line of its own
    (small_class / "results").rename(small_class / "x\nno grade changed since the last run")
    third = run_batch(small_class, small_class / "third", "int-converter")
    assert "no grade changed since the last run" not in third.stdout.splitlines()
    assert "(.grade-batch): later, x\\x0ano grade changed" in third.stdout


def test_an_out_folder_grade_batch_did_not_write_is_refused(small_class, tmp_path):
    notes = tmp_path / "notes"
    (notes / "feedback").mkdir(parents=True)
    (notes / "feedback" / "for-the-dean.txt").write_text("kept", encoding="utf-8")
    with pytest.raises(UsageError, match="grade batch did not write"):
        run_batch(small_class, notes, "int-converter")
    assert (notes / "feedback" / "for-the-dean.txt").read_text(encoding="utf-8") == "kept"
    # a grader's output folder from before the mark: every output, no mark
    old = tmp_path / "old"
    run_batch(small_class, old, "int-converter")
    (old / OUTPUT_MARK).unlink()
    assert run_batch(small_class, old, "int-converter").code == 0


@pytest.mark.parametrize("out", [".grades/week3", "grade-results/week3", "../old", "../empty"])
def test_out_folders_that_are_no_students_are_taken(small_class, out):
    # hidden folders and output folders are no students; an older grader's run
    # stopped before its outputs left only a cache
    run_batch(small_class, small_class / "grade-results", "int-converter")
    (small_class.parent / "old" / ".cache").mkdir(parents=True)
    (small_class / ".grades").mkdir()
    (small_class.parent / "empty").mkdir()  # made for the outputs beforehand
    assert run_batch(small_class, small_class / out, "int-converter").code == 0
    assert (small_class / out / "gradebook.csv").is_file()


@pytest.mark.parametrize(("damage", "refused"), [
    ("fifo", None),  # a plain write would wait for a reader for ever
    ("dangling", None),  # a plain write would make the link's target, anywhere
    ("folder", "cannot be written"),
])
def test_a_damaged_mark_is_replaced_or_said(small_class, tmp_path, damage, refused):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    mark = out / OUTPUT_MARK
    mark.unlink()
    target = tmp_path / "made-by-the-mark"
    {"fifo": lambda: os.mkfifo(mark), "dangling": lambda: mark.symlink_to(target),
     "folder": lambda: (mark.mkdir(), (mark / "x").touch())}[damage]()
    if refused:
        with pytest.raises(UsageError, match=refused):
            run_batch(small_class, out, "int-converter")
        return
    assert run_batch(small_class, out, "int-converter").code == 0
    assert mark.is_file() and not mark.is_symlink() and not target.exists()


def test_a_students_name_in_a_refusal_stays_on_its_line(small_class):
    (small_class / "x\ngrade: all is well").mkdir()
    with pytest.raises(UsageError, match=r"inside the folder of x\\x0agrade: all is well,"):
        run_batch(small_class, small_class / "x\ngrade: all is well" / "out", "int-converter")


@pytest.mark.parametrize(("out", "message"), [
    ("{class}/dan", "is the folder of dan"),  # empty: dan handed in nothing, still a row
    ("{class}/zoe", "is the folder of zoe"),  # a cache of her own is no output folder
    ("{class}/linked/results", "inside the folder of linked"),  # a student's folder elsewhere
    ("{class}/results/2024", "would make the folder results"),  # a student on the next run
    ("{tmp}/file/out", "cannot be written"),
    ("{tmp}/" + "x" * 300, "cannot be used"),
])
def test_out_folders_that_cannot_be_are_refused_plainly(small_class, tmp_path, out, message):
    (small_class / "dan").mkdir()
    (small_class / "zoe" / ".cache" / "pip").mkdir(parents=True)
    (tmp_path / "elsewhere").mkdir()
    (small_class / "linked").symlink_to(tmp_path / "elsewhere")
    (tmp_path / "file").write_text("", encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        run_batch(small_class, Path(out.format(**{"class": small_class, "tmp": tmp_path})),
                  "int-converter")


# -- could not be graded: "error", never 0 ------------------------------------------------

@pytest.fixture
def small_class(tmp_path: Path) -> Path:
    return make_class(tmp_path / "class", {
        "ann": {"int_converter.py": "reference/int-converter/int_converter.py"},
        "ben": {"int_converter.py": "variants/int-converter/hard-coded/int_converter.py"},
        "cat": {"int_converter.py": "variants/int-converter/missing-parameter/int_converter.py"},
    })


def test_the_terminal_speaks_the_language_asked_for(small_class, tmp_path):
    out = tmp_path / "out"
    first = run_batch(small_class, out, "int-converter", lang="zh")
    assert first.stdout.splitlines()[0] == "3 名学生 × 1 个练习：3 份已评分"
    assert "本次评分 3 份，从缓存取得 0 份" in first.stdout
    assert first.progress.splitlines()[-1].startswith("评分中 ")
    again = run_batch(small_class, out, "int-converter", lang="zh")
    assert "与上次运行相比，没有成绩变化" in again.stdout
    assert "（3 个来自缓存）" in again.progress
    assert not any(word in again.stdout + again.progress
                   for word in ("graded", "students", "cached", "elapsed"))


def test_a_broken_reference_makes_error_cells_not_zeros(small_class, tmp_path, monkeypatch):
    copy_exercise(tmp_path / "course", "int-converter")
    (tmp_path / "course" / "reference" / "int-converter" / "int_converter.py").write_text(
        "def broken(:\n", encoding="utf-8")
    monkeypatch.setenv("GRADER_EXERCISES", str(tmp_path / "course" / "exercises"))
    out = tmp_path / "out"
    first = run_batch(small_class, out, "int-converter")
    assert first.code == 4
    assert (out / "gradebook.csv").read_text(encoding="utf-8-sig") == (
        "student,int-converter,total\nann,error,error\nben,error,error\ncat,error,error\n")
    assert "could not be graded (see report.html): ann/int-converter" in first.stdout
    feedback = (out / "feedback" / "ann" / "int-converter.md").read_text(encoding="utf-8")
    assert "the reference solution did not load" in feedback
    # an error is not a result worth keeping: the next run tries again
    assert run_batch(small_class, out, "int-converter").gradings == 3


def test_a_grader_failure_is_an_error_entry_with_the_traceback(small_class, tmp_path,
                                                               monkeypatch):
    from grader.batch import run as batch_run

    real = batch_run.Grading

    def failing(exercise, folder, options):
        if folder.name == "ben":
            raise RuntimeError("the grader tripped")
        return real(exercise, folder, options)

    monkeypatch.setattr(batch_run, "Grading", failing)
    out = tmp_path / "out"
    assert run_batch(small_class, out, "int-converter").code == 4
    result = classio.loads((out / "results.json").read_text(encoding="utf-8"))
    ben = result.rows[1].entries[0]
    assert ben.status == "error" and "RuntimeError: the grader tripped" in ben.detail
    assert (out / "gradebook.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "ann,10,10", "ben,error,error", "cat,4,4"]
    feedback = (out / "feedback" / "ben" / "int-converter.md").read_text(encoding="utf-8")
    assert "Not graded: the grader failed on this submission" in feedback
    assert "RuntimeError" not in feedback  # the student is told, the instructor shown


# -- after a spec fix ---------------------------------------------------------------------

def test_regrade_after_a_spec_fix_reports_whose_grades_changed(small_class, tmp_path,
                                                               monkeypatch):
    spec = copy_exercise(tmp_path / "course", "int-converter")
    monkeypatch.setenv("GRADER_EXERCISES", str(spec.parent))
    out = tmp_path / "out"
    assert run_batch(small_class, out).gradings == 3
    assert (out / "changes.csv").read_text(encoding="utf-8-sig") == "student,exercise,before,after\n"
    # the fix: money-arrives-as-int is worth 5 points, not 3
    text = spec.read_text(encoding="utf-8")
    marker = "  - name: money-arrives-as-int\n    points: 3\n"
    assert marker in text
    spec.write_text(text.replace(marker, marker.replace("3", "5")), encoding="utf-8")

    again = run_batch(small_class, out, regrade=True)
    assert again.gradings == 3
    # only ann passes that check: ben (hard-coded) and cat (no parameter) fail it either way
    assert (out / "changes.csv").read_text(encoding="utf-8-sig") == (
        "student,exercise,before,after\nann,int-converter,10,12\nann,total,10,12\n")
    assert "grades changed since the last run (changes.csv):" in again.stdout
    assert "ann      int-converter  10      12" in again.stdout
    assert (out / "gradebook.csv").read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "ann,12,12", "ben,7,7", "cat,4,4"]


def test_regrade_ignores_the_cache_and_a_spec_edit_alone_invalidates_it(small_class, tmp_path,
                                                                         monkeypatch):
    spec = copy_exercise(tmp_path / "course", "int-converter")
    monkeypatch.setenv("GRADER_EXERCISES", str(spec.parent))
    out = tmp_path / "out"
    run_batch(small_class, out)
    assert run_batch(small_class, out).gradings == 0
    assert run_batch(small_class, out, regrade=True).gradings == 3
    reference = tmp_path / "course" / "reference" / "int-converter" / "int_converter.py"
    reference.write_text(reference.read_text(encoding="utf-8") + "# reviewed\n",
                         encoding="utf-8")
    assert run_batch(small_class, out).gradings == 3  # the reference is part of the key
    correct = (ROOT / "reference/int-converter/int_converter.py").read_text(encoding="utf-8")
    (small_class / "ben" / "int_converter.py").write_text(correct + "# mine\n",
                                                          encoding="utf-8")
    second = run_batch(small_class, out)
    assert second.gradings == 1  # only ben's file changed
    assert "ben      int-converter  7       10" in second.stdout
    # the same files are the same submission, whoever hands them in: cat gets ann's result,
    # shown with cat's own path
    (small_class / "cat" / "int_converter.py").write_text(correct, encoding="utf-8")
    assert run_batch(small_class, out).gradings == 0
    feedback = (out / "feedback" / "cat" / "int-converter.md").read_text(encoding="utf-8")
    assert "**Total: 10 / 10**" in feedback and "/cat/int_converter.py`" in feedback


# -- interrupted runs ---------------------------------------------------------------------

GATED = """\
import os, sys, time
from grader.batch import run
from grader.cli import main

real = run.Grading


def gated(exercise, folder, options):
    # stands for a slow submission: b's grading cannot start until the test releases it
    while folder.name == "b" and not os.path.exists({release!r}):
        time.sleep(0.05)
    return real(exercise, folder, options)


run.Grading = gated
main({args!r})
"""


def test_kill_9_loses_nothing_graded_and_the_rerun_resumes(tmp_path):
    release = tmp_path / "release"
    folder = make_class(tmp_path / "class", {
        "a1": {"int_converter.py": "reference/int-converter/int_converter.py"},
        "a2": {"int_converter.py": "variants/int-converter/hard-coded/int_converter.py"},
        "b": {"int_converter.py": "variants/int-converter/percent-format-make-response/"
                                  "int_converter.py"},
    })
    out = tmp_path / "out"
    cache = out / ".cache"
    # one job: a1, a2, then b, which cannot finish before the test releases it
    args = ["batch", str(folder), "--out", str(out), "-j", "1", "-e", "int-converter"]
    script = tmp_path / "gated.py"
    script.write_text(GATED.format(release=str(release), args=args), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(script)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list(cache.glob("*.json")) and time.monotonic() < deadline:
            assert proc.poll() is None, "the batch ended before it was killed"
            time.sleep(0.05)
        assert list(cache.glob("*.json")), "no result reached the cache"
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
    kept = len(list(cache.glob("*.json")))
    assert 1 <= kept <= 2
    assert not (out / "results.json").exists()  # no half-written outputs either
    release.touch()

    resumed = run_batch(folder, out, "int-converter", jobs=1)
    assert resumed.code == 0
    assert resumed.gradings == 3 - kept
    assert (out / "gradebook.csv").read_text(encoding="utf-8-sig") == (
        "student,int-converter,total\na1,10,10\na2,7,7\nb,10,10\n")
    assert not [p for p in out.rglob("*") if ".tmp-" in p.name]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_the_grader_ends_every_child_it_left_looping(tmp_path):
    # a child is the init of its PID namespace: the SIGKILL its parent's death sends
    # it is ignored, and a view that loops would burn CPU until its rlimit
    assert not children_left_looping(tmp_path, [sys.executable, "-m", "grader"])


# -- atomic outputs -----------------------------------------------------------------------

def test_a_failure_while_writing_outputs_leaves_the_old_ones_whole(small_class, tmp_path,
                                                                   monkeypatch):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    before = outputs(out)
    (small_class / "ben" / "int_converter.py").write_text(
        (ROOT / "reference/int-converter/int_converter.py").read_text(encoding="utf-8"),
        encoding="utf-8")

    def crash(*args):
        raise KeyboardInterrupt  # as if Ctrl-C came while rendering

    monkeypatch.setattr(batch_outputs, "render_html", crash)
    with pytest.raises(KeyboardInterrupt):
        run_batch(small_class, out, "int-converter")
    assert outputs(out) == before
    assert not [p for p in out.iterdir() if ".tmp-" in p.name]
    monkeypatch.undo()
    # ben's new result was cached when it was graded: the next run only writes
    done = run_batch(small_class, out, "int-converter")
    assert done.gradings == 0
    assert "ben,10,10" in (out / "gradebook.csv").read_text(encoding="utf-8-sig")


def test_write_atomic_replaces_whole_or_not_at_all(tmp_path, monkeypatch):
    target = tmp_path / "report.html"
    write_atomic(target, "old")

    def no_replace(src, dst):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", no_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]


def test_replace_folder_leaves_no_stale_file(tmp_path):
    folder = tmp_path / "feedback"
    replace_folder(folder, {"old/a.md": "1", "bob/a.md": "2"})
    replace_folder(folder, {"bob/a.md": "3"})
    assert {p.relative_to(folder).as_posix() for p in folder.rglob("*.md")} == {"bob/a.md"}
    assert [p.name for p in tmp_path.iterdir()] == ["feedback"]


# -- the parts ----------------------------------------------------------------------------

def test_a_submission_is_the_folder_its_child_sees(tmp_path):
    # the module may import a helper beside it or open a data file: a grade kept
    # after such a file changed would be stale
    student = tmp_path / "s"
    make_class(tmp_path, {"s": {
        "int_converter.py": "reference/int-converter/int_converter.py",
        "templates/login.html": "reference/methods-405/templates/login.html",
        "App/__init__.py": "variants/cookie-login/package-layout/App/__init__.py",
        "App/cookie_login.py": "variants/cookie-login/package-layout/App/cookie_login.py",
    }})
    (student / "helpers.py").write_text("STEP = 1\n", encoding="utf-8")
    for kept_out in ("__pycache__", "venv", ".git"):
        (student / kept_out).mkdir()
        (student / kept_out / "x.pyc").write_bytes(b"x")
    (student / ".DS_Store").write_bytes(b"x")
    (student / ".lib").mkdir()  # hidden, but handed to the child: its module may import it
    (student / ".lib" / "impl.py").write_text("STEP = 1\n", encoding="utf-8")
    names = {p.relative_to(student).as_posix() for p in submission_files(student)}
    assert names == {"int_converter.py", "templates/login.html", "App/__init__.py",
                     "App/cookie_login.py", "helpers.py", ".lib/impl.py"}
    key = submission_digest(student, "int_converter.py")
    assert submission_digest(student, "App/cookie_login.py") != key  # the module is named too
    (student / ".DS_Store").write_bytes(b"changed by Finder")
    (student / "venv" / "x.pyc").write_bytes(b"changed")
    assert submission_digest(student, "int_converter.py") == key
    (student / "helpers.py").write_text("STEP = 2\n", encoding="utf-8")
    assert submission_digest(student, "int_converter.py") != key
    key = submission_digest(student, "int_converter.py")
    (student / ".lib" / "impl.py").write_text("STEP = 2\n", encoding="utf-8")
    assert submission_digest(student, "int_converter.py") != key


def _remove_chain(top: Path) -> None:
    """Remove a chain of folders each holding the next, deepest first."""
    chain = [str(top)]
    while os.path.isdir(os.path.join(chain[-1], "d")):
        chain.append(os.path.join(chain[-1], "d"))
    for folder in reversed(chain):
        os.rmdir(folder)


def test_a_folder_nested_a_thousand_deep_is_staged_to_a_depth_and_graded(tmp_path, request):
    # a thousand nested folders took the grader's recursion (os.walk, rglob) with it
    from grader.staging import MAX_DEPTH, staged_tree

    deep = tmp_path / "s"
    make_class(tmp_path, {"s": {"int_converter.py": "reference/int-converter/int_converter.py"}})
    path = str(deep)
    for _ in range(1200):
        path = os.path.join(path, "d")
        os.mkdir(path)
    request.addfinalizer(lambda: _remove_chain(deep / "d"))  # rmtree recurses too
    folders, files = staged_tree(deep)
    assert files == ["int_converter.py"] and len(folders) == MAX_DEPTH
    assert submission_digest(deep, "int_converter.py")
    from grader.grading import grade
    from grader.spec import find_exercise

    result = grade(find_exercise("int-converter"), deep)
    assert result.score == result.max_score


def test_a_folder_of_too_many_files_is_refused_not_copied(tmp_path):
    from grader.staging import MAX_FILES, fresh_copy

    student = tmp_path / "s"
    student.mkdir()
    for index in range(MAX_FILES + 1):
        (student / f"f{index}.txt").touch()
    with pytest.raises(OSError, match=f"over {MAX_FILES} files"):
        fresh_copy(student, str(tmp_path / "copy"))


def test_a_folder_of_too_many_folders_is_refused_and_listed_no_further(tmp_path):
    # empty folders cost as files do: 100,000 of them held a batch's planning for 41 s
    from grader.staging import MAX_FILES, fresh_copy, staged_tree

    student = tmp_path / "s"
    for index in range(MAX_FILES + 10):
        (student / f"d{index}").mkdir(parents=True)
    assert len(staged_tree(student)[0]) <= MAX_FILES + 1
    with pytest.raises(OSError, match=f"over {MAX_FILES} folders"):
        fresh_copy(student, str(tmp_path / "copy"))
    # a project of many small packages is no such folder: files and folders count apart
    shutil.rmtree(student)
    for index in range(MAX_FILES // 2 + 100):
        (student / f"d{index}").mkdir(parents=True)
        (student / f"d{index}" / "m.py").touch()
    (student / ".mypy_cache" / "x").mkdir(parents=True)  # a tool's cache is not copied
    fresh_copy(student, str(tmp_path / "copy"))


def test_changes_compare_cells_and_totals(example):
    out, _, _, _ = example
    result = classio.loads((out / "results.json").read_text(encoding="utf-8"))
    assert changes(result, result) == ()
    import dataclasses

    row = result.rows[0]
    broken = dataclasses.replace(row.entries[1], status="error", result=None)
    later = dataclasses.replace(result, rows=(dataclasses.replace(
        row, entries=(row.entries[0], broken, *row.entries[2:])), *result.rows[1:]))
    assert changes(result, later) == (Change("alice", "int-converter", "10", "error"),
                                      Change("alice", "total", "36", "error"))


def test_progress_shows_done_rate_and_time_left():
    now = [0.0]
    stream = io.StringIO()
    with Progress(4, stream, live=False, clock=lambda: now[0]) as bar:
        bar.advance("cached")
        now[0] = 2.0
        bar.advance()
        assert bar.line() == ("grading ████████████░░░░░░░░░░░░ 2/4 (1 cached)  0.5/s  "
                              "0:02 elapsed, 0:04 left")
    # a line each time a tenth is passed; the last line is not repeated at the end
    assert len(stream.getvalue().splitlines()) == 2


@pytest.mark.parametrize("value, text", [(7.5, "7.5"), (10.0, "10"), (0.1 + 0.2, "0.3"),
                                         (0, "0"), (1 / 3, "0.333333")])
def test_points_keep_fractions_and_drop_float_noise(value, text):
    assert format_points(value) == text


def test_the_notes_exist_in_both_languages_with_the_same_fields():
    import string

    for key in (NOTE_NOT_SUBMITTED, NOTE_NOT_GRADED):
        texts = CATALOG[key]
        assert set(texts) == {"en", "zh"}, key
        fields = [{f for _, f, _, _ in string.Formatter().parse(texts[lang]) if f}
                  for lang in ("en", "zh")]
        assert fields[0] == fields[1], key


def test_a_run_says_what_it_could_not_compare_with_the_last(small_class, tmp_path):
    # a run with --exercise (or a student added or gone) leaves grades nobody compares:
    # the instructor is told which, not "no grade changed" alone
    out = tmp_path / "out"
    shutil.copy(ROOT / "reference" / "url-for" / "url_for.py", small_class / "ann")

    def run(*args: str) -> str:
        done = subprocess.run([sys.executable, "-m", "grader", "batch", str(small_class),
                               "--out", str(out), *args], capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    assert "not compared" not in run()
    assert "not compared, being in only one of the two runs (exercises or students): url-for" \
        in run("-e", "int-converter")
    shutil.rmtree(small_class / "cat")
    assert "(exercises or students): cat" in run("-e", "int-converter")


def test_a_file_meant_to_be_the_submission_is_named_in_the_note(tmp_path):
    # Int_Converter.py, or the right name in a folder that is no package: the student
    # is told what was found and why it does not count, not only "not submitted"
    reference = (ROOT / "reference" / "int-converter" / "int_converter.py").read_bytes()
    folder = tmp_path / "class"
    (folder / "ann").mkdir(parents=True)
    (folder / "ann" / "Int_Converter.py").write_bytes(reference)
    (folder / "ben" / "hw3").mkdir(parents=True)
    (folder / "ben" / "hw3" / "int_converter.py").write_bytes(reference)
    run_batch(folder, tmp_path / "out", "int-converter")
    for student, found in (("ann", "Int_Converter.py"), ("ben", "hw3/int_converter.py")):
        feedback = (tmp_path / "out" / "feedback" / student / "int-converter.md").read_text(
            encoding="utf-8")
        assert f"Found `{found}`, but the file must be named `int_converter.py` exactly and be " \
            "at the top of your folder, or in a package folder (one with __init__.py) directly " \
            "inside it" in feedback


def test_an_unreadable_last_run_is_said_not_ignored(small_class, tmp_path):
    out = tmp_path / "out"
    assert run_batch(small_class, out).code == 0
    (out / "results.json").write_text("{ edited by hand", encoding="utf-8")
    second = run_batch(small_class, out)
    assert "results.json could not be read" in second.stdout
    assert "no grade changed" not in second.stdout


@pytest.mark.parametrize("damage", [
    "[" * 100_000 + "]" * 100_000,  # deeper than Python recurses
    # valid JSON, but a number for a name: the changes were sorted by name
    '{"format": 1, "folder": ".", "max_total": 0, "exercises": [], '
    '"students": [{"student": 7, "exercises": {}}]}',
    None,  # a FIFO: a plain read waits for a writer for ever
    1 << 40,  # sparse, a TiB: it was read into memory whole
])
def test_a_damaged_last_run_is_said_and_the_outputs_still_written(small_class, tmp_path,
                                                                   damage):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    (out / "results.json").unlink()
    if damage is None:
        os.mkfifo(out / "results.json")
    elif isinstance(damage, int):
        with open(out / "results.json", "wb") as sparse:
            sparse.truncate(damage)
    else:
        (out / "results.json").write_text(damage, encoding="utf-8")
    second = run_batch(small_class, out, "int-converter")
    assert second.code == 0
    assert "results.json could not be read" in second.stdout
    assert classio.loads((out / "results.json").read_text(encoding="utf-8")).rows


def _entry_of(document):
    return next(iter(document["students"][0]["exercises"].values()))


@pytest.mark.parametrize("edit", [
    # well-formed JSON with values of the wrong kind: each crashed a later step
    lambda d: _entry_of(d).update(status="bogus"),
    lambda d: _entry_of(d).update(result="a string"),
    lambda d: _entry_of(d)["result"].update(checks=5),
    lambda d: _entry_of(d)["result"]["checks"][0].update(outcome="bogus"),
    lambda d: _entry_of(d)["result"].update(title="plain text"),
    lambda d: d["exercises"][0].update(max_score="ten"),
    # each field of a right kind, together wrong: graded with no result
    lambda d: _entry_of(d).update(result=None),
    lambda d: _entry_of(d)["result"]["checks"][0].update(points=10 ** 400),
])
def test_a_last_run_of_the_wrong_kinds_is_said_not_crashed_on(small_class, tmp_path, edit):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    document = json.loads((out / "results.json").read_text(encoding="utf-8"))
    edit(document)
    (out / "results.json").write_text(json.dumps(document), encoding="utf-8")
    again = run_batch(small_class, out, "int-converter")
    assert again.code == 0 and "results.json could not be read" in again.stdout


@pytest.mark.parametrize("edit", [
    lambda r: r.update(checks=5),
    lambda r: r["checks"][0].update(outcome="bogus"),
    lambda r: r.update(title="plain text"),
    lambda r: r["checks"][0].update(points=True),
    lambda r: r["checks"][0].update(points=float("nan")),
    lambda r: r["checks"][0].update(points=1e308),
    lambda r: r["checks"][0].update(points=r["checks"][0]["points"] + 1),  # not the spec's
])
def test_a_cache_entry_of_the_wrong_kinds_is_a_miss(small_class, tmp_path, edit):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    for entry in (out / ".cache").glob("*.json"):
        document = json.loads(entry.read_text(encoding="utf-8"))
        edit(document["result"])
        entry.write_text(json.dumps(document), encoding="utf-8")
    again = run_batch(small_class, out, "int-converter")
    assert (again.code, again.gradings) == (0, 3)


@pytest.mark.parametrize("damage", ["[" * 100_000 + "]" * 100_000, None])
def test_a_damaged_cache_entry_is_a_miss(small_class, tmp_path, damage):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    for entry in (out / ".cache").glob("*.json"):
        entry.unlink()
        if damage is None:
            os.mkfifo(entry)
        else:
            entry.write_text(damage, encoding="utf-8")
    again = run_batch(small_class, out, "int-converter")
    assert (again.code, again.gradings) == (0, 3)


def test_outputs_that_cannot_be_written_are_said_plainly(small_class, tmp_path):
    out = tmp_path / "out"
    run_batch(small_class, out, "int-converter")
    (out / "results.json").unlink()
    (out / "results.json").mkdir()
    with pytest.raises(UsageError, match="cannot write the outputs in .*the next run writes"):
        run_batch(small_class, out, "int-converter")


def test_student_names_are_shown_not_sent_to_a_strict_terminal(tmp_path):
    # a folder from another system's zip, and one named to erase the terminal's lines
    folder = tmp_path / "class"
    names = [os.fsdecode(b"ann\xff"), "esc\x1b[2Kx"]
    for name, source in zip(names, ("hard-coded", "missing-parameter")):
        make_class(folder, {name: {"int_converter.py":
                                   f"variants/int-converter/{source}/int_converter.py"}})
    command = [sys.executable, "-m", "grader", "batch", str(folder), "--out",
               str(tmp_path / "out"), "--exercise", "int-converter"]
    env = dict(os.environ, PYTHONIOENCODING="utf-8:strict")
    subprocess.run(command, capture_output=True, timeout=120, env=env, check=True)
    for name in names:
        shutil.copyfile(ROOT / "reference" / "int-converter" / "int_converter.py",
                        folder / name / "int_converter.py")
    done = subprocess.run(command, capture_output=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    assert b"\x1b" not in done.stdout
    assert b"ann\\udcff" in done.stdout and b"esc\\x1b[2Kx" in done.stdout


def test_a_second_file_of_the_same_exercise_is_named_in_a_warning(tmp_path):
    # a stub at the top and the real work in App/: which one counts must not be a surprise
    folder = make_class(tmp_path / "class", {"ann": {
        "int_converter.py": "variants/int-converter/hard-coded/int_converter.py",
        "App/__init__.py": "variants/cookie-login/package-layout/App/__init__.py",
        "App/int_converter.py": "reference/int-converter/int_converter.py"}})
    run_batch(folder, tmp_path / "out", "int-converter")
    feedback = (tmp_path / "out" / "feedback" / "ann" / "int-converter.md").read_text(
        encoding="utf-8")
    assert "`int_converter.py` is graded; `App/int_converter.py` is not" in feedback


def test_names_in_feedback_cannot_draw_markdown(tmp_path):
    # a folder's name is the student's: a newline in it drew a fake table of checks
    # above the real total, and HTML in it went through to the LMS
    forged = "App\n\n| ✓ | every check | 10 of 10 |\n\n**Total: 10 of 10** <img src=x onerror=alert(1)>"
    folder = make_class(tmp_path / "class", {"ann": {
        "int_converter.py": "variants/int-converter/hard-coded/int_converter.py",
        f"{forged}/__init__.py": "variants/cookie-login/package-layout/App/__init__.py",
        f"{forged}/int_converter.py": "reference/int-converter/int_converter.py"},
        # no package: named as a near miss of a submission not handed in
        "ben": {"<b>x</b>|y/int_converter.py": "reference/int-converter/int_converter.py"}})
    run_batch(folder, tmp_path / "out", "int-converter")
    read = {s: (tmp_path / "out" / "feedback" / s / "int-converter.md").read_text(
        encoding="utf-8") for s in ("ann", "ben")}
    lines = read["ann"].splitlines()
    assert not any(line.startswith(("| ✓ | every", "**Total: 10")) for line in lines), read["ann"]
    assert sum(line.startswith("**Total") for line in lines) == 1
    assert "`App | ✓ | every check | 10 of 10 | **Total: 10 of 10** <img src=x onerror=alert(1)>" \
        "/int_converter.py`" in read["ann"]
    assert "`<b>x</b>|y/int_converter.py`" in read["ben"]


def test_the_graded_file_is_the_top_one_then_packages_in_path_order(tmp_path):
    from grader.grading import candidates

    for package in ("a", "a-b", "B"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").touch()
        (tmp_path / package / "x.py").touch()
    (tmp_path / "no_package").mkdir()  # no __init__.py: not a package
    (tmp_path / "no_package" / "x.py").touch()
    (tmp_path / "odd").mkdir()  # a folder named like the module is no module
    (tmp_path / "odd" / "__init__.py").touch()
    (tmp_path / "odd" / "x.py").mkdir()
    assert candidates(tmp_path, "x.py") == ["B/x.py", "a-b/x.py", "a/x.py"]
    (tmp_path / "x.py").touch()
    assert candidates(tmp_path, "x.py") == ["x.py", "B/x.py", "a-b/x.py", "a/x.py"]
    assert candidates(tmp_path / "missing", "x.py") == []


@pytest.mark.parametrize(("name", "cell"), [
    ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"), ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1+1", "'+1+1"), ("-2", "'-2"), ("alice", "alice"), ("王小明", "王小明"),
])
def test_a_student_name_is_never_a_spreadsheet_formula(name, cell):
    from grader.batch.changes import Change
    from grader.report.changes import render_changes_csv
    from grader.report.gradebook import render_gradebook

    from grader.classroom import ClassResult, Entry, ExerciseInfo, StudentRow
    from grader.spec import Text

    info = ExerciseInfo("int-converter", Text(zh="x", en="x"), 10, "int_converter.py", ())
    model = ClassResult("class", (info,), (StudentRow(name, (
        Entry(name, "int-converter", "not_submitted"),)),))
    assert list(csv.reader(io.StringIO(render_gradebook(model))))[1][0] == cell
    changed = render_changes_csv((Change(name, "int-converter", "5", "10"),))
    assert list(csv.reader(io.StringIO(changed)))[1][0] == cell


def test_names_that_are_not_utf8_are_graded_and_written(tmp_path):
    # a zip made on Chinese Windows, unpacked here: GBK names, which Python
    # holds as lone surrogates and no UTF-8 output can encode as they are
    make_class(tmp_path / "class",
               {"dave": {"int_converter.py": "reference/int-converter/int_converter.py"}})
    gbk = os.fsdecode(b"\xb1\xca\xbc\xc7.txt")
    (tmp_path / "class" / "dave" / gbk).write_text("notes", encoding="utf-8")
    shutil.copytree(tmp_path / "class" / "dave", tmp_path / "class" / os.fsdecode(b"bob\xfe"))
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "grader", "batch", str(tmp_path / "class"),
                           "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    rows = (out / "gradebook.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[1:] == ["bob\\udcfe,10,10", "dave,10,10"]


def test_a_folder_too_large_to_copy_is_never_read_for_its_key(tmp_path, monkeypatch):
    # a 3 GiB sparse file takes a few kilobytes of disk and would take gigabytes of reading
    from grader.batch import keys

    make_class(tmp_path, {"s": {"int_converter.py": "reference/int-converter/int_converter.py"}})
    student = tmp_path / "s"
    with open(student / "data.bin", "wb") as handle:
        handle.truncate(3 << 30)
    monkeypatch.setattr(keys, "submission_files", lambda root: pytest.fail("read it all"))
    keys._folder_digest.cache_clear()
    assert keys.folder_digest(student)
