"""Hostile: the view for 41 calls sys.exit(3)."""

import sys

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        sys.exit(3)
    return f"money={money} next={money + 1}"
