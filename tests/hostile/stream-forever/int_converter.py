"""Hostile: the answer for 41 is a stream that never ends, as fast as it goes."""

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        def forever():
            while True:
                yield "money=41 next=42 " * 4096

        return forever()
    return f"money={money} next={money + 1}"
