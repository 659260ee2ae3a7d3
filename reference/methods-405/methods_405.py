"""Reference for methods-405: a route that accepts only POST and DELETE."""

from flask import Blueprint, render_template

blue = Blueprint("blue", __name__)


@blue.route("/toLogin/")
def to_login():
    return render_template("login.html")


# Flask upper-cases the names, so methods=["post", "delete"] is the same rule.
# Every other method (GET, PUT, ...) gets 405 with an Allow header.
@blue.route("/login/", methods=["POST", "DELETE"])
def login():
    return "欢迎光临红浪漫"
