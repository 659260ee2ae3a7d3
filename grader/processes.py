"""How a child process comes to be, and how it dies.

Two ways, one interface (:class:`ChildProcess`):

- **forked** (Linux): one *zygote* process imports Flask once; each child is
  forked from it, so a child costs a fork, not a Python start-up and a Flask
  import. The zygote never imports student code. Children reach the parent
  over a socket pair the zygote hands back with ``SCM_RIGHTS``.
- **spawned** (everywhere else, or ``GRADER_START=spawn``): a fresh
  ``python -I`` per child, talking over its stdin/stdout.

Either way the child gets its own session, a scrubbed environment, its own
working folder, and rlimits where the platform has them. Only a forked child
is confined (see :mod:`grader.confine`): there, everything it starts dies with
it; a spawned child's process group is killed, but a descendant that leaves
it (setsid after a double fork) can outlive grading, which the report's
"process namespace missing" warning says.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO, Any

__all__ = ["Limits", "ChildProcess", "start_child", "prestart", "shutdown", "limits_unavailable",
           "start_method", "enter_own_namespace"]

_PACKAGE_PARENT = str(Path(__file__).resolve().parent.parent)
_PREAMBLE = f"import sys; sys.path.insert(0, {_PACKAGE_PARENT!r}); "
_BOOT_SPAWNED = _PREAMBLE + "from grader.child import main; main()"
_BOOT_ZYGOTE = _PREAMBLE + "from grader.processes import zygote_main; zygote_main({fd})"
_PACKAGE_DIR = str(Path(__file__).resolve().parent)


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits for one child (POSIX rlimits; wall time is the parent's)."""

    cpu_seconds: int = 60
    memory_bytes: int = 1 << 30
    file_bytes: int = 16 << 20
    load_timeout: float = 20.0


def limits_unavailable() -> list[str]:
    """Which limits this platform cannot apply, for the report's warning."""
    try:
        import resource  # noqa: F401 - POSIX only
    except ImportError:
        return ["CPU time", "memory", "file size"]
    if sys.platform == "darwin":  # macOS ignores RLIMIT_AS
        return ["memory"]
    return []


def apply_limits(limits: Limits) -> None:
    """Set the rlimits of the calling process (a child, before student code)."""
    import resource

    for name, value in (("RLIMIT_CPU", limits.cpu_seconds), ("RLIMIT_AS", limits.memory_bytes),
                        ("RLIMIT_FSIZE", limits.file_bytes), ("RLIMIT_CORE", 0)):
        kind = getattr(resource, name, None)
        if kind is not None:
            try:
                resource.setrlimit(kind, (value, value))
            except (ValueError, OSError):
                pass


def open_log(path: str) -> int:
    """A fresh log file for a child. The previous child of this folder owned it
    and may have left a link there (to any file on the host, which we would
    truncate) or a FIFO (which would block us): remove it, create anew."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass
    return os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0),
                   0o600)


def child_environment(workdir: str) -> dict[str, str]:
    """A scrubbed environment: nothing of the grader's leaks into the child."""
    # Beijing time, the course's, as POSIX spells it (no time zone files needed):
    # a naive datetime.now() means the same on every grading machine, and is as
    # far from UTC as on the students' computers, so the mistake that the
    # cookie-lifetime statement warns of (Werkzeug reads it as UTC) shows
    env = {"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
           "HOME": workdir, "TMPDIR": workdir, "TEMP": workdir, "TMP": workdir, "TZ": "CST-8"}
    for keep in ("SYSTEMROOT", "COMSPEC"):  # Windows cannot start Python without them
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def confinement_wanted() -> bool:
    """Confinement is on unless GRADER_CONFINE=0 (for measuring what it costs)."""
    return os.environ.get("GRADER_CONFINE", "1") != "0"


