"""Files that are either old or new, never half written: write a temporary
file beside the target and ``os.replace`` it (atomic on POSIX and Windows).
A run killed at any moment leaves each output whole."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from pathlib import Path

__all__ = ["TEMP_MARK", "read_regular", "write_atomic", "replace_folder", "remove_temporaries"]

#: in the name of every temporary file or folder, so leftovers can be found
TEMP_MARK = ".tmp-"


def read_regular(path: Path, limit: int) -> str:
    """The text of ``path`` if it is a regular file of at most ``limit``
    bytes; OSError if not. An output folder is the instructor's to damage: a
    FIFO where a result belongs would block a plain read for ever, and a
    sparse file of gigabytes would be read into memory whole."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        if info.st_size > limit:
            raise OSError(f"{path} is larger than {limit >> 20} MiB")
        return handle.read(limit + 1).decode("utf-8")


def write_atomic(path: Path, text: str, durable: bool = True) -> None:
    """Write ``text`` to ``path`` whole. ``durable`` also waits for the disk,
    which only a power cut (not a killed run) makes worth its time."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # not mkstemp: its files are private (0600); these get the umask's permissions
    temp = path.parent / f".{path.name}{TEMP_MARK}{secrets.token_hex(6)}"
    try:
        # a name from a student's folder may not be UTF-8 (a zip from another system)
        with open(temp, "x", encoding="utf-8", errors="backslashreplace", newline="") as handle:
            handle.write(text)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def replace_folder(path: Path, files: dict[str, str]) -> None:
    """Make ``path`` hold exactly ``files`` (relative name → text): built whole
    beside it, then swapped in, so no stale file of an earlier run survives."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fresh = _new_folder(path, "")
    try:
        for name, text in files.items():
            target = fresh / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8", errors="backslashreplace", newline="")
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    # a folder cannot replace a non-empty folder in one step: move the old one
    # aside first (for a moment there is no folder, but never a mixed one)
    old = None
    if path.exists():
        old = _new_folder(path, "old-")
        os.replace(path, old / path.name)
    os.replace(fresh, path)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _new_folder(beside: Path, kind: str) -> Path:
    # not mkdtemp: its folders are private (0700); this one gets the umask's permissions
    folder = beside.parent / f".{beside.name}{TEMP_MARK}{kind}{secrets.token_hex(6)}"
    folder.mkdir()
    return folder


def remove_temporaries(folder: Path) -> None:
    """Leftovers of a run that was killed while writing."""
    if not folder.is_dir():
        return
    for leftover in folder.glob(f".*{TEMP_MARK}*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
        else:
            leftover.unlink(missing_ok=True)
