"""Hostile: in the view for 41, replaces the child's log with a named pipe, then
crashes. Opening a FIFO for reading blocks until someone opens it for writing:
a grader that reads the log of a crashed child would wait forever."""

import os

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        log = os.path.join(os.path.dirname(os.getcwd()), "child.log")
        try:
            os.remove(log)
            os.mkfifo(log)
        except OSError as exc:
            return f"could not swap the log: {exc}"
        os._exit(1)
    return f"money={money} next={money + 1}"