def enter_own_namespace() -> bool:
    """Where children are confined (Linux, unless GRADER_CONFINE=0) and we
    are not root: the user and mount namespace in which the grader may give
    their folders a disk quota (see :func:`grader.confine.own_mount_namespace`).
    Only a process with one thread can enter it: call it before any child,
    zygote or thread starts. True if entered."""
    if not sys.platform.startswith("linux") or not confinement_wanted():
        return False
    from .confine import own_mount_namespace

    return own_mount_namespace()


def staged_copies() -> bool:
    """Whether a child lays its own folder over a shared copy of its submission
    (see :mod:`grader.staging`) rather than getting a copy of its own: where
    it is forked and confined, so it can mount."""
    return start_method() == "fork" and confinement_wanted()


def start_method() -> str:
    """'fork' where a zygote can fork children (Linux), else 'spawn'."""
    wanted = os.environ.get("GRADER_START", "")
    if wanted in ("fork", "spawn"):
        return wanted if wanted == "spawn" or sys.platform.startswith("linux") else "spawn"
    return "fork" if sys.platform.startswith("linux") else "spawn"


class ChildProcess:
    """A running child: message streams, and a way to learn how it ended."""

    pid: int
    reader: IO[bytes]
    writer: IO[bytes]

    def exit_code(self) -> int | None:
        """The exit code (negative: killed by that signal), or None if running."""
        raise NotImplementedError

    def running(self) -> bool:
        """Not known to have ended; cheaper than :meth:`exit_code` may be."""
        return self.exit_code() is None

    def wait(self, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        while (code := self.exit_code()) is None and time.monotonic() < deadline:
            time.sleep(0.005)
        return code

    def kill(self) -> None:
        """Kill the child and everything it started (its whole session)."""
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, AttributeError):
            pass

    def close(self) -> None:
        for stream in (self.writer, self.reader):
            try:
                stream.close()
            except OSError:
                pass


class _Spawned(ChildProcess):
    def __init__(self, workdir: str, limits: Limits) -> None:
        posix = os.name == "posix"
        with os.fdopen(open_log(os.path.join(workdir, "child.log")), "wb") as log:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", _BOOT_SPAWNED],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=workdir,
                env=child_environment(workdir), start_new_session=posix,
                preexec_fn=(lambda: apply_limits(limits)) if posix else None)
        self.pid = self._proc.pid
        self.reader, self.writer = self._proc.stdout, self._proc.stdin

    def exit_code(self) -> int | None:
        return self._proc.poll()

    def kill(self) -> None:
        if os.name == "posix":
            super().kill()
        else:  # pragma: no cover - Windows has no process groups to kill
            self._proc.kill()
        try:
            self._proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass


class _Forked(ChildProcess):
    def __init__(self, server: _ForkServer, pid: int, sock: socket.socket) -> None:
        self._server = server
        self.pid = pid
        self._sock = sock
        self.reader = sock.makefile("rb")
        self.writer = sock.makefile("wb")

    def exit_code(self) -> int | None:
        return self._server.exit_code(self.pid)

    def running(self) -> bool:
        # Asking the zygote costs a round trip, and its lock, per request. The
        # end of the child's socket says the same: a child is the init of its
        # PID namespace, so when it dies all that could hold the socket dies too.
        return True

    def close(self) -> None:
        super().close()
        self._sock.close()


