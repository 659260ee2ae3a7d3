"""Reference for converters: each converter decides what matches and what
type the view receives."""

from flask import Blueprint

blue = Blueprint("blue", __name__)


# string (the default) matches one path segment: it stops at '/'.
@blue.route("/testroute1/<string:name>/")
def testroute1(name):
    return f"name={name}"


# path is like string but also accepts '/', so a/b/c arrives whole.
@blue.route("/testroute2/<path:name>/")
def testroute2(name):
    return f"name={name}"


# float matches digits.digits only (not 3, not -1.5) and hands over a float.
@blue.route("/testroute4/<float:money>/")
def testroute4(money):
    return f"money={money} double={money * 2}"


# uuid matches the 8-4-4-4-12 hex form and hands over a uuid.UUID.
@blue.route("/testroute5/<uuid:uid>/")
def testroute5(uid):
    return f"uid={uid} type={type(uid).__name__} version={uid.version}"


# any(...) matches only the listed words.
@blue.route("/testroute6/<any(a,b):p>/")
def testroute6(p):
    return f"p={p}"
