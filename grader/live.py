"""An app handle for a server already running (``grade --url``): the same
checks over real HTTP. What needs the grader's own process (restarts, the
session store) is reported as not gradable, never as the student's failure;
a session in Flask's signed cookie the grader reads as it always does.
"""

from __future__ import annotations

import threading
import time

from . import sessions
from .http import Request, Response
from .protocol import capped_headers
from .results import Msg
from .runner import SessionRead
from .sandbox import Fault
from .stores import StoreEntry

__all__ = ["LiveApp"]


class LiveApp:
    role = "submission"
    can_set_remote_addr = False
    has_probes = False
    session_cookie = "session"
    key_prefix: str | None = None
    routes: tuple[dict, ...] = ()

    def __init__(self, base_url: str, timeout: float, body_limit: int = 1 << 20) -> None:
        import requests  # only this mode needs it; keeps plain grading fast

        self._requests = requests
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.body_limit = body_limit
        self._pending: Request | None = None

    def submit(self, request: Request) -> Fault | None:
        self._pending = request
        return None

    def collect(self) -> Response | Fault:
        """The answer within the timeout, headers and body together: requests'
        own timeout bounds each read, and a server that drips a byte a second
        never trips it. A request still under way at the deadline is left to
        its thread, which the grader's exit ends."""
        request, self._pending = self._pending, None
        answers: list[Response | Fault] = []
        exchange = threading.Thread(target=lambda: answers.append(self._guarded(request)),
                                    daemon=True, name="grade-live")
        exchange.start()
        exchange.join(self.timeout)
        if not answers:
            return Fault("timeout", Msg("fault_no_response", {"seconds": f"{self.timeout:g}"}))
        return answers[0]

    def _guarded(self, request: Request) -> Response | Fault:
        try:
            return self._exchange(request)
        except Exception as exc:  # noqa: BLE001 - whatever a server sends, a plain fault
            return Fault("crashed", Msg("fault_bad_answer", {"url": self.base_url,
                                                             "error": _said(exc)}))

    def _exchange(self, request: Request) -> Response | Fault:
        try:
            answer = self._requests.request(
                request.method, self.base_url + request.path, params=list(request.query),
                data=request.json.encode() if request.json is not None
                else list(request.form) or None,
                headers={**self._headers(request),
                         **({"Content-Type": "application/json"} if request.json is not None
                            else {})},
                allow_redirects=False, timeout=self.timeout, stream=True)
        except self._requests.Timeout:
            return Fault("timeout", Msg("fault_no_response", {"seconds": f"{self.timeout:g}"}))
        except self._requests.RequestException as exc:
            return Fault("crashed", Msg("fault_unreachable", {"url": self.base_url,
                                                              "error": _said(exc)}))
        with answer:  # a body that breaks off or will not decode: _guarded says so
            body, truncated = self._read(answer)
            headers = capped_headers(answer.raw.headers.items())
        return Response(answer.status_code, headers, body, truncated, received=time.time())

    @staticmethod
    def _headers(request: Request) -> dict[str, str]:
        # the Host the reference sees too: its URLs (request.url, an absolute
        # Location) then name the same site, whatever port the server is on
        return {**dict(request.headers), "Host": request.host}

    def _read(self, answer) -> tuple[bytes, bool]:
        chunks, size = [], 0
        for chunk in answer.raw.stream(65536, decode_content=True):
            chunks.append(chunk)
            size += len(chunk)
            if size > self.body_limit:
                return b"".join(chunks)[: self.body_limit], True
        return b"".join(chunks), False

    def restart(self) -> Msg:
        return Msg("cannot_restart_live")

    def store_entry(self, session_id: str, prefix: str) -> StoreEntry | Msg:
        return Msg("cannot_inspect_live")

    def session(self, cookie: str | None) -> SessionRead | Msg:
        """A session in Flask's signed cookie reads here as anywhere; one in
        a server-side store this grader cannot see is not graded."""
        read = sessions.from_cookie_header(cookie, self.session_cookie)
        return Msg("cannot_read_session_live") if isinstance(read, Msg) else SessionRead(read)

    def close(self) -> None:
        pass


def _said(exc: Exception) -> str:
    """An error as one short line: what a server sent may be in it."""
    return " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
