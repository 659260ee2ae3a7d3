"""One read-only copy of each submission folder, shared by every child that
runs it.

A child must run a copy of its submission: it may rewrite or delete its own
files, and a restart must find them as handed in. Copying a student's folder
for every child is most of what starting one costs when the folder holds
many exercises, so on Linux a confined child instead mounts an overlay: this
copy below, a fresh empty folder of its own above, writes going to the
latter. The copy is made once per folder (and again only if its files
change), open to the users children run as, and removed when the last child
using it is done; within :func:`kept` (a batch) idle copies stay for the
next child of the same folder, until the block ends.
"""

from __future__ import annotations

import atexit
import os
import shutil
import stat
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .leftovers import make_folder, remove_folder

__all__ = ["Lease", "lease", "kept", "fresh_copy", "fingerprint", "staged_tree", "MAX_KEPT",
           "MAX_COPY_BYTES", "MAX_FILES", "MAX_NAMES", "MAX_DEPTH", "NOT_COPIED", "staged_link",
           "staged_folder_link", "is_environment", "SubmissionTooLarge"]

#: copies kept when no child uses them, for the next child of the same folder
MAX_KEPT = 64
#: what is never copied into a child's folder: these names, and compiled Python
NOT_COPIED = frozenset({"__pycache__", ".git", ".venv", "venv", "node_modules", "flask_session",
                        ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis", ".tox",
                        ".nox", ".DS_Store", "Thumbs.db"})
_NOT_COPIED_SUFFIXES = (".pyc",)
#: a submission larger than this is refused rather than copied
MAX_COPY_BYTES = 20 << 20
#: nor one of more files than this, or more folders (copying and hashing cost
#: per entry: 100,000 empty folders took a batch's planning 41 s)
MAX_FILES = 5000
#: nor one whose folders, links followed, hold more names than this in all
MAX_NAMES = 4 * MAX_FILES
#: folders deeper than this are left out: no project nests so deep, and a
#: folder a thousand levels deep would take the grader's recursion with it
MAX_DEPTH = 24


@dataclass(slots=True)
class _Copy:
    path: str
    fingerprint: tuple
    #: the kept() block it was made in (-1: none)
    block: int = -1
    users: int = 0


class Lease:
    """The use of one staged copy; :meth:`release` it when the child is done."""

    def __init__(self, root: Path, copy: _Copy) -> None:
        self.root = root
        self.path = copy.path
        self._copy: _Copy | None = copy

    def release(self) -> None:
        copy, self._copy = self._copy, None
        if copy is not None:
            _registry.release(self.root, copy)


class _Registry:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._copies: dict[Path, _Copy] = {}
        self._stale: list[_Copy] = []  # replaced while in use: removed when released
        #: open kept() blocks, and which outermost one this is
        self.keepers = 0
        self._block = 0

    def lease(self, root: Path, for_others: bool) -> Lease:
        with self._lock:
            copy = self._copies.get(root)
            # a batch grades the folders as they were when it began: a copy
            # made in this kept() block is not checked against them again
            trusted = copy is not None and self.keepers and copy.block == self._block
            seen = None if trusted else fingerprint(root)  # before any copying
            if copy is not None and not trusted and copy.fingerprint != seen:
                self._retire(root)
                copy = None
            if copy is None:
                copy = _Copy(_make_copy(root, for_others), seen or fingerprint(root),
                             block=self._block if self.keepers else -1)
                self._copies[root] = copy
                self._trim()
            copy.users += 1
            return Lease(root, copy)

    def release(self, root: Path, copy: _Copy) -> None:
        with self._lock:
            copy.users -= 1
            if copy.users:
                return
            if copy in self._stale:
                self._stale.remove(copy)
                _remove(copy)
            elif not self.keepers and self._copies.get(root) is copy:
                self._retire(root)

    def keep(self, more: int) -> None:
        with self._lock:
            if not self.keepers:
                self._block += 1
            self.keepers += more
            if not self.keepers:
                for root in [r for r, c in self._copies.items() if not c.users]:
                    self._retire(root)

    def _retire(self, root: Path) -> None:
        copy = self._copies.pop(root)
        if copy.users:
            self._stale.append(copy)
        else:
            _remove(copy)

    def _trim(self) -> None:
        idle = [root for root, copy in self._copies.items() if copy.users == 0]
        for root in idle[:max(0, len(idle) - MAX_KEPT)]:
            self._retire(root)

    def clear(self) -> None:
        with self._lock:
            for copy in [*self._copies.values(), *self._stale]:
                _remove(copy)
            self._copies.clear()
            self._stale.clear()


_registry = _Registry()
atexit.register(_registry.clear)


