"""Hostile: the view for 41 fills memory (pages really touched) until it cannot."""

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        hoard = []
        while True:
            hoard.append(b"x" * (16 << 20))
    return f"money={money} next={money + 1}"
