"""Hostile: right bodies, labelled with a character set that does not exist."""

from flask import Blueprint, Response

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return Response(f"money={money} next={money + 1}",
                    content_type="text/plain; charset=x-no-such-codec")
