"""Reference for cookie-lifetime: how long a cookie lives, set with
max_age (seconds) or expires (a point in time), and how it is deleted."""

from datetime import datetime, timedelta, timezone

from flask import Blueprint, make_response

blue = Blueprint("blue", __name__)


@blue.route("/setcookie/")
def setcookie():
    response = make_response("token set")
    # max_age counts seconds: 3600 is one hour. httponly hides the cookie
    # from JavaScript (document.cookie), so an injected script cannot steal it.
    response.set_cookie("token", "flask", max_age=3600, httponly=True)
    return response


@blue.route("/remember/")
def remember():
    response = make_response("remembered for 7 days")
    # An aware datetime: Werkzeug reads a naive one as UTC, so a naive local
    # datetime.now() would be off by the server's UTC offset.
    expires = datetime.now(timezone.utc) + timedelta(days=7)
    response.set_cookie("remember", "yes", expires=expires)
    return response


@blue.route("/forget/")
def forget():
    response = make_response("forgotten")
    # Sends the cookie again, already expired, so the browser drops it.
    response.delete_cookie("remember")
    return response
