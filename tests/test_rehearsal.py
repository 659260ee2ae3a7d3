"""Before a batch the zygote rehearses an app of ours (:mod:`grader.rehearsal`)
so that its children start warm. A rehearsal must change no verdict and
leave nothing a child could see: no module, no path entry, no folder."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ROOT
from childkit import child_on, get, hand_in
from grader import processes
from grader.grading import Options
from grader.replay import Tapes
from grader.selfcheck import check_exercise, render_table
from grader.spec import list_exercises

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="only a forking zygote rehearses (Linux)")

EXERCISES = list_exercises(ROOT / "exercises")

#: reports what it can see of the rehearsal, and imports a module of the
#: rehearsal's name from its own folder
LOOKER = '''\
import sys
from flask import Blueprint

seen = sorted(n for n in sys.modules if "rehearsal_app" in n)
paths = [p for p in sys.path if "rehearsal" in p]
import rehearsal_app

blue = Blueprint("blue", __name__)


@blue.route("/seen")
def looked():
    return f"{seen} {paths} {rehearsal_app.WHOSE}"
'''


@pytest.fixture(scope="module")
def rehearsed():
    """A zygote of its own that has rehearsed, as one does before a batch."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADER_START", "fork")
        processes.shutdown()
        processes.prestart(rehearse=True)
        assert processes._fork_server().rehearsed() is True
        yield
        processes.shutdown()


def test_a_rehearsal_removes_what_it_loaded(tmp_path):
    from grader.rehearsal import MODULE, rehearse

    path_before, modules_before = list(sys.path), set(sys.modules)
    rehearse(str(tmp_path))
    assert sys.path == path_before
    assert not {n for n in set(sys.modules) - modules_before if MODULE in n}
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_every_variant_is_graded_as_labelled_after_a_rehearsal(rehearsed, path):
    verdict = check_exercise(path, ROOT / "variants", Options(tapes=Tapes()))
    assert verdict.sound, render_table([verdict])


def test_a_child_sees_nothing_of_the_rehearsal(rehearsed, tmp_path):
    folder = hand_in(tmp_path / "alice", LOOKER)
    (folder / "rehearsal_app.py").write_text('WHOSE = "alice"\n', encoding="utf-8")
    with child_on(folder) as app:
        assert get(app, "/seen") == "[] [] alice"
    assert not list(Path(tempfile.gettempdir()).glob("grader-rehearsal-*"))
