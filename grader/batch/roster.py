"""Who handed in what: the students (one subfolder each) and, per student and
exercise, the submission ``grade`` would find there, with its content key."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import SubmissionNotFound, UsageError
from ..grading import Options, locate_submission, shown_path
from ..spec import Exercise
from .keys import cache_key, exercise_digest, folder_digest, submission_digest

#: where a batch's output folder keeps its results by content key
CACHE_FOLDER = ".cache"

__all__ = ["Task", "students", "plan", "exercises_handed_in", "is_output_folder",
           "check_output_folder", "CACHE_FOLDER"]


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
    """The student folders, by name; hidden ones, ``skip`` (this run's output
    folder) and the output folders of earlier runs are not students."""
    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; give the folder that holds one "
                         f"subfolder per student")
    skipped = {p.resolve() for p in skip}
    names = sorted(p.name for p in folder.iterdir()
                   if p.is_dir() and not p.name.startswith((".", "_"))
                   and p.resolve() not in skipped and not is_output_folder(p))
    if not names:
        raise UsageError(f"{folder} has no student folders (one subfolder per student)")
    return names


def is_output_folder(folder: Path) -> bool:
    """Whether ``grade batch`` wrote ``folder`` (its cache, or its results)."""
    return (folder / CACHE_FOLDER).is_dir() or (folder / "results.json").is_file()


def check_output_folder(out: Path, folder: Path) -> None:
    """Refuse an output folder that is one of the class's own folders (a
    student's, say): writing there would mix outputs into a submission and
    drop its student from the gradebook."""
    if out.resolve() == folder.resolve():
        raise UsageError(f"--out {out} is the class folder itself; choose a folder for the "
                         f"outputs, inside it or not")
    inside = out.resolve().parent == folder.resolve()
    if inside and out.is_dir() and any(out.iterdir()) and not is_output_folder(out):
        raise UsageError(f"--out {out} is a folder of the class (a student's?), not an "
                         f"output folder; choose a new folder, or one outside {folder}")


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
