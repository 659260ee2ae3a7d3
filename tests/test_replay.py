"""A batch records each reference once and replays its answers to every
submission (:mod:`grader.replay`). Replaying must never change a verdict:
every variant is graded as labelled, a submission that faults midway (so the
reference's history leaves the tape) is graded as it is live, and a history
the tape cannot serve gives "not graded", never a failure."""

from __future__ import annotations

import shutil
import time
from email.utils import formatdate

import pytest

from conftest import ROOT
from grader.grading import Options, grade
from grader.http import CookieJar, Response, cookie_events
from grader.replay import Tapes
from grader.selfcheck import check_exercise, render_table
from grader.spec import find_exercise, list_exercises

EXERCISES = list_exercises(ROOT / "exercises")


def outcomes(result):
    return {c.name: c.outcome for c in result.checks}


@pytest.mark.parametrize("path", EXERCISES, ids=[p.stem for p in EXERCISES])
def test_every_variant_is_graded_as_labelled_against_a_replayed_reference(path):
    verdict = check_exercise(path, ROOT / "variants", Options(tapes=Tapes()))
    assert verdict.sound, render_table([verdict])


@pytest.fixture
def crashes_on_alice(tmp_path):
    """session-persist's reference, except that logging in as Alice kills the
    process: its check stops after the first step, so the reference misses
    the second, and every later check starts from a history not on the tape."""
    exercise = find_exercise("session-persist")
    folder = tmp_path / "submission"
    shutil.copytree(exercise.reference, folder)
    module = folder / exercise.submission.file
    source = module.read_text(encoding="utf-8")
    module.write_text(source.replace(
        '    session["name"] = request.form.get("name")\n',
        '    if request.form.get("name") == "Alice":\n'
        '        import os\n'
        '        os._exit(3)\n'
        '    session["name"] = request.form.get("name")\n'), encoding="utf-8")
    return exercise, folder


def test_a_submission_that_crashes_midway_is_graded_as_it_is_live(crashes_on_alice):
    exercise, folder = crashes_on_alice
    tapes = Tapes()
    options = Options(tapes=tapes)
    recorded = grade(exercise, exercise.reference, options)  # records the tape
    assert recorded.score == recorded.max_score
    live = outcomes(grade(exercise, folder))
    replayed = outcomes(grade(exercise, folder, options))
    assert replayed == live
    # the crash costs its own check only; the checks after it (a restart, store
    # lookups) were answered by a reference that caught up live
    assert [name for name, outcome in live.items() if outcome != "passed"] == [
        "welcome-has-logout-link"]


def test_a_history_the_tape_cannot_serve_midway_is_not_graded():
    exercise = find_exercise("session-persist")
    tapes = Tapes()
    options = Options(tapes=tapes)
    grade(exercise, exercise.reference, options)
    tape = tapes.tape_for(exercise.id, lambda: None)
    # forget the last answer recorded: the last check's last step, inside a check
    *kept, last = tape.answers
    tape.answers = {history: tape.answers[history] for history in kept}
    result = outcomes(grade(exercise, exercise.reference, options))
    assert result.pop("logout-shows-guest") == "error"
    assert set(result.values()) == {"passed"}


def test_a_replayed_cookie_keeps_the_lifetime_it_was_sent_with():
    # an Expires cookie answered ten minutes ago lives an hour from its receipt,
    # as it did when it was recorded; a jar keeps it an hour from now
    sent = time.time() - 600
    response = Response(200, (("Set-Cookie", f"a=1; Expires={formatdate(sent + 3600, usegmt=True)}"
                               "; Path=/"),), received=sent)
    assert cookie_events([response])["a"].lifetime == pytest.approx(3600, abs=2)
    jar = CookieJar()
    jar.update(response)
    assert jar.header_for("/", now=time.time() + 3000) == "a=1"
