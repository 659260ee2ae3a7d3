"""A child runs its submission from a folder of its own: what one child
writes there, the next child of the same submission never sees, even when
(in a batch) they share one staged copy under an overlay; a file changed
between two gradings is graded as it is now; nothing is left behind."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from childkit import child_on, get, hand_in
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
    return list(Path(tempfile.gettempdir()).glob("grader-staged-*"))


def test_a_child_never_sees_what_an_earlier_one_wrote(start_method, submission):
    before = (submission / "int_converter.py").read_text(encoding="utf-8")
    with staging.kept():  # as in a batch: both children share one staged copy
        assert answer(submission) == "False one False"
        assert answer(submission) == "False one False"
    assert answer(submission) == "False one False"
    assert sorted(p.name for p in submission.iterdir()) == ["int_converter.py"]
    assert (submission / "int_converter.py").read_text(encoding="utf-8") == before


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