def lease(root: Path, for_others: bool = False) -> Lease:
    """A staged copy of ``root``; ``for_others``: readable and writable by
    every user (for children that run as users of their own). Raises OSError
    when it cannot be made."""
    return _registry.lease(root.resolve(), for_others)


@contextmanager
def kept() -> Iterator[None]:
    """Within this block, a copy no child uses is kept for the next child of
    the same folder (at most MAX_KEPT of them)."""
    _registry.keep(1)
    try:
        yield
    finally:
        _registry.keep(-1)


class SubmissionTooLarge(OSError):
    """A submission past a limit of the copy: of what (``MiB``, ``files`` or
    ``folders``), the limit, and the entry at the top of the folder holding
    most of it, which is probably what does not belong there."""

    def __init__(self, what: str, limit: int, largest: str) -> None:
        super().__init__(f"the submission folder holds over {limit} {what} (most of it in "
                         f"{largest})")
        self.what, self.limit, self.largest = what, limit, largest


def _largest(weights: dict[str, int]) -> str:
    """The entry at the top of the folder whose paths weigh most in ``weights``."""
    totals: dict[str, int] = {}
    for name, weight in weights.items():
        top = name.split(os.sep, 1)[0]
        totals[top] = totals.get(top, 0) + weight
    from .report.text import one_line  # a name is the student's: it must not make lines

    return one_line(max(totals, key=totals.__getitem__, default=""))


def fresh_copy(source: Path, target: str) -> str:
    """Copy a submission folder to ``target`` (which must not exist): what
    :func:`staged_tree` lists, at most MAX_COPY_BYTES, MAX_FILES files and as many folders."""
    folders, files = staged_tree(source, strict=True)
    # a link's file is copied again, so counted again
    sizes = {name: os.path.getsize(os.path.join(source, name)) for name in files}
    if sum(sizes.values()) > MAX_COPY_BYTES:
        raise SubmissionTooLarge("MiB", MAX_COPY_BYTES >> 20, _largest(sizes))
    inside = os.path.realpath(source)
    os.makedirs(target)
    for name in folders:
        os.mkdir(os.path.join(target, name))
    left = MAX_COPY_BYTES  # a file may have grown since it was measured
    for name in files:
        left -= _copy_inside(os.path.join(source, name), os.path.join(target, name), inside,
                             left)
    return target


def _copy_inside(path: str, to: str, inside: str, limit: int) -> int:
    """Copy the file at ``path``, if what opens there is a regular file of the
    folder ``inside``: checked on the open file, since a link swapped after
    the listing (in a race to have /etc/shadow copied in) names another one.
    Returns the bytes copied; OSError past ``limit``."""
    # O_NOCTTY: a terminal swapped in must not become the grader's own
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(fd, "rb") as source:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or not _opened_inside(fd, path, inside):
            raise OSError(f"{path} is no longer a file of the submission folder")
        data = source.read(limit + 1)
    if len(data) > limit:
        raise SubmissionTooLarge("MiB", MAX_COPY_BYTES >> 20, os.path.basename(path))
    with open(to, "xb") as copy:
        copy.write(data)
    os.chmod(to, stat.S_IMODE(info.st_mode))
    os.utime(to, ns=(info.st_atime_ns, info.st_mtime_ns))
    return len(data)


def _within(real: str, inside: str) -> bool:
    """Whether the real path ``real`` is ``inside`` (a real path) or below it."""
    try:
        return os.path.commonpath([real, inside]) == inside
    except ValueError:  # another drive
        return False


def _opened_inside(fd: int, path: str, inside: str) -> bool:
    """Whether the file or folder open as ``fd`` is in ``inside``: where
    /proc names it, whatever links led there (elsewhere, as its path
    resolves now), and that name must lead to this very file here too. A
    link through /proc/<pid>/root opens a file in another process's mount
    namespace, which /proc names by its path there: a student's own
    namespace, with /etc mounted over a folder of theirs, made /etc/shadow
    look like a file of the submission."""
    try:
        real = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:  # no /proc: macOS, Windows
        real = os.path.realpath(path)
    if not _within(real, inside):
        return False
    try:
        opened, named = os.fstat(fd), os.stat(real, follow_symlinks=False)
    except OSError:  # gone
        return False
    return (opened.st_dev, opened.st_ino) == (named.st_dev, named.st_ino)


def _listing(path: str, inside: str) -> list[str]:
    """The names in the folder ``path``, listed from the folder opened and
    found in ``inside``: a linked folder swapped after it was checked would
    list another."""
    if os.listdir not in os.supports_fd:  # Windows: as the path resolves now
        if not _within(os.path.realpath(path), inside):
            raise OSError(f"{path} is no longer a folder of the submission folder")
        return os.listdir(path)
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        if not _opened_inside(fd, path, inside):
            raise OSError(f"{path} is no longer a folder of the submission folder")
        return os.listdir(fd)
    finally:
        os.close(fd)


