"""``grade batch FOLDER``, start to end: find the students and exercises, grade
what the cache does not have, write the outputs, say whose grades changed.
Returns the exit code; :mod:`grader.cli` only parses the arguments."""

from __future__ import annotations

import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, TextIO

from .. import classio, staging
from ..classroom import ClassResult, StudentRow, exercise_info
from ..errors import UsageError
from ..grading import Options
from ..messages import render
from ..processes import prestart
from ..replay import Tapes
from ..report.changes import render_changes_table
from ..report.text import one_line
from ..results import EXIT_FULL_MARKS, EXIT_NOT_GRADED, Msg
from ..spec import Exercise, find_exercise, list_exercises, load_exercise
from .atomic import read_regular
from .cache import ResultCache
from .changes import Change, changes
from .outputs import write_outputs
from .roster import (CACHE_FOLDER, check_output_folder, exercises_handed_in, mark_output_folder,
                     output_folders, plan, students)
from .run import BatchRun, run_tasks

__all__ = ["BatchSettings", "batch", "CACHE_FOLDER"]

#: a class of 300 submissions writes 3 MB: a results.json past this is damage
MAX_RESULTS_BYTES = 256 << 20


@dataclass(frozen=True, slots=True)
class BatchSettings:
    folder: Path
    out: Path = Path("grade-results")
    #: exercise ids; empty: every exercise some student has a file for
    exercise_ids: tuple[str, ...] = ()
    jobs: int = os.cpu_count() or 1
    #: grade everything again, ignoring the cache (after a spec fix)
    regrade: bool = False
    lang: str = "en"
    options: Options = Options()


def _exercises(settings: BatchSettings, names: list[str]) -> list[Exercise]:
    if settings.exercise_ids:
        return [find_exercise(i) for i in dict.fromkeys(settings.exercise_ids)]
    found = exercises_handed_in(settings.folder, names, [load_exercise(p) for p in
                                                         list_exercises()])
    if not found:
        raise UsageError(f"no student folder in {settings.folder} holds the file of any "
                         f"exercise ('grade list' shows them); name them with --exercise")
    return found


def _previous(out: Path) -> tuple[ClassResult | None, Msg | None]:
    """The last run's results (None where there are none), and why they could
    not be read (a file edited by hand, say), which must be told: without them
    no change can be reported."""
    path = out / "results.json"
    try:
        return classio.loads(read_regular(path, MAX_RESULTS_BYTES)), None
    except FileNotFoundError:
        return None, None
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        return None, Msg("batch_previous_unreadable", {"path": path, "error": str(exc)[:200]})


def batch(settings: BatchSettings, echo: Callable[[str], None] = print,
          progress: TextIO | None = sys.stderr) -> int:
    if settings.jobs < 1:
        raise UsageError(f"--jobs must be at least 1 (got {settings.jobs})")
    # the zygote imports Flask and rehearses while we plan and read the cache
    prestart(rehearse=True)
    check_output_folder(settings.out, settings.folder)
    names = students(settings.folder, skip=(settings.out,))
    others = output_folders(settings.folder, skip=(settings.out,))
    exercises = _exercises(settings, names)
    tasks = plan(settings.folder, names, exercises, settings.options)
    mark_output_folder(settings.out)  # before its cache holds a result
    cache = ResultCache(settings.out / CACHE_FOLDER)
    cache.clean()
    started = time.monotonic()
    # the last run's results are only compared at the end: read them meanwhile
    with ThreadPoolExecutor(1) as reader:
        previous_run = reader.submit(_previous, settings.out)
        try:
            # every submission of an exercise is compared with one recorded reference,
            # and the children of one student's gradings share a copy of their folder
            options = replace(settings.options, tapes=Tapes())
            with staging.kept():
                run = run_tasks(tasks, cache, options, jobs=settings.jobs,
                                regrade=settings.regrade, progress=progress, lang=settings.lang)
        except KeyboardInterrupt:
            print(render(Msg("batch_interrupted", {"cache": cache.folder}), settings.lang),
                  file=sys.stderr)
            raise
        previous, unreadable = previous_run.result()
    result = _class_result(settings.folder, exercises, names, run)
    found = changes(previous, result) if previous is not None else ()
    try:
        write_outputs(settings.out, result, found, settings.lang)
    except OSError as exc:  # a folder where a file goes, a full disk: the results are cached
        raise UsageError(f"cannot write the outputs in {settings.out}: {exc}; every result "
                         f"is kept in {cache.folder}, and the next run writes them") from None
    echo(_summary(result, run, time.monotonic() - started, settings.out, settings.lang))
    if others:  # said: a student could make their folder look like one
        echo(render(Msg("batch_output_folders", {"which": ", ".join(map(one_line, others))}),
                    settings.lang))
    if unreadable is not None:
        echo(render(unreadable, settings.lang))
    if previous is not None:
        echo(_changes_text(found, settings.lang))
        unmatched = _unmatched(previous, result)
        if unmatched:
            echo(render(unmatched, settings.lang))
    return EXIT_NOT_GRADED if result.count("error") else EXIT_FULL_MARKS


def _unmatched(before: ClassResult, after: ClassResult) -> Msg | None:
    """What one run has and the other not: its grades are compared with nothing,
    which the instructor must be told (a run with --exercise holds only those
    exercises, and the next full run compares with it)."""
    ids = {x.id for x in before.exercises} ^ {x.id for x in after.exercises}
    names = {r.student for r in before.rows} ^ {r.student for r in after.rows}
    if not ids and not names:
        return None
    which = ", ".join(map(one_line, sorted(ids) + sorted(names)))
    return Msg("batch_unmatched", {"which": which})


def _class_result(folder: Path, exercises: list[Exercise], names: list[str], run: BatchRun
                  ) -> ClassResult:
    found = {(e.student, e.exercise): e for e in run.entries}
    rows = tuple(StudentRow(name, tuple(found[name, x.id] for x in exercises)) for name in names)
    return ClassResult(os.path.relpath(folder), tuple(exercise_info(x) for x in exercises), rows)


def _summary(result: ClassResult, run: BatchRun, seconds: float, out: Path, lang: str) -> str:
    counts = [Msg(f"batch_count_{status}", {"n": n}) for status, n in (
        (status, result.count(status))
        for status in ("graded", "not_loaded", "not_submitted", "error"))
        if n or status == "graded"]
    comma = "，" if lang == "zh" else ", "
    errors = [one_line(f"{e.student}/{e.exercise}") for e in result.entries
              if e.status == "error"]
    said = [Msg("batch_summary", {"students": _count("batch_students", len(result.rows)),
                                  "exercises": _count("batch_exercises",
                                                      len(result.exercises)),
                                  "counts": comma.join(render(c, lang) for c in counts)}),
            Msg("batch_summary_time", {"graded": _count("batch_submissions", run.graded),
                                       "cached": _count("batch_results", run.cached),
                                       "seconds": f"{seconds:.1f}"}),
            Msg("batch_summary_wrote", {"out": f"{out}{os.sep}"})]
    if errors:
        said.append(Msg("batch_summary_errors", {"which": ", ".join(errors)}))
    return "\n".join(render(m, lang) for m in said)


def _changes_text(found: tuple[Change, ...], lang: str) -> str:
    if not found:
        return render(Msg("batch_no_changes"), lang)
    return render(Msg("batch_changes"), lang) + "\n" + render_changes_table(found).rstrip("\n")


def _count(key: str, n: int) -> Msg:
    """'1 student', '3 students': the message ``key``, or ``key_one`` for one."""
    return Msg(f"{key}_one") if n == 1 else Msg(key, {"n": n})
