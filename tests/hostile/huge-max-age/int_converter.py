"""Hostile: right answers, and on 41 cookies whose Max-Age has 400 digits (too
big for a float) and 5000 digits (too long for int() since Python 3.11)."""

from flask import Blueprint, Response

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    response = Response(f"money={money} next={money + 1}")
    if money == 41:
        response.headers.add("Set-Cookie", "big=1; Max-Age=1" + "0" * 400 + "; Path=/")
        response.headers.add("Set-Cookie", "long=1; Max-Age=" + "9" * 5000 + "; Path=/")
    return response
