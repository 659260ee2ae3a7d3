"""Grading a class's tasks: a result comes from the cache when its content key
is known, otherwise from :func:`grader.grading.grade` in a thread pool (the
work happens in child processes; a thread only waits on them, and a student
whose code hangs holds one thread until the spec's per-request timeout, never
the others).

Every fresh result goes through :mod:`grader.resultio` before it is used, so
a fresh result and a cached one are the same data and render the same; it is
written to the cache the moment it is done.
"""

from __future__ import annotations

import traceback
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import TextIO

from ..classroom import NOTE_NOT_GRADED, NOTE_NOT_SUBMITTED, Entry, status_of
from ..grading import Options, grade
from ..resultio import dumps, loads
from ..results import Msg
from .cache import ResultCache
from .progress import Progress
from .roster import Task

__all__ = ["BatchRun", "run_tasks", "grade_task"]

#: outcomes worth keeping: the student's doing, so grading again gives the same
_CACHED_STATUSES = ("graded", "not_loaded")


@dataclass(frozen=True, slots=True)
class BatchRun:
    #: one per task, in the tasks' order
    entries: tuple[Entry, ...]
    #: gradings run now, and results taken from the cache
    graded: int
    cached: int


def not_submitted(task: Task) -> Entry:
    return Entry(task.student, task.exercise.id, "not_submitted",
                 note=Msg(NOTE_NOT_SUBMITTED, {"file": task.exercise.submission.file}))


def grade_task(task: Task, cache: ResultCache, options: Options) -> Entry:
    """Grade one submission (in a worker thread) and cache what is worth keeping.
    Any failure of the grader becomes an ``error`` entry, never an exception."""
    assert task.located is not None
    student, exercise = task.student, task.exercise
    try:
        text = dumps(grade(exercise, task.located[0], options))
        result = loads(text)
    except Exception as exc:  # noqa: BLE001 - the grader failed; the class goes on
        detail = "".join(traceback.format_exception(exc)).rstrip()
        return Entry(student, exercise.id, "error", note=Msg(NOTE_NOT_GRADED), detail=detail)
    status = status_of(result)
    if status in _CACHED_STATUSES and task.key is not None:
        try:
            cache.put(task.key, text)
        except OSError:  # a full disk costs the next run time, not this run its result
            pass
    return Entry(student, exercise.id, status, result)


def run_tasks(tasks: list[Task], cache: ResultCache, options: Options, *, jobs: int,
              regrade: bool = False, progress: TextIO | None = None) -> BatchRun:
    entries: list[Entry | None] = [None] * len(tasks)
    fresh: list[int] = []
    cached = 0
    with Progress(len(tasks), progress) as bar:
        for index, task in enumerate(tasks):
            if task.located is None:
                entries[index] = not_submitted(task)
                bar.advance("absent")
                continue
            hit = None if regrade or task.key is None else cache.get(task.key, task.shown)
            if hit is None:
                fresh.append(index)
                continue
            entries[index] = Entry(task.student, task.exercise.id, status_of(hit), hit)
            cached += 1
            bar.advance("cached")
        pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="grade")
        try:
            pending: dict[Future, int] = {
                pool.submit(grade_task, tasks[i], cache, options): i for i in fresh}
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    entries[pending.pop(future)] = future.result()
                    bar.advance()
        except BaseException:
            # Ctrl-C: start nothing new; gradings under way finish and are cached
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
    return BatchRun(tuple(e for e in entries if e is not None), len(fresh), cached)
