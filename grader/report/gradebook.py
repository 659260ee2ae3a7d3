"""``gradebook.csv``: a row per student, a column per exercise, then the total.

A cell holds the points (fractions kept: ``7.5``), ``not submitted`` or
``error``; a submission that did not load holds ``0``. The cells come from the
model (:attr:`grader.classroom.Entry.cell`), so every output agrees.
"""

from __future__ import annotations

import csv
import io

from ..classroom import ClassResult

__all__ = ["render_gradebook", "as_text_cell"]

#: what makes a spreadsheet read a cell as a formula (OWASP's list)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_gradebook(result: ClassResult) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["student", *(x.id for x in result.exercises), "total"])
    for row in result.rows:
        writer.writerow([as_text_cell(row.student), *(e.cell for e in row.entries),
                         row.total_cell])
    return out.getvalue()


def as_text_cell(text: str) -> str:
    """A name as a spreadsheet shows it, never runs it: a student's folder
    named ``=HYPERLINK(...)`` or ``@SUM(1+1)`` would be a formula in Excel."""
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
