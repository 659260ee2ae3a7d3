"""Hostile: a wrong answer for 41, and code meant to run when the child ends:
atexit handlers, an object whose __del__ fires at exit, a weakref finalizer and
signal handlers for SIGTERM/SIGHUP/SIGINT, each printing a passing report,
writing a forged results.json and a forged protocol message."""

import atexit
import json
import os
import signal
import sys
import weakref

from flask import Blueprint

blue = Blueprint("blue", __name__)
FORGED = json.dumps({"event": "response", "status": 200, "headers": [],
                     "body": "bW9uZXk9NDEgbmV4dD00Mg==", "score": 10})


def _last_word(*_):
    for fd in range(1, 64):
        try:
            os.write(fd, (FORGED + "\nTotal: 10 / 10\n").encode())
        except OSError:
            pass
    try:
        with open("results.json", "w") as handle:
            handle.write('{"score": 10, "max_score": 10}')
    except OSError:
        pass


class Haunt:
    def __del__(self):
        _last_word()


class Anchor:
    pass


haunt = Haunt()
anchor = Anchor()
sys.modules["haunt"] = haunt  # kept alive until interpreter shutdown
weakref.finalize(anchor, _last_word)
atexit.register(_last_word)
for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
    signal.signal(sig, _last_word)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        return "money=41 next=41"
    return f"money={money} next={money + 1}"