class _ForkServer:
    """The parent's handle on the zygote; one request at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rehearsal_asked = False
        self._forked = False
        self._channel, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        home = os.path.expanduser("~") if os.name == "posix" else ""
        env = child_environment(home)
        from .confine import OUTER_UID_VARIABLE

        if OUTER_UID_VARIABLE in os.environ:  # the grader is in a user namespace of its own
            env[OUTER_UID_VARIABLE] = os.environ[OUTER_UID_VARIABLE]
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-B", "-c", _BOOT_ZYGOTE.format(fd=theirs.fileno())],
            pass_fds=[theirs.fileno()], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            env=env, start_new_session=True)
        theirs.close()

    def _ask(self, request: dict[str, Any]) -> tuple[dict[str, Any], list[int]]:
        with self._lock:
            self._channel.sendall(json.dumps(request).encode())
            data, fds, _flags, _addr = socket.recv_fds(self._channel, 65536, 1)
        if not data:
            raise OSError("the zygote is gone")
        return json.loads(data), fds

    def fork(self, workdir: str, limits: Limits, shared: str | None) -> _Forked:
        self._forked = True
        reply, fds = self._ask({"op": "fork", "workdir": workdir, "limits": asdict(limits),
                                "env": child_environment(workdir),
                                "confine": confinement_wanted(), "shared": shared})
        return _Forked(self, reply["pid"], socket.socket(fileno=fds[0]))

    def rehearse(self) -> None:
        """Ask the zygote to rehearse (see :mod:`grader.rehearsal`), once,
        without waiting: the first fork waits for it instead."""
        with self._lock:
            if not self._rehearsal_asked:
                self._rehearsal_asked = True
                self._channel.sendall(json.dumps({"op": "rehearse",
                                                  "base": tempfile.gettempdir()}).encode())

    def rehearsed(self) -> bool | None:
        """Whether the zygote's rehearsal went well (None: none was asked);
        waits for the rehearsal to end."""
        return self._ask({"op": "status"})[0].get("rehearsed")

    def exit_code(self, pid: int) -> int | None:
        try:
            reply, _ = self._ask({"op": "status", "pid": pid})
        except OSError:
            return -signal.SIGKILL
        return reply.get("code")

    @property
    def alive(self) -> bool:
        return self._proc.poll() is None

    def close(self) -> None:
        self._channel.close()
        try:  # on EOF it ends its children and removes their memory groups, then exits;
            # one that never forked has none, and may be busy rehearsing still
            self._proc.wait(timeout=1 if self._forked else 0)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


_server: _ForkServer | None = None
_server_lock = threading.Lock()


def _fork_server() -> _ForkServer:
    global _server
    with _server_lock:
        if _server is None or not _server.alive:
            _server = _ForkServer()
            atexit.register(shutdown)
        return _server


def prestart(rehearse: bool = False) -> None:
    """Start what children are made from now, so its Flask import overlaps
    with the parent reading the spec. ``rehearse`` (for many children, as in
    a batch): have it warm what they inherit, while the parent gets ready."""
    if start_method() == "fork":
        server = _fork_server()
        if rehearse:
            server.rehearse()


def start_child(workdir: str, limits: Limits, shared: str | None = None) -> ChildProcess:
    """A child working in ``workdir``; with ``shared`` (only where
    :func:`staged_copies`), its ``app`` folder is laid over that copy."""
    if start_method() == "fork":
        try:
            return _fork_server().fork(workdir, limits, shared)
        except OSError:  # the zygote died (say, killed): start another once
            return _fork_server().fork(workdir, limits, shared)
    return _Spawned(workdir, limits)


def shutdown() -> None:
    global _server
    with _server_lock:
        if _server is not None:
            _server.close()
            _server = None


# -- inside the zygote -----------------------------------------------------------

_exited: dict[int, int] = {}
#: in the zygote: its children still running, and whether each is the init of
#: its PID namespace (else it may be the relay of one, see _confine)
_running: dict[int, bool] = {}


#: in the zygote: the memory cgroups of its children (see grader.memgroups)
_groups: Any = None


def _reap(*_: Any) -> None:
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        _exited[pid] = os.waitstatus_to_exitcode(status)
        _running.pop(pid, None)
        if _groups is not None:
            _groups.ended(pid)


def _orphaned() -> None:
    """The grader is gone (killed, say, with SIGKILL): end every child before
    the zygote ends. A namespace's init ignores the SIGKILL its parent's death
    sends it, and a view that loops would run on to its CPU limit. SIGKILL
    from here does reach an init; a relay is asked with SIGTERM to kill its
    init, then killed too."""
    for pid, init in list(_running.items()):
        try:
            os.kill(pid, signal.SIGKILL if init else signal.SIGTERM)
        except ProcessLookupError:
            pass
    if any(not init for init in _running.values()):
        time.sleep(0.05)
        for pid in list(_running):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _end() -> None:
    """The grader is gone: end every child, then the zygote. Never returns."""
    _orphaned()
    _groups.close()
    os._exit(0)


def zygote_main(fd: int) -> None:
    """Import Flask once, then fork a child for every request."""
    import gc
    import warnings

    warnings.simplefilter("ignore")
    _name_process(b"grader-zygote")
    _preload()

    from . import confine, memgroups

    global _groups
    _groups = memgroups.MemoryGroups()
    channel = socket.socket(fileno=fd)
    namespaces = confine.PidNamespaces()
    users = confine.ChildUsers()
    confine.keep_paths(_PACKAGE_DIR)
    confine.processes_counted_per_user_namespace()
    signal.signal(signal.SIGCHLD, _reap)
    gc.freeze()  # fewer pages copied when children touch the heap
    while True:
        try:
            data = channel.recv(65536)
        except InterruptedError:  # pragma: no cover - PEP 475 retries for us
            continue
        except OSError:
            data = b""
        if not data:
            _end()
        request = json.loads(data)
        if request["op"] == "rehearse":  # no reply: the next request waits its turn
            _rehearse(request["base"])
            continue
        _groups.tidy()
        if request["op"] == "status":
            _reap()
            try:
                channel.sendall(json.dumps({"code": _exited.get(request.get("pid")),
                                            "rehearsed": _rehearsed}).encode())
            except OSError:  # the grader is gone
                _end()
            continue
        ours, theirs = socket.socketpair()
        request["user"] = users.take()
        request["group"] = _groups.prepare(request["limits"]["memory_bytes"]) \
            if request["confine"] else None
        own_namespace = request["confine"] and namespaces.before_fork()
        pid = os.fork()
        if pid == 0:
            channel.close()
            ours.close()
            namespaces.forget()
            _become_child(theirs, request)
        _groups.started(pid, request["group"])
        if pid in _exited:  # it ended already (SIGCHLD runs _reap any time)
            _groups.ended(pid)
        else:
            _running[pid] = own_namespace or not request["confine"]
        if own_namespace:
            namespaces.after_fork()
        theirs.close()
        try:
            socket.send_fds(channel, [json.dumps({"pid": pid}).encode()], [ours.fileno()])
        except OSError:  # the grader died while this child was made
            _end()
        ours.close()


#: in the zygote: None until asked to rehearse, then whether it went well
_rehearsed: bool | None = None


def _rehearse(base: str) -> None:
    """Warm what children inherit (see :mod:`grader.rehearsal`); a rehearsal
    that fails only leaves them cold."""
    import gc

    global _rehearsed
    try:
        from .rehearsal import rehearse

        rehearse(base)
        _rehearsed = True
    except Exception:  # noqa: BLE001 - never worth the zygote
        _rehearsed = False
    gc.freeze()  # what the rehearsal left, as at the start


def _name_process(name: bytes) -> None:
    """What ps and top show for this process (Linux), so a grader's processes
    can be told apart: they are all python3 otherwise."""
    if sys.platform.startswith("linux"):
        from .confine import PR_SET_NAME, prctl

        prctl(PR_SET_NAME, name[:15])


def _preload() -> None:
    """Import once, in the zygote, what most children would each import again."""
    import encodings.idna  # noqa: F401 - the test client encodes the host name
    import encodings.unicode_escape  # noqa: F401
    import resource  # noqa: F401 - the limits

    import flask  # noqa: F401 - the point of the zygote
    import flask.testing
    import flask_session  # noqa: F401
    import flask_session.cachelib  # noqa: F401 - the server-side stores of the course
    import flask_session.filesystem  # noqa: F401

    from . import child, confine, mount  # noqa: F401
    from .speedups import lazy_url_builders

    lazy_url_builders()
    # every test client asks for Werkzeug's version, read from the package's metadata
    warm = getattr(flask.testing, "_get_werkzeug_version", None)
    if warm is not None:
        warm()


def _become_child(sock: socket.socket, request: dict[str, Any]) -> None:
    """In a fresh fork: isolate, then serve as a child. Never returns."""
    code = 0
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        _name_process(b"grader-child")
        os.setsid()
        workdir = request["workdir"]
        # before the confinement hides /sys, and while still root (only root tries)
        as_root = os.geteuid() == 0
        memory_capped = _groups.join(request.get("group"))
        os.chdir(workdir)
        log = open_log("child.log")
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(log)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
        confinement = _confine(workdir, request["confine"], request.get("shared"))
        os.environ.clear()
        os.environ.update(request["env"])
        time.tzset()
        import tempfile

        tempfile.tempdir = None  # recomputed from the child's TMPDIR
        apply_limits(Limits(**request["limits"]))
        if confinement is not None:
            from .confine import CLONE_NEWUSER, drop_privileges

            changed, capped = drop_privileges(
                workdir, request["user"], skip=confinement.not_owned,
                own_user_namespace=bool(confinement.flags & CLONE_NEWUSER))
            if changed:
                confinement.applied.append("unprivileged user")
            (confinement.applied if capped else confinement.missing).append("process cap")
        if confinement is not None and as_root:
            from .memgroups import NAME

            (confinement.applied if memory_capped else confinement.missing).append(NAME)
        from .child import serve

        serve(sock.makefile("rb"), sock.makefile("wb"), _report(confinement))
    except BaseException:  # noqa: BLE001 - a child must never return into the zygote
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _confine(workdir: str, wanted: bool, shared: str | None) -> Any:
    """Namespaces and a private filesystem; None when confinement is off.

    The child runs as the init of a PID namespace of its own (when it dies,
    all it started dies). The zygote forks it as one where it can (as root);
    otherwise it makes the namespace here and forks once more: the new
    process is the init, and this one only waits for it and passes on how it
    ended."""
    if not wanted:
        return None
    from . import confine

    if shared is not None and not os.path.isdir(shared):
        raise OSError(f"the shared copy {shared} is gone")

    forked_as_init = os.getpid() == 1
    report = confine.enter_namespaces()
    if report.flags & confine.CLONE_NEWPID and not forked_as_init:
        # the zygote's SIGTERM (the grader is gone) must find the relay ready to
        # pass it on: one that came between the fork and the handler killed
        # the relay alone, and the init, deaf to its parent's death, ran on
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
        pid = os.fork()
        if pid:
            _relay_exit(pid)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
        # a group of its own: killing "its process group" must not reach the relay,
        # whose death would take this process with it (PR_SET_PDEATHSIG)
        os.setsid()
    confine.prctl(confine.PR_SET_PDEATHSIG, signal.SIGKILL)
    if report.flags & confine.CLONE_NEWNS:
        confine.private_filesystem(workdir, confine.keep_paths(_PACKAGE_DIR),
                                   proc=bool(report.flags & confine.CLONE_NEWPID),
                                   shared=shared, report=report)
    elif shared is not None:  # no mount namespace: a copy of the copy
        import shutil

        shutil.copytree(shared, os.path.join(workdir, "app"), symlinks=True)
    return report


def _relay_exit(pid: int) -> None:
    """The waiting parent of a namespace's init: exit as it exits. When the
    zygote asks (SIGTERM: the grader is gone), kill the init, which ignores
    the SIGKILL of its parent's death but not one sent from out here."""
    os.closerange(3, 1 << 16)  # hold no copy of the socket: its EOF must reach the grader
    signal.signal(signal.SIGTERM, lambda *_: os.kill(pid, signal.SIGKILL))
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})  # one sent already: now
    _, status = os.waitpid(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    if code < 0:
        signal.signal(-code, signal.SIG_DFL)
        os.kill(os.getpid(), -code)
    os._exit(code)


def _report(confinement: Any) -> dict[str, list[str]]:
    if confinement is None:
        return {"applied": [], "missing": ["confinement (turned off)"]}
    return {"applied": confinement.applied, "missing": confinement.missing}
