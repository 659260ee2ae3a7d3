"""The grader's temporary folders, and what a killed grader left of them.

Every temporary folder the grader makes (a child's working folder, a staged
copy of a submission, a private Redis server's, a rehearsal's store) carries
the maker's process id in its name. A grader killed with SIGKILL cannot
clean up; the next one to start removes the folders of makers that are gone,
unmounting the tmpfs a folder may still have mounted on it, and stopping the
private ``redis-server`` whose pid a Redis folder holds. (This assumes that
graders sharing a temporary folder see one another's processes, as on one
machine or in one container.)
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import sys
import tempfile
import threading

__all__ = ["SERVER_PID", "make_folder", "remove_folder", "sweep_once"]

#: in a Redis folder: the pid of the redis-server that keeps its files there
SERVER_PID = "server.pid"

_NAME = re.compile(r"grader-(child|staged|redis|rehearsal)-(\d+)-")
_swept = False
_lock = threading.Lock()


def make_folder(kind: str, base: str | None = None) -> str:
    """A new private folder in ``base`` (default: the temporary folder), named
    for ``kind`` and us."""
    return tempfile.mkdtemp(prefix=f"grader-{kind}-{os.getpid()}-", dir=base)


def sweep_once() -> None:
    """Remove what killed graders left behind (once per process)."""
    global _swept
    with _lock:
        if _swept:
            return
        _swept = True
    base = tempfile.gettempdir()
    try:
        names = os.listdir(base)
    except OSError:
        return
    for name in names:
        match = _NAME.match(name)
        path = os.path.join(base, name)
        if match and not _alive(int(match.group(2))) and _ours(path):
            if match.group(1) == "redis":
                _stop_server_in(path)
            remove_folder(path)


def _ours(path: str) -> bool:
    """A folder, not a link, and ours or a child's (a working folder is given
    to the child's user): anyone may make a name like ours in the temporary
    folder, and a root sweep must not follow their link or stop a process
    that runs in their folder."""
    from .confine import CHILD_USERS

    try:
        found = os.lstat(path)
    except OSError:
        return False
    return stat.S_ISDIR(found.st_mode) and (found.st_uid == os.geteuid()
                                            or found.st_uid in CHILD_USERS)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # someone else's process: alive
        return True
    return True


def _stop_server_in(folder: str) -> None:
    """Stop the redis-server a killed grader left running: its pid is in the
    folder, and it runs in the folder (``--dir``; its command line it rewrites),
    so a pid given since to another process is left alone. Where there is no
    ``/proc`` to tell, nothing is stopped."""
    try:
        with open(os.path.join(folder, SERVER_PID), encoding="ascii") as handle:
            pid = int(handle.read(20))
        runs_in = os.readlink(f"/proc/{pid}/cwd")
    except (OSError, ValueError):
        return
    if runs_in == os.path.realpath(folder):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def remove_folder(path: str) -> None:
    """Remove a folder of ours, unmounting first the tmpfs a working folder
    or a staged copy may have mounted on it."""
    if os.path.ismount(path):
        from .confine import unmount

        unmount(path)
    if sys.version_info >= (3, 12):
        shutil.rmtree(path, onexc=_open_and_retry)
    else:  # onerror is deprecated from 3.12 on; it gets the same first two arguments
        shutil.rmtree(path, onerror=_open_and_retry)


def _open_and_retry(_function: object, path: str, _error: object) -> None:
    # Without root, an overlay leaves its work folder mode 000; it is ours,
    # only its mode is in the way. Anything else that will not go stays.
    try:
        if not os.path.islink(path):  # a chmod follows a link
            os.chmod(path, 0o700)
            shutil.rmtree(path, ignore_errors=True)
    except OSError:
        pass
