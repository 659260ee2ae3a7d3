"""A child runs its submission from a folder of its own: what one child
writes there, the next child of the same submission never sees, even when
(in a batch) they share one staged copy under an overlay; a file changed
between two gradings is graded as it is now; nothing is left behind."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from childkit import child_on, get, hand_in
from conftest import ROOT
from grader import staging

#: says whether it found its marker file, then leaves one (and rewrites itself)
WRITER = '''\
import os
from flask import Blueprint

FOUND = os.path.exists("marker")
with open("marker", "w") as handle:
    handle.write("left by an earlier child")
with open(__file__, "a") as handle:
    handle.write("\\nREWRITTEN = True\\n")
VERSION = "{version}"

blue = Blueprint("blue", __name__)


@blue.route("/found")
def found():
    return f"{{FOUND}} {{VERSION}} {{globals().get('REWRITTEN', False)}}"
'''


@pytest.fixture(params=["fork", "spawn"])
def start_method(request, monkeypatch):
    if request.param == "fork" and not sys.platform.startswith("linux"):
        pytest.skip("forking from a zygote is Linux-only")
    monkeypatch.setenv("GRADER_START", request.param)


@pytest.fixture
def submission(tmp_path):
    return hand_in(tmp_path / "alice", WRITER.format(version="one"))


def answer(folder: Path) -> str:
    """Start a child on ``folder`` and ask what it found."""
    with child_on(folder) as app:
        return get(app, "/found")


def staged_copies() -> list[Path]:
    # ours only: another grader on the machine stages copies of its own meanwhile
    return list(Path(tempfile.gettempdir()).glob(f"grader-staged-{os.getpid()}-*"))


def test_a_child_never_sees_what_an_earlier_one_wrote(start_method, submission):
    before = (submission / "int_converter.py").read_text(encoding="utf-8")
    with staging.kept():  # as in a batch: both children share one staged copy
        assert answer(submission) == "False one False"
        assert answer(submission) == "False one False"
    assert answer(submission) == "False one False"
    assert sorted(p.name for p in submission.iterdir()) == ["int_converter.py"]
    assert (submission / "int_converter.py").read_text(encoding="utf-8") == before


READER = '''\
import sys
from flask import Blueprint

AT_IMPORT = sys.stdin.read()

blue = Blueprint("blue", __name__)


@blue.route("/found")
def found():
    try:
        line = input()
    except EOFError:
        line = "EOF"
    return f"{AT_IMPORT!r} {line}"
'''


def test_code_that_reads_stdin_reads_nothing_either_way(start_method, tmp_path):
    # a spawned child's stdin carried the grader's messages: reading it at import
    # hung the load, input() in a view took a request (0 points on macOS and Windows)
    assert answer(hand_in(tmp_path / "sam", READER)) == "'' EOF"


def test_a_file_changed_between_gradings_is_graded_as_it_is_now(start_method, submission):
    assert answer(submission) == "False one False"
    (submission / "int_converter.py").write_text(WRITER.format(version="two"), encoding="utf-8")
    assert answer(submission) == "False two False"


def test_no_staged_copy_outlives_its_use(start_method, submission):
    before = staged_copies()
    answer(submission)
    assert staged_copies() == before
    with staging.kept():
        answer(submission)
        answer(submission)
    assert staged_copies() == before


def test_files_only_their_owner_may_read_are_still_run(start_method, submission):
    # as a checkout made under umask 077 leaves them; children run as other users
    (submission / "int_converter.py").chmod(0o600)
    submission.chmod(0o700)
    assert answer(submission) == "False one False"


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links")
def test_a_link_to_a_file_of_the_folder_is_graded_as_that_file(start_method, tmp_path):
    # ln -s versions/v2.py int_converter.py: the link is handed in as the file it names
    folder = tmp_path / "bob"
    (folder / "versions").mkdir(parents=True)
    (folder / "versions" / "v2.py").write_text(WRITER.format(version="linked"),
                                               encoding="utf-8")
    (folder / "int_converter.py").symlink_to(Path("versions") / "v2.py")
    assert answer(folder).split()[1] == "linked"


def test_a_link_leading_out_of_the_folder_is_not_staged(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("the reference, say", encoding="utf-8")
    folder = tmp_path / "eve"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine", encoding="utf-8")
    (folder / "leak.txt").symlink_to(outside)
    (folder / "again.txt").symlink_to(folder / "notes.txt")
    copy = staging.fresh_copy(folder, str(tmp_path / "copy"))
    assert sorted(p.name for p in Path(copy).iterdir()) == ["again.txt", "notes.txt"]


def test_a_module_linked_from_outside_the_folder_is_said_to_be_so(tmp_path):
    # a link to another student's file: "No module named ..." alone said nothing of why
    from grader.grading import grade
    from grader.spec import find_exercise

    other = tmp_path / "ann" / "int_converter.py"
    other.parent.mkdir()
    other.write_bytes((ROOT / "reference" / "int-converter" / "int_converter.py").read_bytes())
    (tmp_path / "eve").mkdir()
    (tmp_path / "eve" / "int_converter.py").symlink_to(other)
    result = grade(find_exercise("int-converter"), tmp_path / "eve")
    assert result.score == 0
    assert [w.params["file"] for w in result.warnings if w.key == "linked_outside"] \
        == ["int_converter.py"]
    assert not [w for w in grade(find_exercise("int-converter"), tmp_path / "ann").warnings
                if w.key == "linked_outside"]


def test_a_package_linked_inside_the_folder_is_graded_where_it_is(tmp_path):
    # App -> src: App sorted first, but a link to a folder is not copied, so the
    # graded module was missing ("No module named ...", 0 points)
    from grader.grading import grade
    from grader.spec import find_exercise

    src = tmp_path / "alice" / "src"
    src.mkdir(parents=True)
    (src / "__init__.py").touch()
    (src / "int_converter.py").write_bytes(
        (ROOT / "reference" / "int-converter" / "int_converter.py").read_bytes())
    (tmp_path / "alice" / "App").symlink_to("src")
    result = grade(find_exercise("int-converter"), tmp_path / "alice")
    assert result.score == result.max_score, result.load_error


def test_a_linked_folder_inside_the_submission_is_staged_as_that_folder(tmp_path):
    # templates -> design/tpl works with Flask: left out, a correct solution scored 3/10
    from grader.grading import grade
    from grader.spec import find_exercise

    folder = tmp_path / "ivy"
    shutil.copytree(ROOT / "reference" / "cookie-login", folder,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (folder / "design").mkdir()
    (folder / "templates").rename(folder / "design" / "tpl")
    (folder / "templates").symlink_to(Path("design") / "tpl")
    (folder / "loop").symlink_to(".")  # copied into itself, were it followed
    (folder / "up").symlink_to("..")  # outside the folder: never
    folders, files = staging.staged_tree(folder)
    assert "templates" in folders and "loop" not in folders and "up" not in folders
    result = grade(find_exercise("cookie-login"), folder)
    assert result.score == result.max_score


def test_a_python_environment_is_not_copied_whatever_its_name(tmp_path):
    # "env" held 104 MB: past the size limit, a correct solution scored 0
    from grader.grading import candidates, grade
    from grader.spec import find_exercise

    folder = tmp_path / "frank"
    (folder / "env" / "lib").mkdir(parents=True)
    (folder / "env" / "pyvenv.cfg").write_text("home = /usr/bin\n", encoding="utf-8")
    with open(folder / "env" / "lib" / "big.so", "wb") as big:
        big.truncate(staging.MAX_COPY_BYTES + 1)
    (folder / "conda" / "conda-meta").mkdir(parents=True)
    (folder / "int_converter.py").write_bytes(
        (ROOT / "reference" / "int-converter" / "int_converter.py").read_bytes())
    (folder / "myenv").symlink_to("env")  # a link to one is left out as well
    assert staging.staged_tree(folder) == ([], ["int_converter.py"])
    result = grade(find_exercise("int-converter"), folder)
    assert result.score == result.max_score
    # a package folder left out so is no place to grade from either
    (folder / "int_converter.py").rename(folder / "env" / "int_converter.py")
    (folder / "env" / "__init__.py").touch()
    assert candidates(folder, "int_converter.py") == []


def test_a_folder_too_large_to_copy_is_said_in_the_students_language(tmp_path):
    # it read "无法复制提交用于评分：the submission folder holds over 20 MiB", then
    # told the student to make the module import
    from grader.grading import grade
    from grader.report.text import render_text
    from grader.spec import find_exercise

    folder = tmp_path / "gus"
    (folder / "data").mkdir(parents=True)
    with open(folder / "data" / "dump.bin", "wb") as big:
        big.truncate(staging.MAX_COPY_BYTES + 1)
    (folder / "int_converter.py").write_bytes(
        (ROOT / "reference" / "int-converter" / "int_converter.py").read_bytes())
    result = grade(find_exercise("int-converter"), folder)
    assert (result.load_error.kind, result.load_error.params["largest"]) == ("copy_limit", "data")
    (folder / "data").rename(folder / "x\n✓ all-checks  [10 of 10]")  # shown on its line
    forged = grade(find_exercise("int-converter"), folder).load_error.params["largest"]
    assert forged == "x\\x0a✓ all-checks  [10 of 10]"
    zh = render_text(result, "zh")
    assert "你的文件夹超过 20 MiB" in zh and "大部分在 data 里" in zh
    assert "你的文件夹能被复制用于评分之后" in zh and "the submission" not in zh


def test_a_link_swapped_after_the_listing_copies_nothing_from_outside(tmp_path, monkeypatch):
    # red team 14: a link checked when listed, then pointed at /etc, had files of
    # /etc copied in, readable by the student's code
    outside = tmp_path / "secret"
    outside.mkdir()
    (outside / "x.txt").write_text("root:*:...", encoding="utf-8")
    folder = tmp_path / "mal"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "x.txt").write_text("mine", encoding="utf-8")
    (folder / "a").symlink_to("inner")
    (folder / "f").symlink_to(Path("inner") / "x.txt")
    listed = staging.staged_tree(folder, strict=True)
    (folder / "a").unlink()
    (folder / "a").symlink_to(outside)  # the race won: swapped between listing and copying
    monkeypatch.setattr(staging, "staged_tree", lambda *args, **kwargs: listed)
    with pytest.raises(OSError, match="no longer"):
        staging.fresh_copy(folder, str(tmp_path / "copy"))
    (folder / "a").unlink()
    (folder / "a").symlink_to("inner")
    (folder / "f").unlink()
    (folder / "f").symlink_to(outside / "x.txt")  # a file link swapped the same way
    with pytest.raises(OSError, match="no longer"):
        staging.fresh_copy(folder, str(tmp_path / "copy2"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0
                    or shutil.which("unshare") is None,
                    reason="needs root and unshare to make a mount namespace of its own")
def test_a_link_into_another_mount_namespace_copies_nothing_from_it(tmp_path):
    # red team 15: a student with a mount namespace of their own mounts /etc over a
    # folder of theirs and links a -> /proc/<pid>/root/<their folder>/inner; /proc
    # names what opens there by its path in that namespace, inside the folder
    secret = tmp_path / "etc"
    secret.mkdir()
    (secret / "shadow").write_text("root:*:...", encoding="utf-8")
    folder = tmp_path / "mal"
    (folder / "inner").mkdir(parents=True)
    (folder / "inner" / "decoy.txt").write_text("mine", encoding="utf-8")
    holder = subprocess.Popen(
        ["unshare", "--mount", "--propagation", "private", "sh", "-c",
         f"mount --bind {secret} {folder / 'inner'} && echo ready && exec sleep 60"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        (folder / "a").symlink_to(f"/proc/{holder.pid}/root{folder.resolve() / 'inner'}")
        copy = Path(staging.fresh_copy(folder, str(tmp_path / "copy")))
        copied = sorted(str(p.relative_to(copy)) for p in copy.rglob("*"))
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    assert "a/shadow" not in copied and "inner/decoy.txt" in copied


def test_a_folder_read_again_and_again_through_links_is_refused(tmp_path):
    # .pyc names are read though never copied, and each link reads its folder again:
    # 4,000 links to a folder of 100,000 such names held one listing 350 s
    folder = tmp_path / "dos"
    (folder / "many").mkdir(parents=True)
    for index in range(2000):
        (folder / "many" / f"m{index}.pyc").touch()
    for index in range(20):
        (folder / f"l{index}").symlink_to("many")
    with pytest.raises(staging.SubmissionTooLarge, match=f"over {staging.MAX_NAMES} entries"):
        staging.fresh_copy(folder, str(tmp_path / "copy"))


def test_links_to_one_big_file_count_against_the_size_limit(tmp_path, monkeypatch):
    # a thousand links to one file would otherwise be a thousand copies of it
    monkeypatch.setattr(staging, "MAX_COPY_BYTES", 10_000)
    folder = tmp_path / "mal"
    folder.mkdir()
    (folder / "big.bin").write_bytes(b"x" * 4_000)
    for n in range(5):
        (folder / f"link{n}.bin").symlink_to("big.bin")
    with pytest.raises(OSError, match="holds over"):
        staging.fresh_copy(folder, str(tmp_path / "copy"))
