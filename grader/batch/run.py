"""Grading a class's tasks: a result comes from the cache when its content key
is known, otherwise from a :class:`grader.grading.Grading` in a worker thread
(the work happens in child processes; a thread only waits on them, and a
student whose code hangs holds one worker until the spec's per-request
timeout, never the others).

Every fresh result goes through :mod:`grader.resultio` before it is used, so
a fresh result and a cached one are the same data and render the same; it is
written to the cache the moment it is done.
"""

from __future__ import annotations

import queue
import threading
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

from ..classroom import NOTE_NOT_GRADED, NOTE_NOT_SUBMITTED, Entry, status_of
from ..grading import Grading, Options, not_found
from ..resultio import dumps, loads
from ..results import GradeResult, Msg
from .cache import ResultCache
from .progress import Progress
from .roster import Task

__all__ = ["BatchRun", "run_tasks", "start_task", "finish_task"]

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
    """Said with the files that look meant to be the submission, if any."""
    wanted = task.exercise.submission.file
    note = not_found(task.folder, wanted, NOTE_NOT_SUBMITTED) if task.folder is not None \
        else Msg(NOTE_NOT_SUBMITTED, {"file": wanted})
    return Entry(task.student, task.exercise.id, "not_submitted", note=note)


def start_task(task: Task, options: Options) -> Grading | Entry:
    """Start a grading's children (in a worker thread); an ``error`` entry if
    the grader fails already."""
    assert task.located is not None
    try:
        return Grading(task.exercise, task.located[0], options)
    except Exception as exc:  # noqa: BLE001 - the grader failed; the class goes on
        return _error(task, exc)


def finish_task(task: Task, started: Grading | Entry, cache: ResultCache) -> Entry:
    """Grade what :func:`start_task` started and cache what is worth keeping.
    Any failure of the grader becomes an ``error`` entry, never an exception."""
    if isinstance(started, Entry):
        return started
    try:
        text = dumps(started.result())
        result = loads(text)
    except Exception as exc:  # noqa: BLE001 - the grader failed; the class goes on
        return _error(task, exc)
    status = status_of(result)
    if status in _CACHED_STATUSES and task.key is not None:
        try:
            cache.put(task.key, text)
        except OSError:  # a full disk costs the next run time, not this run its result
            pass
    return Entry(task.student, task.exercise.id, status, result)


def _of_the_exercise(result: GradeResult, task: Task) -> bool:
    """Whether a cached result has the checks and points of the exercise, as
    every result the grader writes does: an entry edited to NaN or 1e308
    points filled the gradebook with them."""
    return [(c.name, c.points) for c in result.checks] \
        == [(c.name, c.points) for c in task.exercise.checks]


def _error(task: Task, exc: BaseException) -> Entry:
    detail = "".join(traceback.format_exception(exc)).rstrip()
    return Entry(task.student, task.exercise.id, "error", note=Msg(NOTE_NOT_GRADED),
                 detail=detail)


def run_tasks(tasks: list[Task], cache: ResultCache, options: Options, *, jobs: int,
              regrade: bool = False, progress: TextIO | None = None,
              lang: str = "en") -> BatchRun:
    entries: list[Entry | None] = [None] * len(tasks)
    fresh: list[int] = []
    cached = 0
    with Progress(len(tasks), progress, lang=lang) as bar:
        for index, task in enumerate(tasks):
            if task.located is None:
                entries[index] = not_submitted(task)
                bar.advance("absent")
                continue
            hit = None if regrade or task.key is None else cache.get(task.key, task.shown)
            if hit is None or not _of_the_exercise(hit, task):
                fresh.append(index)
                continue
            entries[index] = Entry(task.student, task.exercise.id, status_of(hit), hit)
            cached += 1
            bar.advance("cached")
        workers = _Workers(tasks, fresh, cache, options, jobs)
        try:
            for index, entry in workers.results():
                entries[index] = entry
                bar.advance()
        except BaseException:
            # Ctrl-C: start nothing new; gradings under way finish and are cached
            workers.stop()
            raise
    return BatchRun(tuple(e for e in entries if e is not None), len(fresh), cached)


class _Workers:
    """``jobs`` threads grading ``fresh`` tasks. Each starts its next grading
    before it finishes the one in hand, so the next one's children load while
    this one's checks are played: one grading at a time per worker, and no
    core idles while a child starts."""

    def __init__(self, tasks: list[Task], fresh: list[int], cache: ResultCache,
                 options: Options, jobs: int) -> None:
        self._tasks, self._cache, self._options = tasks, cache, options
        self._todo = iter(fresh)
        self._count = len(fresh)
        self._lock = threading.Lock()
        self._stopped = False
        self._done: queue.Queue[tuple[int, Entry]] = queue.Queue()
        for _ in range(min(max(1, jobs), len(fresh))):
            threading.Thread(target=self._work, name="grade").start()

    def results(self) -> Iterator[tuple[int, Entry]]:
        for _ in range(self._count):
            yield self._done.get()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True

    def _next(self) -> tuple[int, Grading | Entry] | None:
        with self._lock:
            index = None if self._stopped else next(self._todo, None)
        if index is None:
            return None
        return index, start_task(self._tasks[index], self._options)

    def _work(self) -> None:
        in_hand = self._next()
        while in_hand is not None:
            ahead = self._next()
            index, started = in_hand
            try:
                entry = finish_task(self._tasks[index], started, self._cache)
            except BaseException as exc:  # noqa: BLE001 - results() must not wait forever
                entry = _error(self._tasks[index], exc)
            self._done.put((index, entry))
            in_hand = ahead
