"""Reference for cookie-login: remember the user's name in a cookie."""

from flask import Blueprint, redirect, render_template, request, url_for

blue = Blueprint("blue", __name__)


@blue.route("/tologincookie/")
def tologincookie():
    return render_template("logincookie.html")


@blue.route("/logincookie/", methods=["POST"])
def logincookie():
    name = request.form.get("name")
    # A cookie is set on a response object, so build the redirect first.
    response = redirect(url_for("blue.welcomecookie"))
    response.set_cookie("name", name)
    return response


@blue.route("/welcomecookie/")
def welcomecookie():
    name = request.cookies.get("name")
    return render_template("welcomecookie.html", name=name)


@blue.route("/logoutcookie/")
def logoutcookie():
    response = redirect(url_for("blue.welcomecookie"))
    response.delete_cookie("name")
    return response
