"""A pytest plugin: ``pytest --grade-submission PATH exercises/`` collects
every check of every exercise spec under the given paths as a test item, so
every pytest reporter (``-v``, ``--junitxml``, …) shows a grade.

* A spec file is one collector; its submission is graded once, when the
  first of its checks runs, and the :class:`~grader.results.GradeResult` is
  kept on the collector for the others.
* passed → the item passes; failed → it fails with the check's report text;
  a submission that did not load fails every check with the load error.
* not graded → the item **errors** (in setup), it is not skipped: "not
  graded" is a fault of the grader, the spec, the reference or the machine,
  and like ``grade`` (exit 4) it must turn a run red, while a skip would
  leave it green. An error also keeps it apart from the student's failures,
  just as ``<error>`` does in ``grade ci --junit``.

Without ``--grade-submission`` the plugin adds its options and does nothing
else: no file is collected, nothing of the grader is imported. A session
that does nothing but grade gets a disk quota for the children without root,
as ``grade`` does (see :func:`pytest_collection_finish`).
"""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from .results import CheckResult, GradeResult
    from .spec import Check, Exercise

__all__ = ["ExerciseFile", "CheckItem", "CheckFailed", "CheckNotGraded"]

#: a spec has these top-level keys; other YAML (variant.yaml, CI files) is left alone
_SPEC_KEYS = (re.compile(r"^format:", re.M), re.compile(r"^checks:", re.M))


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("grade", "grading Flask exercises (flask-grader)")
    group.addoption("--grade-submission", metavar="PATH", default=None,
                    help="grade this submission (file or folder) against every exercise spec "
                         "(*.yaml) under the given paths, one test per check")
    group.addoption("--grade-lang", choices=("zh", "en"), default=None,
                    help="language of the check reports (default: from $LANG)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("grade_submission") is None:
        return
    if not _submission(config).exists():
        raise pytest.UsageError(f"--grade-submission: {_submission(config)} does not exist")
    from .entry import keep_the_current_folder_out

    keep_the_current_folder_out()


def _submission(config: pytest.Config) -> Path:
    """The submission to grade, relative to where pytest was started."""
    return config.invocation_params.dir / config.getoption("grade_submission")


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    if parent.config.getoption("grade_submission") is None:
        return None
    if file_path.suffix not in (".yaml", ".yml") or not _looks_like_spec(file_path):
        return None
    return ExerciseFile.from_parent(parent, path=file_path)


def pytest_collection_finish(session: pytest.Session) -> None:
    """A session that only grades takes, as ``grade`` does (see
    :mod:`grader.entry`), a user and mount namespace of its own where it is
    not root, so that children's folders get a disk quota. A session that
    also runs other tests does not: they would run in it (where files of
    other users show as nobody's, and sudo fails), and the report says the
    quota is missing."""
    if session.config.getoption("grade_submission") is None or not session.items:
        return
    if all(isinstance(item, CheckItem) for item in session.items):
        from .processes import enter_own_namespace

        enter_own_namespace()  # as root, or where it may not: nothing happens


def _looks_like_spec(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return all(key.search(text) for key in _SPEC_KEYS)


class CheckFailed(Exception):
    """The check failed; the message is its report."""


class CheckNotGraded(pytest.fail.Exception):
    """The check could not be graded; the message says why. Raised in setup,
    where pytest shows its own traceback unless told not to (``pytrace``)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, pytrace=False)


class ExerciseFile(pytest.File):
    """One exercise spec; grades the submission once, for all its checks."""

    exercise: Exercise
    _outcome: GradeResult | Exception | None = None

    def collect(self):
        from .errors import SpecError
        from .spec import load_exercise

        try:
            self.exercise = load_exercise(self.path)
        except SpecError as exc:
            raise self.CollectError(str(exc)) from None
        for check in self.exercise.checks:
            yield CheckItem.from_parent(self, name=check.name, check=check)

    @property
    def lang(self) -> str:
        from .messages import language_from_env

        return self.config.getoption("grade_lang") or language_from_env()

    def outcome(self) -> GradeResult | Exception:
        """The grade of the submission (or why there is none), computed once."""
        if self._outcome is None:
            from .errors import GraderError
            from .grading import Options, grade

            try:
                # a Redis of the course's, as the grade command takes it
                options = Options(redis_url=os.environ.get("GRADER_REDIS_URL") or None)
                self._outcome = grade(self.exercise, _submission(self.config), options)
            except GraderError as exc:
                self._outcome = exc
        return self._outcome


class CheckItem(pytest.Item):
    """One check of an exercise; its outcome is the check's."""

    def __init__(self, *, check: Check, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.check = check

    @property
    def exercise_file(self) -> ExerciseFile:
        assert isinstance(self.parent, ExerciseFile)
        return self.parent

    def setup(self) -> None:
        from .errors import SubmissionNotFound
        from .messages import render

        outcome = self.exercise_file.outcome()
        if isinstance(outcome, Exception) and not isinstance(outcome, SubmissionNotFound):
            raise CheckNotGraded(str(outcome))
        result = self._result()
        if result is not None and result.outcome == "error":
            raise CheckNotGraded(render(result.error, self.exercise_file.lang))

    def runtest(self) -> None:
        from .report.text import check_lines, load_error_lines

        outcome = self.exercise_file.outcome()
        lang = self.exercise_file.lang
        if isinstance(outcome, Exception):  # the submission is missing
            raise CheckFailed(str(outcome))
        if outcome.load_error is not None:
            raise CheckFailed("\n".join(load_error_lines(outcome, lang)))
        result = self._result()
        if result is not None and result.outcome == "failed":
            raise CheckFailed("\n".join(check_lines(result, lang)))

    def _result(self) -> CheckResult | None:
        outcome = self.exercise_file.outcome()
        if isinstance(outcome, Exception):
            return None
        return next((c for c in outcome.checks if c.name == self.check.name), None)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, (CheckFailed, CheckNotGraded)):
            from .report.text import printable

            # an app's answer and output are in it: no escape reaches the terminal
            return printable(textwrap.dedent(str(excinfo.value)))
        return str(super().repr_failure(excinfo, style))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        line = self.check.line - 1 if self.check.line else None
        return self.path, line, f"{self.exercise_file.exercise.id}::{self.check.name}"
