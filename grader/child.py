"""The child process: loads one submission (or the reference), then answers
request messages from the parent until its input closes.

It never compares or scores anything; it only turns requests into raw
responses. Started by :mod:`grader.sandbox` as ``python -I -c ...``.
"""

from __future__ import annotations

import os
import sys
import warnings
from pathlib import Path
from typing import IO, Any

from .http import Request, Response
from .protocol import read_message, request_from_wire, response_to_wire, write_message

__all__ = ["main", "serve"]


def main() -> None:
    """Entry point of a spawned child: the protocol runs over stdin/stdout."""
    # The protocol owns the real stdout; whatever the student prints goes to
    # stderr, which the parent sends to a log file, so it can't fake a reply.
    out = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # The same for stdin, which carries the parent's messages: code that reads
    # it (input() in a view) took them, and failed only where children spawn.
    # It reads nothing, as a forked child's /dev/null gives.
    inp = os.fdopen(os.dup(0), "rb")
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)
    sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the process's life
    warnings.simplefilter("ignore")
    # Import Flask before the parent has even read the spec: a child may be
    # started early (see processes.prestart) and this is most of its start-up.
    import flask  # noqa: F401

    from .speedups import lazy_url_builders

    lazy_url_builders()
    serve(inp, out, {"applied": [], "missing": spawned_missing()})


#: what a spawned child goes without (only forked children are confined)
SPAWNED_MISSING = ("network isolation", "process namespace", "private filesystem", "process cap")


def spawned_missing() -> list[str]:
    """SPAWNED_MISSING, and as root what a forked child would have had more:
    its own unprivileged user and a memory cap for all its processes."""
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    return [*SPAWNED_MISSING, *(("unprivileged user", "total memory cap") if as_root else ())]


def serve(inp: IO[bytes], out: IO[bytes], confinement: dict[str, list[str]]) -> None:
    """Say how this child is confined (before any student code has run, so
    the message cannot be forged), then load the app and answer requests."""
    warnings.simplefilter("ignore")
    write_message(out, {"event": "confined", **confinement})
    config = read_message(inp)
    if config is not None:
        _serve(config, inp, out)


def _serve(config: dict[str, Any], inp: IO[bytes], out: IO[bytes]) -> None:
    from .mount import LoadFailure, attach_store, mount, routes, session_info

    root = Path(config["root"])
    _enter(root)
    try:
        mounted = mount(config)
    except LoadFailure as failure:
        write_message(out, failure.to_wire())
        return
    app = mounted.app
    write_message(out, {"event": "loaded", "routes": routes(app), "session": session_info(app)})
    start = read_message(inp)
    if start is None:
        return
    if start.get("store"):
        try:
            attach_store(app, start["store"])
        except Exception as exc:  # noqa: BLE001 - reported to the parent as a load error
            write_message(out, LoadFailure("store", {"error": str(exc)}).to_wire())
            return
    write_message(out, {"event": "ready"})
    handler = _Handler(app, root, int(config.get("body_limit", 1 << 20)), _record_prints())
    while (message := read_message(inp)) is not None:
        write_message(out, response_to_wire(handler.handle(request_from_wire(message))))


def _enter(root: Path) -> None:
    """Run from the submission's folder, as ``flask run`` in it would, and
    recompute what libraries worked out from the current folder at import
    (this process may have been forked from one that imported them)."""
    os.chdir(root)
    defaults = sys.modules.get("flask_session.defaults")
    if defaults is not None:
        defaults.Defaults.SESSION_FILE_DIR = os.path.join(os.getcwd(), "flask_session")


def _record_prints() -> _Printed:
    """From here on, what the student's code prints is kept for the response
    it was printed in, besides going to the log as before."""
    printed = _Printed(sys.stdout)
    sys.stdout = printed  # type: ignore[assignment]
    return printed


class _Printed:
    """``sys.stdout`` for the student's code: a student who debugs with
    ``print()`` sees in the report what each failing request printed.
    Only stdout: Flask logs a view's exception to stderr, and the report
    shows that traceback already, cut to the student's own lines."""

    limit = 2000

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self._kept: list[str] = []
        self._size = 0

    def write(self, text: str) -> int:
        if self._size <= self.limit and isinstance(text, str):
            self._kept.append(text[: self.limit + 1 - self._size])
            self._size += len(self._kept[-1])
        return self._stream.write(text)

    def take(self) -> str | None:
        """What was printed since the last call (None if nothing was)."""
        text, self._kept, self._size = "".join(self._kept), [], 0
        if len(text) > self.limit:
            text = text[: self.limit] + " …"
        return text or None

    def __getattr__(self, name: str) -> Any:  # flush, fileno, encoding, buffer, ...
        return getattr(self._stream, name)


class _Handler:
    def __init__(self, app: Any, root: Path, body_limit: int, printed: _Printed) -> None:
        from flask import got_request_exception

        self.client = app.test_client(use_cookies=False)
        self.root = root
        self.body_limit = body_limit
        self.printed = printed
        self.trace: str | None = None
        got_request_exception.connect(self._remember, app, weak=False)

    def _remember(self, sender: Any, exception: BaseException, **_: Any) -> None:
        from .mount import student_traceback
        from .probes import GraderProbeError

        # the probe view's exception is the grader's, not the student's: the
        # report would show it under "your traceback", in English
        if not isinstance(exception, GraderProbeError):
            self.trace = student_traceback(exception, self.root)[0]

    def handle(self, request: Request) -> Response:
        from werkzeug.datastructures import MultiDict

        self.trace = None
        self.printed.take()  # a previous request's generator may have printed since
        try:
            response = self.client.open(
                request.path, method=request.method, query_string=MultiDict(request.query),
                data=request.json.encode() if request.json is not None
                else MultiDict(request.form) if request.form else None,
                content_type="application/json" if request.json is not None else None,
                headers=list(request.headers), buffered=False,
                base_url=f"http://{request.host}/",
                environ_base={"REMOTE_ADDR": request.remote_addr})
        except Exception as exc:  # noqa: BLE001 - raised past Flask's own handling
            from .mount import student_traceback

            return Response(500, (), b"", traceback=student_traceback(exc, self.root)[0],
                            printed=self.printed.take())
        chunks: list[bytes] = []
        broke_off = False
        try:
            body, truncated = self._read(response, chunks)
        except Exception as exc:  # noqa: BLE001 - a generator view that raises midway
            from .mount import student_traceback

            # what a browser got before the connection broke off
            body, truncated, broke_off = b"".join(chunks), False, True
            self.trace = student_traceback(exc, self.root)[0]
        finally:
            response.close()
        return Response(response.status_code, tuple(response.headers.items()), body,
                        truncated, self.trace, broke_off, printed=self.printed.take())

    def _read(self, response: Any, chunks: list[bytes]) -> tuple[bytes, bool]:
        size = 0
        for chunk in response.iter_encoded():
            chunks.append(chunk)
            size += len(chunk)
            if size > self.body_limit:
                return b"".join(chunks)[: self.body_limit], True
        return b"".join(chunks), False
