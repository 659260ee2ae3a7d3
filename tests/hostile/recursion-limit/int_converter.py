"""Hostile: lifts the recursion limit to a million, then, in the view for 41,
recurses a million levels deep in C (the repr of a list nested a million
times): the C stack runs out long before the limit."""

import sys

from flask import Blueprint

blue = Blueprint("blue", __name__)
sys.setrecursionlimit(10**6)


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    if money == 41:
        nested = []
        for _ in range(10**6):
            nested = [nested]
        return repr(nested)
    return f"money={money} next={money + 1}"
