"""Whose grades changed: ``changes.csv`` and the table ``grade batch`` prints."""

from __future__ import annotations

import csv
import io

from ..batch.changes import Change
from .gradebook import as_text_cell
from .text import one_line

__all__ = ["render_changes_csv", "render_changes_table"]

_HEADER = ("student", "exercise", "before", "after")


def _rows(changes: tuple[Change, ...]) -> list[tuple[str, str, str, str]]:
    return [(c.student, c.exercise, c.before, c.after) for c in changes]


def render_changes_csv(changes: tuple[Change, ...]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerows([_HEADER, *((as_text_cell(s), *rest) for s, *rest in _rows(changes))])
    return out.getvalue()


def render_changes_table(changes: tuple[Change, ...]) -> str:
    """For the terminal: a name is shown on its line (see :func:`one_line`)."""
    rows = [_HEADER, *(tuple(map(one_line, row)) for row in _rows(changes))]
    widths = [max(len(r[i]) for r in rows) for i in range(len(_HEADER))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines) + "\n"
