"""Hostile: the answer for 41 is 50 MB."""

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        return "x" * 50_000_000
    return f"money={money} next={money + 1}"
