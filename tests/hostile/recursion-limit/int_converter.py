"""Hostile: lifts the recursion limit to a million, then, in the view for 41,
recurses a million levels deep in C (json.dumps of a list nested a million
times): the C stack runs out long before the limit.

Not repr(): it also overflows, but only after about a second of searching
the objects it is already showing, which on a busy machine outlasts the
test's 2 s timeout; json.dumps gets there in hundredths of a second."""

import json
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
        return json.dumps(nested)
    return f"money={money} next={money + 1}"
