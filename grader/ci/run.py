"""Grade the exercises present in a checkout (or the ones named), each once,
and place every failure in the student's files.

"Present" means the exercise's submission file is in the checkout root or in
a package folder inside it, exactly as :func:`grader.grading.locate_submission`
finds it for ``grade ID``.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .. import staging
from ..errors import GraderError, SubmissionNotFound
from ..grading import Options, grade, locate_submission, not_found
from ..results import EXIT_FULL_MARKS, EXIT_NOT_LOADED, CheckResult, GradeResult, Msg
from ..spec import Exercise, find_exercise, list_exercises, load_exercise
from .place import Place, place_check, place_load_error

__all__ = ["Graded", "CiRun", "select_exercises", "grade_checkout", "worst_exit_code"]


@dataclass(frozen=True, slots=True)
class Graded:
    """One exercise of the checkout, graded."""

    exercise: Exercise
    result: GradeResult
    #: the submission file relative to the checkout; None when it is missing
    file: str | None
    #: why there is no submission (an exercise named on the command line)
    missing: Msg | None = None
    #: where each failure points in the student's files: (check name, place)
    places: tuple[tuple[str, Place], ...] = ()
    #: where the load error points
    load_place: Place | None = None
    seconds: float = 0.0

    @property
    def exit_code(self) -> int:
        return EXIT_NOT_LOADED if self.missing else self.result.exit_code

    def place_of(self, check: str) -> Place | None:
        return next((p for name, p in self.places if name == check), None)


@dataclass(frozen=True, slots=True)
class CiRun:
    #: the checkout, absolute
    root: Path
    graded: tuple[Graded, ...] = field(default_factory=tuple)
    #: why nothing was graded: no exercise's file is in the checkout
    nothing: Msg | None = None

    @property
    def exit_code(self) -> int:
        if self.nothing is not None:
            return EXIT_NOT_LOADED
        return worst_exit_code(g.exit_code for g in self.graded)

    @property
    def score(self) -> float:
        return sum(g.result.score for g in self.graded)

    @property
    def max_score(self) -> float:
        return sum(g.result.max_score for g in self.graded)


def worst_exit_code(codes) -> int:
    """0 full marks < 1 points lost < 3 not loaded < 4 not graded: the worst wins,
    so a fault of the grader is never hidden behind a student's mistake."""
    return max(codes, default=EXIT_FULL_MARKS)


def select_exercises(root: Path, ids: Sequence[str] = ()
                     ) -> list[tuple[Exercise, str | None, Msg | None]]:
    """``(exercise, file, missing)``: the ones named (each once), or every one
    present; none when nothing is named and nothing is present."""
    if ids:
        return [_locate(find_exercise(i), root) for i in dict.fromkeys(ids)]
    exercises = [load_exercise(p) for p in list_exercises()]
    return [found for e in exercises if (found := _locate(e, root))[1] is not None]


def grade_checkout(root: Path, ids: Sequence[str] = (), options: Options | None = None,
                   jobs: int = 2) -> CiRun:
    root = root.resolve()
    chosen = select_exercises(root, ids)
    if not chosen:  # a repository made from the template, say: said as a result, not a crash
        files = ", ".join(sorted({load_exercise(p).submission.file for p in list_exercises()}))
        return CiRun(root, nothing=Msg("ci_none_present", {"root": root.name, "files": files}))
    # every exercise is graded from the same checkout: copy it once for all
    with staging.kept(), ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded = list(pool.map(lambda c: _grade_one(root, *c, options), chosen))
    return CiRun(root, tuple(graded))


def _locate(exercise: Exercise, root: Path) -> tuple[Exercise, str | None, Msg | None]:
    try:
        return exercise, locate_submission(exercise, root)[1], None
    except SubmissionNotFound:
        return exercise, None, not_found(root, exercise.submission.file, "ci_missing")


def _grade_one(root: Path, exercise: Exercise, file: str | None, missing: Msg | None,
               options: Options | None) -> Graded:
    if file is None:
        return Graded(exercise, _all(exercise, "failed", None), None, missing=missing)
    started = time.perf_counter()
    try:
        result = grade(exercise, root, options)  # the folder: packages import as such
    except GraderError as exc:  # e.g. Redis needed and none to be had: not the student's fault
        result = _all(exercise, "error", Msg("redis_needed", {"message": str(exc)}))
    seconds = time.perf_counter() - started
    if result.load_error is not None:
        return Graded(exercise, result, file, load_place=place_load_error(result, root, file),
                      seconds=seconds)
    places = tuple((c.name, place_check(c, exercise, root, file))
                   for c in result.checks if c.outcome == "failed")
    return Graded(exercise, result, file, places=places, seconds=seconds)


def _all(exercise: Exercise, outcome: str, error: Msg | None) -> GradeResult:
    checks = tuple(CheckResult(c.name, c.points, outcome, c.hint, c.title,  # type: ignore[arg-type]
                               error=error) for c in exercise.checks)
    return GradeResult(exercise.id, exercise.title, "", checks)

