"""Hostile: the answer for 41 carries an 8 MB header (the body is capped in the
child; headers are not)."""

from flask import Blueprint, Response

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    response = Response(f"money={money} next={money + 1}")
    if money == 41:
        response.headers["X-Padding"] = "x" * (8 << 20)
    return response
