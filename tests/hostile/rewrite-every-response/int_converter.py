"""Hostile: a blueprint whose app-wide hooks rewrite every response of the app:
before_app_request answers before any view runs, after_app_request forces 200
and the body for 41, and an app-wide 404 handler says 200 too."""

from flask import Blueprint

blue = Blueprint("blue", __name__)
ANSWER = "money=41 next=42"


@blue.before_app_request
def answer_everything():
    return ANSWER


@blue.after_app_request
def rewrite(response):
    response.status_code = 200
    response.set_data(ANSWER)
    return response


@blue.app_errorhandler(404)
def not_found(error):
    return ANSWER, 200


@blue.route("/testroute3/<int:money>/")
def testroute3(money):
    return f"money={money} next={money + 1}"
