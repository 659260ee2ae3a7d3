"""The parent's side of a child process: start it with limits, hand it the
submission to load, send it requests with a deadline, and kill it (and all
it started) when it misbehaves or when grading ends.

Nothing here imports Flask or student code.
"""

from __future__ import annotations

import os
import queue
import select
import shutil
import signal
import stat
import sys
import threading
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO, Any, Callable

from . import staging
from .http import Request, Response
from .leftovers import make_folder, remove_folder, sweep_once
from .processes import (ChildProcess, Limits, limits_unavailable, prestart, staged_copies,
                        start_child)
from .protocol import (MAX_MESSAGE, ProtocolError, encode_message, parse_message, read_message,
                       request_to_wire, response_from_wire, write_message)

__all__ = ["Launch", "Limits", "Loaded", "LoadError", "Fault", "ChildApp", "FromLoaded",
           "limits_unavailable",
           "prestart"]

@dataclass(frozen=True, slots=True)
class Launch:
    """What a child loads and how it mounts it (sent as its first message)."""

    root: Path
    file: str
    blueprint: str
    factory: str | None = None
    configure: str | None = None
    app_config: tuple[tuple[str, Any], ...] = ()
    url_prefix: str | None = None
    session: str | None = None
    probes: bool = False
    body_limit: int = 1 << 20

    def to_wire(self, root: str) -> dict[str, Any]:
        """The launch message; ``root`` is where the child finds its copy, and
        ``package`` the folder's own name when it is a package (its copy in
        the sandbox has another name, which its own imports do not know)."""
        package = self.root.resolve().name if (self.root / "__init__.py").is_file() else None
        return {"root": root, "file": self.file, "blueprint": self.blueprint, "package": package,
                "factory": self.factory, "configure": self.configure,
                "app_config": list(self.app_config), "url_prefix": self.url_prefix,
                "session": self.session, "probes": self.probes,
                "body_limit": self.body_limit}


@dataclass(frozen=True, slots=True)
class Loaded:
    routes: tuple[dict[str, Any], ...]
    session: dict[str, Any]


class FromLoaded:
    """What an app handle tells the runner of its app, read off ``self.loaded``."""

    loaded: Loaded | None

    @property
    def session_cookie(self) -> str:
        name = self.loaded.session.get("cookie_name") if self.loaded else None
        return name or "session"

    @property
    def key_prefix(self) -> str | None:
        return self.loaded.session.get("key_prefix") if self.loaded else None

    @property
    def routes(self) -> tuple[dict, ...]:
        return self.loaded.routes if self.loaded else ()


_LOAD_KINDS = frozenset({"copy", "copy_limit", "copy_count", "syntax", "import", "exception",
                         "too_large", "exit", "no_blueprint", "blueprint_elsewhere",
                         "not_blueprint", "no_hook", "hook_raised", "bad_factory",
                         "register_failed", "store", "timeout", "crashed"})
#: modules the course notes use that no longer exist, and what replaced them
_OBSOLETE = {"flask_script": "obsolete_flask_script",  # the message naming what replaced it
             "flask_blueprint": "obsolete_flask_blueprint"}


@dataclass(frozen=True, slots=True)
class LoadError:
    """The child could not load its code. ``kind``/``params`` come from the
    child, so they are treated as untrusted when turned into a message."""

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    traceback: str | None = None

    @property
    def msg(self) -> Any:
        from .results import Msg

        # a Msg is the parent's own (a child's JSON holds none); the rest is cut to text
        params = {k: v if isinstance(v, Msg) else str(v)[:500] for k, v in self.params.items()}
        name = params.get("name", "")
        if self.kind == "import" and name.partition(".")[0] in _OBSOLETE:
            return Msg("load_obsolete",
                       {"name": name, "use": Msg(_OBSOLETE[name.partition(".")[0]])})
        if self.kind not in _LOAD_KINDS:
            return Msg("load_unknown", {"kind": self.kind[:40]})
        return Msg(f"load_{self.kind}", params)


@dataclass(frozen=True, slots=True)
class Fault:
    """A request got no response: ``timeout`` or ``crashed``."""

    kind: str
    #: why, in words a report renders in the student's language (a Msg)
    message: Any
    log: str = ""


#: (the app's session settings, its working folder) → the store message
StoreFor = Callable[[dict[str, Any], str], "dict[str, Any] | None"]

