"""Hostile: the answer for 41 starts at once and then drips a byte every 50 ms,
forever: the body never grows past the size limit."""

import time

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        def drip():
            yield "money=41 next=42"
            while True:
                time.sleep(0.05)
                yield " "

        return drip()
    return f"money={money} next={money + 1}"
