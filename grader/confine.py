"""Confining a child on Linux before any student code runs in it.

In order, each step applied where the kernel and our privileges allow, and
reported where not (the report reaches the student as a warning):

1. new namespaces: mount, network (no interfaces up: no network at all, not
   even 127.0.0.1), PID (everything the child starts dies with it), IPC and
   UTS; a new user namespace first when we are not root;
2. a private filesystem: a fresh tmpfs root holding read-only binds of the
   system and Python directories, and the child's own working folder
   read-write, where its submission is an overlay on a staged copy (see
   :mod:`grader.staging`) whose writes stay in the folder; nothing else: not
   the exercises, the reference, the grader's folder or other students' files;
3. an unprivileged user of its own (see :class:`ChildUsers`) when we are
   root, with no new privileges.

Only the child calls these, between fork and the student's import; the
grader itself calls only :func:`bounded_folder` and, without root,
:func:`own_mount_namespace`, which lets it mount as root does.
"""

from __future__ import annotations

import ctypes
import functools
import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field

__all__ = ["Confinement", "ChildUsers", "enter_namespaces", "private_filesystem",
           "drop_privileges", "give_tree", "open_tree", "own_mount_namespace",
           "bounded_folder", "OUTER_UID_VARIABLE"]

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC = 1, 2, 4, 8
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 32, 4096, 16384, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NAME, PR_SET_NO_NEW_PRIVS = 1, 15, 38
#: processes (and threads) a confined child may have, all it started included
MAX_PROCESSES = 128
#: the users confined children run as: a range no system hands out (systemd
#: leaves 0x70000000-0x7fffffff unused; its foreign range starts at 0x7ffe0000)
CHILD_USERS = range(0x7F000000, 0x7F000000 + (1 << 20))

#: what each namespace buys, in the words of the warning
NAMESPACES = ((CLONE_NEWNET, "network isolation"), (CLONE_NEWPID, "process namespace"),
              (CLONE_NEWNS, "private filesystem"))


@dataclass(slots=True)
class Confinement:
    applied: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    flags: int = 0
    #: names in the working folder that are not the child's to own (an overlay)
    not_owned: tuple[str, ...] = ()


