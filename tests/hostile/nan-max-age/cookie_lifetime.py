"""Hostile (cookie-lifetime): the reference, but the token's Max-Age is "nan",
written as a raw header (Werkzeug's set_cookie would refuse it)."""

from datetime import datetime, timedelta, timezone

from flask import Blueprint, make_response

blue = Blueprint("blue", __name__)


@blue.route("/setcookie/")
def setcookie():
    response = make_response("token set")
    response.headers.add("Set-Cookie", "token=flask; HttpOnly; Max-Age=nan; Path=/")
    return response


@blue.route("/remember/")
def remember():
    response = make_response("remembered for 7 days")
    response.set_cookie("remember", "yes", expires=datetime.now(timezone.utc) + timedelta(days=7))
    return response


@blue.route("/forget/")
def forget():
    response = make_response("forgotten")
    response.delete_cookie("remember")
    return response
