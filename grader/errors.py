"""The grader's exceptions. Student mistakes are *results*, not exceptions;
these are for things a user must act on before grading can happen::

    GraderError                      base; ``exit_code`` says how the CLI exits
    ├── UsageError                   bad command-line arguments           (2)
    ├── SpecError                    an exercise spec is invalid          (2)
    │     carries ``path`` and ``line`` so the message reads ``file:line: …``
    ├── ExerciseNotFound             no such exercise id                  (2)
    ├── SubmissionNotFound           the submission file is missing        (3)
    └── StoreUnavailable             a session store (Redis) can't be had  (4)

This module imports nothing else from ``grader``.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

__all__ = [
    "GraderError",
    "UsageError",
    "SpecError",
    "ExerciseNotFound",
    "SubmissionNotFound",
    "StoreUnavailable",
    "did_you_mean",
]


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'x'?)`` for the closest choice, or ``""``."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


class GraderError(Exception):
    """Base class; the CLI prints ``str(exc)`` and exits with ``exit_code``."""

    exit_code = 2


class UsageError(GraderError, ValueError):
    exit_code = 2


class SpecError(GraderError, ValueError):
    """An exercise spec is invalid; the message points at ``file:line``."""

    exit_code = 2

    def __init__(self, message: str, *, path: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {message}")


class ExerciseNotFound(GraderError, LookupError):
    exit_code = 2

    def __init__(self, exercise_id: str, known: Iterable[str]) -> None:
        known = sorted(known)
        self.exercise_id = exercise_id
        super().__init__(
            f"no exercise {exercise_id!r}{did_you_mean(exercise_id, known)};"
            f" 'grade list' shows the {len(known)} exercises"
        )


class SubmissionNotFound(GraderError, FileNotFoundError):
    exit_code = 3

    def __init__(self, message: str) -> None:
        super().__init__(message)


class StoreUnavailable(GraderError, RuntimeError):
    """A session store the exercise needs (Redis) cannot be had here."""

    exit_code = 4
