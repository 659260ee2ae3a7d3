from flask import Blueprint

blue = Blueprint("blue", __name__)


@blue.route("/testroute1/<string:name>/")
def testroute1(name):
    return f"name={name}"


@blue.route("/testroute2/<path:name>/")
def testroute2(name):
    return f"name={name}"


@blue.route("/testroute4/<float:money>/")
def testroute4(money):
    return f"money={money} double={money * 2}"


@blue.route("/testroute5/<uuid:uid>/")
def testroute5(uid):
    return f"uid={uid} type={type(uid).__name__} version={uid.version}"


@blue.route("/testroute6/<p>/")
def testroute6(p):
    return f"p={p}"
