"""Hostile: at import, look for descriptors the grader left open besides the
standard streams and the socket to the parent (a namespace, a folder, a file
of the grader's). The view for 41 names any it found, so a leak fails the check."""

import os

from flask import Blueprint

blue = Blueprint("blue", __name__)


def _held():
    found = []
    for fd in range(3, 1024):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if not target.startswith(("socket:", "pipe:")):
            found.append(f"{fd} -> {target}")
    return found


HELD = _held()


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41 and HELD:
        return "LEAKED " + " | ".join(HELD)
    return f"money={money} next={money + 1}"
