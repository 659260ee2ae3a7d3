"""Whose grades changed since the last run, from what to what: after a spec
fix and ``grade batch --regrade``, the instructor sees whom the fix touched."""

from __future__ import annotations

from dataclasses import dataclass

from ..classroom import ClassResult

__all__ = ["Change", "changes"]

TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Change:
    student: str
    #: an exercise id, or "total"
    exercise: str
    before: str
    after: str


def changes(before: ClassResult, after: ClassResult) -> tuple[Change, ...]:
    """Gradebook cells (and totals) that differ; students or exercises only one run
    has are not changes of anyone's grade."""
    old = before.cells()
    same_exercises = [x.id for x in before.exercises] == [x.id for x in after.exercises]
    # a total over other exercises is no grade to compare with
    old_totals = {row.student: row.total_cell for row in before.rows} if same_exercises else {}
    found = []
    for row in after.rows:
        cells = [(e.exercise, old.get((row.student, e.exercise)), e.cell) for e in row.entries]
        cells.append((TOTAL, old_totals.get(row.student), row.total_cell))
        found += [Change(row.student, exercise, was, now) for exercise, was, now in cells
                  if was is not None and was != now]
    return tuple(found)