@dataclass(slots=True)
class ChildApp:
    """One app in one child process. ``store_for`` maps the app's reported
    session settings to the store it must use (or raises)."""

    launch: Launch
    timeout: float
    store_for: StoreFor
    limits: Limits = field(default_factory=Limits)
    loaded: Loaded | None = None
    _proc: ChildProcess | None = None
    _replies: Any = None
    _workdir: str | None = None
    #: whether the working folder is a size-limited tmpfs (see confine.bounded_folder)
    _bounded: bool = False
    _sent_at: float = 0.0
    #: what the child said of its confinement, before any student code ran
    confinement: dict[str, list[str]] = field(default_factory=dict)
    _spawn_error: LoadError | None = None
    #: the staged copy its children lay their folder over (see grader.staging)
    _lease: staging.Lease | None = None

    # -- life cycle ---------------------------------------------------------

    def spawn(self) -> None:
        """Start the process; :meth:`wait_loaded` completes the start."""
        if self._workdir is None:
            sweep_once()
            self._workdir = make_folder("child")
            if sys.platform.startswith("linux"):
                from .confine import bounded_folder

                self._bounded = bounded_folder(self._workdir)
        copy = os.path.join(self._workdir, "app")
        shutil.rmtree(copy, ignore_errors=True)
        try:
            shared = self._shared_copy()
            if shared is None:
                staging.fresh_copy(self.launch.root, copy)
        except staging.SubmissionTooLarge as exc:
            from .results import Msg

            # past a count, the listing stopped: where most of it is, is not known
            kind = "copy_limit" if exc.what == "MiB" else "copy_count"
            self._spawn_error = LoadError(kind, {
                "limit": exc.limit, "what": Msg(f"copy_limit_{exc.what.lower()}"),
                "largest": exc.largest})
            return
        except OSError as exc:
            self._spawn_error = LoadError("copy", {"error": str(exc)})
            return
        self._spawn_error = None
        self._proc = start_child(self._workdir, self.limits, shared)
        self._replies = Replies(self._proc.reader)
        write_message(self._proc.writer, self.launch.to_wire(copy))

    def _shared_copy(self) -> str | None:
        """The staged copy the child will lay its own folder over, if it can."""
        if not staged_copies():
            return None
        if self._lease is None:  # as root, children run as other users
            self._lease = staging.lease(self.launch.root, for_others=os.geteuid() == 0)
        return self._lease.path

    def wait_loaded(self) -> Loaded | LoadError:
        if self._spawn_error is not None:
            return self._spawn_error
        message = self._reply(self.limits.load_timeout)
        if isinstance(message, dict) and message.get("event") == "confined":
            self.confinement = {k: [str(x) for x in message.get(k, [])][:10]
                                for k in ("applied", "missing")}
            if not self._bounded:  # the folder is the parent's to bound (see bounded_folder)
                self.confinement["missing"].append("disk quota")
            message = self._reply(self.limits.load_timeout)
        if isinstance(message, Fault):
            self.close()
            if message.kind == "timeout":
                return LoadError("timeout", {"seconds": f"{self.limits.load_timeout:g}"})
            return LoadError("crashed", {"message": message.message},
                             traceback=message.log or None)
        try:
            if message.get("event") == "load_error":
                self.close()
                return _load_error_from(message)
            loaded = _loaded_from(message)
        except ProtocolError as exc:
            self.close()
            return LoadError("crashed", {"message": f"it broke the protocol: {exc}"})
        try:
            store = self.store_for(loaded.session, self._workdir)  # may raise StoreUnavailable
        except OSError as exc:  # the child put something in the store's way in its folder
            self.close()
            return LoadError("crashed", {"message": f"its session store could not be made: {exc}"})
        write_message(self._proc.writer, {"op": "start", "store": store})
        ready = self._reply(self.limits.load_timeout)
        if isinstance(ready, Fault) or ready.get("event") != "ready":
            self.close()
            if isinstance(ready, Fault):
                return LoadError("crashed", {"message": ready.message}, traceback=ready.log or None)
            if ready.get("event") == "load_error":  # e.g. the store could not be attached
                return _load_error_from(ready)
            return LoadError("crashed", {"message": "it broke the protocol: "
                                         f"{str(ready.get('event'))[:40]!r} where 'ready' was due"})
        self.loaded = loaded
        return loaded

    def start(self) -> Loaded | LoadError:
        self.spawn()
        return self.wait_loaded()

    @property
    def alive(self) -> bool:
        # a child that died, or closed its end, can answer nothing more
        return self._proc is not None and not self._replies.ended() and self._proc.running()

    def stop(self) -> None:
        """Kill the process and everything it started; keep the work folder."""
        proc, self._proc = self._proc, None
        if proc is not None:
            proc.kill()
            proc.close()

    def close(self) -> None:
        self.stop()
        if self._lease is not None:
            self._lease.release()
            self._lease = None
        if self._workdir:
            remove_folder(self._workdir)
            self._workdir = None

    # -- requests -----------------------------------------------------------

    def submit(self, request: Request) -> Fault | None:
        """Send a request without waiting; a fault if the child is gone."""
        if not self.alive:
            return Fault("crashed", _said("fault_gone"), self._log_tail())
        self._sent_at = time.monotonic()
        try:
            send_within(self._proc.writer, encode_message(request_to_wire(request)), self.timeout)
        except TimeoutError:  # it stopped reading: a blocking write would wait for ever
            self.stop()
            return Fault("timeout", _said("fault_no_response", seconds=f"{self.timeout:g}"))
        except OSError:
            return self._crashed()
        return None

    def collect(self) -> Response | Fault:
        remaining = self.timeout - (time.monotonic() - self._sent_at)
        message = self._reply(max(remaining, 0.01))
        if isinstance(message, Fault):
            if message.kind == "timeout":
                return Fault("timeout", _said("fault_no_response", seconds=f"{self.timeout:g}"))
            return message
        try:
            if message.get("event") != "response":
                raise ProtocolError(_short(message.get("message") or "not a response", 200))
            response = response_from_wire(message, received=time.time())
        except ProtocolError as exc:
            self.stop()
            return Fault("crashed", _said("fault_protocol", error=_short(str(exc), 200)))
        limit = self.launch.body_limit  # the child cuts a body there; one that lies is cut here
        if len(response.body) > limit:
            response = replace(response, body=response.body[:limit], truncated=True)
        return response

    def send(self, request: Request) -> Response | Fault:
        return self.submit(request) or self.collect()

    # -- internals ----------------------------------------------------------

    def _reply(self, timeout: float) -> dict[str, Any] | Fault:
        try:
            message = self._replies.next(timeout)
        except TimeoutError:
            self.stop()
            return Fault("timeout", _said("fault_no_response", seconds=f"{timeout:g}"))
        except ProtocolError as exc:
            return {"event": "protocol_error", "message": str(exc)}
        if message is None:
            return self._crashed()
        return message

    def _crashed(self) -> Fault:
        proc = self._proc
        code = proc.wait(timeout=5) if proc else None
        log = self._log_tail()
        self.stop()
        return Fault("crashed", _said("fault_exit", how=_describe_exit(code)), log)

    def _log_tail(self, limit: int = 2000) -> str:
        if not self._workdir:
            return ""
        try:  # the child owns the folder: what is there now may be a link or a FIFO
            fd = os.open(os.path.join(self._workdir, "child.log"),
                         os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0))
        except OSError:
            return ""
        try:
            with os.fdopen(fd, "rb") as log:
                if not stat.S_ISREG(os.fstat(log.fileno()).st_mode):
                    return ""
                log.seek(0, os.SEEK_END)
                log.seek(max(0, log.tell() - limit))
                return log.read().decode("utf-8", errors="replace").strip()
        except OSError:
            return ""



