"""The class's result model: a row per student, an :class:`Entry` per
exercise. Every output of ``grade batch`` (gradebook, results.json, feedback,
HTML report, changes) renders this one model, so no two can disagree.

The status of an entry is decided here, once:

- ``graded``: every check ran; the score is the result's score
- ``not_loaded``: the module did not load (exit-3 kind); scored 0, the load error shown
- ``not_submitted``: the student's folder has no file for the exercise; no score
- ``error``: the grader could not grade it (its own fault, the spec's, the reference's or
  the machine's, never the student's); no score, and the student's total is not final
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from .results import GradeResult, Msg
from .spec import Exercise, Text

__all__ = ["Status", "Entry", "ExerciseInfo", "StudentRow", "ClassResult", "FailedCheck",
           "status_of", "exercise_info", "failed_checks", "format_points",
           "NOTE_NOT_SUBMITTED", "NOTE_NOT_GRADED"]

Status = Literal["graded", "not_loaded", "not_submitted", "error"]

#: message keys of the notes an entry can carry (catalogue: grader.batch.notes)
NOTE_NOT_SUBMITTED = "batch_not_submitted"
NOTE_NOT_GRADED = "batch_not_graded"

_CELL = {"not_submitted": "not submitted", "error": "error"}


def format_points(value: float) -> str:
    """7.5 → '7.5', 10.0 → '10', 0.1 + 0.2 → '0.3': fractions kept, float noise dropped."""
    return format(round(value, 6), ".15g")


@dataclass(frozen=True, slots=True)
class Entry:
    """What became of one student's submission for one exercise."""

    student: str
    exercise: str
    status: Status
    #: the result, when there is one (also for ``not_loaded`` and usually ``error``)
    result: GradeResult | None = None
    #: what the student reads when there is no result to explain it
    note: Msg | None = None
    #: for the instructor: what failed in the grader (exception, traceback)
    detail: str | None = None

    @property
    def score(self) -> float | None:
        if self.status in ("graded", "not_loaded") and self.result is not None:
            return self.result.score
        return None

    @property
    def cell(self) -> str:
        """The gradebook cell: points, 'not submitted' or 'error'."""
        score = self.score
        return _CELL[self.status] if score is None else format_points(score)


@dataclass(frozen=True, slots=True)
class ExerciseInfo:
    id: str
    title: Text
    max_score: float
    #: the file students hand in
    file: str
    #: (name, title) of every check, in the spec's order
    checks: tuple[tuple[str, Text | None], ...] = ()


@dataclass(frozen=True, slots=True)
class StudentRow:
    student: str
    #: one per exercise of the class, in the same order
    entries: tuple[Entry, ...]

    @property
    def total(self) -> float | None:
        """Sum of the scores (not submitted counts 0); ``None`` while any entry is an error."""
        if any(e.status == "error" for e in self.entries):
            return None
        return sum(e.score or 0.0 for e in self.entries)

    @property
    def total_cell(self) -> str:
        total = self.total
        return "error" if total is None else format_points(total)


@dataclass(frozen=True, slots=True)
class ClassResult:
    #: the class folder as given on the command line
    folder: str
    exercises: tuple[ExerciseInfo, ...]
    rows: tuple[StudentRow, ...]

    @property
    def max_total(self) -> float:
        return sum(x.max_score for x in self.exercises)

    @property
    def entries(self) -> tuple[Entry, ...]:
        return tuple(e for row in self.rows for e in row.entries)

    def count(self, status: Status) -> int:
        return sum(e.status == status for e in self.entries)

    def column(self, exercise: str) -> tuple[Entry, ...]:
        index = [x.id for x in self.exercises].index(exercise)
        return tuple(row.entries[index] for row in self.rows)

    def cells(self) -> dict[tuple[str, str], str]:
        """(student, exercise) → gradebook cell."""
        return {(e.student, e.exercise): e.cell for e in self.entries}


def status_of(result: GradeResult) -> Status:
    if result.load_error is not None:
        return "not_loaded"
    if result.count("error"):
        return "error"
    return "graded"


def exercise_info(exercise: Exercise) -> ExerciseInfo:
    return ExerciseInfo(exercise.id, exercise.title, exercise.max_score, exercise.submission.file,
                        tuple((c.name, c.title) for c in exercise.checks))


@dataclass(frozen=True, slots=True)
class FailedCheck:
    exercise: str
    check: str
    title: Text | None
    #: graded submissions that failed it, and all graded submissions of the exercise
    failed: int
    graded: int
    #: who failed it
    students: tuple[str, ...] = ()


def failed_checks(result: ClassResult) -> list[FailedCheck]:
    """Every check failed at least once, most often failed first. Only fully graded
    submissions count: a module that did not load fails every check at once and
    says nothing about any one of them."""
    found: list[FailedCheck] = []
    for info in result.exercises:
        graded = [e for e in result.column(info.id) if e.status == "graded" and e.result]
        for name, title in info.checks:
            students = tuple(e.student for e in graded if _outcome(e.result, name) == "failed")
            if students:
                found.append(FailedCheck(info.id, name, title, len(students), len(graded),
                                         students))
    return sorted(found, key=lambda f: (-f.failed / max(f.graded, 1), -f.failed, f.exercise,
                                        f.check))


def _outcome(result: Any, name: str) -> str | None:
    return next((c.outcome for c in result.checks if c.name == name), None)
