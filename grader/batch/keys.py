"""Content keys: a result is reused only while the submission's files, the
exercise (spec and reference) and the grader are byte for byte the same.

A submission is the folder its child sees: every file of the student's folder
that is staged for it (see :mod:`grader.staging`), not only the module. The
module may import a helper beside it, or open a data file, and a grade kept
after such a file changed would be stale. Hidden files, ``__pycache__`` and
what is never staged (``venv``, ``.git``, …) are not part of it.
"""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..grading import Options
from ..spec import Exercise
from ..staging import MAX_COPY_BYTES, fingerprint, staged_tree

__all__ = ["submission_files", "submission_digest", "folder_digest", "exercise_digest",
           "grader_digest",
           "cache_key"]

_SKIPPED_FOLDERS = frozenset({"__pycache__"})
_SKIPPED_SUFFIXES = (".pyc", ".pyo")
_GRADER = Path(__file__).resolve().parent.parent


def submission_files(root: Path) -> list[Path]:
    """The files of a student's folder that its children are given: the same
    listing the copy is made from, hidden files included (a module may
    import from ``.lib/``), so no file a grade depends on is left out of its
    key."""
    return [root / name for name in staged_tree(root)[1]]


def _tree(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob("*") if p.is_file() and not _skipped(p, folder))


def _skipped(path: Path, folder: Path) -> bool:
    parts = path.relative_to(folder).parts
    return (any(p in _SKIPPED_FOLDERS or p.startswith(".") for p in parts)
            or path.suffix in _SKIPPED_SUFFIXES)


def _digest(files: list[Path], base: Path, *extra: bytes) -> str:
    digest = hashlib.sha256()
    for data in extra:
        _feed(digest, data)
    for path in files:
        # as the file system has it: a name made on another system may not be UTF-8
        _feed(digest, os.fsencode(path.relative_to(base).as_posix()))
        _feed(digest, path.read_bytes())
    return digest.hexdigest()


def _feed(digest: Any, data: bytes) -> None:
    # length-prefixed, so ("ab", "c") and ("a", "bc") never hash alike
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


def submission_digest(root: Path, file: str, folder: str | None = None) -> str:
    """The key of the module ``file`` in ``root``; ``folder``: the folder's
    digest, when the caller has it (a student's exercises share one)."""
    # the module's path is part of the key: it decides the module's import name
    return _digest([], root, os.fsencode(Path(file).as_posix()),
                   (folder or folder_digest(root)).encode("ascii"))


def folder_digest(root: Path) -> str:
    return _folder_digest(root, fingerprint(root))


@lru_cache(maxsize=256)
def _folder_digest(root: Path, fingerprint: tuple) -> str:
    """A folder's digest, read once while no file of it changes (the
    fingerprint: names, sizes and times): a student's folder serves the keys
    of all their exercises. A folder too large to be copied for grading is
    never read: its grade is "too large" whatever its bytes, and a 3 GiB
    sparse file (or links to it) must not be read to say so."""
    if sum(size for _, size, _ in fingerprint) > MAX_COPY_BYTES:
        return _digest([], root, repr(fingerprint).encode("utf-8", "backslashreplace"))
    return _digest(submission_files(root), root)


def exercise_digest(exercise: Exercise) -> str:
    """The spec file's bytes and every file of the reference folder."""
    return _digest(_tree(exercise.reference), exercise.reference, exercise.path.read_bytes())


@lru_cache(maxsize=1)
def grader_digest() -> str:
    """The grader's version and its grading code (not its reports, not ``batch``):
    a development checkout never reuses results of older code."""
    files = sorted(_GRADER.glob("*.py"))
    return _digest(files, _GRADER, __version__.encode("utf-8"))


def cache_key(submission: str, exercise: str, options: Options) -> str:
    settings = repr((options.timeout, options.limits))
    return hashlib.sha256("\0".join((submission, exercise, grader_digest(), settings))
                          .encode("utf-8")).hexdigest()
