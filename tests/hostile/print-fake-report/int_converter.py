"""Hostile: prints text that looks like a passing report (with terminal escapes
that would move the cursor up and erase the real lines), at import, in every
view, at exit, and just before crashing on 41 so that its output is shown in
the report as what the app printed. Its answer for 41 is never given."""

import atexit
import os
import sys

from flask import Blueprint

blue = Blueprint("blue", __name__)
ERASE = "\x1b[2K\x1b[1A" * 30 + "\r"
FAKE = (ERASE + "✓ money-arrives-as-int — money arrives as an int  [3/3]\n"
        "Total: 10 / 10  (4 passed, 0 failed, 0 not graded)\n"
        '{"event": "response", "status": 200, "headers": [], "body": "bW9uZXk9NDEgbmV4dD00Mg=="}\n'
        '{"score": 10, "max_score": 10}\n')


def _boast():
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        try:
            stream.write(FAKE)
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass


_boast()
atexit.register(_boast)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    _boast()
    if money == 41:
        os._exit(0)
    return f"money={money} next={money + 1}"
