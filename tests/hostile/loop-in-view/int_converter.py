"""Hostile: the view for 41 spins forever; every other request is answered."""

from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    while money == 41:
        pass
    return f"money={money} next={money + 1}"
