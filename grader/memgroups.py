"""A memory cap for a whole sandbox: every process a child starts, together.

RLIMIT_AS caps each process alone, and a child may start up to
``confine.MAX_PROCESSES`` of them: 128 processes of 900 MB each would take the
machine down while each one stays within its limit. A memory cgroup counts
them all. The zygote makes one group of its own, ``grader-<pid>``, inside the
memory cgroup it runs in, and before each fork a capped group for the child
(numbered: a child forked into a PID namespace of its own is pid 1 there);
the child, still in the zygote's view of /sys and still root, moves itself in
before any student code runs, and what it forks stays in. The zygote removes
a child's group once the child has ended and its group is empty.

Only root may do this, and only where a memory cgroup is mounted writable
(cgroup v1's memory hierarchy, or v2 with the memory controller delegated).
As root, a cap that could not be set is reported missing, as other
protections are. Without root it is not tried: there the grader is a
student's own, grading their own code on their own machine, and each of
its processes is still capped alone.
"""

from __future__ import annotations

import os
import time

__all__ = ["MemoryGroups", "NAME"]

#: what the confinement report calls it
NAME = "total memory cap"
_V1 = "/sys/fs/cgroup/memory"
_V2 = "/sys/fs/cgroup"


class MemoryGroups:
    """For the zygote: where its children's groups go, if anywhere."""

    def __init__(self) -> None:
        self.base: str | None = None
        self._limit_file = ""
        self._folder: str | None = None  # where the base is made, at the first child
        self._made = 0
        #: child pid → its group's name
        self._groups: dict[int, str] = {}
        self._waiting: set[str] = set()
        found = _own_memory_cgroup()
        if found is not None:
            self._folder, self._limit_file = found
            _sweep(self._folder)

    def _make_base(self) -> str | None:
        folder, self._folder = self._folder, None  # tried once
        if folder is None:
            return self.base
        base = os.path.join(folder, f"grader-{os.getpid()}")
        try:
            os.mkdir(base)
        except FileExistsError:
            pass
        except OSError:
            return None
        if self._limit_file == "memory.max" and not _delegate_memory(base):
            os.rmdir(base)
            return None
        self.base = base
        return base

    def prepare(self, limit: int) -> str | None:
        """Before a fork: a group capped at ``limit`` bytes for the next child."""
        if self._make_base() is None:
            return None
        self._made += 1
        name = str(self._made)
        group = os.path.join(self.base, name)
        try:
            os.mkdir(group)
            _write(os.path.join(group, self._limit_file), str(limit))
        except OSError:
            self._waiting.add(name)
            return None
        return name

    def join(self, name: str | None) -> bool:
        """In the fresh child, before its confinement: move in."""
        if name is None or self.base is None:
            return False
        try:
            _write(os.path.join(self.base, name, "cgroup.procs"), "0")
        except OSError:
            return False
        return True

    def started(self, pid: int, name: str | None) -> None:
        if name is not None:
            self._groups[pid] = name

    def ended(self, pid: int) -> None:
        """A child ended: remove its group once its last process is gone."""
        name = self._groups.pop(pid, None)
        if name is not None:
            self._waiting.add(name)
            self.tidy()

    def tidy(self) -> None:
        for name in list(self._waiting):
            try:
                os.rmdir(os.path.join(self.base, name))
            except FileNotFoundError:
                pass
            except OSError:  # its processes are still dying: later
                continue
            self._waiting.discard(name)

    def close(self) -> None:
        """The zygote ends: remove every group (what a kill left, the next sweeps)."""
        if self.base is None:
            return
        self._waiting |= set(self._groups.values())
        for _ in range(50):  # the last children were killed just now: they die in ms
            self.tidy()
            if not self._waiting:
                break
            time.sleep(0.01)
        _remove_group_tree(self.base)


def _own_memory_cgroup() -> tuple[str, str] | None:
    """Our memory cgroup's folder and its limit file's name, if we may write there."""
    if os.geteuid() != 0:
        return None
    try:
        with open("/proc/self/cgroup", encoding="utf-8") as handle:
            lines = [line.rstrip("\n").split(":", 2) for line in handle]
    except OSError:
        return None
    for _number, controllers, path in lines:
        if "memory" in controllers.split(",") and os.path.isdir(_V1):
            folder = os.path.join(_V1, path.lstrip("/"))
            if os.access(os.path.join(folder, "memory.limit_in_bytes"), os.W_OK):
                return folder, "memory.limit_in_bytes"
    for number, controllers, path in lines:
        if number == "0" and os.path.exists(os.path.join(_V2, "cgroup.controllers")):
            folder = os.path.join(_V2, path.lstrip("/"))
            if os.access(folder, os.W_OK):
                return folder, "memory.max"
    return None


def _delegate_memory(base: str) -> bool:
    """cgroup v2: the memory controller must be enabled for our children."""
    try:
        _write(os.path.join(base, "cgroup.subtree_control"), "+memory")
    except OSError:
        return False
    return True


def _sweep(folder: str) -> None:
    """Remove the groups of zygotes that are gone (killed with SIGKILL)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        pid = name.removeprefix("grader-")
        if name.startswith("grader-") and pid.isdigit() and not _alive(int(pid)):
            _remove_group_tree(os.path.join(folder, name))


def _remove_group_tree(base: str) -> None:
    try:
        groups = os.listdir(base)
    except OSError:
        return
    for name in groups:
        if name.isdigit():
            try:
                os.rmdir(os.path.join(base, name))
            except OSError:
                pass
    try:
        os.rmdir(base)
    except OSError:
        pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _write(path: str, text: str) -> None:
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)
