"""The progress bar on stderr: done/total, the rate of fresh gradings and the
time left. On a terminal it redraws one line (also while a slow submission
holds everyone's attention); in a log (CI) it prints a line every tenth of the
way, so the log stays short."""

from __future__ import annotations

import threading
import time
from typing import TextIO

from ..messages import render
from ..results import Msg

__all__ = ["Progress"]

_WIDTH = 24
_REDRAW_SECONDS = 1.0


class Progress:
    def __init__(self, total: int, stream: TextIO | None, *, live: bool | None = None,
                 clock=time.monotonic, lang: str = "en") -> None:
        self.total = total
        self.lang = lang
        self.stream = stream
        self.live = bool(stream is not None and stream.isatty()) if live is None else live
        self.clock = clock
        self.done = 0
        #: of those done: graded now (they make the rate), and taken from the cache
        self.graded = 0
        self.cached = 0
        self.started = clock()
        self._printed = (-1, -1)  # (tenths, done) of the last line printed to a log
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def __enter__(self) -> Progress:
        if self.live and self.stream is not None:
            threading.Thread(target=self._redraw, daemon=True, name="progress").start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stop.set()
        self._show(final=True)

    def advance(self, how: str = "graded") -> None:
        """One more task done: 'graded' now, 'cached', or 'absent' (not submitted)."""
        with self._lock:
            self.done += 1
            self.graded += how == "graded"
            self.cached += how == "cached"
        self._show(final=False)

    def line(self) -> str:
        fraction = self.done / self.total if self.total else 1.0
        filled = round(fraction * _WIDTH)
        bar = "█" * filled + "░" * (_WIDTH - filled)
        elapsed = max(self.clock() - self.started, 1e-9)
        rate = self.graded / elapsed
        left = self.total - self.done
        eta = "0:00" if not left else _clock_time(left / rate) if rate > 0 else "?"
        cached = Msg("batch_progress_cached", {"n": self.cached}) if self.cached else ""
        return render(Msg("batch_progress", {
            "bar": bar, "done": self.done, "total": self.total, "cached": cached,
            "rate": f"{rate:.1f}", "elapsed": _clock_time(elapsed), "eta": eta}), self.lang)

    def _redraw(self) -> None:
        while not self._stop.wait(_REDRAW_SECONDS):
            self._show(final=False)

    def _show(self, final: bool) -> None:
        if self.stream is None:
            return
        with self._lock:
            if self.live:
                if self._stop.is_set() and not final:
                    return  # the final line is (being) drawn
                self.stream.write("\r\x1b[2K" + self.line() + ("\n" if final else ""))
            else:
                tenths = self.done * 10 // self.total if self.total else 10
                if tenths > self._printed[0] or (final and self.done != self._printed[1]):
                    self.stream.write(self.line() + "\n")
                    self._printed = (tenths, self.done)
            self.stream.flush()


def _clock_time(seconds: float) -> str:
    seconds = int(round(seconds))
    return f"{seconds // 60}:{seconds % 60:02d}"
