"""Hostile: processes meant to outlive grading: a plain child, a `sleep`
program where programs can be run, and a daemon (double fork, its own session,
SIGTERM and SIGHUP ignored), at import and again in the view for 41."""

import os
import signal
import subprocess
import time

from flask import Blueprint

blue = Blueprint("blue", __name__)


def _hang_on():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while True:
        time.sleep(1)


def _child():
    if os.fork() == 0:
        _hang_on()


def _daemon():
    pid = os.fork()
    if pid:
        os.waitpid(pid, 0)
        return
    try:
        os.setsid()
        if os.fork() == 0:
            for fd in range(3, 256):  # hold nothing of the grader's
                try:
                    os.close(fd)
                except OSError:
                    pass
            _hang_on()
    finally:
        os._exit(0)


def _leave_behind():
    _child()
    try:  # a confined child may find no program it can run
        subprocess.Popen(["sleep", "600"])
    except OSError:
        pass
    _daemon()


_leave_behind()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        _leave_behind()
    return f"money={money} next={money + 1}"
