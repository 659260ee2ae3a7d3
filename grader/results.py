"""The result model: what happened to every check, in data a report renders.

Student failures are results, never exceptions. Messages are :class:`Msg`
keys with parameters so each report renders them in the student's language
(see :mod:`grader.messages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from .http import Request, Response
from .sandbox import Fault, LoadError
from .spec import Text

__all__ = ["Outcome", "Msg", "Finding", "StepReport", "CheckResult", "GradeResult",
           "EXIT_FULL_MARKS", "EXIT_POINTS_LOST", "EXIT_BAD_SPEC", "EXIT_NOT_LOADED",
           "EXIT_NOT_GRADED"]

Outcome = Literal["passed", "failed", "error"]

EXIT_FULL_MARKS = 0
EXIT_POINTS_LOST = 1
EXIT_BAD_SPEC = 2  # also bad usage
EXIT_NOT_LOADED = 3
#: some checks could not be graded (grader, spec, reference or environment fault)
EXIT_NOT_GRADED = 4


@dataclass(frozen=True, slots=True)
class Msg:
    """A message id and its parameters; parameters may be Msgs themselves."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)


Said = str | Msg


@dataclass(frozen=True, slots=True)
class Finding:
    """One way a response differed from what was expected."""

    what: Msg
    expected: Said | None = None
    actual: Said | None = None
    #: the expectation comes from the reference's response, not the spec
    from_reference: bool = True
    #: a unified diff of the two bodies, when bodies differed
    diff: str | None = None
    notes: tuple[Msg, ...] = ()


@dataclass(frozen=True, slots=True)
class StepReport:
    """A step that went wrong: what was sent, both answers, the findings."""

    index: int
    label: Text | None
    request: Request
    reference: Response | Fault | None
    submission: Response | Fault | None
    findings: tuple[Finding, ...]


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: str
    points: float
    outcome: Outcome
    hint: Text
    title: Text | None = None
    steps: tuple[StepReport, ...] = ()
    #: why the check could not be graded (outcome "error")
    error: Msg | None = None

    @property
    def score(self) -> float:
        return self.points if self.outcome == "passed" else 0.0


@dataclass(frozen=True, slots=True)
class GradeResult:
    exercise: str
    title: Text
    submission: str
    checks: tuple[CheckResult, ...]
    #: the submission could not be loaded at all
    load_error: LoadError | None = None
    warnings: tuple[Msg, ...] = ()

    @property
    def score(self) -> float:
        return sum(c.score for c in self.checks)

    @property
    def max_score(self) -> float:
        return sum(c.points for c in self.checks)

    def count(self, outcome: Outcome) -> int:
        return sum(c.outcome == outcome for c in self.checks)

    @property
    def exit_code(self) -> int:
        if self.load_error is not None:
            return EXIT_NOT_LOADED
        if self.count("failed"):
            return EXIT_POINTS_LOST
        if self.count("error"):
            return EXIT_NOT_GRADED
        return EXIT_FULL_MARKS
