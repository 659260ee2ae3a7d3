"""The reference's answers, recorded once and replayed to every submission of
a batch.

Everything the runner sends the reference follows from the spec and from the
reference's own earlier answers, never from the submission's, except for
*which* steps are played: a check stops early when the submission faults.
So the reference's answers are a function of its history of operations
(requests, restarts, store and session lookups). A :class:`Tape` maps each history, by
a running digest, to the answer the reference gave, and a
:class:`ReplayedReference` walks it. On a history the tape has not seen it
starts a live reference, brings it to the same state by sending it the same
operations again, and records what it answers from then on, so the next
submission that takes the same path replays that too.

A stop (a submission's fault) always ends a check, and each check starts
with an empty cookie jar; so a new history begins at a check's start, where
no cookie from the tape is in use. A live reference that caught up has the
tape's state up to the names of its random session ids, which no later
request refers to. Were a history ever to fork inside a check, the
reference's cookies would come from the tape and might name sessions the
live reference never made; that step is then not graded rather than graded
against answers that may be wrong.

Timing: a replayed response keeps the time it was received, so cookie
lifetimes are measured from then (see :attr:`grader.http.Response.received`).
"""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from .http import Request, Response
from .protocol import request_from_wire, request_to_wire
from .results import Msg
from .runner import SessionRead
from .sandbox import Fault, FromLoaded, Loaded, LoadError
from .stores import StoreEntry

__all__ = ["Tape", "Tapes", "ReplayedReference"]

#: a recorded restart (the answer to a restart is "it came back", or nothing)
RESTARTED = "restarted"
Answer = Response | StoreEntry | SessionRead | str


@dataclass(slots=True)
class Tape:
    """One exercise's reference, recorded: its answers by history, its load
    report, and the URL prefix every grading replaying it must use."""

    prefix: str | None
    loaded: Loaded | None = None
    answers: dict[bytes, Answer] = field(default_factory=dict)
    #: histories from which some check was recorded whole, every step answered
    complete: set[bytes] = field(default_factory=set)

    def record(self, history: bytes, answer: Answer) -> None:
        self.answers.setdefault(history, answer)


class Tapes:
    """The tapes of one batch, one per exercise, shared by its worker threads."""

    def __init__(self) -> None:
        self._tapes: dict[str, Tape] = {}
        self._lock = threading.Lock()

    def tape_for(self, exercise_id: str, make_prefix: Callable[[], str | None]) -> Tape:
        with self._lock:
            if exercise_id not in self._tapes:
                self._tapes[exercise_id] = Tape(make_prefix())
            return self._tapes[exercise_id]


def _step(history: bytes, operation: tuple) -> bytes:
    data = json.dumps(operation, sort_keys=True, separators=(",", ":")).encode()
    return hashlib.blake2b(history + data, digest_size=16).digest()