def staged_tree(root: Path | str, strict: bool = False,
                depth: int = MAX_DEPTH) -> tuple[list[str], list[str]]:
    """The folders and files of ``root`` that a child is given, as paths
    relative to it, parents before children: regular files and folders,
    nothing of NOT_COPIED nor a Python environment (whatever its name),
    nothing deeper than ``depth``. A link counts as the file or folder it
    names only if that is in the folder too (``ln -s v2.py int_converter.py``,
    ``templates -> design/tpl``); other links are left out, since they could
    lead anywhere on the grader's machine. Past MAX_FILES files or folders:
    OSError if ``strict``, else the listing stops there."""
    inside = os.path.realpath(root)
    folders: list[str] = []
    files: list[str] = []
    pending = [("", 0)]  # a stack, not recursion: a folder may nest a thousand deep
    read = 0
    while pending:
        relative, level = pending.pop()
        try:
            names = sorted(_listing(os.path.join(root, relative), inside))
        except OSError:
            continue
        # every name read costs, left out or not (.pyc files, a folder linked many times)
        read += len(names)
        if read > MAX_NAMES:
            if strict:
                raise SubmissionTooLarge("entries", MAX_NAMES,
                                         _largest(dict.fromkeys(files + folders, 1)))
            return folders, sorted(files)
        for name in names:
            if name in NOT_COPIED or name.endswith(_NOT_COPIED_SUFFIXES):
                continue
            path, entry = os.path.join(root, relative, name), os.path.join(relative, name)
            if os.path.islink(path):
                if staged_link(path, inside):
                    files.append(entry)
                elif level < depth and staged_folder_link(path, inside) \
                        and not is_environment(path):
                    folders.append(entry)
                    pending.append((entry, level + 1))
            elif os.path.isdir(path):
                if level < depth and not is_environment(path):
                    folders.append(entry)
                    pending.append((entry, level + 1))
            elif os.path.isfile(path):
                files.append(entry)
            if len(files) > MAX_FILES or len(folders) > MAX_FILES:
                if strict:
                    what = "files" if len(files) > MAX_FILES else "folders"
                    counted = files if what == "files" else folders
                    raise SubmissionTooLarge(what, MAX_FILES,
                                             _largest(dict.fromkeys(counted, 1)))
                return folders, sorted(files)
    return folders, sorted(files)


def staged_link(path: str, inside: str) -> bool:
    """Whether ``path`` is staged: no link, or a link to a regular file in
    the folder ``inside`` (a real path)."""
    if not os.path.islink(path):
        return True
    real = os.path.realpath(path)
    return os.path.isfile(real) and _within(real, inside)


def staged_folder_link(path: str, inside: str) -> bool:
    """Whether the link ``path`` is staged as the folder it names: one in the
    folder ``inside`` (a real path) that does not hold the link itself
    (``loop -> ..`` would copy the folder into itself)."""
    real = os.path.realpath(path)
    holder = os.path.realpath(os.path.dirname(path))
    return os.path.isdir(real) and _within(real, inside) and not _within(holder, real)


def is_environment(path: str) -> bool:
    """Whether the folder ``path`` is a Python environment: ``venv`` and
    ``.venv`` are left out by name, but one named ``env`` took a submission
    past MAX_COPY_BYTES and scored a correct solution 0."""
    return os.path.isfile(os.path.join(path, "pyvenv.cfg")) \
        or os.path.isdir(os.path.join(path, "conda-meta"))


def _make_copy(root: Path, for_others: bool) -> str:
    # open to the children's users only through the overlay: the folder
    # above the copy stays ours and private
    holder = make_folder("staged")
    target = os.path.join(holder, "app")
    try:
        if sys.platform.startswith("linux"):
            from .confine import bounded_folder

            # in memory, where we may mount: making files on a disk's file system costs
            # about ten times more, which a batch pays once per student
            bounded_folder(holder, f"{4 * MAX_COPY_BYTES >> 20}m")
        fresh_copy(root, target)
        if for_others:
            from .confine import open_tree

            open_tree(target)
    except BaseException:
        remove_folder(holder)
        raise
    return target


def _remove(copy: _Copy) -> None:
    remove_folder(os.path.dirname(copy.path))


def fingerprint(root: Path) -> tuple:
    """What changes when a file a child is given is added, removed or rewritten."""
    entries = []
    for name in staged_tree(root)[1]:
        try:
            info = os.stat(os.path.join(root, name))  # a link: the file it names
        except OSError:
            continue
        entries.append((name, info.st_size, info.st_mtime_ns))
    return tuple(entries)
