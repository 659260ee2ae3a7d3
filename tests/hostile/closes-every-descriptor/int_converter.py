"""Hostile: closes every file descriptor it has at import, the grader's
protocol channel and its log among them, then carries on."""

import os

from flask import Blueprint

blue = Blueprint("blue", __name__)
os.closerange(0, 4096)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
