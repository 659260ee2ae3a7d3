"""Hostile: the view for 41 calls os._exit(7)."""

import os

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        os._exit(7)
    return f"money={money} next={money + 1}"
