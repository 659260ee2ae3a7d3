"""Reference for session-persist: the session lives in a server-side store
(Flask-Session); the browser's cookie holds only the session's id."""

from cachelib import FileSystemCache
from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_session import Session

blue = Blueprint("blue", __name__)


def configure(app):
    app.config["SECRET_KEY"] = "110"
    # Any server-side store will do; the notes use "redis". "cachelib" with a
    # FileSystemCache needs no server; it replaces the deprecated "filesystem"
    # type. The grader points Flask-Session at a store of its own after this.
    app.config["SESSION_TYPE"] = "cachelib"
    app.config["SESSION_CACHELIB"] = FileSystemCache("flask_session")
    app.config["SESSION_KEY_PREFIX"] = "hlm:"
    app.config["SESSION_PERMANENT"] = False
    Session(app)


@blue.route("/tologinsession/")
def tologinsession():
    return render_template("loginsession.html")


@blue.route("/loginsession/", methods=["POST"])
def loginsession():
    session["name"] = request.form.get("name")
    return redirect(url_for("blue.welcomesession"))


@blue.route("/welcomesession/")
def welcomesession():
    return render_template("welcomesession.html", name=session.get("name"))


@blue.route("/logoutsession/")
def logoutsession():
    # Emptying the session makes Flask-Session delete the stored entry and
    # the cookie; deleting only the cookie would leave the entry behind.
    session.pop("name", None)
    return redirect(url_for("blue.welcomesession"))
