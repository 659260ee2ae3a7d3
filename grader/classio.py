"""A :class:`~grader.classroom.ClassResult` as ``results.json`` and back.

``results.json`` holds everything: per student and exercise the status, the
score and a line per check (for readers with ``jq``), and the full result
(:mod:`grader.resultio`). Reading it back ignores the convenience fields and
rebuilds the model from the full results; ``grade batch`` does so to tell
whose grades changed since the last run.
"""

from __future__ import annotations

import json
from typing import Any

from .classroom import ClassResult, Entry, ExerciseInfo, StudentRow
from .resultio import conforms, from_data, to_data
from .spec import Text

__all__ = ["FORMAT", "to_document", "from_document", "dumps", "loads"]

FORMAT = 1


def _text(value: Text | None) -> dict[str, str] | None:
    return None if value is None else {"en": value.en, "zh": value.zh}


def _entry(entry: Entry) -> dict[str, Any]:
    result = entry.result
    checks = [] if result is None else [
        {"name": c.name, "outcome": c.outcome, "score": c.score, "points": c.points}
        for c in result.checks]
    return {"status": entry.status, "cell": entry.cell, "score": entry.score,
            "max_score": None if result is None else result.max_score,
            "submission": None if result is None else result.submission,
            "checks": checks, "note": to_data(entry.note), "detail": entry.detail,
            "result": to_data(result)}


def to_document(result: ClassResult) -> dict[str, Any]:
    exercises = [{"id": x.id, "title": _text(x.title), "max_score": x.max_score, "file": x.file,
                  "checks": [{"name": n, "title": _text(t)} for n, t in x.checks]}
                 for x in result.exercises]
    students = [{"student": row.student, "total": row.total, "total_cell": row.total_cell,
                 "exercises": {e.exercise: _entry(e) for e in row.entries}}
                for row in result.rows]
    return {"format": FORMAT, "folder": result.folder, "max_total": result.max_total,
            "exercises": exercises, "students": students}


def from_document(document: dict[str, Any]) -> ClassResult:
    """Raises ``ValueError`` for a document :func:`to_document` did not write."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError("not a results.json of this format")
    try:
        exercises = tuple(
            ExerciseInfo(x["id"], Text(**x["title"]), x["max_score"], x["file"],
                         tuple((c["name"], Text(**c["title"]) if c["title"] else None)
                               for c in x["checks"]))
            for x in document["exercises"])
        rows = tuple(
            StudentRow(s["student"], tuple(
                Entry(s["student"], x.id, e["status"], from_data(e["result"]),
                      from_data(e["note"]), e["detail"])
                for x in exercises for e in [s["exercises"][x.id]]))
            for s in document["students"])
    except (KeyError, TypeError, AttributeError, RecursionError) as exc:
        raise ValueError(f"results.json does not fit the model: {exc!r:.200}") from None
    for part in (*exercises, *rows, *(e for r in rows for e in r.entries)):
        conforms(part)  # a status of "bogus" crashed the gradebook's cells
    for entry in (e for r in rows for e in r.entries):
        if entry.status in ("graded", "not_loaded") and entry.result is None:
            raise ValueError(f"results.json has a {entry.status} entry with no result")
    return ClassResult(document["folder"], exercises, rows)


def dumps(result: ClassResult) -> str:
    # compact: for a class, the indented form takes several times longer to write
    return json.dumps(to_document(result), ensure_ascii=False) + "\n"


def loads(text: str) -> ClassResult:
    try:
        document = json.loads(text)
    except RecursionError:  # nested deeper than any results.json is
        raise ValueError("results.json is nested too deep to be ours") from None
    return from_document(document)
