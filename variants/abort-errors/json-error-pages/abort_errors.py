"""Error pages as JSON, as an API would answer: jsonify writes 页面不存在 as
\\u9875\\u9762..., which says the same text."""

from flask import Blueprint, abort

blue = Blueprint("blue", __name__)


@blue.route("/testabort/")
def testabort():
    abort(404)


@blue.route("/testforbidden/")
def testforbidden():
    abort(403)


# A real bug, as the notes say 500 means ("your code is wrong"): Flask turns
# the uncaught ZeroDivisionError into a 500 and hands it to the 500 handler.
# abort(500) would reach the same handler.
@blue.route("/testerror/")
def testerror():
    result = 1 / 0  # raises ZeroDivisionError
    return str(result)


# app_errorhandler: routing fails before any blueprint is chosen, so only an
# app-wide handler sees the 404 of a URL that matches no route.
# Each handler returns its status too: without it Flask answers 200.
@blue.app_errorhandler(404)
def not_found(error):
    return {"error": "页面不存在", "code": 404}, 404


@blue.errorhandler(403)
def forbidden(error):
    return {"error": "禁止访问"}, 403


@blue.errorhandler(500)
def server_error(error):
    return {"error": "服务器内部错误"}, 500