def send_within(stream: IO[bytes], data: bytes, timeout: float) -> None:
    """Write ``data`` to a child's input within ``timeout``; TimeoutError if it
    is not taken by then (a request's Cookie header alone may be more than a
    socket holds, and a child may stop reading)."""
    stream.flush()
    if os.name != "posix":  # pragma: no cover - select() takes no pipes on Windows
        stream.write(data)
        stream.flush()
        return
    fd = stream.fileno()
    deadline = time.monotonic() + timeout
    view = memoryview(data)
    was_blocking = os.get_blocking(fd)
    os.set_blocking(fd, False)
    try:
        while view:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([], [fd], [], remaining)[1]:
                raise TimeoutError(f"the child took no input for {timeout:g}s")
            try:
                view = view[os.write(fd, view):]
            except BlockingIOError:
                continue
    finally:
        os.set_blocking(fd, was_blocking)


class Replies:
    """A child's messages, each awaited with a deadline. On POSIX the caller
    waits with select() on the descriptor itself: no reader thread, so no
    thread hand-off on every reply. Elsewhere a thread reads into a queue."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._buffer = bytearray()
        self._eof = False
        self._queue: queue.Queue | None = None
        if os.name != "posix":  # pragma: no cover - select() takes no pipes on Windows
            self._queue = queue.Queue()
            threading.Thread(target=self._pump, daemon=True).start()

    def next(self, timeout: float) -> dict[str, Any] | None:
        """The next message; None at end of stream. Raises TimeoutError,
        or ProtocolError for what is not a message of ours."""
        if self._queue is not None:  # pragma: no cover
            try:
                item = self._queue.get(timeout=timeout)
            except queue.Empty:
                raise TimeoutError from None
            if isinstance(item, ProtocolError):
                raise item
            return item
        deadline = time.monotonic() + timeout
        while True:
            end = self._buffer.find(b"\n")
            if end >= 0:
                line = bytes(self._buffer[:end + 1])
                del self._buffer[:end + 1]
                return parse_message(line)
            if len(self._buffer) > MAX_MESSAGE:
                raise ProtocolError(f"a message longer than {MAX_MESSAGE} bytes")
            if self._eof:
                return None
            self._fill(deadline - time.monotonic())

    def ended(self) -> bool:
        """Whether the other side has closed its end, learnt without waiting.
        Between requests a child has nothing to say: what it says anyway is
        kept, and read as its next message."""
        if self._queue is not None:  # pragma: no cover - Windows: the next reply tells
            return False
        if not self._eof:
            self._read(0)
        return self._eof

    def _fill(self, remaining: float) -> None:
        # past the deadline, what the child sent already still counts: the
        # grader may have been slow to look, not the child to answer
        if not self._read(max(remaining, 0.0)):
            raise TimeoutError

    def _read(self, timeout: float) -> bool:
        """Take in what the stream says within ``timeout``: a chunk, or its
        end. False if it said nothing."""
        try:
            ready, _, _ = select.select([self._stream], [], [], timeout)
            chunk = os.read(self._stream.fileno(), 1 << 16) if ready else None
        except (OSError, ValueError):  # closed under us
            chunk = b""
        if chunk is None:
            return False
        if chunk:
            self._buffer += chunk
        else:
            self._eof = True
        return True

    def _pump(self) -> None:  # pragma: no cover - Windows
        try:
            while (message := read_message(self._stream)) is not None:
                self._queue.put(message)
        except ProtocolError as exc:
            self._queue.put(exc)
        except (OSError, ValueError):
            pass
        self._queue.put(None)


def _loaded_from(message: dict[str, Any]) -> Loaded:
    """Check the shape of what an untrusted child says it loaded."""
    routes, session = message.get("routes"), message.get("session")
    if message.get("event") != "loaded" or not isinstance(routes, list) \
            or not isinstance(session, dict):
        raise ProtocolError(_short(message.get("message") or "no 'loaded' message", 200))
    clean_routes = tuple({"rule": str(r.get("rule", ""))[:300],
                          "methods": [str(m)[:10] for m in _list(r.get("methods"))][:10],
                          "endpoint": str(r.get("endpoint", ""))[:200]}
                         for r in routes[:500] if isinstance(r, dict))
    clean_session = {"server_side": bool(session.get("server_side")),
                     "type": str(session.get("type") or "")[:40],
                     "key_prefix": None if session.get("key_prefix") is None
                     else str(session["key_prefix"])[:200],
                     "cookie_name": str(session.get("cookie_name") or "session")[:200]}
    return Loaded(clean_routes, clean_session)


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _load_error_from(message: dict[str, Any]) -> LoadError:
    params = message.get("params")
    line = message.get("line")
    trace = message.get("traceback")
    return LoadError(str(message.get("kind"))[:40], _plain_params(params),
                     str(message["file"])[:300] if message.get("file") else None,
                     line if type(line) is int and 0 < line < 10_000_000 else None,
                     str(trace)[:20000] if trace else None)


def _plain_params(params: Any) -> dict[str, str]:
    """A child's message parameters as short text: they go into every report
    and the cache, where a dict holding "$type" read back as a message of the
    grader's, and a nesting 1,000 deep, or 4 MB per check, broke a batch."""
    if not isinstance(params, dict):
        return {}
    return {str(key)[:40]: _short(value) for key, value in list(params.items())[:20]}


def _short(value: Any, limit: int = 2000) -> str:
    try:
        text = value if isinstance(value, str) else repr(value)
    except RecursionError:
        text = "…"
    return text if len(text) <= limit else text[:limit] + " …"


def _describe_exit(code: int | None) -> Any:
    if code is None:
        return _said("exit_stopped")
    if code < 0:
        try:
            return _said("exit_signal", signal=signal.Signals(-code).name)
        except ValueError:
            return _said("exit_signal", signal=str(-code))
    return _said("exit_code", code=code)


def _said(key: str, **params: Any) -> Any:
    """A message of :mod:`grader.messages` (imported late: results imports us)."""
    from .results import Msg

    return Msg(key, params)
