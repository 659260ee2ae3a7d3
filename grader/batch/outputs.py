"""Everything ``grade batch`` writes into its output folder, all rendered from
one :class:`~grader.classroom.ClassResult`::

    gradebook.csv                 a row per student, a column per exercise, the total
    results.json                  everything, per check (grader.classio)
    report.html                   the class report for the instructor
    changes.csv                   whose grades changed since the last run
    feedback/<student>/<id>.md    what each student reads
    .cache/<key>.json             one result per content key (grader.batch.cache)
    .grade-batch                  says what the folder is (grader.batch.roster)

Every output is rendered before the first is written (a renderer that fails
leaves the old outputs as they were), and each is written atomically.
"""

from __future__ import annotations

from pathlib import Path

from .. import classio
from ..classroom import ClassResult
from ..report.changes import render_changes_csv
from ..report.gradebook import render_gradebook
from ..report.html import render_html
from ..report.markdown import render_feedback
from .atomic import remove_temporaries, replace_folder, write_atomic
from .changes import Change

__all__ = ["OUTPUT_FILES", "write_outputs"]

OUTPUT_FILES = ("gradebook.csv", "changes.csv", "report.html", "results.json")


def write_outputs(out: Path, result: ClassResult, changes: tuple[Change, ...], lang: str) -> None:
    texts = dict(zip(OUTPUT_FILES, (render_gradebook(result), render_changes_csv(changes),
                                    render_html(result, lang), classio.dumps(result))))
    feedback = {f"{e.student}/{e.exercise}.md": render_feedback(e, info, lang)
                for row in result.rows for e, info in zip(row.entries, result.exercises)}
    out.mkdir(parents=True, exist_ok=True)
    remove_temporaries(out)
    for name, text in texts.items():  # results.json last: it is what the next run compares with
        # Excel reads a CSV as the machine's legacy code page unless it starts with a
        # byte-order mark: Chinese names would be garbled
        write_atomic(out / name, "\ufeff" + text if name.endswith(".csv") else text)
    replace_folder(out / "feedback", feedback)