class ReplayedReference(FromLoaded):
    """The reference as the runner sees it (an ``AppHandle``), answered from
    a tape where the tape knows the history and by a live child elsewhere.
    ``start_live`` makes the live child (an ``EmbeddedApp``, not started)."""

    role = "reference"
    can_set_remote_addr = True
    has_probes = True

    def __init__(self, tape: Tape, start_live: Callable[[], Any]) -> None:
        self.tape = tape
        self._start_live = start_live
        self.live: Any = None
        self._history = b""
        self._operations: list[tuple] = []
        #: the next answer of collect(): recorded, or None to ask the live child
        self._pending: Answer | None = None
        self._at_check_start = True
        self._check_start = b""
        #: a live reference could not be caught up: every operation faults
        self._fault: Fault | None = None

    # -- what the runner reads -------------------------------------------------

    @property
    def loaded(self) -> Loaded | None:
        return self.live.loaded if self.live is not None else self.tape.loaded

    # -- life cycle, as grading drives it ---------------------------------------

    def spawn(self) -> None:
        """Start a live child only when nothing is recorded yet (the first
        grading of the exercise records as it goes)."""
        if self.tape.loaded is None:
            self.live = self._start_live()
            self.live.spawn()

    def wait_loaded(self) -> Loaded | LoadError:
        if self.live is None:
            return self.tape.loaded
        result = self.live.wait_loaded()
        if isinstance(result, Loaded) and self.tape.loaded is None:
            self.tape.loaded = result
        return result

    def begin_check(self) -> None:
        """A check starts. It is replayed only if a whole run of it from this
        history is on the tape; otherwise a live reference answers it, caught
        up now, while no cookie from the tape is in use."""
        self._at_check_start = True
        self._check_start = self._history
        if self.live is None and self._history not in self.tape.complete:
            self._catch_up()
        if self.live is not None and self._fault is None:
            self.live.begin_check()

    def end_check(self, complete: bool) -> None:
        """The check ended; ``complete``: every step was played, no fault."""
        if complete and self.live is not None:
            self.tape.complete.add(self._check_start)

    def close(self) -> None:
        if self.live is not None:
            self.live.close()

    # -- operations ---------------------------------------------------------

    def submit(self, request: Request) -> Fault | None:
        operation = ("request", request_to_wire(request))
        fault = self._advance(operation)
        if fault is not None or self._pending is not None:
            return fault
        return self.live.submit(request)

    def collect(self) -> Response | Fault:
        if self._pending is not None:
            answer, self._pending = self._pending, None
            return answer
        answer = self.live.collect()
        if isinstance(answer, Response):
            self.tape.record(self._history, answer)
        return answer

    def restart(self) -> Fault | None:
        fault = self._advance(("restart",))
        if fault is not None:
            return fault
        if self._pending is not None:
            self._pending = None
            return None
        fault = self.live.restart()
        if fault is None:
            self.tape.record(self._history, RESTARTED)
        return fault

    def store_entry(self, session_id: str, prefix: str) -> StoreEntry | Msg:
        fault = self._advance(("store", session_id, prefix))
        if fault is not None:
            return Msg("reference_replay_diverged")
        if self._pending is not None:
            entry, self._pending = self._pending, None
            return entry
        entry = self.live.store_entry(session_id, prefix)
        if isinstance(entry, StoreEntry):
            self.tape.record(self._history, entry)
        return entry

    def session(self, cookie: str | None) -> SessionRead | Msg:
        fault = self._advance(("session", cookie))
        if fault is not None:
            return Msg("reference_replay_diverged")
        if self._pending is not None:
            read, self._pending = self._pending, None
            return read
        read = self.live.session(cookie)
        if isinstance(read, SessionRead):
            self.tape.record(self._history, read)
        return read

    def _advance(self, operation: tuple) -> Fault | None:
        """Move the history on by ``operation``; leave its recorded answer in
        ``_pending``, or make sure a live child in the right state will answer."""
        at_start, self._at_check_start = self._at_check_start, False
        if self._fault is not None:
            return self._fault
        history = _step(self._history, operation)
        recorded = self.tape.answers.get(history) if self.live is None else None
        if recorded is None and self.live is None:
            if not at_start:  # see the module's docstring
                return Fault("crashed", Msg("fault_not_recorded"))
            if self._catch_up() is not None:
                return self._fault
        self._history = history
        self._operations.append(operation)
        self._pending = recorded
        return None

    def _catch_up(self) -> Fault | None:
        """Start a live reference and play it every operation so far. A fault
        here stays: every later operation answers with it."""
        self.live = self._start_live()
        self.live.spawn()
        self._fault = self._replay_history()
        return self._fault

    def _replay_history(self) -> Fault | None:
        if isinstance(self.live.wait_loaded(), LoadError):
            return Fault("crashed", Msg("fault_reference_no_restart"))
        for operation in self._operations:
            if operation[0] == "request":
                request = request_from_wire(operation[1])
                answer = self.live.submit(request) or self.live.collect()
                if isinstance(answer, Fault):
                    return answer
            elif operation[0] == "restart":
                fault = self.live.restart()
                if fault is not None:
                    return fault
        return None

