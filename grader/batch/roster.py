"""Who handed in what: the students (one subfolder each) and, per student and
exercise, the submission ``grade`` would find there, with its content key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SubmissionNotFound, UsageError
from ..grading import Options, locate_submission, shown_path
from ..report.text import one_line
from ..spec import Exercise
from .atomic import TEMP_MARK, write_atomic
from .keys import cache_key, exercise_digest, folder_digest, submission_digest

#: where a batch's output folder keeps its results by content key
CACHE_FOLDER = ".cache"
#: written into an output folder when a run begins: what tells an output
#: folder inside the class folder from a student's
OUTPUT_MARK = ".grade-batch"
#: what every run writes: an output folder of a grader from before OUTPUT_MARK
_OUTPUTS = ("gradebook.csv", "results.json", "report.html")
#: folders of a class that tools make, never a student's
_NOT_STUDENTS = ("__pycache__", "__MACOSX")

__all__ = ["Task", "students", "plan", "exercises_handed_in", "is_output_folder",
           "output_folders", "check_output_folder", "mark_output_folder", "CACHE_FOLDER",
           "OUTPUT_MARK"]


@dataclass(frozen=True, slots=True)
class Task:
    student: str
    exercise: Exercise
    #: (root, module relative to it) as ``grade`` finds it; None: not submitted
    located: tuple[Path, str] | None
    #: the content key of the submission; None when not submitted (or unreadable)
    key: str | None = None
    #: the student's folder
    folder: Path | None = None

    @property
    def shown(self) -> str:
        """The module's path as reports show it."""
        if self.located is None:
            return ""
        root, file = self.located
        return shown_path(root / file)


def students(folder: Path, skip: tuple[Path, ...] = ()) -> list[str]:
    """The student folders, by name: not hidden ones, nor ``skip`` (this
    run's output folder), nor :func:`output_folders`."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; give the folder that holds one "
                         f"subfolder per student")
    skipped = {p.resolve() for p in skip}
    names = sorted(p.name for p in _candidates(folder)
                   if p.resolve() not in skipped and not is_output_folder(p))
    if not names:
        raise UsageError(f"{folder} has no student folders (one subfolder per student)")
    return names


def output_folders(folder: Path, skip: tuple[Path, ...] = ()) -> list[str]:
    """Folders of the class that earlier runs wrote, which are not graded.
    A run says which: a student could make their folder look like one."""
    skipped = {p.resolve() for p in skip}
    return sorted(p.name for p in _candidates(folder)
                  if p.resolve() not in skipped and is_output_folder(p))


def _candidates(folder: Path) -> list[Path]:
    # a Python environment beside the students is a row of "not submitted": a
    # student's own folder may be one too (python -m venv . in the project)
    return [p for p in folder.iterdir() if p.is_dir() and _may_be_a_student(p.name)]


def _may_be_a_student(name: str) -> bool:
    return not name.startswith(".") and name not in _NOT_STUDENTS


def is_output_folder(folder: Path) -> bool:
    """Whether ``grade batch`` wrote ``folder``: its mark, or (a grader's
    from before the mark) every output. A ``results.json`` or a ``.cache``
    alone is any project's. A folder that cannot be looked into is not."""
    try:
        return (folder / OUTPUT_MARK).is_file() or all((folder / name).is_file()
                                                        for name in _OUTPUTS)
    except OSError:  # a student folder the instructor may not read: graded, and said so
        return False


def _holds_only_a_cache(folder: Path) -> bool:
    """Whether ``folder`` holds a cache and nothing else of note: what a run
    of a grader from before the mark left when stopped before its outputs."""
    names = [p.name for p in folder.iterdir()]
    return CACHE_FOLDER in names and all(n == CACHE_FOLDER or TEMP_MARK in n for n in names)


def check_output_folder(out: Path, folder: Path) -> None:
    """Refuse an output folder that is the class folder, a student's folder
    or inside one, or a folder of files that ``grade batch`` did not write:
    writing there would mix outputs into a submission (every student's
    results in one student's code), drop a student from the gradebook, or
    replace the files of whoever made the folder."""
    try:
        _check_output_folder(out, folder)
    except OSError as exc:  # a name too long, a path through a file
        raise UsageError(f"--out {out} cannot be used: {exc.strerror or exc}") from None


def _check_output_folder(out: Path, folder: Path) -> None:
    out_real, class_real = out.resolve(), folder.resolve()
    if out_real == class_real:
        raise UsageError(f"--out {out} is the class folder itself; choose a folder for the "
                         f"outputs, inside it or not")
    # by where each student's folder really is: a class of links to folders elsewhere
    # (class/alice -> ../store/alice) has them outside the class folder
    for student in _candidates(folder) if folder.is_dir() else ():
        real = student.resolve()
        if (real == out_real or real in out_real.parents) and not is_output_folder(student):
            where = "the folder of" if real == out_real else "inside the folder of"
            # even an empty one: a student who handed in nothing is a row of the gradebook
            raise UsageError(f"--out {out} is {where} {one_line(student.name)}, a student's "
                             f"folder; choose a folder beside the students' folders")
    if class_real in out_real.parents and out_real.parent != class_real:
        top = class_real / out_real.relative_to(class_real).parts[0]
        if not top.exists():  # made now, it would be a student's folder on the next run
            raise UsageError(f"--out {out} would make the folder {one_line(top.name)} among "
                             f"the students' folders; choose a folder directly in "
                             f"{folder}, or outside it")
    if out.is_file():
        raise UsageError(f"--out {out} is a file; choose a folder")
    if out.is_dir() and any(out.iterdir()) and not is_output_folder(out) \
            and not _holds_only_a_cache(out):
        raise UsageError(f"--out {out} is a folder that grade batch did not write: its files "
                         f"would be replaced; choose a new folder, or one grade batch wrote")


def mark_output_folder(out: Path) -> None:
    """Make ``out`` and say in it what it is (see :func:`is_output_folder`).
    Written as every output is: whatever stands at the mark's name (a FIFO,
    a link) is replaced, never opened."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        write_atomic(out / OUTPUT_MARK, "written by grade batch: an output folder, not a "
                                        "student's\n", durable=False)
    except OSError as exc:
        raise UsageError(f"--out {out} cannot be written: {exc}") from None


def _locate(exercise: Exercise, folder: Path) -> tuple[Path, str] | None:
    try:
        return locate_submission(exercise, folder)
    except SubmissionNotFound:
        return None


def exercises_handed_in(folder: Path, names: list[str], exercises: list[Exercise]
                        ) -> list[Exercise]:
    """The exercises at least one student has a file for."""
    return [x for x in exercises if any(_locate(x, folder / n) for n in names)]


def plan(folder: Path, names: list[str], exercises: list[Exercise], options: Options
         ) -> list[Task]:
    """A task per student and exercise, students first, in order."""
    digests = {x.id: exercise_digest(x) for x in exercises}
    folders: dict[Path, str] = {}  # a batch grades the folders as they are when it begins
    tasks = []
    for name in names:
        for exercise in exercises:
            located = _locate(exercise, folder / name)
            key = None
            if located is not None:
                try:
                    root = located[0]
                    if root not in folders:
                        folders[root] = folder_digest(root)
                    key = cache_key(submission_digest(*located, folders[root]),
                                    digests[exercise.id], options)
                except OSError:  # an unreadable file: graded, but never cached
                    key = None
            tasks.append(Task(name, exercise, located, key, folder / name))
    return tasks