@functools.cache  # each CDLL is a dlopen: a child would make dozens
def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _call(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def _unshare(flags: int) -> None:
    _call(_libc().unshare(flags), "unshare")


def _mount(source: str | None, target: str, fstype: str | None, flags: int,
           data: str | None = None) -> None:
    encode = (lambda s: s.encode() if s is not None else None)
    _call(_libc().mount(encode(source), encode(target), encode(fstype), ctypes.c_ulong(flags),
                        encode(data)), f"mount {target}")


def prctl(option: int, value: int | bytes) -> None:
    argument = ctypes.c_char_p(value) if isinstance(value, bytes) else ctypes.c_ulong(value)
    _call(_libc().prctl(option, argument, 0, 0, 0), "prctl")


def enter_namespaces() -> Confinement:
    """Unshare what we can. Unless this process already is the init of a PID
    namespace of its own (see :class:`PidNamespaces`), the caller forks after
    this so that the PID namespace takes effect (its first child is its init)."""
    report = Confinement()
    wanted = CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS
    root = os.geteuid() == 0
    if os.getpid() == 1:
        report.flags, wanted = CLONE_NEWPID, wanted & ~CLONE_NEWPID
    try:
        if root:
            _unshare(wanted)
        else:
            _unshare_as_ourselves(wanted)
            report.flags |= CLONE_NEWUSER
        report.flags |= wanted
    except OSError:
        try:  # no user namespaces here, perhaps a network namespace alone
            _unshare(CLONE_NEWNET)
            report.flags |= CLONE_NEWNET
        except OSError:
            pass
    for flag, name in NAMESPACES:
        (report.applied if report.flags & flag else report.missing).append(name)
    return report


class PidNamespaces:
    """For the zygote: fork each child straight into a PID namespace of its
    own, as its init, so the child need not fork again. Needs root; where
    :meth:`before_fork` says no, the child makes its namespace itself."""

    def __init__(self) -> None:
        self._own = os.open("/proc/self/ns/pid", os.O_RDONLY) if os.geteuid() == 0 else None

    def before_fork(self) -> bool:
        """Make the next child's PID namespace; True if it was made."""
        if self._own is None:
            return False
        try:
            _unshare(CLONE_NEWPID)
        except OSError:
            self._own = None
            return False
        return True

    def forget(self) -> None:
        """In a child just forked: drop the zygote's hold on its namespace,
        which no child may keep (a door to the host's PID namespace)."""
        if self._own is not None:
            os.close(self._own)
            self._own = None

    def after_fork(self) -> None:
        """Back to forking into our own namespace. Should that fail, the next
        child would join this one's: no fork may follow, so exit."""
        if _libc().setns(self._own, CLONE_NEWPID) != 0:
            os._exit(70)


def _unshare_as_ourselves(flags: int) -> None:
    """Unshare ``flags`` in a new user namespace, there as the user we are."""
    uid, gid = os.geteuid(), os.getegid()
    _unshare(flags | CLONE_NEWUSER)
    # in a new user namespace a process may map its own user, and only that
    _write("/proc/self/setgroups", "deny")
    _write("/proc/self/uid_map", f"{uid} {uid} 1")
    _write("/proc/self/gid_map", f"{gid} {gid} 1")


def _write(path: str, text: str) -> None:
    with open(path, "w") as handle:
        handle.write(text)


@functools.cache  # the zygote works it out once, before its first fork
def keep_paths(package_dir: str) -> tuple[str, ...]:
    """Read-only paths a child needs: the system, Python, its packages."""
    checkout = os.path.realpath(os.path.dirname(package_dir))
    paths = ["/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc",
             sys.base_prefix, sys.prefix, sys.exec_prefix, package_dir]
    # The folder holding the grader package is on sys.path; in a checkout it
    # also holds the exercises and references, so only the package is kept.
    paths += [p for p in sys.path if p and os.path.realpath(p) != checkout]
    found = sorted({os.path.realpath(p) for p in paths if os.path.isdir(p)})
    # a recursive bind of a folder brings what is under it: bind only the outermost
    return tuple(p for i, p in enumerate(found)
                 if not any(p.startswith(outer.rstrip("/") + "/") for outer in found[:i]))


def private_filesystem(workdir: str, keep: Iterable[str], proc: bool, shared: str | None = None,
                       report: Confinement | None = None) -> None:
    """Give the calling process (in its own mount namespace) a root holding
    only ``keep`` (read-only) and ``workdir`` (read-write), then chroot.
    With ``shared``, ``workdir/app`` shows that folder with writes kept apart."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    root = os.path.join(workdir, ".root")
    os.makedirs(root, exist_ok=True)
    _mount("tmpfs", root, "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=755")
    # a private /tmp, first: what is kept from the host's /tmp (a checkout's
    # virtual environment, say) is bound inside it
    os.makedirs(root + "/tmp")
    _mount("tmpfs", root + "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=8m,mode=1777")
    for path in keep:
        _bind(path, root + path, read_only=True)
    for link in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        # merged /usr: keep_paths binds /usr/lib64, but programs ask for
        # /lib64/ld-linux-x86-64.so.2; without the link no program runs
        if os.path.islink(link) and not os.path.lexists(root + link):
            os.symlink(os.readlink(link), root + link)
    os.makedirs(root + "/dev", exist_ok=True)
    for device in ("null", "zero", "full", "random", "urandom"):
        if os.path.exists(f"/dev/{device}"):
            _bind(f"/dev/{device}", f"{root}/dev/{device}", read_only=False, is_file=True)
    os.makedirs(root + workdir, exist_ok=True)
    for name in os.listdir(root + "/tmp"):
        # what the private /tmp holds so far leads to something kept or to the
        # working folder: a way through, not a place to write (without root
        # the child would own these folders)
        way = os.path.join(root + "/tmp", name)
        if way != root + workdir:
            _bind(way, way, read_only=True)
    _bind(workdir, root + workdir, read_only=False, recursive=False)
    if shared is not None and _overlay(shared, workdir, root) and report is not None:
        report.not_owned = ("app", OVERLAY_FOLDER)
    if proc:  # a fresh /proc shows only this PID namespace
        os.makedirs(root + "/proc", exist_ok=True)
        try:
            _mount("proc", root + "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC)
        except OSError:
            pass
    # Only /tmp and the working folder are the child's to write. Without root
    # the child owns this tmpfs (it made it, in its user namespace), so the
    # rest of it is made read-only, as it is to a child that runs as a user.
    _mount(None, root, None, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV)
    os.chroot(root)
    os.chdir(workdir)


#: in a working folder: the overlay's own folders (upper and work), root's
OVERLAY_FOLDER = ".overlay"


def _overlay(shared: str, workdir: str, root: str) -> bool:
    """``workdir/app`` as ``shared`` below and a fresh folder above, where
    writes go; where the kernel has no overlays for us, a copy. True for an
    overlay."""
    app = os.path.join(workdir, "app")
    holder = os.path.join(workdir, OVERLAY_FOLDER)
    upper, work = os.path.join(holder, "upper"), os.path.join(holder, "work")
    os.makedirs(app, exist_ok=True)
    shutil.rmtree(holder, ignore_errors=True)  # the writes of the child before a restart
    os.makedirs(holder, mode=0o700)
    os.makedirs(upper)
    os.makedirs(work)
    below = os.stat(shared)  # the top folder looks like the shared copy's
    os.chown(upper, below.st_uid, below.st_gid)
    os.chmod(upper, below.st_mode & 0o7777)
    try:
        _mount("overlay", root + app, "overlay", MS_NOSUID | MS_NODEV,
               f"lowerdir={shared},upperdir={upper},workdir={work}")
        return True
    except OSError:
        shutil.rmtree(holder, ignore_errors=True)
        os.rmdir(app)
        shutil.copytree(shared, app, symlinks=True)
        return False


def _bind(source: str, target: str, read_only: bool, recursive: bool = True,
          is_file: bool = False) -> None:
    if is_file:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        open(target, "a").close()
    else:
        os.makedirs(target, exist_ok=True)
    flags = MS_BIND | (MS_REC if recursive else 0)
    _mount(source, target, None, flags)
    if read_only:
        _mount(None, target, None, flags | MS_REMOUNT | MS_RDONLY | MS_NOSUID)


def bounded_folder(path: str, size: str = "64m") -> bool:
    """Mount a tmpfs of ``size`` on ``path`` (from the parent: as root, or in
    its own mount namespace), so a child's writes there stop at ``size``
    instead of at a full disk. False where we may not mount."""
    try:
        _mount("tmpfs", path, "tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=700")
    except OSError:
        return False
    return True


#: where the grader, once in a user namespace of its own, tells the zygote who
#: it is above it (the zygote's own map shows only the namespace just above)
OUTER_UID_VARIABLE = "GRADER_OUTER_UID"


def own_mount_namespace() -> bool:
    """For the grader itself, without root: a user namespace of its own in
    which it is still its own user, and a mount namespace of its own, so it
    may mount the tmpfs of :func:`bounded_folder` (a child's disk quota) as
    root does; its mounts are seen by what it starts and by no one else, and
    go when it goes. Only a process with one thread can enter them: call it
    first. True if entered; a process that cannot stays as it was.

    The capabilities this gives are this process's alone: what it starts runs
    a program, which as any user but root leaves them behind."""
    if not sys.platform.startswith("linux") or os.geteuid() == 0 or not _one_thread():
        return False
    # There is no way back out of a user namespace: a process of the moment
    # tries first that it could mount there (a security module may forbid it)
    if not _own_mount_namespace_works():
        return False
    outer = _outer_uid()
    _unshare_as_ourselves(CLONE_NEWNS)
    if outer is not None:
        os.environ[OUTER_UID_VARIABLE] = str(outer)
    return True


def _one_thread() -> bool:
    """Whether this process has one thread (unshare refuses a user namespace
    to any other), threads of C libraries counted."""
    try:
        with open("/proc/self/status") as handle:
            return any(line.split() == ["Threads:", "1"] for line in handle)
    except OSError:
        return False


def _own_mount_namespace_works() -> bool:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child's exit code is the answer
        code = 1
        try:
            _unshare_as_ourselves(CLONE_NEWNS)
            # over a folder that exists, seen by this process alone
            _mount("tmpfs", os.path.realpath("/tmp"), "tmpfs", MS_NOSUID | MS_NODEV, "size=1m")
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status) == 0


def unmount(path: str) -> None:
    _libc().umount2(path.encode(), 2)  # MNT_DETACH


class ChildUsers:
    """Hands out the users of CHILD_USERS in turn, a new one to each child.

    The process cap counts per user. Were all children one user, a fork bomb
    in one student's submission would take the processes of the student
    graded beside it, or after it while its processes are still dying."""

    def __init__(self) -> None:
        # from a random start, so two graders on one machine rarely meet
        self._next = int.from_bytes(os.urandom(4), "little") % len(CHILD_USERS)

    def take(self) -> int:
        user = CHILD_USERS[self._next]
        self._next = (self._next + 1) % len(CHILD_USERS)
        return user


def open_tree(top: str) -> None:
    """Make ``top`` and all below it readable and writable by every user: a
    staged copy, which children of users of their own see through overlays,
    their writes landing in their own folders."""
    for folder, dirs, files in os.walk(top):
        os.chmod(folder, 0o777)
        for name in files:
            path = os.path.join(folder, name)
            if not os.path.islink(path):
                os.chmod(path, os.stat(path).st_mode | 0o666)


def give_tree(top: str, owner: int, skip: tuple[str, ...] = ()) -> None:
    """Make ``top`` and all below it ``owner``'s, except the folders of ``top``
    named in ``skip``; a link is given itself, never what it points to."""
    os.lchown(top, owner, owner)
    for folder, dirs, files in os.walk(top):
        if folder == top:
            dirs[:] = [d for d in dirs if d not in skip]
        for name in dirs + files:
            os.lchown(os.path.join(folder, name), owner, owner)


def drop_privileges(workdir: str, user: int, skip: tuple[str, ...] = (),
                    own_user_namespace: bool = False) -> tuple[bool, bool]:
    """Become ``user`` (a user of CHILD_USERS, no one else's) when we are
    root; the working folder becomes theirs, except its entries named in
    ``skip``. Cap the processes where the cap counts this child's alone.
    Returns whether the user changed and whether processes are capped."""
    import resource

    changed = capped = False
    if os.geteuid() == 0:
        # Counted per user, and the user is this child's alone: none needs more
        # than a handful of processes, so a fork bomb stops here.
        resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
        give_tree(workdir, user, skip)
        os.setgroups([])
        os.setgid(user)
        os.setuid(user)
        changed = capped = True
    else:
        if own_user_namespace and processes_counted_per_user_namespace():
            # our user is the grader's, but only this namespace's processes count
            resource.setrlimit(resource.RLIMIT_NPROC, (MAX_PROCESSES, MAX_PROCESSES))
            capped = True
        # Whoever makes a user namespace holds every capability in it: with
        # CAP_SYS_CHROOT alone the student's code could leave the private root
        # and see the host's files as the grader's user. Keep none.
        drop_capabilities()
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    return changed, capped


_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32),
                ("inheritable", ctypes.c_uint32)]


def drop_capabilities() -> None:
    """Empty the calling process's capability sets (its ambient set goes with
    the permitted one), so neither it nor anything it runs holds any."""
    header = _CapHeader(_CAPABILITY_VERSION_3, 0)
    data = (_CapData * 2)()  # all zero
    _call(_libc().capset(ctypes.byref(header), data), "capset")


@functools.cache  # the zygote works it out before its first fork (and unshare)
def processes_counted_per_user_namespace() -> bool:
    """Since Linux 5.14 the process cap counts a user's processes in each user
    namespace apart. Before, it counts all of the user's processes on the
    machine (a desktop may have hundreds), so a cap would break children.
    And it never holds for the machine's root, which a user namespace may
    hide (``unshare --map-user=1000`` as root): then it is reported missing."""
    try:
        major, minor = (int(x) for x in os.uname().release.split(".")[:2])
    except ValueError:
        return False
    return (major, minor) >= (5, 14) and _outer_uid() not in (0, None)


def _outer_uid() -> int | None:
    """Our user as the namespace above ours knows it (None if unknown); above
    the grader's own namespace (see :func:`own_mount_namespace`), as the
    grader said."""
    said = os.environ.get(OUTER_UID_VARIABLE, "")
    if said.isdigit():
        return int(said)
    uid = os.getuid()
    try:
        with open("/proc/self/uid_map") as handle:
            for line in handle:
                inside, outside, count = (int(x) for x in line.split())
                if inside <= uid < inside + count:
                    return outside + uid - inside
    except (OSError, ValueError):
        return None
    return None
